"""Events: pages, registration with capacity and the waiting list, invitations,
calendars, reminders and the admin."""

import csv
import datetime
import io
import re
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from mailer.models import Message

from events import services
from events.admin import csv_safe
from events.models import AgendaItem, Event, Invitation, Registration, Speaker
from tests.factories import EventFactory, UserFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def statuses(event) -> list[tuple[str, str]]:
    return list(
        Registration.objects.filter(event=event).order_by("queued_at", "pk").values_list("user__name", "status")
    )


# --- Pages -----------------------------------------------------------------------------------


def test_upcoming_and_past_lists_with_filters(client):
    EventFactory(title="Kiln webinar", slug="kiln-webinar", kind="webinar")
    EventFactory(title="Dryer workshop", slug="dryer-workshop")
    EventFactory(
        title="Wuzhen plenary", slug="wuzhen", kind="plenary",
        starts_at=timezone.now() - datetime.timedelta(days=400), ends_at=timezone.now() - datetime.timedelta(days=400),
    )  # fmt: skip
    EventFactory(title="Hidden draft event", slug="hidden", is_published=False)
    upcoming = client.get(reverse("events:upcoming")).content.decode()
    assert "Kiln webinar" in upcoming and "Dryer workshop" in upcoming
    assert "Wuzhen plenary" not in upcoming and "Hidden draft event" not in upcoming
    assert "Wuzhen plenary" in client.get(reverse("events:past")).content.decode()
    webinars = client.get(reverse("events:upcoming"), {"kind": "webinar"}).content.decode()
    assert "Kiln webinar" in webinars and "Dryer workshop" not in webinars
    for params in ({"kind": "nonsense"}, {"date_from": "yesterday"}, {"page": "999"}):
        assert client.get(reverse("events:upcoming"), params).status_code == 200


