"""The base resource: headings, per-row errors in the staff member's language, all or
nothing, export through csv_safe."""

import copy
import logging
import re
from functools import cached_property

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django_countries.fields import CountryField
from import_export import resources, widgets
from import_export.results import Error, Result

from common.spreadsheets import permissions
from common.spreadsheets._constants import PREVIEW_ROWS
from common.spreadsheets.cells import (
    cell_text,
    neutralise,
)
from common.spreadsheets.widgets import (
    ChoiceWidget,
    CountriesWidget,
    CountryWidget,
    LanguageWidget,
    TextWidget,
    UrlWidget,
    WholeNumberWidget,
    YesNoWidget,
)

logger = logging.getLogger(__name__)

# --- Resources ----------------------------------------------------------------------------


class FileProblem(Exception):
    """What is wrong with a file as a whole (its columns): shown as it is, without a traceback."""


class SpreadsheetError(Error):
    """An error shown to staff: its message, never a traceback (unexpected ones are logged)."""

    @cached_property
    def traceback(self):
        return ""


class SpreadsheetResult(Result):
    """The preview lists the first PREVIEW_ROWS valid rows (every row is checked and counted)."""

    def valid_rows(self):
        return super().valid_rows()[:PREVIEW_ROWS]


def _header(name) -> str:
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


