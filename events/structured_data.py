"""An event as a schema.org Event, in JSON-LD (common/structured_data.py)."""

from common.structured_data import CONTEXT, absolute, language_tag, portal_organisation
from common.translated import Translated, translated

from .models import Event

SCHEDULED = "https://schema.org/EventScheduled"
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"
ONLINE = "https://schema.org/OnlineEventAttendanceMode"
MIXED = "https://schema.org/MixedEventAttendanceMode"


def _place(event: Event) -> dict:
    address = {"@type": "PostalAddress"}
    if event.city:
        address["addressLocality"] = event.city
    if event.country:
        address["addressCountry"] = event.country.code
    return {"@type": "Place", "name": event.venue or event.city, "address": address}


def event_schema(event: Event, texts: dict[str, Translated] | None = None) -> dict:
    """The event as its page shows it: `texts` are the page's (common.translated.reading),
    by default each text in the active language, or in its original when it has no
    translation; inLanguage says which language the summary is in.

    The online link is for registered participants only (events.permissions): the virtual
    location is the event's page, where they find it. An event has no cancelled state, so
    every event is scheduled."""
    url = absolute(event.get_absolute_url())
    texts = texts or {}
    title = texts.get("title") or translated(event, "title")
    summary = texts.get("summary") or translated(event, "summary")
    in_person = bool(event.venue or event.city)
    online = bool(event.online_url)
    data = {
        "@context": CONTEXT,
        "@type": "Event",
        "@id": f"{url}#event",
        "name": title.text,
        "description": summary.text,
        "inLanguage": language_tag(summary.language),
        "url": url,
        # In the event's own time zone, with its offset, as the page shows the times.
        "startDate": event.local_starts_at.isoformat(),
        "endDate": event.local_ends_at.isoformat(),
        "eventStatus": SCHEDULED,
        "eventAttendanceMode": MIXED if in_person and online else ONLINE if online else OFFLINE,
        "organizer": portal_organisation(),
    }
    locations = []
    if in_person or not online:
        locations.append(_place(event))
    if online:
        locations.append({"@type": "VirtualLocation", "url": url})
    data["location"] = locations[0] if len(locations) == 1 else locations
    if event.cover_image:
        data["image"] = [absolute(event.cover_image.url)]
    return data
