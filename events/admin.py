import csv
import zoneinfo
from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from common.audit import AuditTrailAdmin
from common.exports import csv_safe
from common.files import FilesFollowRowsAdmin
from common.spreadsheets.admin import SpreadsheetAdmin
from common.text import validate_single_line
from common.translated import i18n_columns
from common.translation_admin import TranslatedAdmin, TranslatedStackedInline, TranslatedTabularInline

from . import letters, services
from .models import (
    AgendaItem,
    Event,
    Invitation,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
    Speaker,
    VisaLetterRequest,
    VisaLetterStatus,
)
from .resources import AgendaItemResource, EventResource


class UpcomingFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.filter(ends_at__gte=timezone.now())
        if self.value() == "past":
            return queryset.filter(ends_at__lt=timezone.now())
        return queryset


class SpeakerInline(TranslatedStackedInline):
    model = Speaker
    extra = 0
    fields = [
        ("name", "title"),
        ("affiliation", "adviser"),
        "photo",
        "biography",
        "order",
        "title_i18n",
        "biography_i18n",
    ]
    autocomplete_fields = ["adviser"]


class AgendaItemInline(TranslatedTabularInline):
    model = AgendaItem
    extra = 0
    fields = ["starts_at", "title", "description", "speakers", "title_i18n", "description_i18n"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "speakers":
            # Only this event's speakers (saved ones; add speakers, save, then link them).
            object_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Speaker.objects.filter(event_id=object_id) if object_id else Speaker.objects.none()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RegistrationQuestionInline(TranslatedStackedInline):
    """The questions people answer when they register (dietary needs, access needs…)."""

    model = RegistrationQuestion
    extra = 0
    fields = [("text", "kind"), "choices", ("required", "order"), "text_i18n", "choices_i18n"]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    can_delete = False
    fields = ["user", "status", "queued_at", "created_at"]
    readonly_fields = fields
    ordering = ["status", "queued_at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False


class EmailRegistrantsForm(forms.Form):
    statuses = forms.MultipleChoiceField(
        label=_("To the registrants who are"), choices=RegistrationStatus.choices, widget=forms.CheckboxSelectMultiple,
        initial=[RegistrationStatus.REGISTERED],
    )  # fmt: skip
    subject = forms.CharField(label=_("Subject"), max_length=150, validators=[validate_single_line])
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8, "cols": 80}))


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"), widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        help_text=_("One per line, or separated by commas. Members and people without an account alike."),
    )  # fmt: skip

    def clean_emails(self):
        field = forms.EmailField()
        raw = self.cleaned_data["emails"].replace(",", "\n").split()
        return [field.clean(address) for address in raw if address]