class SpreadsheetResource(resources.ModelResource):
    """A model's rows as spreadsheet rows: see the module's docstring.

    Subclasses list their columns in `Meta.fields` (model fields get the widgets above by
    their type), may name columns a file must not have (`forbidden_columns`: {column:
    reason}) and columns it must have (`required_columns`)."""

    forbidden_columns: dict = {}
    required_columns: tuple = ()
    # The most rows one file may hold: its confirmation must be written within a request
    # (gunicorn gives a request 30 s, docs/RELIABILITY.md). Measured on a 2-core machine.
    max_rows = 5_000

    class Meta:
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        # Options of this import (not of the class): past the rows the preview shows, the
        # differences it would show are not computed.
        self._meta = copy.copy(type(self)._meta)
        self._rows_read = 0

    # The widgets of model fields, by their type.
    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, CountryField):
            return CountriesWidget if f.multiple else CountryWidget
        if f.name == "original_language":
            return LanguageWidget
        if getattr(f, "choices", None) and isinstance(f, models.CharField):
            return lambda **kwargs: ChoiceWidget(f.choices)
        if isinstance(f, models.URLField):
            return UrlWidget
        if isinstance(f, models.CharField | models.TextField):
            return TextWidget
        if isinstance(f, models.BooleanField):
            return YesNoWidget
        if isinstance(f, models.IntegerField):
            return WholeNumberWidget
        return super().widget_from_django_field(f, default)

    @classmethod
    def get_result_class(cls):
        return SpreadsheetResult

    @classmethod
    def get_error_result_class(cls):
        return SpreadsheetError

    def handle_import_error(self, result, error, raise_errors=False):
        if not isinstance(error, FileProblem):
            logger.exception("Spreadsheet import failed", exc_info=error)
        super().handle_import_error(result, error, raise_errors)

    def has_permission(self, action: str) -> bool:
        """Whether the importing or exporting member may `action` ("change") rows of the model."""
        return permissions.may(self.user, action, self._meta.model)

    # --- Import ---

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        """All or nothing: a file with wrong columns is refused as a whole; a confirmed
        import first checks every row (as the preview does) and writes nothing if one is
        wrong, then writes every row in one transaction, rolled back if a row fails after all."""
        kwargs["rollback_on_validation_errors"] = True
        self._rows_read = 0
        try:
            self.check_file(dataset)
        except FileProblem as problem:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            result.append_base_error(self.get_error_result_class()(problem))
            if raise_errors:
                raise
            return result
        if not dry_run:
            check = super().import_data(dataset, dry_run=True, raise_errors=False, use_transactions=True, **kwargs)
            if check.has_errors() or check.has_validation_errors():
                return check
            self._rows_read = 0
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True, **kwargs
        )

    def check_file(self, dataset) -> None:
        """Read the headings as people write them ("Owner email", "title-i18n-fr"), drop the
        empty rows, and refuse unknown, forbidden and missing columns (FileProblem)."""
        dataset.headers = [_header(name) for name in dataset.headers or []]
        for index in reversed(range(len(dataset))):
            if all(cell_text(value) == "" for value in dataset[index]):
                del dataset[index]
        headers = [name for name in dataset.headers if name]
        if not len(dataset):
            raise FileProblem(gettext("The file has no rows under its headings."))
        if len(dataset) > self.max_rows:
            raise FileProblem(
                gettext("Rows in this file: %(rows)s. Import at most %(most)s at a time (split the file).")
                % {"rows": intcomma(len(dataset)), "most": intcomma(self.max_rows)}
            )
        known = {field.column_name for field in self.fields.values()}
        problems = [str(self.forbidden_columns[name]) for name in headers if name in self.forbidden_columns]
        unknown = [name for name in headers if name not in known and name not in self.forbidden_columns]
        if unknown:
            problems.append(
                gettext("Unknown columns: %(columns)s. The columns are: %(known)s.")
                % {"columns": ", ".join(unknown), "known": ", ".join(f.column_name for f in self.get_import_fields())}
            )
        missing = [name for name in self.required_columns if name not in headers]
        if missing:
            problems.append(gettext("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        duplicated = sorted({name for name in headers if headers.count(name) > 1})
        if duplicated:
            problems.append(gettext("Columns given twice: %(columns)s.") % {"columns": ", ".join(duplicated)})
        if problems:
            raise FileProblem(" ".join(problems))

    def before_import_row(self, row, **kwargs):
        self._rows_read += 1
        self._meta.skip_diff = self._rows_read >= PREVIEW_ROWS

    def import_instance(self, instance, row, **kwargs):
        """Every cell of the row into `instance`, each problem an error of its column (the
        lists too, kept for save_m2m); never an exception that is not a ValidationError."""
        errors = {}
        instance._spreadsheet_m2m = {}
        for field in self.get_import_fields():
            if not field.attribute or field.readonly or field.column_name not in row:
                continue
            try:
                if getattr(field.widget, "many", False):
                    instance._spreadsheet_m2m[field.attribute] = field.clean(row, **kwargs)
                else:
                    self.import_field(field, instance, row, **kwargs)
            except ValidationError as error:
                errors[field.attribute] = error.messages
            except (ValueError, TypeError, ArithmeticError) as error:
                errors[field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own rules (lengths, single lines, required fields, its clean()). What
        the widgets found is not checked again (relations, countries and choices they read
        against the lists themselves), and the constraints are left to the database, which
        refuses the row when it is written (the whole file is then rolled back)."""
        errors = dict(import_validation_errors or {})
        exclude = set(errors) | set(self.unchecked_fields(instance))
        for field in self.get_import_fields():
            checked = getattr(field.widget, "validates", False) and not getattr(field.widget, "many", False)
            if checked and field.attribute and getattr(instance, field.attribute, None):
                exclude.add(field.attribute)
        exclude |= {
            field.name
            for field in instance._meta.concrete_fields
            if field.is_relation and getattr(instance, field.attname) is not None
        }
        try:
            instance.full_clean(exclude=exclude, validate_unique=validate_unique, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def unchecked_fields(self, instance) -> list[str]:
        """Fields full_clean must leave alone (filled when the row is saved)."""
        return []

    def after_import(self, dataset, result, **kwargs):
        """Not ModelResource's: it sets the table's id sequence to the highest id, which is
        for files that give ids (ours never do) and would move it back under the rows that
        members' requests are inserting meanwhile."""

    def save_m2m(self, instance, row, **kwargs):
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return
        for attribute, values in getattr(instance, "_spreadsheet_m2m", {}).items():
            getattr(instance, attribute).set(values)

    # --- Export ---

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return [neutralise(value) for value in super().export_resource(instance, selected_fields, **kwargs)]
