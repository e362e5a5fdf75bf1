"""Listings in spreadsheets: the admin's Import and Export (common/spreadsheets/; the
columns for staff in docs/IMPORT.md).

Import creates drafts, never anything else: each row becomes a new listing through
`services.technology_create` (its address from the title, its search index), owned
by the active member its `owner_email` names, of the organisation its `organisation` names
(one that exists) or else of the owner's. A file may not set a status, the NAG-evaluated
mark or anything of the workflow: such columns refuse the file. The preview checks every
row without writing; the confirmation writes them all, or none.

Export: the listings the admin's list shows (its filters and search), whatever their
status, in the same columns; the owner's email address only for staff who may change
listings (personal data): for those who may only view them, the column is left out.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from accounts.resources import MemberByEmailWidget, OrganisationByNameWidget
from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from common.spreadsheets.resources import SpreadsheetResource
from common.spreadsheets.widgets import GoalsWidget, NamedListWidget, NamedWidget
from common.translated import i18n_field_name

from . import services
from .models import Technology

TEXTS = ("title", "summary", "description", "advantages")
# Their translations: title_i18n_fr, summary_i18n_zh_hans...
TRANSLATIONS = tuple(i18n_field_name(text, language) for text in TEXTS for language, _name in settings.LANGUAGES)
# What a row gives the service (besides the owner and the lists).
CONTENT_FIELDS = (
    *TEXTS,
    "original_language",
    *TRANSLATIONS,
    "sector",
    "trl",
    "ip_status",
    "country_developed",
    "countries_deployed",
)
WORKFLOW_COLUMNS = ("status", "nag_evaluated", "submitted_at", "published_at", "valid_until", "slug", "id", "owner")


class TechnologyResource(SpreadsheetResource):
    owner = Field(attribute="owner", column_name="owner_email", widget=MemberByEmailWidget())
    organisation = Field(attribute="organisation", column_name="organisation", widget=OrganisationByNameWidget())
    sector = Field(
        attribute="sector", column_name="sector", widget=NamedWidget(Sector, _("Unknown sector: %(value)s"))
    )
    sdgs = Field(attribute="sdgs", column_name="sdgs", widget=GoalsWidget(SustainableDevelopmentGoal))
    cooperation = Field(
        attribute="cooperation",
        column_name="cooperation",
        widget=NamedListWidget(CooperationType, _("Unknown cooperation type: %(value)s")),
    )

    required_columns = ("title", "owner_email")
    max_rows = 1_000  # each written through the service, about 12 ms a row with the checks
    forbidden_columns = dict.fromkeys(
        WORKFLOW_COLUMNS,
        _(
            "Imported listings are always drafts of the owner named by owner_email: remove the columns of "
            "the workflow (status, nag_evaluated, dates, slug, id, owner)."
        ),
    )

    class Meta(SpreadsheetResource.Meta):
        model = Technology
        name = _("technologies")
        force_init_instance = True  # every row is a new draft
        fields = (
            "title",
            "summary",
            "description",
            "advantages",
            "original_language",
            "sector",
            "sdgs",
            "trl",
            "ip_status",
            "country_developed",
            "countries_deployed",
            "cooperation",
            "owner",
            "organisation",
            *TRANSLATIONS,
        )

    def unchecked_fields(self, instance) -> list[str]:
        return ["slug"]  # given by the service, from the title

    def save_instance(self, instance, is_create, row, **kwargs):
        """Create the draft through the service (which refreshes its search index), with the
        organisation the row names; the preview writes nothing."""
        if self._is_dry_run(kwargs):
            return
        lists = instance._spreadsheet_m2m
        technology = services.technology_create(
            owner=instance.owner,
            fields={name: getattr(instance, name) for name in CONTENT_FIELDS},
            sdgs=lists.get("sdgs", ()),
            cooperation=lists.get("cooperation", ()),
        )
        if instance.organisation_id and instance.organisation_id != technology.organisation_id:
            technology.organisation = instance.organisation
            technology.save(update_fields=["organisation", "updated_at"])
            services.technologies_update_search_vector(queryset=Technology.objects.filter(pk=technology.pk))
        instance.pk, instance.slug, instance.organisation = technology.pk, technology.slug, technology.organisation
        instance._state.adding = False

    def save_m2m(self, instance, row, **kwargs):
        pass  # the service set the lists

    # --- Export ---

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("owner", "organisation", "sector").prefetch_related("sdgs", "cooperation")

    def get_export_fields(self, selected_fields=None):
        fields = super().get_export_fields(selected_fields)
        if not self.has_permission("change"):
            fields = [field for field in fields if field.column_name != "owner_email"]
        return fields
