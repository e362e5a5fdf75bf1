"""Staff run a call here: its texts and translations, rules, questions, weighted criteria
and jury; then its applications, moved between the call's stages by the actions (each
through services.application_move), and the results published once."""

import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import StakeholderType
from advisors.models import Criterion
from common.translated import i18n_columns
from common.translation_admin import TranslatedAdmin, TranslatedStackedInline, TranslatedTabularInline

from . import permissions, services
from .models import (
    Application,
    ApplicationStatus,
    ApplicationTransition,
    Call,
    CallCriterion,
    CallQuestion,
    QuestionKind,
    Stage,
)

S = ApplicationStatus


# --- Calls ----------------------------------------------------------------------------------


class CallStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("open", _("Open")),
            ("upcoming", _("Upcoming")),
            ("closed", _("Closed")),
            ("draft", _("Not published")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "open":
            return queryset.filter(pk__in=Call.objects.open_at(now))
        if self.value() == "upcoming":
            return queryset.filter(pk__in=Call.objects.upcoming_at(now))
        if self.value() == "closed":
            return queryset.filter(pk__in=Call.objects.closed_at(now))
        if self.value() == "draft":
            return queryset.filter(is_published=False)
        return queryset


class CallAdminForm(forms.ModelForm):
    """Who may apply and the stages, both JSON lists in the model, as checkboxes."""

    stakeholder_types = forms.MultipleChoiceField(
        label=_("who may apply"),
        choices=StakeholderType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Stakeholder types; none chosen: every member."),
    )
    stages = forms.MultipleChoiceField(
        label=_("stages"),
        choices=Stage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The stages this call uses, from eligibility to results."),
    )

    class Meta:
        model = Call
        fields = ["stakeholder_types", "stages"]  # the admin adds its fieldsets' fields

    def clean_stakeholder_types(self):
        chosen = set(self.cleaned_data["stakeholder_types"])
        return [value for value in StakeholderType.values if value in chosen]

    def clean_stages(self):
        chosen = set(self.cleaned_data["stages"])
        return [value for value in Stage.values if value in chosen]  # always in the stages' order


class CallCriterionFormSet(BaseInlineFormSet):
    """A call's weights add up to exactly 100. A new call may be saved with none: it then
    starts with a copy of the advisory group's criteria (CallAdmin.save_related)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        weights = [
            form.cleaned_data.get("weight") or 0
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not weights and self.instance.pk is None:
            return
        total = sum(weights)
        if total != 100:
            raise ValidationError(
                gettext("The weights of the criteria must add up to exactly 100 %%; they add up to %(total)d %%.")
                % {"total": total},
                code="weights",
            )


class CallCriterionInline(TranslatedTabularInline):
    model = CallCriterion
    formset = CallCriterionFormSet
    extra = 0
    fields = ["order", "name", "weight", "guidance", "name_i18n"]


class CallQuestionInline(TranslatedStackedInline):
    model = CallQuestion
    extra = 0
    fields = [("order", "kind", "required"), "text", "choices", "text_i18n"]


@admin.register(Call)
class CallAdmin(TranslatedAdmin):
    form = CallAdminForm
    list_display = ["title", "state", "opens_at", "closes_at", "submitted_applications", "draft_applications"]
    list_filter = [CallStateFilter, "is_published", "sectors", "sdgs"]
    search_fields = ["title", "theme", *i18n_columns("title")[1:]]
    date_hierarchy = "closes_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["sectors", "sdgs", "jury"]
    inlines = [CallCriterionInline, CallQuestionInline]
    readonly_fields = ["results_published_at", "created_at", "updated_at"]
    actions = ["publish_results"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "theme", "description", "focus", "is_published"]}),
        (_("Dates"), {"description": _("Dates and times are in the call's time zone."), "fields": [
            ("opens_at", "closes_at"), "time_zone",
        ]}),
        (_("Who may apply"), {"fields": ["stakeholder_types", "countries", "eligibility_rules"]}),
        (_("Topics"), {"fields": ["sectors", "sdgs"]}),
        (_("Stages and jury"), {"fields": ["stages", "jury", "reviews_per_application", "results_published_at"]}),
        (_("Translations"), {"fields": [
            "original_language", "title_i18n", "theme_i18n", "description_i18n", "focus_i18n",
            "eligibility_rules_i18n",
        ]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]  # fmt: skip

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Dates and times on this page are in the call's time zone (as the public pages say them)."""
        zone = request.POST.get("time_zone")
        if zone not in zoneinfo.available_timezones():
            call = self.get_object(request, object_id) if object_id else None
            zone = call.time_zone if call else Call._meta.get_field("time_zone").default
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # inside the time zone: the form's values are formatted now
            return response

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                submitted_count=Count("applications", filter=~Q(applications__status=S.DRAFT)),
                draft_count=Count("applications", filter=Q(applications__status=S.DRAFT)),
            )
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "jury":
            # The advisers are named by their member's name: one query for all.
            kwargs["queryset"] = db_field.remote_field.model.objects.select_related("user")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("state"))
    def state(self, obj):
        now = timezone.now()
        if not obj.is_published:
            return _("Not published")
        if obj.opens_at > now:
            return _("Upcoming")
        if obj.closes_at > now:
            return _("Open")
        if obj.results_published_at:
            return _("Closed, results published")
        return _("Closed")

    @admin.display(description=_("applications"), ordering="submitted_count")
    def submitted_applications(self, obj):
        return obj.submitted_count

    @admin.display(description=_("drafts"), ordering="draft_count")
    def draft_applications(self, obj):
        return obj.draft_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        call = form.instance
        if not change and not call.criteria.exists():
            # A new call starts with the advisory group's criteria; staff adapt them after.
            CallCriterion.objects.bulk_create(
                CallCriterion(
                    call=call,
                    name=criterion.name,
                    guidance=criterion.guidance,
                    weight=criterion.weight,
                    order=criterion.order,
                )
                for criterion in Criterion.objects.active()
                if criterion.weight > 0  # a call's criterion weighs at least 1 %
            )

    def has_publish_permission(self, request):
        return permissions.can_move_applications(request.user)

    @admin.action(description=_("Publish the results"), permissions=["publish"])
    def publish_results(self, request, queryset):
        for call in queryset:
            try:
                with transaction.atomic():
                    sent = services.call_publish_results(call=call, by=request.user)
            except (PermissionDenied, ValidationError) as error:
                text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{call}: {text}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Results of “%(call)s” published: %(count)d applicant is told their outcome.",
                        "Results of “%(call)s” published: %(count)d applicants are told their outcome.",
                        sent,
                    )
                    % {"call": call, "count": sent},
                    messages.SUCCESS,
                )


