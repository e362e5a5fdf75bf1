"""iCalendar files: one event, or the feed of upcoming public events.

Times carry their event's TZID with a matching VTIMEZONE, which Google Calendar,
Outlook and Apple Calendar import as the same instant.
"""

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone, translation
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from common.translated import translated

from .models import Event


def _location(event: Event) -> str:
    return ", ".join(part for part in [event.venue, event.city, event.country.name if event.country else ""] if part)


def events_to_ical(events: Iterable[Event], *, name: str = "WiiTs", language: str | None = None) -> bytes:
    """The calendar of `events`, their texts and addresses for a reader of `language` (the
    active language by default; an email's recipient's otherwise) by the fallback chain."""
    with translation.override(language or translation.get_language()):
        return _calendar(events, name)


def _calendar(events: Iterable[Event], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//WiiTs//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('://')[-1]}")
        entry.add("dtstamp", timezone.now())
        entry.add("dtstart", event.local_starts_at)
        entry.add("dtend", event.local_ends_at)
        entry.add("summary", translated(event, "title").text)
        entry.add("description", translated(event, "summary").text)
        entry.add("url", f"{settings.SITE_URL}{event.get_absolute_url()}")
        location = _location(event) or ("Online" if event.online_url else "")
        if location:
            entry.add("location", location)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
