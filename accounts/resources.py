"""Organisations in spreadsheets (the admin's Import and Export, common/spreadsheets/), and
the widgets other apps' spreadsheets use to name a member or an organisation.

An organisation is known by its name, whatever its case ("SJTU" and "sjtu" are one): a row
whose name exists updates that organisation's country and website (which needs the change
permission) and never renames it; a new name adds one. Members are never imported or
exported here: their email addresses are personal data.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from common.spreadsheets.cells import cell_text
from common.spreadsheets.resources import SpreadsheetResource
from common.spreadsheets.widgets import TextWidget, Widget

from .models import Organisation, User


def organisation_name(value) -> str:
    """A name as the portal keeps it: single spaces (accounts.services.organisation_get_or_create)."""
    return " ".join(cell_text(value).split())


class MemberByEmailWidget(Widget):
    """An active member, by email address (any case); exported as the address."""

    def __init__(self, **kwargs):
        super().__init__()
        self.found: dict[str, User | None] = {}

    def clean(self, value, row=None, **kwargs):
        email = cell_text(value).lower()
        if not email:
            return None
        if email not in self.found:
            self.found[email] = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.found[email] is None:
            raise ValueError(gettext("No active member has the email address %(email)s.") % {"email": email})
        return self.found[email]

    def render(self, value, obj=None, **kwargs):
        return value.email if value is not None else ""


class OrganisationByNameWidget(Widget):
    """An organisation that exists, by name (any case); exported as its name."""

    def __init__(self, **kwargs):
        super().__init__()
        self.found: dict[str, Organisation | None] = {}

    def clean(self, value, row=None, **kwargs):
        name = organisation_name(value)
        if not name:
            return None
        key = name.casefold()
        if key not in self.found:
            self.found[key] = Organisation.objects.filter(name__iexact=name).first()
        if self.found[key] is None:
            raise ValueError(
                gettext("No organisation is called %(name)s: import or add it first (Members, Organisations).")
                % {"name": name}
            )
        return self.found[key]

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class OrganisationNameWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return organisation_name(value)


class OrganisationResource(SpreadsheetResource):
    """name, country (code or name in any language), website."""

    name = Field(attribute="name", column_name="name", widget=OrganisationNameWidget())
    required_columns = ("name",)

    class Meta(SpreadsheetResource.Meta):
        model = Organisation
        name = _("organisations")
        fields = ("name", "country", "website")

    def get_instance(self, instance_loader, row):
        name = organisation_name(row.get("name"))
        return Organisation.objects.filter(name__iexact=name).first() if name else None

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new and not self.has_permission("change"):
            raise ValidationError(
                gettext("%(name)s exists already: updating it needs the permission to change organisations.")
                % {"name": instance.name}
            )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "name" and instance.pk:
            return  # matched by its name in any case: kept as it is written (no rename)
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def get_queryset(self):
        return Organisation.objects.order_by("name")
