"""Errors to Sentry: what an event holds, and what it never holds (wiits/sentry.py)."""

import io
from urllib.parse import urlencode

import pytest
import sentry_sdk
from django.test import Client
from django.urls import reverse
from sentry_sdk.transport import Transport

from wiits import sentry

pytestmark = pytest.mark.django_db


class RecordingTransport(Transport):
    """Keeps the envelopes Sentry would send."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


@pytest.fixture
def sent():
    transport = RecordingTransport()
    sentry.sentry_init(
        dsn="https://public@sentry.invalid/1", environment="test", release="wiits@test", transport=transport
    )
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init(default_integrations=False, auto_enabling_integrations=False)  # no DSN: nothing reported


def wsgi_post(path: str, form: dict, *, cookies: dict, headers: dict) -> tuple[int, dict]:
    """POST through Django's WSGI handler, as gunicorn does (the test client bypasses the
    WSGI layer, where Sentry's Django integration reads the request)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    body = urlencode(form).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()},
    }
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)

    # As Django's test client: the test's transaction keeps its connection open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, start_response)
        b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"]


def test_an_error_in_a_view_is_sent_without_personal_data(sent, member, monkeypatch):
    from accounts import services as account_services

    def broken(*, user, language):
        raise RuntimeError(f"could not save the language of {user.email}")

    monkeypatch.setattr(account_services, "member_set_language", broken)
    client = Client()
    client.force_login(member)
    session_key = client.session.session_key
    csrf = "a" * 32
    status, headers = wsgi_post(
        reverse("set_language"),
        {"language": "fr", "next": "/", "password": "Hunter2-correct-horse", "email": member.email},
        cookies={"sessionid": session_key, "csrftoken": csrf},
        headers={
            "X-CSRFToken": csrf,
            "Authorization": "Bearer partner-secret-token",
            "X-Api-Key": "partner-api-key-secret",
        },
    )
    assert status == 500
    sentry_sdk.flush()

    events = [item.payload.json for envelope in sent.envelopes for item in envelope.items if item.type == "event"]
    (event,) = events
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == "could not save the language of [email]"
    assert event["environment"] == "test"
    assert event["release"] == "wiits@test"
    assert event["tags"]["request_id"] == headers["X-Request-ID"]
    assert event["request"]["url"] == "http://testserver/i18n/setlang/"
    assert event["request"]["method"] == "POST"
    assert "cookies" not in event["request"] and "data" not in event["request"]
    sent_headers = {name.lower() for name in event["request"]["headers"]}
    assert "host" in sent_headers
    assert not sent_headers & {"cookie", "authorization", "x-api-key", "x-csrftoken"}
    assert "user" not in event or set(event["user"]) <= {"id"}

    raw = b"".join(envelope.serialize() for envelope in sent.envelopes).decode()
    for secret in (
        member.email,
        "amina@",
        session_key,
        "sessionid",
        "Hunter2-correct-horse",
        "partner-secret-token",
        "partner-api-key-secret",
        "csrftoken",
        "203.0.113.9",
    ):
        assert secret not in raw, secret


def test_scrub_event_removes_addresses_everywhere():
    event = {
        "message": "sent to chen.jie@example.org",
        "breadcrumbs": {"values": [{"message": "SELECT ... 'amina@example.org'"}]},
        "extra": {"emails": ["a@b.example", "no address"]},
        "user": {"id": 7, "email": "a@b.example", "ip_address": "203.0.113.9"},
        "request": {"headers": {"Cookie": "sessionid=abc", "User-Agent": "x"}, "cookies": {"sessionid": "abc"}},
    }
    scrubbed = sentry.scrub_event(event)
    assert "@" not in repr(scrubbed)
    assert scrubbed["user"] == {"id": 7}
    assert scrubbed["request"]["headers"] == {"User-Agent": "x"}
    assert "cookies" not in scrubbed["request"]


def test_sentry_starts_only_with_a_dsn(settings):
    assert settings.SENTRY_DSN == ""
    assert settings.SENTRY_ENVIRONMENT == "production"  # the tests run as production does
    assert sentry.release().startswith("wiits@")
