"""The demo events: the real Wuzhen plenary of 2020 and fictional upcoming events, with
registrations made through the services."""

import zoneinfo
from datetime import datetime

import pytest
from django.utils import timezone

from advisors.models import Adviser
from devtools.demo.events import ATTENDEE_EMAIL, UPCOMING, WUZHEN_SLUG, load_demo_events
from events.models import Event, EventKind, Invitation, Registration, RegistrationMode, RegistrationStatus, Speaker
from events.services import places_left
from tests.factories import AdviserFactory, UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def members(db):
    return [UserFactory(), UserFactory()]


@pytest.fixture
def chair(db):
    return AdviserFactory(user=UserFactory(email="adviser@wiits.example", name="Huang Feng"), slug="huang-feng")


def test_load_demo_events(staff, members, chair):
    helen = AdviserFactory(user=UserFactory(name="Helen Wang"), slug="helen-wang")
    assert load_demo_events(staff=staff, members=members) == 1 + len(UPCOMING)
    now = timezone.now()

    # The real event of the press release.
    wuzhen = Event.objects.get(slug=WUZHEN_SLUG)
    assert wuzhen.title == "UNIDO Night: WiiTs Workshop & First Plenary of the WiiTs National Advisory Group"
    assert wuzhen in Event.objects.published().past()
    assert wuzhen.starts_at == datetime(2020, 9, 18, 18, 30, tzinfo=SHANGHAI)
    assert wuzhen.local_starts_at.hour == 18 and wuzhen.time_zone == "Asia/Shanghai"
    assert wuzhen.ends_at > wuzhen.starts_at
    assert (wuzhen.kind, wuzhen.registration_mode) == (EventKind.PLENARY, RegistrationMode.INVITATION)
    assert (wuzhen.city, wuzhen.country.code) == ("Tongxiang", "CN")
    assert "Zhou Yiping" in wuzhen.description and "36 experts" in wuzhen.description
    agenda = list(wuzhen.agenda.all())
    assert [item.title for item in agenda] == [
        "Opening remarks",
        "Speech",
        "WiiTs website launching ceremony",
        "First Plenary of the WiiTs National Advisory Group",
        "Discussion: Global Technology Cooperation During Digital Era",
        "Summary of the meeting",
    ]
    assert all(item.starts_at.date() == wuzhen.starts_at.date() for item in agenda)
    assert [s.name for s in agenda[0].speakers.all()] == ["Zhou Cheng"]
    plenary = agenda[3]
    assert [s.name for s in plenary.speakers.all()] == ["Huang Feng"]
    assert "charter" in plenary.description and "conveners" in plenary.description
    speakers = {s.name: s for s in wuzhen.speakers.all()}
    assert set(speakers) == {
        "Zhou Cheng",
        "Zhou Yiping",
        "Huang Feng",
        "Xiong Meng",
        "Marcel Dridje",
        "Karl Östen Ekengren",
        "Helen Wang",
    }
    assert speakers["Huang Feng"].adviser == chair
    assert speakers["Helen Wang"].adviser == helen
    assert speakers["Marcel Dridje"].adviser is None  # not loaded here
    assert all(len(s.title) <= 200 and len(s.affiliation) <= 200 for s in Speaker.objects.all())

    # Upcoming fictional events: 10 to 90 days ahead, every kind of registration.
    upcoming = list(Event.objects.published().upcoming())
    assert len(upcoming) >= 4
    assert len({event.kind for event in upcoming}) >= 3
    assert {event.registration_mode for event in upcoming} == set(RegistrationMode.values)
    for event in upcoming:
        assert 10 <= (event.starts_at - now).days <= 90
        assert event.registration_is_open(), event
        assert event.registration_closes_at < event.starts_at
        assert 2 <= event.agenda.count() <= 4 and 1 <= event.speakers.count() <= 3
        assert event.ends_at > event.starts_at
    assert [event for event in upcoming if places_left(event) == 1] == [
        Event.objects.get(slug="solar-drying-cold-storage-workshop-nairobi")
    ]
    nairobi = Event.objects.get(slug="solar-drying-cold-storage-workshop-nairobi")
    assert nairobi.capacity == 30 and nairobi.time_zone == "Africa/Nairobi"
    assert not nairobi.registrations.exclude(status=RegistrationStatus.REGISTERED).exists()
    assert not nairobi.registrations.exclude(user__email__startswith="demo.attendee.").exists()
    attendee = nairobi.registrations.first().user
    assert not attendee.has_usable_password() and ATTENDEE_EMAIL.format(1) == "demo.attendee.1@wiits.example"

    conference = Event.objects.get(registration_mode=RegistrationMode.APPROVAL)
    statuses = list(conference.registrations.values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.REGISTERED) == 3
    assert RegistrationStatus.PENDING in statuses

    # The members given are free to register: no place held, nothing at an open event.
    held = Registration.objects.filter(user__in=members).exclude(status=RegistrationStatus.PENDING)
    assert not held.exists()
    assert not Registration.objects.filter(user__in=members, event__registration_mode=RegistrationMode.OPEN).exists()

    # Advisers are invited to the closed-door plenary; nobody registered without an invitation.
    plenary_event = Event.objects.get(registration_mode=RegistrationMode.INVITATION, starts_at__gt=now)
    assert set(Invitation.objects.filter(event=plenary_event).values_list("email", flat=True)) == {
        adviser.user.email for adviser in Adviser.objects.active()
    }
    assert not plenary_event.registrations.exists()