@admin.register(Event)
class EventAdmin(AuditTrailAdmin, SpreadsheetAdmin, FilesFollowRowsAdmin, TranslatedAdmin):
    # Import and export of events and of their agenda as spreadsheets: events/resources.py.
    resource_classes = [EventResource, AgendaItemResource]
    list_display = ["title", "kind", "starts_at", "city", "registration_mode", "is_published", "registered", "waiting"]
    list_filter = ["kind", UpcomingFilter, "registration_mode", "is_published"]
    # The translations too: staff find an event by its Chinese or Arabic title.
    search_fields = ["title", "summary", "city", "venue", *i18n_columns("title", "summary")[1:]]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["sectors", "sdgs"]
    inlines = [SpeakerInline, AgendaItemInline, RegistrationQuestionInline, RegistrationInline]
    actions = ["export_registrants", "email_registrants", "invite", "duplicate"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "summary", "description", "cover_image", "is_published"]}),
        (_("When and where"), {"description": _("Dates and times are in the event's time zone."), "fields": [
            ("starts_at", "ends_at"), "time_zone", ("venue", "city", "country"), "online_url",
        ]}),
        (_("Registration"), {"fields": [
            "registration_mode", "capacity", ("registration_opens_at", "registration_closes_at"), "offers_visa_letter",
            "registrations_link",
        ]}),
        (_("Topics"), {"fields": ["sectors", "sdgs"]}),
        (_("Translations"), {"fields": ["original_language", "title_i18n", "summary_i18n", "description_i18n"]}),
    ]  # fmt: skip
    readonly_fields = ["registrations_link"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a typed "meet.example.org" is https

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Dates and times on this page (event, window, agenda) are in the event's time zone."""
        zone = request.POST.get("time_zone")
        if zone not in zoneinfo.available_timezones():
            event = self.get_object(request, object_id) if object_id else None
            zone = event.time_zone if event else settings.TIME_ZONE
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # inside the time zone: the form's values are formatted now
            return response

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A raised capacity gives places to the waiting list first.
        services.event_fill_places(event=form.instance)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                registered_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)),
                waiting_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
            )
        )

    @admin.display(description=_("registered"), ordering="registered_count")
    def registered(self, obj):
        return f"{obj.registered_count} / {obj.capacity}" if obj.capacity else obj.registered_count

    @admin.display(description=_("waiting"), ordering="waiting_count")
    def waiting(self, obj):
        return obj.waiting_count

    @admin.display(description=_("manage registrations"))
    def registrations_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:events_registration_changelist") + f"?event__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Approve, decline or move registrations"))

    def has_export_registrants_permission(self, request):
        """The registrants' names, emails and organisations leave the site: only for staff who
        manage registrations (change_registration), not for those who may only view events.
        (The Export button of the events themselves, which has no personal data, needs the
        view permission: common.spreadsheets.admin.SpreadsheetAdmin.has_export_permission.)"""
        return request.user.has_perm("events.change_registration")

    @admin.action(description=_("Export registrants as CSV"), permissions=["export_registrants"])
    def export_registrants(self, request, queryset):
        """One row per registration: the member, their status, their answers (one column per
        question) and their visa letter request (its status; the passport number masked)."""
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="registrants.csv"'
        response.write("\ufeff")  # so spreadsheet programs read UTF-8
        writer = csv.writer(response)
        questions = list(
            RegistrationQuestion.objects.filter(event__in=queryset)
            .select_related("event")
            .order_by("event__starts_at", "event_id", "order", "pk")
        )
        several_events = len({question.event_id for question in questions}) > 1
        writer.writerow(
            [
                "event", "name", "email", "organisation", "country", "status", "since",
                *(csv_safe(f"{q.event.title}: {q.text}" if several_events else q.text) for q in questions),
                "visa letter", "passport number",
            ]
        )  # fmt: skip
        registrations = (
            Registration.objects.filter(event__in=queryset)
            .select_related("event", "user__organisation", "visa_letter")
            .order_by("event__starts_at", "status", "queued_at")
        )
        for registration in registrations:
            user = registration.user
            letter = getattr(registration, "visa_letter", None)
            answers = [
                registration.answers.get(str(q.pk), "") if q.event_id == registration.event_id else ""
                for q in questions
            ]
            writer.writerow(
                [
                    csv_safe(value)
                    for value in [
                        registration.event.title,
                        user.name,
                        user.email,
                        user.organisation.name if user.organisation else "",
                        user.country.code,
                        registration.status,
                        registration.queued_at.isoformat(),
                        *answers,
                        letter.status if letter else "",
                        letter.masked_passport_number if letter else "",
                    ]
                ]
            )
        return response

    def _intermediate(self, request, queryset, form, title, action):
        return TemplateResponse(
            request,
            "admin/events/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "queryset": queryset,
                "action": action,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Email registrants"), permissions=["change"])
    def email_registrants(self, request, queryset):
        form = EmailRegistrantsForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            total = 0
            for event in queryset:
                total += services.event_email_registrants(
                    event=event, by=request.user, statuses=form.cleaned_data["statuses"],
                    subject=form.cleaned_data["subject"], message=form.cleaned_data["message"],
                )  # fmt: skip
            self.message_user(
                request,
                ngettext_lazy("%(count)d email queued.", "%(count)d emails queued.", "count") % {"count": total},
                messages.SUCCESS,
            )
            return None
        return self._intermediate(request, queryset, form, _("Email registrants"), "email_registrants")

    @admin.action(description=_("Invite people (invitation-only events)"), permissions=["change"])
    def invite(self, request, queryset):
        form = InviteForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            sent = 0
            for event in queryset:
                try:
                    with transaction.atomic():
                        for address in form.cleaned_data["emails"]:
                            services.invitation_create(event=event, email=address, by=request.user)
                            sent += 1
                except (ValidationError, PermissionDenied) as error:
                    self.message_user(
                        request, f"{event}: {' '.join(getattr(error, 'messages', [str(error)]))}", messages.ERROR
                    )
            if sent:
                self.message_user(
                    request,
                    ngettext_lazy("%(count)d invitation sent.", "%(count)d invitations sent.", "count")
                    % {"count": sent},
                    messages.SUCCESS,
                )
            return None
        return self._intermediate(request, queryset, form, _("Invite people"), "invite")

    @admin.action(description=_("Duplicate (as an unpublished copy)"), permissions=["add"])
    def duplicate(self, request, queryset):
        for event in queryset:
            copy = services.event_duplicate(event=event, by=request.user)
            self.message_user(request, _("Created %(title)s.") % {"title": copy.title}, messages.SUCCESS)


def _registration_action(service, done):
    def action(modeladmin, request, queryset):
        changed = 0
        for registration in queryset.select_related("event", "user"):
            try:
                with transaction.atomic():
                    service(registration=registration, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                modeladmin.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            else:
                changed += 1
        if changed:
            modeladmin.message_user(request, done % {"count": changed}, messages.SUCCESS)

    return action


@admin.register(Registration)
class RegistrationAdmin(AuditTrailAdmin, admin.ModelAdmin):
    list_display = ["user", "event", "status", "attended", "queued_at", "created_at"]
    list_select_related = ["user", "event"]
    list_filter = ["status", "attended", "event"]
    search_fields = ["user__name", "user__email", "event__title"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "event", "user", "status", "attended", "created_at", "queued_at", "reminder_sent_at", "answers_list",
        "visa_letter_link",
    ]  # fmt: skip
    exclude = ["answers"]
    actions = ["approve", "decline", "to_waiting", "to_registered", "attended", "absent"]

    @admin.display(description=_("answers"))
    def answers_list(self, obj):
        questions = list(obj.event.questions.all())
        if not questions:
            return "—"
        return format_html_join(
            "", "<p><strong>{}</strong><br>{}</p>",
            ((q.text, q.answer_label(obj.answers.get(str(q.pk), "")) or "—") for q in questions),
        )  # fmt: skip

    @admin.display(description=_("visa invitation letter"))
    def visa_letter_link(self, obj):
        letter = VisaLetterRequest.objects.filter(registration=obj).first()
        if letter is None:
            return "—"
        url = reverse("admin:events_visaletterrequest_change", args=[letter.pk])
        return format_html('<a href="{}">{}</a>', url, letter.get_status_display())

    def has_add_permission(self, request):
        return False  # members register on the site; staff invite from the event

    def has_delete_permission(self, request, obj=None):
        return False  # decline instead: it frees the place for the waiting list and tells the member

    approve = admin.action(description=_("Approve"), permissions=["change"])(
        _registration_action(
            services.registration_approve,
            ngettext_lazy("%(count)d registration approved.", "%(count)d registrations approved.", "count"),
        )
    )
    decline = admin.action(description=_("Decline"), permissions=["change"])(
        _registration_action(
            services.registration_decline,
            ngettext_lazy("%(count)d registration declined.", "%(count)d registrations declined.", "count"),
        )
    )
    to_waiting = admin.action(description=_("Move to the waiting list"), permissions=["change"])(
        _registration_action(
            services.registration_to_waiting,
            ngettext_lazy(
                "%(count)d registration moved to the waiting list.",
                "%(count)d registrations moved to the waiting list.",
                "count",
            ),
        )
    )
    to_registered = admin.action(description=_("Move to registered"), permissions=["change"])(
        _registration_action(
            services.registration_to_registered,
            ngettext_lazy("%(count)d registration confirmed.", "%(count)d registrations confirmed.", "count"),
        )
    )
    attended = admin.action(description=_("Mark as attended"), permissions=["change"])(
        _registration_action(
            partial(services.registration_mark_attendance, attended=True),
            ngettext_lazy(
                "%(count)d participant marked as attended.", "%(count)d participants marked as attended.", "count"
            ),
        )
    )
    absent = admin.action(description=_("Mark as absent"), permissions=["change"])(
        _registration_action(
            partial(services.registration_mark_attendance, attended=False),
            ngettext_lazy(
                "%(count)d participant marked as absent.", "%(count)d participants marked as absent.", "count"
            ),
        )
    )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "event", "created_at", "expires_at", "used_at"]
    list_select_related = ["event"]
    list_filter = ["event"]
    search_fields = ["email"]
    readonly_fields = ["event", "email", "token", "invited_by", "created_at", "expires_at", "used_at", "used_by"]

    def has_add_permission(self, request):
        return False


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the refusal"), max_length=letters.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 70}),
        help_text=_("Sent to the participant, who may correct the request and send it again."),
    )  # fmt: skip


