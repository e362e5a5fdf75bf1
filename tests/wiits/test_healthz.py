import json

import pytest
from django.test import Client
from django.urls import reverse

from common.mail.services import email_queue_to_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_healthz_tells_the_public_only_ok(client, settings):
    settings.REDIS_URL = ""
    email_queue_to_user(user=UserFactory(), template="account_deleted", context={})
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}


def test_healthz_tells_a_signed_in_member_only_ok(client, member, settings):
    settings.REDIS_URL = ""
    client.force_login(member)
    assert json.loads(client.get(reverse("healthz")).content) == {"status": "ok"}


def test_healthz_reports_database_and_mail_queue_to_staff(staff_client, settings):
    settings.REDIS_URL = ""
    email_queue_to_user(user=UserFactory(), template="account_deleted", context={})
    response = staff_client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "broker": "not configured (tasks run in-process)",
            "mail_queue": {"queued": 1, "deferred": 0},
            "backup": {"status": "no backup was ever made"},
        },
    }


def test_healthz_is_503_when_the_broker_is_down(staff_client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    public = Client().get(reverse("healthz"))
    assert public.status_code == 503
    assert json.loads(public.content) == {"status": "unhealthy"}
    response = staff_client.get(reverse("healthz"))
    assert response.status_code == 503
    data = json.loads(response.content)
    assert data["status"] == "unhealthy"
    assert data["checks"]["broker"] == "unavailable"
    assert data["checks"]["database"] == "ok"


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch, settings):
    from wiits import views

    settings.REDIS_URL = ""
    monkeypatch.setattr(views, "_check_database", lambda: False)
    assert json.loads(client.get(reverse("healthz")).content) == {"status": "unhealthy"}
    # A monitoring address sees which check failed without the database (no session read).
    settings.WIITS_MONITORING_ADDRESSES = ["10.0.0.0/8"]
    response = client.get(reverse("healthz"), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"] == {
        "database": "unavailable",
        "broker": "not configured (tasks run in-process)",
        "backup": {"status": "no backup was ever made"},
    }


def test_healthz_details_only_from_the_monitoring_addresses_seen_through_the_proxies(client, settings):
    settings.REDIS_URL = ""
    settings.WIITS_MONITORING_ADDRESSES = ["192.0.2.10"]
    assert "checks" in json.loads(client.get(reverse("healthz"), REMOTE_ADDR="192.0.2.10").content)
    assert "checks" not in json.loads(client.get(reverse("healthz"), REMOTE_ADDR="192.0.2.11").content)
    # With no trusted proxy, a forged X-Forwarded-For is not the client's address...
    forged = client.get(reverse("healthz"), REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert "checks" not in json.loads(forged.content)
    # ...behind one proxy, the address the proxy saw is.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxied = client.get(reverse("healthz"), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert "checks" in json.loads(proxied.content)


@pytest.mark.redis
def test_healthz_with_a_real_broker(staff_client, settings):
    import os

    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = staff_client.get(reverse("healthz"))
    assert response.status_code == 200
    assert json.loads(response.content)["checks"]["broker"] == "ok"


def test_healthz_shows_no_internals_and_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_details_need_the_second_factor_when_staff_must_have_one(client, staff, settings):
    settings.REDIS_URL = ""
    settings.WIITS_STAFF_REQUIRE_MFA = True
    client.force_login(staff)  # a password alone, no second factor in this session
    assert json.loads(client.get(reverse("healthz")).content) == {"status": "ok"}
