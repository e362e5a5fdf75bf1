from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from common.audit import AuditTrailAdmin
from common.files import FilesFollowRowsAdmin
from common.search import SiteSearchAdminMixin
from common.spreadsheets.admin import SpreadsheetAdmin
from common.translated import i18n_columns
from common.translation_admin import TranslatedAdmin

from . import selectors, services
from .models import Inquiry, Technology, TechnologyImage, TechnologyTransition
from .resources import TechnologyResource


class WorkflowActionForm(ActionForm):
    """The admin's action bar, with a message for the owner (required to request
    changes or to reject)."""

    message = forms.CharField(
        label=_("Message to the owner"), required=False, widget=forms.TextInput(attrs={"size": 60})
    )


class TechnologyImageInline(admin.TabularInline):
    model = TechnologyImage
    extra = 0
    fields = ["picture", "alt_text", "order", "width", "height"]
    readonly_fields = ["picture", "width", "height"]

    @admin.display(description=_("image"))
    def picture(self, obj):
        # Through the view that checks visibility: the files have no public URL.
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open"))

    def has_add_permission(self, request, obj=None):
        return False  # images are uploaded by owners, through the checks of the form


class TechnologyTransitionInline(admin.TabularInline):
    model = TechnologyTransition
    extra = 0
    fields = ["at", "from_status", "to_status", "by", "message"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("History")

    def has_add_permission(self, request, obj=None):
        return False


def run_action(modeladmin, request, queryset, service, done, *, argument="technology", related=("owner",), **kwargs):
    """Apply a service to each selected row, each in its own transaction."""
    done_count = 0
    for obj in queryset.select_related(*related):
        try:
            with transaction.atomic():
                service(**{argument: obj}, by=request.user, **kwargs)
        except (PermissionDenied, ValidationError) as error:
            text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            modeladmin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            done_count += 1
    if done_count:
        modeladmin.message_user(request, done % {"count": done_count}, messages.SUCCESS)


@admin.register(Technology)
class TechnologyAdmin(AuditTrailAdmin, SpreadsheetAdmin, SiteSearchAdminMixin, FilesFollowRowsAdmin, TranslatedAdmin):
    # Import (drafts only, through the services) and export as spreadsheets: technologies/resources.py.
    resource_classes = [TechnologyResource]
    list_display = [
        "title",
        "status",
        "nag_evaluated",
        "sector",
        "trl",
        "country_developed",
        "organisation",
        "owner",
        "submitted_at",
        "published_at",
    ]
    list_select_related = ["sector", "organisation", "owner"]
    list_filter = ["status", "nag_evaluated", "sector", "sdgs", "trl", "ip_status", "country_developed", "cooperation"]
    # With the titles of every translation: staff find a listing by its English title on
    # SQLite too (on PostgreSQL the site's search adds every word of every language).
    search_fields = [
        "title",
        "summary",
        "organisation__name",
        "owner__email",
        "owner__name",
        *i18n_columns("title")[1:],
    ]
    site_search = staticmethod(selectors.technology_search)
    date_hierarchy = "created_at"
    readonly_fields = [
        "slug",
        "status",
        # Set only by a decision (the action "Publish as NAG-evaluated" or the advisory
        # group's page), where the review's rules are kept: never by editing the form.
        "nag_evaluated",
        "owner",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
        "expiry_reminder_sent_at",
        "brochure_link",
    ]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["sdgs", "cooperation"]
    inlines = [TechnologyImageInline, TechnologyTransitionInline]
    action_form = WorkflowActionForm
    actions = ["screen", "publish", "publish_nag", "request_changes", "reject"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "nag_evaluated", "owner", "organisation"]}),
        (_("Listing"), {"fields": [
            "summary", "description", "advantages", "sector", "sdgs", "trl", "ip_status",
            "country_developed", "countries_deployed", "cooperation", "brochure_link",
        ]}),
        (_("Translations"), {"fields": [
            "original_language", "title_i18n", "summary_i18n", "description_i18n", "advantages_i18n",
        ]}),
        (_("Dates"), {"fields": [
            "created_at", "updated_at", "submitted_at", "published_at", "valid_until", "expiry_reminder_sent_at",
        ]}),
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False  # innovators list technologies on the site, staff move them forward here

    @admin.display(description=_("brochure (PDF)"))
    def brochure_link(self, obj):
        if not obj.brochure:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("technologies:brochure", args=[obj.slug]), _("Download"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Staff corrections must be searchable like the owner's own edits.
        services.technologies_update_search_vector(queryset=Technology.objects.filter(pk=form.instance.pk))

    @admin.action(description=_("Screen into review"), permissions=["change"])
    def screen(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            services.technology_screen,
            ngettext_lazy("%(count)d listing moved into review.", "%(count)d listings moved into review.", "count"),
        )

    @admin.action(description=_("Publish"), permissions=["change"])
    def publish(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            services.technology_publish,
            ngettext_lazy("%(count)d listing published.", "%(count)d listings published.", "count"),
            message=request.POST.get("message", ""),
        )

    @admin.action(description=_("Publish as NAG-evaluated"), permissions=["change"])
    def publish_nag(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            services.technology_publish,
            ngettext_lazy(
                "%(count)d listing published as NAG-evaluated.",
                "%(count)d listings published as NAG-evaluated.",
                "count",
            ),
            nag_evaluated=True,
            message=request.POST.get("message", ""),
        )

    @admin.action(description=_("Request changes (with the message)"), permissions=["change"])
    def request_changes(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            services.technology_request_changes,
            ngettext_lazy(
                "%(count)d listing returned for changes.", "%(count)d listings returned for changes.", "count"
            ),
            message=request.POST.get("message", ""),
        )

    @admin.action(description=_("Reject (with the message)"), permissions=["change"])
    def reject(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            services.technology_reject,
            ngettext_lazy("%(count)d listing rejected.", "%(count)d listings rejected.", "count"),
            message=request.POST.get("message", ""),
        )


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = [
        "technology",
        "need",
        "sender",
        "organisation_name",
        "cooperation",
        "created_at",
        "outcome",
        "agreement_type",
        "agreement_confirmed_at",
        "success_story",
    ]
    list_select_related = ["technology", "need", "sender", "cooperation", "agreement_type"]
    list_filter = [
        "outcome", "agreement_type", "decline_reason", "success_story", "feature_consent", "partner_consent",
        "created_at",
    ]  # fmt: skip
    search_fields = ["technology__title", "need__title", "sender__email", "sender__name", "organisation_name"]
    date_hierarchy = "created_at"
    actions = ["confirm_agreement", "feature_story", "unfeature_story"]
    fields = [
        "technology", "need", "sender", "cooperation", "organisation_name", "message", "created_at",
        "outcome", "agreement_type", "decline_reason", "outcome_note", "outcome_at", "discussed_at", "agreed_at",
        "feature_consent", "partner_consent", "story", "agreement_confirmed_at", "agreement_confirmed_by",
        "success_story",
    ]  # fmt: skip
    # The outcome is the recipient's to record and the confirmation goes through the
    # actions (which check consent): the change form only shows. Staff may edit the
    # story's wording before featuring it.
    readonly_fields = [name for name in fields if name != "story"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Confirm the agreement"), permissions=["change"])
    def confirm_agreement(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            services.inquiry_confirm_agreement,
            ngettext_lazy("%(count)d agreement confirmed.", "%(count)d agreements confirmed.", "count"),
            argument="inquiry",
            related=(),
        )

    @admin.action(description=_("Confirm and feature as a success story"), permissions=["change"])
    def feature_story(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            services.inquiry_confirm_agreement,
            ngettext_lazy(
                "%(count)d success story featured on the home page.",
                "%(count)d success stories featured on the home page.",
                "count",
            ),
            argument="inquiry",
            related=(),
            success_story=True,
        )

    @admin.action(description=_("Stop featuring as a success story"), permissions=["change"])
    def unfeature_story(self, request, queryset):
        updated = queryset.update(success_story=False)
        self.message_user(
            request,
            ngettext_lazy(
                "%(count)d success story no longer featured.", "%(count)d success stories no longer featured.", "count"
            )
            % {"count": updated},
        )
