"""Demo events: the real First Plenary of the National Advisory Group (Wuzhen, 18 September
2020) and eight fictional upcoming events, with registrations made through the services
exactly as members and staff would.

The Wuzhen entry keeps to the press release of that evening: its description paraphrases
what the release says, without invented quotes. The release gives no times: the evening
schedule (18:30 to 21:30 local time) and the times of its agenda are indicative. Every
upcoming event, venue, organisation and person in them is invented, except the demo
advisers (devtools.demo.advisors), whose fictional members are reused as speakers.
`load_demo_events` runs inside the caller's transaction and leaves the emails the services
queue to the caller. `mark_demo_attendance` then records who came to the past events.
The events themselves are data, in data/events.yaml. Some upcoming events are written in
French, Spanish or Chinese (`original_language`), some with `translations` of their texts,
agenda items and speakers' titles and biographies.
"""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import StakeholderType
from advisors.models import Adviser
from devtools.demo import data
from devtools.demo.advisors import ADVISERS
from devtools.demo.technologies import translation_columns
from events import letters, services
from events.models import (
    AgendaItem,
    Event,
    EventKind,
    QuestionKind,
    Registration,
    RegistrationMode,
    RegistrationQuestion,
    RegistrationStatus,
    Speaker,
)

SHANGHAI = "Asia/Shanghai"

# --- The real event: the press release of 18 September 2020 -------------------------------

_DATA = data.load("events")
_WUZHEN = _DATA["wuzhen"]
WUZHEN_DATE: date = _WUZHEN["date"]
WUZHEN_SLUG: str = _WUZHEN["slug"]
WUZHEN_TITLE: str = _WUZHEN["title"]
WUZHEN_SUMMARY: str = _WUZHEN["summary"]
WUZHEN_DESCRIPTION: str = _WUZHEN["description"]

# key: (name, title, affiliation, biography)
WUZHEN_SPEAKERS = {
    key: (speaker["name"], speaker["title"], speaker["affiliation"], speaker["biography"])
    for key, speaker in _WUZHEN["speakers"].items()
}

# (local time, title, description, speaker keys)
WUZHEN_AGENDA = [
    (time.fromisoformat(item["at"]), item["title"], item["description"], item["speakers"])
    for item in _WUZHEN["agenda"]
]

# --- Fictional upcoming events --------------------------------------------------------------

ATTENDEE_EMAIL = "demo.attendee.{}@wiits.example"
ATTENDEE_NAMES: list[str] = _DATA["attendee_names"]

# Speakers who are fictional demo advisers: their titles come from devtools.demo.advisors.
_ADVISER_ENTRIES = {entry["name"]: entry for entry in ADVISERS}


def _texts(entry: dict, fields: tuple[str, ...], original_language: str) -> dict[str, str]:
    """The optional texts `fields` of `entry` and the translation columns of its `translations`."""
    return {
        **{field: entry[field] for field in fields if field in entry},
        **translation_columns(entry.get("translations"), original_language=original_language),
    }


def _plan(entry: dict) -> dict:
    """An upcoming event as its loader takes it: times as `time`; speakers as (name, title,
    affiliation, texts), title and affiliation None for a demo adviser; agenda items as
    (time, title, speaker indexes, texts). `texts`: the biography or description, if any,
    and the translation columns, in the event's original language."""
    language = entry.get("original_language", settings.LANGUAGE_CODE)
    return {
        **entry,
        "original_language": language,
        "translated": translation_columns(entry.get("translations"), original_language=language),
        "starts": time.fromisoformat(entry["starts"]),
        "ends": time.fromisoformat(entry["ends"]),
        "speakers": [
            (
                speaker["name"],
                speaker.get("title"),
                speaker.get("affiliation"),
                _texts(speaker, ("biography",), language),
            )
            for speaker in entry["speakers"]
        ],
        "agenda": [
            (time.fromisoformat(item["at"]), item["title"], item["speakers"], _texts(item, ("description",), language))
            for item in entry["agenda"]
        ],
    }


UPCOMING = [_plan(entry) for entry in _DATA["upcoming"]]


def _at(day: date, clock: time, tz: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz)


def _create_event(**fields) -> Event:
    event = Event(is_published=True, **fields)
    event.full_clean()
    event.save()
    return event


