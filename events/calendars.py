"""iCalendar files: one event, or the feed of upcoming public events.

Times carry their event's TZID with a matching VTIMEZONE, which Google Calendar,
Outlook and Apple Calendar import as the same instant. A VTIMEZONE holds the zone's
offsets from a year before the calendar's first event to a year after its last: all a
reader needs, and a small part of what icalendar writes by default (1970 to 2038).
Working out a zone's transitions is slow (16 ms for Asia/Shanghai, most of the cost of a
registration's confirmation email, make bench), so each zone's component is worked out
once per process and year range.
"""

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.utils import timezone, translation
from icalendar import Calendar, Timezone
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
    years = set()
    for event in events:
        years |= {event.local_starts_at.year, event.local_ends_at.year}
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
    add_timezones(calendar, years)
    return calendar.to_ical()


def add_timezones(calendar: Calendar, years: set[int]):
    """Insert the VTIMEZONE of each time zone that `calendar`'s times name, for the years
    from one before the earliest of `years` to one after the latest."""
    if not years:
        return
    zones = [_timezone(zone, min(years) - 1, max(years) + 1) for zone in sorted(calendar.get_missing_tzids())]
    calendar.subcomponents[:0] = [zone for zone in zones if zone is not None]


@lru_cache(maxsize=256)
def _vtimezone(zone: str, first_year: int, last_year: int) -> bytes:
    return Timezone.from_tzid(zone, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31)).to_ical()


def _timezone(zone: str, first_year: int, last_year: int) -> Timezone | None:
    """The VTIMEZONE of `zone` over these years (a new component each time: a calendar
    may change its own); None for a zone the time zone database does not know."""
    try:
        return Timezone.from_ical(_vtimezone(zone, first_year, last_year))
    except ValueError:
        return None
