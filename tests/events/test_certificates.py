"""Certificates of attendance (issue 22): a PDF for a participant staff marked as attended,
once the event is over, from the event page and the dashboard."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Registration
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def _past_event(**fields):
    starts = timezone.now() - datetime.timedelta(days=3)
    return EventFactory(title="Solar dryer workshop", starts_at=starts, ends_at=starts + datetime.timedelta(hours=4),
                        **fields)  # fmt: skip


def _registration(event, user, *, attended, status="registered"):
    return Registration.objects.create(event=event, user=user, status=status, attended=attended)


def test_an_attended_participant_downloads_their_certificate_after_the_event(client, member):
    event = _past_event()
    registration = _registration(event, member, attended=True)
    url = reverse("events:certificate", args=[event.slug])
    client.force_login(member)
    page = client.get(event.get_absolute_url()).content.decode()
    assert url in page and "Certificate of attendance" in page
    assert url in client.get(reverse("dashboard")).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"WIITS-ATT-{event.pk}-{registration.pk}" in response["Content-Disposition"]
    # In another language on request; an unknown one falls back to the reader's.
    assert client.get(url, {"language": "ar"}).content.startswith(b"%PDF")
    assert client.get(url, {"language": "xx"}).status_code == 200
    french = client.get("/fr" + event.get_absolute_url()).content.decode()
    assert "?language=en" in french  # the English version is offered to readers of another language


@pytest.mark.parametrize(
    ("attended", "status", "ended"),
    [
        (None, "registered", True),  # not recorded
        (False, "registered", True),  # absent
        (True, "cancelled", True),
        (True, "registered", False),  # the event is not over
    ],
)
def test_no_certificate_otherwise(client, member, attended, status, ended):
    event = _past_event()
    if not ended:
        event.ends_at = timezone.now() + datetime.timedelta(hours=1)
        event.save()
    _registration(event, member, attended=attended, status=status)
    url = reverse("events:certificate", args=[event.slug])
    client.force_login(member)
    assert client.get(url).status_code == 404
    assert url not in client.get(event.get_absolute_url()).content.decode()
    assert url not in client.get(reverse("dashboard")).content.decode()


def test_a_certificate_is_the_participants_own(member, other_member, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    event = _past_event()
    _registration(event, member, attended=True)
    url = reverse("events:certificate", args=[event.slug])
    assert Client().get(url)["Location"].startswith(reverse("account_login"))
    for user in (other_member, staff):  # each gets their own certificate, or none
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_staff_mark_attendance_then_the_certificate_opens(client, member, staff):
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(days=1))
    registration = services.registration_create(event=event, user=member)
    type(event).objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2), ends_at=timezone.now() - datetime.timedelta(days=1)
    )
    client.force_login(member)
    url = reverse("events:certificate", args=[event.slug])
    assert client.get(url).status_code == 404
    registration.refresh_from_db()
    services.registration_mark_attendance(registration=registration, by=staff, attended=True)
    assert client.get(url).content.startswith(b"%PDF")


def test_the_dashboard_lists_certificates_in_a_fixed_number_of_queries(client, member):
    from tests.helpers import count_queries

    _registration(_past_event(), member, attended=True)
    client.force_login(member)
    queries = count_queries(client, reverse("dashboard"))
    for _n in range(4):
        _registration(_past_event(), member, attended=True)
        _registration(_past_event(), UserFactory(), attended=True)
    assert count_queries(client, reverse("dashboard")) == queries