def _load_wuzhen() -> Event:
    tz = zoneinfo.ZoneInfo(SHANGHAI)
    event = _create_event(
        kind=EventKind.PLENARY,
        title=WUZHEN_TITLE,
        slug=WUZHEN_SLUG,
        summary=WUZHEN_SUMMARY,
        description=WUZHEN_DESCRIPTION,
        starts_at=_at(WUZHEN_DATE, time(18, 30), tz),
        ends_at=_at(WUZHEN_DATE, time(21, 30), tz),
        time_zone=SHANGHAI,
        venue="Wuzhen",
        city="Tongxiang",
        country="CN",
        registration_mode=RegistrationMode.INVITATION,
    )
    advisers = {
        "huang-feng": Adviser.objects.filter(user__email="adviser@wiits.example").first(),
        **{
            key: Adviser.objects.filter(user__name=WUZHEN_SPEAKERS[key][0]).first()
            for key in ("marcel-dridje", "karl-osten-ekengren", "helen-wang")
        },
    }
    speakers = {}
    for order, (key, (name, title, affiliation, biography)) in enumerate(WUZHEN_SPEAKERS.items()):
        speakers[key] = Speaker.objects.create(
            event=event,
            name=name,
            title=title,
            affiliation=affiliation,
            biography=biography,
            adviser=advisers.get(key),
            order=order,
        )
    for clock, title, description, keys in WUZHEN_AGENDA:
        item = AgendaItem.objects.create(
            event=event, starts_at=_at(WUZHEN_DATE, clock, tz), title=title, description=description
        )
        item.speakers.set([speakers[key] for key in keys])
    return event


def _speaker(
    event: Event, order: int, name: str, title: str | None, affiliation: str | None, texts: dict[str, str]
) -> Speaker:
    adviser = None
    if title is None:  # a demo adviser: their entry, and their Adviser row if it exists
        entry = _ADVISER_ENTRIES[name]
        title, affiliation = entry["title"], entry["affiliation"]
        adviser = Adviser.objects.filter(user__name=name).first()
    return Speaker.objects.create(
        event=event, name=name, title=title, affiliation=affiliation, adviser=adviser, order=order, **texts
    )


def _load_upcoming(plan: dict, *, now: datetime) -> Event:
    tz = zoneinfo.ZoneInfo(plan["time_zone"])
    day = timezone.localtime(now, tz).date() + timedelta(days=plan["days_ahead"])
    starts_at = _at(day, plan["starts"], tz)
    event = _create_event(
        kind=plan["kind"],
        original_language=plan["original_language"],
        **plan["translated"],
        title=plan["title"],
        slug=plan["slug"],
        summary=plan["summary"],
        description=plan["description"],
        starts_at=starts_at,
        ends_at=_at(day, plan["ends"], tz),
        time_zone=plan["time_zone"],
        venue=plan.get("venue", ""),
        city=plan.get("city", ""),
        country=plan.get("country", ""),
        online_url=plan.get("online_url", ""),
        capacity=plan["capacity"],
        registration_mode=plan["mode"],
        offers_visa_letter=plan.get("offers_visa_letter", False),
        registration_opens_at=now,
        registration_closes_at=starts_at - timedelta(days=2),
    )
    speakers = [_speaker(event, order, *entry) for order, entry in enumerate(plan["speakers"])]
    for clock, title, indexes, texts in plan["agenda"]:
        item = AgendaItem.objects.create(event=event, starts_at=_at(day, clock, tz), title=title, **texts)
        item.speakers.set([speakers[index] for index in indexes])
    for order, question in enumerate(plan.get("questions", [])):
        _question(event, order, question)
    return event


def _question(event: Event, order: int, entry: dict) -> RegistrationQuestion:
    """A registration question; a choice's options (and their translations) are lists in the data."""
    translations = {
        language: {field: "\n".join(text) if field == "choices" else text for field, text in fields.items()}
        for language, fields in (entry.get("translations") or {}).items()
    }
    question = RegistrationQuestion(
        event=event,
        text=entry["text"],
        kind=entry["kind"],
        choices="\n".join(entry.get("choices", [])),
        required=entry.get("required", False),
        order=order,
        **translation_columns(translations, original_language=event.original_language),
    )
    question.full_clean()
    question.save()
    return question


def _demo_answers(event: Event, n: int) -> dict[str, str]:
    """Answers of the n-th fictional attendee to the event's questions: the options in turn,
    text questions left empty (they are optional in the demo)."""
    answers = {}
    for question in event.questions.all():
        if question.kind == QuestionKind.CHOICE:
            options = question.choice_list
            answers[str(question.pk)] = options[n % len(options)] if n % 3 else options[0]
        elif question.kind == QuestionKind.YES_NO:
            answers[str(question.pk)] = "no"
    return answers