def test_unpublished_event_is_only_for_staff(client, staff, member, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False  # the two-factor rule: tests/test_url_access.py
    event = EventFactory(is_published=False)
    for url in [event.get_absolute_url(), reverse("events:ics", args=[event.slug])]:
        assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(staff)
    assert "Not published: only staff can see this event." in client.get(event.get_absolute_url()).content.decode()
    assert event.title not in client.get(reverse("events:calendar")).content.decode()


def test_event_page_shows_times_agenda_speakers_and_places(client):
    event = EventFactory(capacity=2, starts_at=datetime.datetime(2031, 3, 4, 7, 0, tzinfo=datetime.UTC))
    event.ends_at = event.starts_at + datetime.timedelta(hours=2)
    event.save()
    speaker = Speaker.objects.create(event=event, name="Wanjiru Mwangi", affiliation="KIRDI")
    item = AgendaItem.objects.create(event=event, starts_at=event.starts_at, title="Opening")
    item.speakers.add(speaker)
    page = client.get(event.get_absolute_url()).content.decode()
    # 07:00 UTC in Nairobi (UTC+3), the day named once: "March 4, 2031, 10 a.m.-noon".
    assert 'March 4, 2031, <time datetime="2031-03-04T10:00:00+03:00" data-local-time>10 a.m.</time>\u2013' in page
    assert "Africa/Nairobi" in page and "Opening" in page and "Wanjiru Mwangi" in page
    assert "2 places left" in page
    assert "Sign in</a> to register." in page


def test_online_link_only_for_registered_participants(client, member, other_member):
    event = EventFactory(venue="", city="", online_url="https://meet.example.org/secret-room", capacity=1)
    services.registration_create(event=event, user=member)
    services.registration_create(event=event, user=other_member)  # waiting
    assert "secret-room" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(other_member)
    assert "secret-room" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(member)
    assert "secret-room" in client.get(event.get_absolute_url()).content.decode()


# --- Registration -----------------------------------------------------------------------------


def test_open_event_registers_then_waits_and_promotes_in_order_on_cancel(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(capacity=2)
    ada, bo, cy, di = (UserFactory(name=name) for name in ["Ada", "Bo", "Cy", "Di"])
    for person in (ada, bo, cy, di):
        services.registration_create(event=event, user=person)
    assert statuses(event) == [("Ada", "registered"), ("Bo", "registered"), ("Cy", "waiting"), ("Di", "waiting")]
    assert services.waiting_position(Registration.objects.get(user=di)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=Registration.objects.get(user=ada), by=ada)
    assert dict(statuses(event)) == {"Ada": "cancelled", "Bo": "registered", "Cy": "registered", "Di": "waiting"}
    promoted = [m for m in mailoutbox if m.to == [cy.email]]
    # Issue 22: the promoted member is told why they have a place.
    assert [m.subject for m in promoted][-1] == f"[WiiTs] A place became free: you are registered for {event.title}"
    assert promoted[-1].attachments[0][0] == f"{event.slug}.ics"
    client.force_login(di)
    assert "You are number 1 on the waiting list." in client.get(event.get_absolute_url()).content.decode()


def test_staff_decline_promotes_the_next(staff):
    event = EventFactory(capacity=1)
    ada, bo = UserFactory(name="Ada"), UserFactory(name="Bo")
    services.registration_create(event=event, user=ada)
    services.registration_create(event=event, user=bo)
    services.registration_decline(registration=Registration.objects.get(user=ada), by=staff)
    assert dict(statuses(event)) == {"Ada": "declined", "Bo": "registered"}
    with pytest.raises(ValidationError, match="declined"):
        services.registration_create(event=event, user=ada)


def test_double_submission_keeps_one_registration(client, member):
    event = EventFactory(capacity=5)
    client.force_login(member)
    for _ in range(3):
        client.post(reverse("events:register", args=[event.slug]))
    assert Registration.objects.filter(event=event, user=member).count() == 1
    assert "You are registered." in client.get(event.get_absolute_url()).content.decode()


def test_approval_mode_waits_for_staff(member, staff, django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(registration_mode="approval", capacity=10)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(event=event, user=member)
    assert registration.status == "pending"
    assert mailoutbox[-1].subject == f"[WiiTs] Registration received: {event.title}"
    with pytest.raises(PermissionDenied):
        services.registration_approve(registration=registration, by=member)
    services.registration_approve(registration=registration, by=staff)
    registration.refresh_from_db()
    assert registration.status == "registered"


@pytest.mark.parametrize("problem", ["none", "used", "expired", "foreign", "other_event"])
def test_invitation_only_needs_a_valid_single_use_link(problem, member, other_member, staff):
    event = EventFactory(registration_mode="invitation", title="Second Plenary", slug="second-plenary")
    invitation = services.invitation_create(event=event, email=member.email.upper(), by=staff)
    token = invitation.token
    if problem == "used":
        services.registration_create(event=event, user=member, invitation_token=token)
        Registration.objects.filter(user=member).update(status="cancelled")
    elif problem == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    elif problem == "other_event":
        token = services.invitation_create(
            event=EventFactory(registration_mode="invitation"), email=member.email, by=staff
        ).token
    user = other_member if problem == "foreign" else member
    if problem == "none":
        with pytest.raises(ValidationError):
            services.registration_create(event=event, user=user)
        assert services.registration_create(event=event, user=user, invitation_token=token).status == "registered"
        invitation.refresh_from_db()
        assert invitation.used_by == member
        return
    with pytest.raises(ValidationError):
        services.registration_create(event=event, user=user, invitation_token=token)
    assert not Registration.objects.filter(event=event, user=user, status="registered").exists()


def test_invitation_page_and_email(client, member, staff, django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(registration_mode="invitation")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(event=event, email=member.email, by=staff)
    (email,) = mailoutbox
    assert email.to == [member.email] and invitation.get_absolute_url() in email.body
    client.force_login(member)
    page = client.get(invitation.get_absolute_url()).content.decode()
    assert "Accept the invitation and register" in page
    client.post(reverse("events:register", args=[event.slug]), {"token": invitation.token})
    assert Registration.objects.get(user=member).status == "registered"
    assert "already been used" in client.get(invitation.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("opens", "closes", "starts", "allowed"),
    [
        (-1, 1, 2, True),
        (1, 2, 3, False),  # not open yet
        (-2, -1, 3, False),  # window over
        (-2, None, -1, False),  # the event has started
        (None, None, 1, True),
    ],
)
def test_registration_window(opens, closes, starts, allowed, member):
    now = timezone.now()
    hours = lambda n: None if n is None else now + datetime.timedelta(hours=n)  # noqa: E731
    event = EventFactory(
        registration_opens_at=hours(opens), registration_closes_at=hours(closes), starts_at=hours(starts),
        ends_at=hours(starts) + datetime.timedelta(hours=2),
    )  # fmt: skip
    if allowed:
        assert services.registration_create(event=event, user=member).status == "registered"
    else:
        with pytest.raises(ValidationError, match="closed"):
            services.registration_create(event=event, user=member)


def test_register_and_cancel_views_are_post_only_for_members(client, member):
    event = EventFactory()
    url = reverse("events:register", args=[event.slug])
    assert client.post(url)["Location"].startswith(reverse("account_login"))
    client.force_login(member)
    assert client.get(url).status_code == 405
    client.post(url)
    client.post(reverse("events:cancel", args=[event.slug]), {"confirmed": "1"})  # issue 22: the confirmed POST
    assert Registration.objects.get(user=member).status == "cancelled"


# --- Calendars and reminders ---------------------------------------------------------------


def test_ics_has_the_right_times_across_time_zones(client):
    starts = datetime.datetime(2031, 6, 1, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    event = EventFactory(title="Shanghai conference", slug="shanghai", time_zone="Asia/Shanghai", starts_at=starts,
                         ends_at=starts + datetime.timedelta(hours=8))  # fmt: skip
    EventFactory(title="Lima roadshow", slug="lima", time_zone="America/Lima")
    response = client.get(reverse("events:ics", args=[event.slug]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    (entry,) = calendar.walk("VEVENT")
    assert entry.decoded("dtstart") == starts
    assert entry.decoded("dtstart").astimezone(datetime.UTC) == datetime.datetime(
        2031, 6, 1, 1, 30, tzinfo=datetime.UTC
    )
    assert entry["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    feed = Calendar.from_ical(client.get(reverse("events:calendar")).content)
    assert sorted(str(e["summary"]) for e in feed.walk("VEVENT")) == ["Lima roadshow", "Shanghai conference"]
    assert sorted(str(tz["TZID"]) for tz in feed.walk("VTIMEZONE")) == ["America/Lima", "Asia/Shanghai"]


def test_reminder_goes_once_a_day_before(
    member, other_member, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.WIITS_EVENT_REMINDER_HOURS = 24
    soon = EventFactory(title="Tomorrow", starts_at=timezone.now() + datetime.timedelta(hours=20))
    EventFactory(title="Next month")
    services.registration_create(event=soon, user=member)
    Registration.objects.create(event=soon, user=other_member, status="waiting")
    Message.objects.all().delete()  # the confirmation, not under test here
    with django_capture_on_commit_callbacks(execute=True):
        assert services.events_send_reminders() == 1
        assert services.events_send_reminders() == 0
    assert [(m.to, m.subject) for m in mailoutbox] == [([member.email], "[WiiTs] Reminder: Tomorrow")]


# --- Admin ---------------------------------------------------------------------------------


def test_csv_export_neutralises_formulas(staff_client):
    event = EventFactory()
    attacker = UserFactory(name='=HYPERLINK("http://evil.example")', organisation__name="+cmd|' /C calc'!A0")
    services.registration_create(event=event, user=attacker)
    response = staff_client.post(
        reverse("admin:events_event_changelist"), {"action": "export_registrants", "_selected_action": [event.pk]}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["event", "name", "email"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][3] == "'+cmd|' /C calc'!A0"
    assert [csv_safe(v) for v in ["-1", "@x", "\tx", "ok"]] == ["'-1", "'@x", "'\tx", "ok"]


def test_admin_actions_email_registrants_and_duplicate(
    staff_client, member, django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(capacity=3)
    AgendaItem.objects.create(event=event, starts_at=event.starts_at, title="Opening")
    services.registration_create(event=event, user=member)
    url = reverse("admin:events_event_changelist")
    Message.objects.all().delete()  # the confirmation, not under test here
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {
            "action": "email_registrants", "_selected_action": [event.pk], "apply": "1",
            "statuses": ["registered"], "subject": "Bring your laptop", "message": "Sessions are hands-on.",
        })  # fmt: skip
    assert [(m.to, m.subject) for m in mailoutbox] == [([member.email], "[WiiTs] Bring your laptop")]
    staff_client.post(url, {"action": "duplicate", "_selected_action": [event.pk]})
    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.is_published is False and copy.agenda.count() == 1 and copy.slug.startswith(event.slug)


def test_admin_moves_registrations(staff_client, member, other_member):
    event = EventFactory(capacity=1)
    services.registration_create(event=event, user=member)
    services.registration_create(event=event, user=other_member)
    url = reverse("admin:events_registration_changelist")
    first = Registration.objects.get(user=member)
    staff_client.post(url, {"action": "to_waiting", "_selected_action": [first.pk]})
    staff_client.post(
        url, {"action": "to_registered", "_selected_action": [Registration.objects.get(user=other_member).pk]}
    )
    assert dict(statuses(event)) == {member.name: "waiting", other_member.name: "registered"}


def test_staff_cannot_move_anyone_into_a_full_event(staff, staff_client, member, other_member):
    event = EventFactory(capacity=1)
    services.registration_create(event=event, user=member)
    waiting = services.registration_create(event=event, user=other_member)
    pending = Registration.objects.create(event=event, user=UserFactory(name="Pending Person"), status="pending")
    assert waiting.status == "waiting"
    Message.objects.all().delete()  # the registrations' own emails
    for registration in (waiting, pending):
        with pytest.raises(ValidationError, match="The event is full"):
            services.registration_to_registered(registration=registration, by=staff)
    response = staff_client.post(
        reverse("admin:events_registration_changelist"),
        {"action": "to_registered", "_selected_action": [waiting.pk, pending.pk]},
        follow=True,
    )
    assert "The event is full" in response.content.decode()
    assert dict(statuses(event)) == {
        member.name: "registered",
        other_member.name: "waiting",
        "Pending Person": "pending",
    }
    assert not Message.objects.exists()  # nobody was told they have a place


# --- Query counts --------------------------------------------------------------------------


def test_event_pages_make_a_fixed_number_of_queries(client):
    event = EventFactory(capacity=50)
    Speaker.objects.create(event=event, name="One")
    AgendaItem.objects.create(event=event, starts_at=event.starts_at, title="One")
    services.registration_create(event=event, user=UserFactory())
    lists = count_queries(client, reverse("events:upcoming"))
    detail = count_queries(client, event.get_absolute_url())
    EventFactory.create_batch(10)
    for n in range(5):
        speaker = Speaker.objects.create(event=event, name=f"Speaker {n}")
        AgendaItem.objects.create(event=event, starts_at=event.starts_at, title=f"Item {n}").speakers.add(speaker)
        services.registration_create(event=event, user=UserFactory())
    assert count_queries(client, reverse("events:upcoming")) == lists
    assert count_queries(client, event.get_absolute_url()) == detail


# --- Review fixes ----------------------------------------------------------------------------


def test_admin_reads_and_shows_times_in_the_events_time_zone(staff_client):
    response = staff_client.post(reverse("admin:events_event_add"), {
        "kind": "webinar", "title": "Vienna webinar", "slug": "vienna-webinar", "summary": "Online.",
        "starts_at_0": "2031-01-15", "starts_at_1": "10:00:00", "ends_at_0": "2031-01-15", "ends_at_1": "11:00:00",
        "time_zone": "Europe/Vienna", "online_url": "https://meet.example.org/v", "registration_mode": "open",
        "original_language": "en",
        "speakers-TOTAL_FORMS": "0", "speakers-INITIAL_FORMS": "0",
        "agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0",
        "registrations-TOTAL_FORMS": "0", "registrations-INITIAL_FORMS": "0",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(slug="vienna-webinar")
    assert event.starts_at == datetime.datetime(2031, 1, 15, 9, 0, tzinfo=datetime.UTC)  # 10:00 CET
    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    (field,) = re.findall(r"<input[^>]*name=\"starts_at_1\"[^>]*>", page)
    assert 'value="10:00:00"' in field


def test_raising_the_capacity_promotes_the_waiting_list_first(staff, member, other_member):
    event = EventFactory(capacity=1)
    services.registration_create(event=event, user=member)
    services.registration_create(event=event, user=other_member)
    Event.objects.filter(pk=event.pk).update(capacity=2)
    newcomer = UserFactory(name="Newcomer")
    assert services.registration_create(event=event, user=newcomer).status == "waiting"  # no jumping the queue
    services.event_fill_places(event=event)
    assert Registration.objects.get(user=other_member).status == "registered"


def test_moving_someone_to_the_waiting_list_does_not_bounce_them_back(staff, member):
    event = EventFactory(capacity=5)
    registration = services.registration_create(event=event, user=member)
    services.registration_to_waiting(registration=registration, by=staff)
    registration.refresh_from_db()
    assert registration.status == "waiting"


def test_a_registered_member_can_cancel_after_the_window_closes(client, member):
    event = EventFactory(capacity=5)
    services.registration_create(event=event, user=member)
    Event.objects.filter(pk=event.pk).update(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(member)
    assert "Cancel my registration" in client.get(event.get_absolute_url()).content.decode()
    client.post(reverse("events:cancel", args=[event.slug]), {"confirmed": "1"})
    assert Registration.objects.get(user=member).status == "cancelled"


def test_staff_cannot_delete_registrations(staff_client, member):
    registration = services.registration_create(event=EventFactory(), user=member)
    url = reverse("admin:events_registration_delete", args=[registration.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 403
    assert Registration.objects.filter(pk=registration.pk).exists()


# --- Permissions of staff (issue 24) ---------------------------------------------------------


def _staff_with(*codenames):
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="events", codename__in=codenames))
    return type(user).objects.get(pk=user.pk)  # no permission cache from before the grant


def test_staff_who_may_only_view_events_are_refused_at_the_services(member, mailoutbox):
    viewer = _staff_with("view_event", "view_registration", "view_invitation")
    pending = services.registration_create(event=EventFactory(registration_mode="approval"), user=member)
    registered = Registration.objects.create(
        event=EventFactory(starts_at=timezone.now() - datetime.timedelta(hours=1)), user=UserFactory(),
        status="registered", queued_at=timezone.now(),
    )  # fmt: skip
    invitation_only = EventFactory(registration_mode="invitation")
    refused = [
        lambda: services.registration_approve(registration=pending, by=viewer),
        lambda: services.registration_decline(registration=pending, by=viewer),
        lambda: services.registration_to_registered(registration=pending, by=viewer),
        lambda: services.registration_to_waiting(registration=registered, by=viewer),
        lambda: services.registration_mark_attendance(registration=registered, by=viewer, attended=True),
        lambda: services.invitation_create(event=invitation_only, email="guest@example.org", by=viewer),
        lambda: services.event_email_registrants(
            event=pending.event, by=viewer, statuses=["pending"], subject="Hello", message="Hi."
        ),
        lambda: services.event_duplicate(event=invitation_only, by=viewer),
    ]
    Message.objects.all().delete()  # the registrations' own emails
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    pending.refresh_from_db()
    registered.refresh_from_db()
    assert (pending.status, registered.status, registered.attended) == ("pending", "registered", None)
    assert not Invitation.objects.exists() and Event.objects.count() == 3 and not Message.objects.exists()


def test_staff_with_the_model_permissions_run_the_event_actions(
    client, settings, member, django_capture_on_commit_callbacks, mailoutbox
):
    """Not superusers: each action works with exactly the permission it declares."""
    settings.WIITS_STAFF_REQUIRE_MFA = False
    event = EventFactory(registration_mode="approval", capacity=5)
    registration = services.registration_create(event=event, user=member)
    events_url = reverse("admin:events_event_changelist")
    registrations_url = reverse("admin:events_registration_changelist")

    client.force_login(_staff_with("view_event", "change_registration"))
    client.post(registrations_url, {"action": "approve", "_selected_action": [registration.pk]})
    registration.refresh_from_db()
    assert registration.status == "registered"
    export = client.post(events_url, {"action": "export_registrants", "_selected_action": [event.pk]})
    assert member.email in export.content.decode("utf-8-sig")

    client.force_login(_staff_with("change_event"))
    Message.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(events_url, {
            "action": "email_registrants", "_selected_action": [event.pk], "apply": "1",
            "statuses": ["registered"], "subject": "Bring your laptop", "message": "Sessions are hands-on.",
        })  # fmt: skip
    assert [m.to for m in mailoutbox] == [[member.email]]
    export = client.post(events_url, {"action": "export_registrants", "_selected_action": [event.pk]})
    assert "attachment" not in export.get("Content-Disposition", "")  # editing events is not enough

    client.force_login(_staff_with("view_event", "add_event"))
    client.post(events_url, {"action": "duplicate", "_selected_action": [event.pk]})
    assert Event.objects.count() == 2


# --- Rules at every door (issue 24) -----------------------------------------------------------


def test_a_deleted_members_place_goes_to_the_waiting_list(django_capture_on_commit_callbacks, mailoutbox):
    from accounts import services as account_services
    from accounts.models import User

    event = EventFactory(capacity=1)
    leaving, waiting = UserFactory(name="Ada"), UserFactory(name="Bo")
    services.registration_create(event=event, user=leaving)
    services.registration_create(event=event, user=waiting)
    with django_capture_on_commit_callbacks(execute=True):
        account_services.member_delete(user=leaving)  # the deletion page's service, and the admin's
    assert not User.objects.filter(pk=leaving.pk).exists()
    assert statuses(event) == [("Bo", "registered")]
    promoted = [m.subject for m in mailoutbox if m.to == [waiting.email]]
    assert promoted[-1] == f"[WiiTs] A place became free: you are registered for {event.title}"  # issue 22


def test_a_reminder_rechecks_the_row_an_event_moved_meanwhile_wins(
    member, django_capture_on_commit_callbacks, mailoutbox, settings, monkeypatch
):
    settings.WIITS_EVENT_REMINDER_HOURS = 24
    soon = EventFactory(title="Tomorrow", starts_at=timezone.now() + datetime.timedelta(hours=20))
    services.registration_create(event=soon, user=member)
    Message.objects.all().delete()
    real_atomic = services.transaction.atomic

    def moved_then_atomic(*args, **kwargs):  # staff move the event after the daily query read it
        later = timezone.now() + datetime.timedelta(days=30)
        Event.objects.filter(pk=soon.pk).update(starts_at=later, ends_at=later + datetime.timedelta(hours=3))
        return real_atomic(*args, **kwargs)

    monkeypatch.setattr(services.transaction, "atomic", moved_then_atomic)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.events_send_reminders() == 0
    assert mailoutbox == []


def test_deleting_a_member_in_the_admin_is_the_same_act_as_on_their_page(
    staff_client, member, django_capture_on_commit_callbacks, mailoutbox
):
    from accounts.models import User

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:accounts_user_delete", args=[member.pk]), {"post": "yes"})
    assert not User.objects.filter(pk=member.pk).exists()
    assert [m.to for m in mailoutbox] == [[member.email]]  # the "account deleted" confirmation


def test_a_speaker_links_to_their_adviser_profile_only_while_they_are_a_current_adviser(client):
    from tests.factories import AdviserFactory

    event = EventFactory()
    adviser = AdviserFactory(user__name="Helen Wang")
    Speaker.objects.create(event=event, order=1, name="Helen Wang", adviser=adviser)
    assert adviser.get_absolute_url() in client.get(event.get_absolute_url()).content.decode()
    adviser.active_until = timezone.localdate() - datetime.timedelta(days=1)  # the term ended
    adviser.save()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Helen Wang" in page and adviser.get_absolute_url() not in page


def test_ics_time_zone_covers_the_years_around_the_event_only(client):
    """A VTIMEZONE from a year before to a year after the event: its summer and winter
    offsets, not every transition since 1970 (icalendar's default, slow to work out)."""
    starts = datetime.datetime(2031, 7, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Vienna"))
    event = EventFactory(slug="vienna", time_zone="Europe/Vienna", starts_at=starts,
                         ends_at=starts + datetime.timedelta(hours=8))  # fmt: skip
    calendar = Calendar.from_ical(client.get(reverse("events:ics", args=[event.slug])).content)
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Vienna"
    offsets = {str(part["TZOFFSETTO"].to_ical()) for part in zone.walk() if part.name in {"STANDARD", "DAYLIGHT"}}
    assert offsets == {"+0100", "+0200"}
    years = {part.decoded("DTSTART").year for part in zone.walk() if part.name in {"STANDARD", "DAYLIGHT"}}
    assert min(years) >= 2029 and max(years) <= 2032
    assert zone.to_tz().utcoffset(datetime.datetime(2031, 7, 1, 9, 0)) == datetime.timedelta(hours=2)
