from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from common.audit import AuditTrailAdmin
from common.search import SiteSearchAdminMixin
from common.translated import i18n_columns
from common.translation_admin import TranslatedAdmin
from technologies.admin import TechnologyTransitionInline, WorkflowActionForm, run_action
from technologies.models import Need, NeedTransition

from . import selectors, services


class NeedTransitionInline(TechnologyTransitionInline):
    model = NeedTransition


@admin.register(Need)
class NeedAdmin(AuditTrailAdmin, SiteSearchAdminMixin, TranslatedAdmin):
    list_display = ["title", "status", "sector", "country", "trl_min", "organisation", "owner", "valid_until"]
    list_select_related = ["sector", "organisation", "owner"]
    list_filter = ["status", "sector", "sdgs", "trl_min", "country", "cooperation"]
    search_fields = [
        "title",
        "problem",
        "organisation__name",
        "owner__email",
        "owner__name",
        *i18n_columns("title")[1:],
    ]
    site_search = staticmethod(selectors.need_search)
    date_hierarchy = "created_at"
    readonly_fields = ["slug", "status", "owner", "created_at", "updated_at", "submitted_at", "published_at"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["sdgs", "cooperation"]
    inlines = [NeedTransitionInline]
    action_form = WorkflowActionForm
    actions = ["publish", "return_to_owner"]

    def has_add_permission(self, request):
        return False  # members post needs on the site, staff publish them

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.needs_update_search_vector(queryset=Need.objects.filter(pk=form.instance.pk))

    @admin.action(description=_("Publish"), permissions=["change"])
    def publish(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            services.need_publish,
            ngettext_lazy("%(count)d need published.", "%(count)d needs published.", "count"),
            argument="need",
            message=request.POST.get("message", ""),
        )

    @admin.action(description=_("Return to the owner (with the message)"), permissions=["change"])
    def return_to_owner(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            services.need_return,
            ngettext_lazy(
                "%(count)d need returned to its owner.", "%(count)d needs returned to their owners.", "count"
            ),
            argument="need",
            message=request.POST.get("message", ""),
        )
