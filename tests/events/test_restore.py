"""Taking back a cancelled place while it is still free (issue 22), and the email that
tells a member promoted from the waiting list why they have a place."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from mailer.models import Message

from events import services
from events.models import Event, Registration
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db

PROMOTED_EN = "A place became free at"
GONE = "Your place has gone to the next person on the waiting list; you can join the waiting list again."


def state(event) -> tuple:
    """Everything a refused restore must leave as it was."""
    return (
        list(Registration.objects.filter(event=event).order_by("pk").values_list("pk", "status", "queued_at")),
        Message.objects.count(),
    )


def cancel_on_the_site(client, event):
    """The member's cancellation through the confirmation page's POST."""
    return client.post(reverse("events:cancel", args=[event.slug]), {"confirmed": "1"}, follow=True)


def test_a_cancelled_place_can_be_restored_while_it_is_free(
    client, member, django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(capacity=2)
    services.registration_create(event=event, user=member)
    client.force_login(member)
    response = cancel_on_the_site(client, event)
    assert Registration.objects.get(user=member).status == "cancelled"
    assert "Changed your mind?" in str(next(iter(response.context["messages"])))
    page = response.content.decode()
    restore_url = reverse("events:restore", args=[event.slug])
    assert "Restore my registration" in page and f'action="{restore_url}"' in page
    # GET shows the confirmation and changes nothing.
    before = state(event)
    confirmation = client.get(restore_url)
    assert confirmation.status_code == 200 and "Restore your registration?" in confirmation.content.decode()
    assert state(event) == before
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(restore_url, follow=True)
    assert Registration.objects.get(user=member).status == "registered"
    assert "You are registered." in response.content.decode()
    assert "Restore my registration" not in response.content.decode()
    email = [m for m in mailoutbox if m.to == [member.email]][-1]  # after the cancellation's
    assert email.subject == f"[WiiTs] You are registered: {event.title}"
    assert email.attachments[0][0] == f"{event.slug}.ics"
    # The receipt is spent: nothing more to restore.
    assert client.get(restore_url).status_code == 302


def test_no_restore_once_the_place_went_to_the_waiting_list(client, member):
    event = EventFactory(capacity=1)
    waiting = UserFactory(name="Bo Waiting")
    services.registration_create(event=event, user=member)
    services.registration_create(event=event, user=waiting)
    client.force_login(member)
    response = cancel_on_the_site(client, event)
    assert Registration.objects.get(user=waiting).status == "registered"
    page = response.content.decode()
    assert GONE in page.replace("&#x27;", "'")
    assert "Restore my registration" not in page
    assert "Join the waiting list" in page  # and they can
    before = state(event)
    response = client.post(reverse("events:restore", args=[event.slug]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [GONE]
    assert state(event) == before
    assert client.get(reverse("events:restore", args=[event.slug])).status_code == 302
    assert state(event) == before


def test_no_restore_once_someone_else_registered_into_the_free_place(client, member):
    event = EventFactory(capacity=1)
    services.registration_create(event=event, user=member)
    client.force_login(member)
    cancel_on_the_site(client, event)
    services.registration_create(event=event, user=UserFactory())  # takes the free place
    before = state(event)
    response = client.post(reverse("events:restore", args=[event.slug]), follow=True)
    (message,) = [str(m) for m in response.context["messages"]]
    assert "the event is full" in message
    assert state(event) == before


def test_no_restore_once_registration_closed(client, member):
    event = EventFactory(capacity=5)
    services.registration_create(event=event, user=member)
    client.force_login(member)
    cancel_on_the_site(client, event)
    Event.objects.filter(pk=event.pk).update(registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Restore my registration" not in page and "cannot be restored" in page
    before = state(event)
    response = client.post(reverse("events:restore", args=[event.slug]), follow=True)
    assert "Registration for this event is closed" in str(next(iter(response.context["messages"])))
    assert state(event) == before


def test_leaving_the_waiting_list_or_a_request_gives_nothing_to_restore(client, member):
    event = EventFactory(capacity=1)
    services.registration_create(event=event, user=UserFactory())
    assert services.registration_create(event=event, user=member).status == "waiting"
    client.force_login(member)
    cancel_on_the_site(client, event)
    assert "Restore my registration" not in client.get(event.get_absolute_url()).content.decode()
    before = state(event)
    response = client.post(reverse("events:restore", args=[event.slug]), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["There is no cancelled place of yours to restore."]
    assert state(event) == before
    # A request waiting for approval does not come back approved either.
    approval = EventFactory(registration_mode="approval")
    registration = services.registration_create(event=approval, user=member)
    cancelled = services.registration_cancel(registration=registration, by=member)
    assert cancelled.restore_receipt == ""
    with pytest.raises(ValidationError):
        services.registration_restore(registration=cancelled, by=member, receipt="")


def test_an_approved_place_comes_back_approved(member, staff):
    event = EventFactory(registration_mode="approval", capacity=3)
    registration = services.registration_create(event=event, user=member)
    services.registration_approve(registration=registration, by=staff)
    cancelled = services.registration_cancel(registration=registration, by=member)
    restored = services.registration_restore(registration=cancelled, by=member, receipt=cancelled.restore_receipt)
    assert restored.status == "registered"  # not back to pending


def test_the_receipt_is_the_members_own_and_single_use(member, other_member):
    event = EventFactory(capacity=3)
    registration = services.registration_create(event=event, user=member)
    theirs = services.registration_create(event=event, user=other_member)
    cancelled = services.registration_cancel(registration=registration, by=member)
    receipt = cancelled.restore_receipt
    other_cancelled = services.registration_cancel(registration=theirs, by=other_member)
    with pytest.raises(PermissionDenied):
        services.registration_restore(registration=cancelled, by=other_member, receipt=receipt)
    for wrong in (receipt + "x", "forged", other_cancelled.restore_receipt):
        with pytest.raises(ValidationError, match="no cancelled place"):
            services.registration_restore(registration=cancelled, by=member, receipt=wrong)
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"
    services.registration_restore(registration=cancelled, by=member, receipt=receipt)
    again = services.registration_cancel(registration=Registration.objects.get(pk=registration.pk), by=member)
    with pytest.raises(ValidationError, match="no cancelled place"):  # the first receipt is spent
        services.registration_restore(registration=again, by=member, receipt=receipt)
    services.registration_restore(registration=again, by=member, receipt=again.restore_receipt)
    assert Registration.objects.get(pk=registration.pk).status == "registered"


def test_restore_is_for_the_members_own_registration(client, member, other_member):
    event = EventFactory()
    hidden = EventFactory(is_published=False)
    url = reverse("events:restore", args=[event.slug])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    assert client.post(url)["Location"].startswith(reverse("account_login"))
    services.registration_create(event=event, user=member)
    client.force_login(other_member)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert client.get(reverse("events:restore", args=[hidden.slug])).status_code == 404


# --- The email of a member promoted from the waiting list ------------------------------------


def _promote(event, waiting_user, django_capture_on_commit_callbacks, mailoutbox):
    holder = UserFactory()
    registration = services.registration_create(event=event, user=holder)
    services.registration_create(event=event, user=waiting_user)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registration, by=holder)
    # The queue sends what waited in it too (the waiting list's email): the last is the promotion.
    return [m for m in mailoutbox if m.to == [waiting_user.email]][-1]


def test_the_promoted_member_is_told_a_place_became_free(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(capacity=1, title="Solar drying workshop")
    waiting = UserFactory(preferred_language="en")
    email = _promote(event, waiting, django_capture_on_commit_callbacks, mailoutbox)
    assert email.subject == "[WiiTs] A place became free: you are registered for Solar drying workshop"
    assert 'A place became free at "Solar drying workshop": you are now registered' in email.body
    html = email.alternatives[0][0]
    assert "A place became free at" in html and "Solar drying workshop" in html
    assert email.attachments[0][0] == f"{event.slug}.ics"
    # Registering straight away is not a promotion: the usual words.
    assert services.registration_create(event=EventFactory(), user=waiting).status == "registered"


def test_the_promotion_email_is_in_the_recipients_language(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(capacity=1, title="Solar drying workshop")
    waiting = UserFactory(preferred_language="fr")
    email = _promote(event, waiting, django_capture_on_commit_callbacks, mailoutbox)
    assert email.subject == "[WiiTs] Une place s'est libérée : inscription confirmée pour Solar drying workshop"
    assert "Une place s'est libérée pour « Solar drying workshop » : votre inscription est confirmée" in email.body
    assert PROMOTED_EN not in email.body
