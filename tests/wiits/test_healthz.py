import json

import pytest
from django.urls import reverse

from common.mail.services import email_queue_to_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_mail_queue(client, settings):
    settings.REDIS_URL = ""
    email_queue_to_user(user=UserFactory(), template="account_deleted", context={})
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "broker": "not configured (tasks run in-process)",
            "mail_queue": {"queued": 1, "deferred": 0},
        },
    }


def test_healthz_is_503_when_the_broker_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    data = json.loads(response.content)
    assert data["status"] == "unavailable"
    assert data["checks"]["broker"] == "unavailable"
    assert data["checks"]["database"] == "ok"


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch, settings):
    from wiits import views

    settings.REDIS_URL = ""
    monkeypatch.setattr(views, "_check_database", lambda: False)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["checks"] == {
        "database": "unavailable",
        "broker": "not configured (tasks run in-process)",
    }


@pytest.mark.redis
def test_healthz_with_a_real_broker(client, settings):
    import os

    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert json.loads(response.content)["checks"]["broker"] == "ok"


def test_healthz_shows_no_internals_and_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405