# --- Applications -----------------------------------------------------------------------------


class ApplicationActionForm(ActionForm):
    """The admin's action bar, with the reason the applicant reads (required to mark an
    application not eligible)."""

    reason = forms.CharField(
        label=_("Reason for the applicant"), required=False, widget=forms.TextInput(attrs={"size": 60})
    )


class ApplicationTransitionInline(admin.TabularInline):
    model = ApplicationTransition
    extra = 0
    fields = ["at", "from_status", "to_status", "by", "message"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("History")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    def has_add_permission(self, request, obj=None):
        return False


def _move(modeladmin, request, queryset, to: str) -> None:
    """Move each selected application to `to` through the service, each in its own
    transaction; say how many moved, and which were refused and why."""
    reason = request.POST.get("reason", "")
    moved, refused = 0, []
    for application in queryset.select_related("call", "technology", "applicant"):
        try:
            with transaction.atomic():
                services.application_move(application=application, to=to, by=request.user, reason=reason)
        except (PermissionDenied, ValidationError) as error:
            text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            refused.append(f"{application}: {text}")
        else:
            moved += 1
    label = S(to).label
    if moved:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d application moved to “%(status)s”.",
                "%(count)d applications moved to “%(status)s”.",
                moved,
            )
            % {"count": moved, "status": label},
            messages.SUCCESS,
        )
    if refused:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d application was not moved to “%(status)s”:",
                "%(count)d applications were not moved to “%(status)s”:",
                len(refused),
            )
            % {"count": len(refused), "status": label},
            messages.ERROR,
        )
        for line in refused:
            modeladmin.message_user(request, line, messages.ERROR)


def _move_action(to: str, description):
    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        _move(modeladmin, request, queryset, to)

    action.__name__ = f"to_{to}"
    return action


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["technology", "applicant", "call", "status", "country", "sector", "submitted_at"]
    list_select_related = ["technology__sector", "applicant", "call"]
    list_filter = ["call", "status", "applicant__country", "technology__sector"]
    search_fields = ["technology__title", "applicant__name", "applicant__email"]
    date_hierarchy = "submitted_at"
    fields = [
        "call", "technology", "applicant", "status", "submitted_at", "answers_list", "decision_reason",
        "created_at", "updated_at",
    ]  # fmt: skip
    # Moves go through the actions (the stages' rules, the history, the emails); the
    # answers are the applicant's own.
    readonly_fields = fields
    inlines = [ApplicationTransitionInline]
    action_form = ApplicationActionForm
    actions = [
        _move_action(S.ELIGIBLE, _("Move to: eligible")),
        _move_action(S.INELIGIBLE, _("Move to: not eligible (with the reason)")),
        _move_action(S.SHORTLISTED, _("Move to: shortlisted")),
        _move_action(S.NOT_SHORTLISTED, _("Move to: not shortlisted")),
        _move_action(S.JURY_REVIEW, _("Move to: jury review")),
        _move_action(S.WINNER, _("Result: winner")),
        _move_action(S.FINALIST, _("Result: finalist")),
        _move_action(S.NOT_SELECTED, _("Result: not selected")),
    ]

    def has_add_permission(self, request):
        return False  # members apply on the site

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("call", "technology__sector", "applicant")

    @admin.display(description=_("country"), ordering="applicant__country")
    def country(self, obj):
        return obj.applicant.country.name if obj.applicant.country else "—"

    @admin.display(description=_("sector"), ordering="technology__sector__name")
    def sector(self, obj):
        return obj.technology.sector or "—"

    @admin.display(description=_("answers"))
    def answers_list(self, obj):
        answers = obj.answers or {}
        rows = []
        for question in obj.call.questions.all():
            value = answers.get(str(question.pk), "")
            if question.kind == QuestionKind.YES_NO and value in ("yes", "no"):
                value = gettext("Yes") if value == "yes" else gettext("No")
            rows.append((question.text, linebreaksbr(value) if value else "—"))
        if not rows:
            return "—"
        return format_html(
            '<dl class="application-answers">{}</dl>',
            format_html_join("", "<dt><strong>{}</strong></dt><dd>{}</dd>", rows),
        )
