"""Events' rules pinned down to what members and staff see: the exact messages, who gets
a place and in what order, the boundaries in time, the reminders and their calendar
attachment, and the work each task does."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from mailer.models import Message

from events import selectors, services
from events.models import Event, Invitation, Registration
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
PK = 1_000_000  # a number above those the database gives, to store rows out of their numbers' order


def statuses(event) -> list[tuple[str, str]]:
    return list(
        Registration.objects.filter(event=event).order_by("queued_at", "pk").values_list("user__name", "status")
    )


def attachments(email) -> list[tuple[str, str, bool]]:
    """Each attachment's name and type, and whether it holds the event's calendar entry."""
    found = []
    for name, content, mimetype in email.attachments:
        text = content.decode() if isinstance(content, bytes) else content
        found.append((name, mimetype, "BEGIN:VEVENT" in text))
    return found


# --- Messages ----------------------------------------------------------------------------------


def test_a_member_moving_registrations_is_told_only_staff_may(member, other_member):
    registration = services.registration_create(event=EventFactory(registration_mode="approval"), user=other_member)
    moves = [
        services.registration_approve,
        services.registration_decline,
        services.registration_to_waiting,
        services.registration_to_registered,
    ]
    for move in moves:
        with pytest.raises(PermissionDenied) as refused:
            move(registration=registration, by=member)
        assert str(refused.value) == "Only WiiTs staff may do this."
    registration.refresh_from_db()
    assert registration.status == "pending"


def test_staff_are_told_why_a_registration_stays_where_it_is(staff, member, other_member):
    event = EventFactory(capacity=1)
    services.registration_create(event=event, user=other_member)
    waiting = services.registration_create(event=event, user=member)
    with pytest.raises(ValidationError) as refused:
        services.registration_to_waiting(registration=waiting, by=staff)
    assert refused.value.messages == ["Amina Diallo is On the waiting list."]
    with pytest.raises(ValidationError) as refused:
        services.registration_to_registered(registration=waiting, by=staff)
    assert refused.value.messages == ["The event is full: Amina Diallo stays where they are."]
    assert statuses(event) == [("Outsider Person", "registered"), ("Amina Diallo", "waiting")]


def test_each_invitation_problem_has_its_message(member, other_member, staff):
    event = EventFactory(registration_mode="invitation")
    invitation = services.invitation_create(event=event, email=member.email, by=staff)
    elsewhere = services.invitation_create(
        event=EventFactory(registration_mode="invitation"), email=member.email, by=staff
    )

    def refusal(user, token):
        with pytest.raises(ValidationError) as refused:
            services.registration_create(event=event, user=user, invitation_token=token)
        return refused.value.messages

    assert refusal(member, "") == ["This invitation link is not valid for this event."]
    assert refusal(member, elsewhere.token) == ["This invitation link is not valid for this event."]
    assert refusal(other_member, invitation.token) == ["This invitation was sent to another email address."]
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert refusal(member, invitation.token) == ["This invitation has expired."]
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=event.starts_at, used_at=timezone.now())
    assert refusal(member, invitation.token) == ["This invitation has already been used."]
    assert not Registration.objects.exists()


def test_an_invitation_is_valid_up_to_the_moment_it_expires(member, staff, monkeypatch):
    invitation = services.invitation_create(
        event=EventFactory(registration_mode="invitation"), email=member.email, by=staff
    )
    monkeypatch.setattr(services.timezone, "now", lambda: invitation.expires_at)
    assert services.invitation_problem(invitation, member) is None
    monkeypatch.setattr(services.timezone, "now", lambda: invitation.expires_at + datetime.timedelta(microseconds=1))
    assert services.invitation_problem(invitation, member) == "This invitation has expired."


# --- Places and the waiting list ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("before_the_start", "expected"),
    [
        (datetime.timedelta(microseconds=1), {"Amina Diallo": "declined", "Outsider Person": "registered"}),
        (datetime.timedelta(0), {"Amina Diallo": "declined", "Outsider Person": "waiting"}),
    ],
)
def test_a_place_declined_once_the_event_starts_goes_to_nobody(
    staff, member, other_member, monkeypatch, before_the_start, expected
):
    event = EventFactory(capacity=1)
    registered = services.registration_create(event=event, user=member)
    services.registration_create(event=event, user=other_member)
    moment = event.starts_at - before_the_start
    monkeypatch.setattr(services.timezone, "now", lambda: moment)
    services.registration_decline(registration=registered, by=staff)
    assert dict(statuses(event)) == expected


def test_free_places_go_to_this_events_waiting_list_in_the_order_people_joined_it(
    staff, django_capture_on_commit_callbacks, mailoutbox
):
    other = EventFactory(capacity=1, title="Other event")
    Registration.objects.create(event=other, user=UserFactory(name="Xi"), status="registered")
    Registration.objects.create(event=other, user=UserFactory(name="Yu"), status="waiting")  # waiting longest
    event = EventFactory(capacity=1, title="Kiln workshop", slug="kiln-workshop")
    ada, bo, cy = (UserFactory(name=name, email=f"{name.lower()}@example.org") for name in ("Ada", "Bo", "Cy"))
    for person in (ada, bo, cy):
        services.registration_create(event=event, user=person)
    assert services.event_fill_places(event=event) == []  # full: nobody moves
    services.registration_to_waiting(registration=Registration.objects.get(user=ada), by=staff)  # now last in line
    Event.objects.filter(pk=event.pk).update(capacity=2)
    Message.objects.all().delete()  # the emails so far, not under test here
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.event_fill_places(event=event)
    assert [(r.user.name, r.status) for r in promoted] == [("Bo", "registered"), ("Cy", "registered")]
    calendar = [("kiln-workshop.ics", "text/calendar", True)]
    assert [(m.to, m.subject, attachments(m)) for m in mailoutbox] == [
        (["bo@example.org"], "[WiiTs] A place became free: you are registered for Kiln workshop", calendar),
        (["cy@example.org"], "[WiiTs] A place became free: you are registered for Kiln workshop", calendar),
    ]
    Event.objects.filter(pk=event.pk).update(capacity=None)
    assert [r.user.name for r in services.event_fill_places(event=event)] == ["Ada"]
    assert services.event_fill_places(event=event) == []  # nobody waits
    assert statuses(other) == [("Xi", "registered"), ("Yu", "waiting")]


def test_of_two_who_joined_the_waiting_list_at_the_same_moment_the_lower_number_goes_first():
    event = EventFactory(capacity=0)
    moment = timezone.now()
    for name, pk in [("Zoe", PK + 2), ("Abe", PK + 1)]:  # stored out of their numbers' order
        user = UserFactory(name=name)
        Registration.objects.create(pk=pk, event=event, user=user, status="waiting", queued_at=moment)
    Event.objects.filter(pk=event.pk).update(capacity=1)
    assert [r.user.name for r in services.event_fill_places(event=event)] == ["Abe"]


def test_a_deleted_members_places_in_upcoming_events_go_to_the_waiting_lists():
    ada, bo, cy, di = (UserFactory(name=name) for name in ("Ada", "Bo", "Cy", "Di"))
    upcoming = EventFactory(capacity=1, title="Upcoming")
    # A registration number unlike the event's: the places freed are counted by event.
    Registration.objects.create(pk=PK, event=upcoming, user=ada, status="registered")
    Registration.objects.create(event=upcoming, user=bo, status="waiting")
    full = EventFactory(capacity=1, title="Full")
    Registration.objects.create(event=full, user=di, status="registered")
    Registration.objects.create(event=full, user=ada, status="waiting")
    past = EventFactory(capacity=1, starts_at=timezone.now() - 2 * HOUR, title="Past")
    Registration.objects.create(event=past, user=ada, status="registered")
    Registration.objects.create(event=past, user=cy, status="waiting")
    Registration.objects.create(event=EventFactory(title="Di's own"), user=di, status="registered")
    assert services.release_places_of_deleted_member(user=ada) == 1
    assert not Registration.objects.filter(user=ada).exists()
    assert [(r.event.title, r.user.name, r.status) for r in Registration.objects.order_by("event_id", "pk")] == [
        ("Upcoming", "Bo", "registered"),
        ("Full", "Di", "registered"),
        ("Past", "Cy", "waiting"),
        ("Di's own", "Di", "registered"),
    ]


def test_a_staff_move_keeps_a_reminder_claimed_meanwhile(
    staff, member, settings, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    settings.WIITS_EVENT_REMINDER_HOURS = 24
    event = EventFactory(title="Tomorrow", starts_at=timezone.now() + 20 * HOUR, capacity=5)
    registration = services.registration_create(event=event, user=member)
    real_set_status = services._set_status

    def the_daily_task_runs_meanwhile(registration, status):
        services.events_send_reminders()
        real_set_status(registration, status)

    with django_capture_on_commit_callbacks(execute=True):
        monkeypatch.setattr(services, "_set_status", the_daily_task_runs_meanwhile)
        services.registration_to_waiting(registration=registration, by=staff)
        monkeypatch.undo()
        services.registration_to_registered(registration=registration, by=staff)
        assert services.events_send_reminders() == 0
    assert [m.subject for m in mailoutbox] == [
        "[WiiTs] You are registered: Tomorrow",
        "[WiiTs] Reminder: Tomorrow",
        "[WiiTs] On the waiting list: Tomorrow",
        "[WiiTs] You are registered: Tomorrow",
    ]


# --- Reminders ---------------------------------------------------------------------------------


def test_each_registered_participant_is_reminded_once_with_the_event_attached(
    member, other_member, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.WIITS_EVENT_REMINDER_HOURS = 24
    soon = EventFactory(title="Tomorrow", slug="tomorrow", starts_at=timezone.now() + 20 * HOUR)
    for person in (member, other_member):
        services.registration_create(event=soon, user=person)
    Message.objects.all().delete()  # the confirmations, not under test here
    with django_capture_on_commit_callbacks(execute=True):
        assert services.events_send_reminders() == 2
        assert services.events_send_reminders() == 0
    assert sorted((m.to, m.subject, attachments(m)) for m in mailoutbox) == [
        ([member.email], "[WiiTs] Reminder: Tomorrow", [("tomorrow.ics", "text/calendar", True)]),
        ([other_member.email], "[WiiTs] Reminder: Tomorrow", [("tomorrow.ics", "text/calendar", True)]),
    ]


def test_with_nothing_due_the_reminders_read_once_and_write_nothing(settings, django_assert_num_queries):
    settings.WIITS_EVENT_REMINDER_HOURS = 24
    now = timezone.now()
    soon = EventFactory(starts_at=now + 20 * HOUR)
    Registration.objects.create(event=soon, user=UserFactory(), status="waiting")
    Registration.objects.create(event=soon, user=UserFactory(), status="registered", reminder_sent_at=now)
    for event in (
        EventFactory(starts_at=now + 20 * HOUR, is_published=False),
        EventFactory(starts_at=now - HOUR),
        EventFactory(starts_at=now + 25 * HOUR),
    ):
        Registration.objects.create(event=event, user=UserFactory(), status="registered")
    with django_assert_num_queries(1):
        assert services.events_send_reminders() == 0


RACES = {
    "another run reminded them": (
        "registration",
        {"reminder_sent_at": datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)},
    ),
    "the member cancelled": ("registration", {"status": "cancelled"}),
    "staff unpublished the event": ("event", {"is_published": False}),
    "staff moved the event earlier": ("event", {"starts_at": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)}),
}


@pytest.mark.parametrize("race", RACES)
def test_a_reminder_rechecks_the_row_what_changed_meanwhile_wins(
    race, member, settings, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    settings.WIITS_EVENT_REMINDER_HOURS = 24
    registration = services.registration_create(event=EventFactory(starts_at=timezone.now() + 20 * HOUR), user=member)
    Message.objects.all().delete()
    real_atomic = services.transaction.atomic

    def changed_then_atomic(*args, **kwargs):  # after the daily query read the row
        row, change = RACES[race]
        if row == "event":
            Event.objects.filter(pk=registration.event_id).update(**change)
        else:
            Registration.objects.filter(pk=registration.pk).update(**change)
        return real_atomic(*args, **kwargs)

    monkeypatch.setattr(services.transaction, "atomic", changed_then_atomic)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.events_send_reminders() == 0
    assert mailoutbox == []


# --- Queries of the tasks ------------------------------------------------------------------------


def test_promotions_and_reminders_make_a_fixed_number_of_queries_each(staff, settings, django_assert_num_queries):
    settings.WIITS_EVENT_REMINDER_HOURS = 24
    event = EventFactory(capacity=1, starts_at=timezone.now() + 20 * HOUR)
    registered = services.registration_create(event=event, user=UserFactory())
    for _ in range(3):
        services.registration_create(event=event, user=UserFactory())
    # A promotion: count the places left, read the first in line (with member and event),
    # save them, queue their email. Each change runs in a savepoint, the event locked. The
    # audit trail (common/audit.py) reads each changed registration as it was and writes
    # one entry: 2 more queries per change of status.
    with django_assert_num_queries(1 + 1 + 4 + 4 + 1 + 2 * 2):  # the lock, the decline and its email, a promotion
        services.registration_decline(registration=registered, by=staff)
    Event.objects.filter(pk=event.pk).update(capacity=3)
    with django_assert_num_queries(1 + 1 + 4 * 2 + 1 + 1 + 2 * 2):  # the lock, two promotions, a last count
        assert len(services.event_fill_places(event=event)) == 2
    # The reminders: one read, then per reminder a savepoint, the claim, the email, the release.
    with django_assert_num_queries(1 + 4 * 3):
        assert services.events_send_reminders() == 3


# --- Selectors -----------------------------------------------------------------------------------


def test_a_members_registration_is_looked_up_for_that_event_only(member):
    first, second = EventFactory(), EventFactory()
    registration = services.registration_create(event=first, user=member)
    assert selectors.registration_of(user=member, event=first) == registration
    assert selectors.registration_of(user=member, event=second) is None
    assert selectors.registration_of(user=AnonymousUser(), event=first) is None


def test_the_data_export_lists_each_registration_in_two_queries(member, other_member, django_assert_num_queries):
    starts = datetime.datetime(2031, 3, 4, 7, 0, tzinfo=datetime.UTC)
    first = EventFactory(title="Kiln workshop", starts_at=starts, capacity=1)
    second = EventFactory(title="Dryer webinar", starts_at=starts + 24 * HOUR)
    services.registration_create(event=first, user=other_member)
    services.registration_create(event=first, user=member)
    services.registration_create(event=second, user=member)
    mine = list(Registration.objects.filter(user=member).order_by("created_at"))
    with django_assert_num_queries(2):  # the registrations with their letters, the events' questions
        data = selectors.member_export_data(user=member)
    assert data == {
        "event_registrations": [
            {
                "event": "Kiln workshop",
                "starts_at": "2031-03-04T07:00:00+00:00",
                "status": "waiting",
                "since": mine[0].queued_at.isoformat(),
                "answers": {},
                "visa_letter": None,
            },
            {
                "event": "Dryer webinar",
                "starts_at": "2031-03-05T07:00:00+00:00",
                "status": "registered",
                "since": mine[1].queued_at.isoformat(),
                "answers": {},
                "visa_letter": None,
            },
        ]
    }