def _load_visa_letters(event: Event, plan: dict, attendees: list, *, staff) -> None:
    """Visa letter requests of some attendees (fictional passport data), approved by staff or waiting."""
    first, last = event.local_starts_at.date(), event.local_ends_at.date()
    for entry in plan.get("visa_letters", []):
        user = attendees[entry["attendee"] - 1]
        registration = Registration.objects.get(event=event, user=user)
        letter = letters.visa_letter_request_save(
            registration=registration,
            by=user,
            data={
                "full_name": user.name.upper(),
                "nationality": entry["nationality"],
                "passport_number": entry["passport_number"],
                "date_of_birth": entry["date_of_birth"],
                "passport_expiry": last + timedelta(days=3 * 365),
                "arrival": first - timedelta(days=1),
                "departure": last + timedelta(days=1),
            },
        )
        if entry.get("approve"):
            letters.visa_letter_approve(letter=letter, by=staff, seen=letter.updated_at.isoformat())


def _attendees(count: int) -> list:
    """Fictional members with no usable password, created on first use."""
    User = get_user_model()
    users = []
    for n, name in enumerate(ATTENDEE_NAMES[:count], start=1):
        email = ATTENDEE_EMAIL.format(n)
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=None, name=name, stakeholder_type=StakeholderType.INDUSTRIAL_MANUFACTURER
        )
        users.append(user)
    return users


def load_demo_events(*, staff, members) -> int:
    """Create the Wuzhen plenary of 2020 and the upcoming events; return how many.

    Registrations go through events.services: the open workshop in Nairobi is left with
    exactly one place, taken by fictional attendees (created here, no usable password);
    staff approve some requests for the conference. `members` (e.g. the demo accounts)
    only ask for a place at the conference by approval, so they stay free to register for
    every open event. Advisers, if loaded, are invited to the Second Plenary by `staff`.
    Runs inside the caller's transaction; the emails the services queue are left to the caller.
    """
    now = timezone.now()
    events = [_load_wuzhen()]
    attendees = _attendees(max(plan["registrations"] for plan in UPCOMING))
    for plan in UPCOMING:
        event = _load_upcoming(plan, now=now)
        events.append(event)
        registrations = [
            services.registration_create(event=event, user=user, answers=_demo_answers(event, n))
            for n, user in enumerate(attendees[: plan["registrations"]])
        ]
        for registration in registrations[: plan.get("approve", 0)]:
            services.registration_approve(registration=registration, by=staff)
        _load_visa_letters(event, plan, attendees, staff=staff)
        if event.registration_mode == RegistrationMode.APPROVAL:
            for user in members:
                services.registration_create(event=event, user=user, answers=_demo_answers(event, 0))
        if event.registration_mode == RegistrationMode.INVITATION:
            for adviser in Adviser.objects.active().select_related("user"):
                services.invitation_create(event=event, email=adviser.user.email, by=staff)
    return len(events)


# --- Attendance at past events ----------------------------------------------------------------

# People named in the press release were there (in Wuzhen or online): never marked absent.
_PRESS_RELEASE_NAMES = {name for name, _title, _affiliation, _biography in WUZHEN_SPEAKERS.values()}
PAST_ATTENDEES = 14  # fictional attendees added to a past event that has no registrations
ABSENT_EVERY = 6  # one registration in six (not of a person named above) did not come


def _register_past(event: Event) -> None:
    """Register the advisers of the time and some fictional attendees for a past event, as
    staff would have recorded them (the services refuse registrations once an event began)."""
    users = [
        adviser.user
        for adviser in Adviser.objects.filter(active_from__lte=event.starts_at.date())
        .select_related("user")
        .order_by("order", "pk")
    ]
    users += [user for user in _attendees(PAST_ATTENDEES) if user not in users]
    Registration.objects.bulk_create(
        Registration(
            event=event,
            user=user,
            status=RegistrationStatus.REGISTERED,
            created_at=event.starts_at - timedelta(days=14 - n % 10),
            queued_at=event.starts_at - timedelta(days=14 - n % 10),
        )
        for n, user in enumerate(users)
    )


def mark_demo_attendance(*, today: date | None = None) -> int:
    """Record who came to the published events that are over: most registered members came, a
    few did not. A past event with nobody registered first gets registrations. Deterministic;
    returns how many registrations got their attendance recorded. Run after load_demo_events
    (and load_demo_advisors, whose advisers attend the Wuzhen plenary)."""
    now = timezone.now() if today is None else timezone.make_aware(datetime.combine(today, time.min))
    recorded = 0
    for event in Event.objects.published().past(now=now):
        registered = Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
        if not registered.exists():
            _register_past(event)
        registrations = list(registered.select_related("user").order_by("created_at", "pk"))
        others = 0
        for registration in registrations:
            if registration.user.name in _PRESS_RELEASE_NAMES:
                registration.attended = True
            else:
                others += 1
                registration.attended = others % ABSENT_EVERY != 0
        Registration.objects.bulk_update(registrations, ["attended"])
        recorded += len(registrations)
    return recorded
