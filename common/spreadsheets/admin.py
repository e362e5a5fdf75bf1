"""The admin side: import and export buttons, permissions, the preview and the file waiting in the shared cache."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm
from import_export.tmp_storages import CacheStorage

from common.spreadsheets import permissions
from common.spreadsheets._constants import PREVIEW_ROWS

# --- The admin ----------------------------------------------------------------------------


def error_summary(result, limit: int = 10) -> str:
    """The first problems of an import, one per line: "Row 3, country: Unknown country: Atlantis"."""
    lines = [str(error.error) for error in result.base_errors]
    for row in result.invalid_rows:
        for column, problems in row.error_dict.items():
            for problem in problems:
                lines.append(
                    gettext("Row %(row)s, %(column)s: %(problem)s")
                    % {"row": row.number, "column": column, "problem": problem}
                )
    for number, errors in result.row_errors():
        lines += [gettext("Row %(row)s: %(problem)s") % {"row": number, "problem": error.error} for error in errors]
    more = len(lines) - limit
    shown = "; ".join(lines[:limit])
    return shown + (" " + gettext("(and %(count)d more)") % {"count": more} if more > 0 else "")


class SpreadsheetAdmin(ImportExportMixin):
    """The admin's Import and Export buttons for a model, in CSV and XLSX (put it first in the
    bases). Import needs the add permission of the model, export its view permission."""

    # CSV and XLSX only, whatever IMPORT_FORMATS or EXPORT_FORMATS say (their order is the
    # form's: 0 for CSV, 1 for XLSX).
    formats = import_formats = export_formats = [CSV, XLSX]
    tmp_storage_class = CacheStorage
    export_form_class = ExportForm  # the same columns as the import, not a choice of them
    to_encoding = "utf-8-sig"  # spreadsheet programs read a CSV file as UTF-8 with the mark
    import_error_display = ("message",)

    def is_skip_import_confirm_enabled(self):
        return False  # always the preview first, whatever IMPORT_EXPORT_SKIP_ADMIN_CONFIRM says

    def has_import_permission(self, request):
        return permissions.may(request.user, "add", self.model)

    def has_export_permission(self, request):
        return permissions.may(request.user, "view", self.model) or permissions.may(request.user, "change", self.model)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error(
            "import_file",
            gettext(
                "This file could not be read in the format chosen. Save it as XLSX, or as CSV UTF-8, and try again."
            ),
        )

    def import_action(self, request, **kwargs):
        """The preview, with what the confirmation will do (and how many rows it shows)."""
        response = super().import_action(request, **kwargs)
        result = (getattr(response, "context_data", None) or {}).get("result")
        if result is not None and not result.has_errors() and not result.has_validation_errors():
            totals = result.totals
            text = gettext(
                "Rows checked: %(rows)d. To add: %(new)d; to update: %(update)d; already there: %(skip)d. "
                "Nothing is written until you confirm."
            ) % {"rows": result.total_rows, "new": totals["new"], "update": totals["update"], "skip": totals["skip"]}
            if len(result.rows) > PREVIEW_ROWS:
                text += " " + gettext("The preview shows the first %(count)d.") % {"count": PREVIEW_ROWS}
            messages.info(request, text)
        return response

    def _back_to_import(self, request, message: str):
        messages.error(request, message)
        app_label, model_name = self.get_model_info()
        url = reverse(f"admin:{app_label}_{model_name}_import", current_app=self.admin_site.name)
        return HttpResponseRedirect(url)

    def process_import(self, request, **kwargs):
        """The confirmation: an upload that is no longer waiting (or a form that was not
        ours) sends back to the import page with a message, never to an error page."""
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_confirm_form(request)
            if form.is_valid():
                data = form.cleaned_data
                storage = self.get_tmp_storage_class()(name=data["import_file_name"])
                valid_choices = (
                    data["format"].isdigit()
                    and int(data["format"]) < len(self.get_import_formats())
                    and (data["resource"] or "0").isdigit()
                    and int(data["resource"] or 0) < len(self.get_import_resource_classes(request))
                )
                if not valid_choices or storage.read() is None:
                    return self._back_to_import(request, gettext("The file is no longer waiting: import it again."))
        return super().process_import(request, **kwargs)

    def process_result(self, result, request):
        """A confirmed import that failed after all (the data changed since the preview)
        wrote nothing: say so, with its errors, instead of counting rows."""
        if result.has_errors() or result.has_validation_errors():
            return self._back_to_import(
                request, gettext("Nothing was imported. %(errors)s") % {"errors": error_summary(result)}
            )
        return super().process_result(result, request)