def _error_text(error) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


@admin.register(VisaLetterRequest)
class VisaLetterRequestAdmin(admin.ModelAdmin):
    """Requests for visa invitation letters: staff approve or refuse them (with a reason).
    Lists show the passport number masked; the request's own page shows it in full."""

    list_display = ["full_name", "event", "member", "nationality", "passport", "arrival", "departure", "status"]
    list_select_related = ["registration__event", "registration__user"]
    list_filter = ["status", "registration__event"]
    search_fields = ["full_name", "registration__user__name", "registration__user__email"]
    date_hierarchy = "created_at"
    # No bulk approval: each letter is approved on its page, after its data was read there.
    actions = ["refuse"]
    change_form_template = "admin/events/visaletterrequest/change_form.html"
    fields = [
        "member", "event", "status", "full_name", "nationality", "passport_number", "date_of_birth",
        "passport_expiry", ("arrival", "departure"), "refusal_reason", ("created_at", "decided_at", "decided_by"),
        "personal_data_deleted_at", "letter",
    ]  # fmt: skip
    # Everything is read-only: the participant writes the request, staff decide on it.
    readonly_fields = [name for entry in fields for name in (entry if isinstance(entry, tuple) else [entry])]

    def has_add_permission(self, request):
        return False  # participants ask on the event's page

    def has_delete_permission(self, request, obj=None):
        return False  # the request stays as the record of a letter; its passport data is deleted after the event

    @admin.display(description=_("event"), ordering="registration__event__starts_at")
    def event(self, obj):
        return obj.registration.event

    @admin.display(description=_("member"), ordering="registration__user__name")
    def member(self, obj):
        return obj.registration.user

    @admin.display(description=_("passport number"))
    def passport(self, obj):
        return obj.masked_passport_number or "—"

    @admin.display(description=_("letter"))
    def letter(self, obj):
        if obj.pk is None or obj.status != VisaLetterStatus.APPROVED or obj.personal_data_deleted_at:
            return "—"
        url = reverse("events:visa_letter_pdf", kwargs={"slug": obj.registration.event.slug, "pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("Download the letter (PDF)"))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The request's page: its data, and buttons to approve it or refuse it with a reason."""
        obj = self.get_object(request, object_id) if object_id else None
        if request.method == "POST" and obj is not None and ({"_approve", "_refuse"} & set(request.POST)):
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            try:
                if "_approve" in request.POST:
                    letters.visa_letter_approve(letter=obj, by=request.user, seen=request.POST.get("seen", ""))
                    self.message_user(request, _("The letter is approved; the participant is emailed."))
                else:
                    letters.visa_letter_refuse(letter=obj, by=request.user, reason=request.POST.get("reason", ""))
                    self.message_user(request, _("The request is refused; the participant is emailed the reason."))
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, _error_text(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "can_decide": obj is not None and self.has_change_permission(request, obj),
            "can_approve": obj is not None and obj.status != VisaLetterStatus.APPROVED,
            "can_refuse": obj is not None and obj.status != VisaLetterStatus.REFUSED,
            "reason_limit": letters.MAX_REASON,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Refuse, with a reason"), permissions=["change"])
    def refuse(self, request, queryset):
        form = RefusalForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            refused = 0
            for letter in queryset:
                try:
                    with transaction.atomic():
                        letters.visa_letter_refuse(letter=letter, by=request.user, reason=form.cleaned_data["reason"])
                except (ValidationError, PermissionDenied) as error:
                    self.message_user(request, f"{letter.full_name}: {_error_text(error)}", messages.ERROR)
                else:
                    refused += 1
            if refused:
                self.message_user(
                    request,
                    ngettext_lazy("%(count)d request refused.", "%(count)d requests refused.", "count")
                    % {"count": refused},
                    messages.SUCCESS,
                )
            return None
        return TemplateResponse(
            request,
            "admin/events/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Refuse visa letter requests"),
                "form": form,
                "queryset": queryset,
                "action": "refuse",
                "opts": self.model._meta,
            },
        )
