"""Events and their agenda in spreadsheets: the admin's Import and Export of events
(common/spreadsheets/; the columns for staff in docs/IMPORT.md).

Events: a row whose `slug` is an event's updates it (which needs the permission to change
events); any other row adds an event, unpublished unless its `is_published` says yes, with
an address made from its title when no slug is given. Dates and times are written in the
event's time zone (`time_zone`, Asia/Shanghai when empty), or with their own offset. As in
the admin's form, an update that frees places gives them to the waiting list.

Agenda: each row adds an item to an event named by its `event_slug`, or by its
`event_title` and `event_starts_at` (its date, or its date and time); an item's time is in
its event's time zone (a time alone is on the event's first day). An item that is there
already (same event, time and title) is left as it is. Importing an agenda changes events:
it needs the permissions to change events and to add agenda items.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from common.reference.models import Sector, SustainableDevelopmentGoal
from common.slugs import readable, save_with_unique_slug
from common.spreadsheets.cells import cell_text
from common.spreadsheets.resources import FileProblem, SpreadsheetResource
from common.spreadsheets.widgets import (
    GoalsWidget,
    MomentField,
    NamedListWidget,
    TimeZoneWidget,
    Widget,
    YesNoWidget,
    format_local_datetime,
    parse_local_datetime,
    zone_of,
)
from common.translated import i18n_field_name

from . import services
from .models import AgendaItem, Event

EVENT_TEXTS = ("title", "summary", "description")
AGENDA_TEXTS = ("title", "description")
# The dates and times of an event, written in its time zone.
MOMENTS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
# Addresses the events' pages use (Event.clean).
RESERVED_SLUGS = {"past", "calendar"}
DEFAULT_ZONE = Event._meta.get_field("time_zone").default
AGENDA_PERMISSIONS = gettext_noop(
    "Importing an agenda changes events: it needs the permissions to change events and to add agenda items."
)


def _translations(*texts: str) -> tuple[str, ...]:
    return tuple(i18n_field_name(text, language) for text in texts for language, _name in settings.LANGUAGES)


def _event_zone(event):
    return event.tz


def _item_zone(item):
    return item.event.tz if item.event_id else None


class EventResource(SpreadsheetResource):
    starts_at = MomentField("starts_at", zone=_event_zone)
    ends_at = MomentField("ends_at", zone=_event_zone)
    registration_opens_at = MomentField("registration_opens_at", zone=_event_zone)
    registration_closes_at = MomentField("registration_closes_at", zone=_event_zone)
    time_zone = Field(attribute="time_zone", column_name="time_zone", widget=TimeZoneWidget(), saves_null_values=False)
    # Empty keeps what the event has (new events: unpublished, no visa letters).
    is_published = Field(
        attribute="is_published", column_name="is_published", widget=YesNoWidget(), saves_null_values=False
    )
    offers_visa_letter = Field(
        attribute="offers_visa_letter", column_name="offers_visa_letter", widget=YesNoWidget(), saves_null_values=False
    )
    sectors = Field(
        attribute="sectors", column_name="sectors", widget=NamedListWidget(Sector, _("Unknown sector: %(value)s"))
    )
    sdgs = Field(attribute="sdgs", column_name="sdgs", widget=GoalsWidget(SustainableDevelopmentGoal))

    required_columns = ("title", "starts_at", "ends_at")
    max_rows = 1_000  # about 9 ms a row, checks included

    class Meta(SpreadsheetResource.Meta):
        model = Event
        name = _("events")
        fields = (
            "slug",
            "title",
            "summary",
            "description",
            "kind",
            *MOMENTS[:2],
            "time_zone",
            "venue",
            "city",
            "country",
            "online_url",
            "capacity",
            "registration_mode",
            *MOMENTS[2:],
            "offers_visa_letter",
            "is_published",
            "sectors",
            "sdgs",
            "original_language",
            *_translations(*EVENT_TEXTS),
        )

    def get_instance(self, instance_loader, row):
        slug = cell_text(row.get("slug"))
        return Event.objects.filter(slug=slug).first() if slug else None

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new and not self.has_permission("change"):
            raise ValidationError(
                gettext("The event %(slug)s exists already: updating it needs the permission to change events.")
                % {"slug": instance.slug}
            )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute in MOMENTS:
            zone = zone_of(row.get("time_zone") or instance.time_zone, instance.time_zone or DEFAULT_ZONE)
            setattr(instance, field.attribute, parse_local_datetime(row[field.column_name], zone))
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def unchecked_fields(self, instance) -> list[str]:
        return [] if instance.slug else ["slug"]  # made from the title when saved

    def do_instance_save(self, instance, is_create):
        if is_create and not instance.slug:
            base = readable(instance.title, "event")[:190].strip("-")
            save_with_unique_slug(instance, f"{base}-event" if base in RESERVED_SLUGS else base)
        else:
            instance.save(force_insert=is_create)

    def after_save_instance(self, instance, row, **kwargs):
        if not self._is_dry_run(kwargs):
            # As the admin's form does: a raised capacity gives places to the waiting list.
            services.event_fill_places(event=instance)

    # --- Export ---

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("sectors", "sdgs")


class EventWidget(Widget):
    """The event of an agenda row: by its slug, or by the row's event_title and
    event_starts_at (a date, or a date and time in the event's time zone)."""

    def __init__(self, **kwargs):
        super().__init__()
        self.found = {}

    def clean(self, value, row=None, **kwargs):
        row = row or {}
        slug = cell_text(value)
        title = " ".join(cell_text(row.get("event_title")).split())
        start = row.get("event_starts_at")
        key = (slug, title.casefold(), cell_text(start))
        if key not in self.found:
            self.found[key] = self._find(slug, title, start)
        return self.found[key]

    def _find(self, slug, title, start):
        if slug:
            event = Event.objects.filter(slug=slug).first()
            if event is None:
                raise ValueError(gettext("No event has the address (slug) %(slug)s.") % {"slug": slug})
            return event
        if not title:
            raise ValueError(gettext("Name the event: its slug, or its title and when it starts."))
        events = [event for event in Event.objects.filter(title__iexact=title) if self._starts(event, start)]
        if len(events) == 1:
            return events[0]
        values = {"title": title, "start": cell_text(start) or "—"}
        if not events:
            raise ValueError(gettext("No event is called %(title)s and starts %(start)s.") % values)
        raise ValueError(gettext("Several events are called %(title)s: give the slug or when it starts.") % values)

    @staticmethod
    def _starts(event, start) -> bool:
        """Whether `event` starts on the day, or at the moment, `start` says (nothing: any day)."""
        if start is None or cell_text(start) == "":
            return True
        local = event.local_starts_at
        if isinstance(start, datetime.date) and not isinstance(start, datetime.datetime):
            return local.date() == start
        text = cell_text(start)
        try:
            return local.date() == datetime.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            moment = parse_local_datetime(start, event.tz)
        except ValueError:
            return False
        return moment.replace(second=0) == event.starts_at.replace(second=0)

    def render(self, value, obj=None, **kwargs):
        return value.slug if value is not None else ""


class AgendaItemResource(SpreadsheetResource):
    event = Field(attribute="event", column_name="event_slug", widget=EventWidget())
    event_title = Field(column_name="event_title", readonly=True)
    event_starts_at = Field(column_name="event_starts_at", readonly=True)
    starts_at = MomentField("starts_at", zone=_item_zone)

    required_columns = ("starts_at", "title")
    max_rows = 2_000

    class Meta(SpreadsheetResource.Meta):
        model = AgendaItem
        name = _("agenda items")
        force_init_instance = True  # rows add items (or are skipped when the item is there)
        fields = (
            "event",
            "event_title",
            "event_starts_at",
            "starts_at",
            "title",
            "description",
            *_translations(*AGENDA_TEXTS),
        )

    def check_file(self, dataset) -> None:
        super().check_file(dataset)
        if not (self.user and self.user.has_perms(["events.change_event", "events.add_agendaitem"])):
            raise FileProblem(gettext(AGENDA_PERMISSIONS))
        if not {"event_slug", "event_title"} & set(dataset.headers):
            raise FileProblem(gettext("Name each item's event: give the column event_slug or event_title."))

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "starts_at":
            if instance.event_id:  # else the event's error says what is wrong
                event = instance.event
                instance.starts_at = parse_local_datetime(
                    row[field.column_name], event.tz, default_date=event.local_starts_at.date()
                )
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def unchecked_fields(self, instance) -> list[str]:
        return [] if instance.event_id else ["starts_at"]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return bool(
            not import_validation_errors
            and instance.event_id
            and instance.starts_at
            and AgendaItem.objects.filter(
                event=instance.event, starts_at=instance.starts_at, title=instance.title
            ).exists()
        )

    # --- Export: the agenda of the events the admin's list shows ---

    def filter_export(self, queryset, **kwargs):
        if queryset.model is Event:
            queryset = AgendaItem.objects.filter(event__in=list(queryset.values_list("pk", flat=True)))
        return queryset.select_related("event").order_by("event__starts_at", "event_id", "starts_at", "pk")

    def dehydrate_event_title(self, item):
        return item.event.title

    def dehydrate_event_starts_at(self, item):
        return format_local_datetime(item.event.starts_at, item.event.tz)
