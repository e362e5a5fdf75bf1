"""Counts and lists of events, per event and per member, and what a registration email
says (issue 24: the mutation run found them unpinned)."""

import datetime

import pytest
from django.utils import timezone

from events import selectors, services
from events.models import Registration
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_members_events_are_their_live_registrations_in_published_events_latest_first(member, other_member):
    soon = EventFactory(title="Soon", starts_at=timezone.now() + datetime.timedelta(days=5))
    later = EventFactory(title="Later", starts_at=timezone.now() + datetime.timedelta(days=50))
    hidden = EventFactory(title="Hidden", is_published=False)
    dropped = EventFactory(title="Dropped")
    for event in (soon, later, dropped):
        services.registration_create(event=event, user=member)
    Registration.objects.create(event=hidden, user=member, status="registered")  # registered before it was hidden
    services.registration_cancel(registration=Registration.objects.get(event=dropped, user=member), by=member)
    services.registration_create(event=EventFactory(title="Theirs"), user=other_member)
    assert [r.event.title for r in selectors.registrations_of_member(user=member)] == ["Later", "Soon"]


def test_places_and_waiting_positions_are_counted_per_event():
    full = EventFactory(capacity=2)
    other = EventFactory(capacity=5)
    people = UserFactory.create_batch(5)
    for person in people[:2]:
        services.registration_create(event=other, user=person)
    first = services.registration_create(event=full, user=people[0])
    assert services.places_left(full) == 1 and services.places_left(other) == 3
    services.registration_create(event=full, user=people[1])
    waiting_elsewhere = EventFactory(capacity=0)
    services.registration_create(event=waiting_elsewhere, user=people[4])
    third = services.registration_create(event=full, user=people[2])
    fourth = services.registration_create(event=full, user=people[3])
    assert (third.status, fourth.status, first.status) == ("waiting", "waiting", "registered")
    assert [services.waiting_position(r) for r in (third, fourth, first)] == [1, 2, None]
    # Two who joined at the same moment: the one who came first (lower number) is ahead.
    Registration.objects.filter(pk__in=[third.pk, fourth.pk]).update(queued_at=third.queued_at)
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert [services.waiting_position(r) for r in (third, fourth)] == [1, 2]


def test_the_event_list_counts_registered_people_only(member, other_member):
    event = EventFactory(capacity=1)
    services.registration_create(event=event, user=member)
    services.registration_create(event=event, user=other_member)  # waiting
    gone = services.registration_create(event=EventFactory(), user=UserFactory())
    services.registration_cancel(registration=gone, by=gone.user)
    counts = {e.pk: e.registered_count for e in selectors.events_for_list(past=False)}
    assert counts[event.pk] == 1 and counts[gone.event_id] == 0


def test_the_email_gives_the_waiting_position_and_a_confirmation_carries_the_calendar(
    member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1, title="Shanghai workshop", slug="shanghai-workshop")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, user=member)
        services.registration_create(event=event, user=other_member)
    registered, waiting = mailoutbox
    assert [(name, mimetype) for name, _content, mimetype in registered.attachments] == [
        ("shanghai-workshop.ics", "text/calendar")
    ]
    assert "You are number 1 on the waiting list" in waiting.body and not waiting.attachments
