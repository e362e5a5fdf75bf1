"""The logs: one JSON object a line, with the request's id (also on the response and on the
tasks it queues), the view, status, duration and member id, and no email or address."""

import io
import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import structlog
from celery.contrib.testing.worker import start_worker
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tests.wiits.test_celery_redis import broker, wait_for
from wiits import logs
from wiits.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@celery_app.task(name="tests.wiits.test_logging.say_done")
def say_done():
    structlog.get_logger("tests.wiits.test_logging").info("task_said_done")


@pytest.fixture
def log_lines():
    """What the portal's log handler writes, as a list of parsed lines."""
    (console,) = [handler for handler in logging.getLogger().handlers if handler.get_name() == "console"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(console.formatter)
    for log_filter in console.filters:
        handler.addFilter(log_filter)
    logging.getLogger().addHandler(handler)

    def read():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    read.raw = stream.getvalue
    read.handler = handler
    yield read
    logging.getLogger().removeHandler(handler)


def finished(lines):
    return [line for line in lines if line["event"] == "request_finished"]


@pytest.mark.django_db
def test_a_request_line_is_json_with_its_id_member_view_status_and_duration(member_client, member, log_lines):
    response = member_client.get(reverse("dashboard") + "?q=amina@example.org")
    assert response.status_code == 200
    (line,) = finished(log_lines())
    assert line["request_id"] == response["X-Request-ID"]
    uuid.UUID(line["request_id"])  # a new id: the request came without one
    assert line["user_id"] == member.pk
    assert line["view"] == "dashboard"
    assert line["code"] == 200
    assert line["request"] == "GET /dashboard/"  # no query string
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "info"
    assert line["logger"] == "django_structlog.middlewares.request"
    assert "timestamp" in line
    # Every line of the request carries its id; none carries an email or the client's address.
    assert all(entry.get("request_id") == response["X-Request-ID"] for entry in log_lines())
    assert "@" not in log_lines.raw()
    assert "ip" not in line and "127.0.0.1" not in log_lines.raw()


@pytest.mark.django_db
def test_a_visitor_has_no_member_id(client, log_lines):
    client.get(reverse("home"))
    (line,) = finished(log_lines())
    assert line["user_id"] is None
    assert line["view"] == "home"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("0f6a2c9e4b7d4e0a9a1b2c3d4e5f6a7b", True),  # nginx's $request_id
        ("Root=1-5759e988-bd862e3fe1be46a994272793", True),  # AWS's load balancer
        ("two words", False),
        ("x" * 201, False),
        ('"}{"injected": 1', False),
        ("", False),
    ],
)
def test_a_sane_incoming_request_id_is_kept_and_another_replaced(client, log_lines, given, kept):
    response = client.get(reverse("home"), HTTP_X_REQUEST_ID=given)
    (line,) = finished(log_lines())
    assert line["request_id"] == response["X-Request-ID"]
    if kept:
        assert response["X-Request-ID"] == given
    else:
        uuid.UUID(response["X-Request-ID"])


@pytest.mark.django_db
def test_addresses_with_a_secret_are_logged_by_their_route(client, log_lines):
    client.get("/accounts/confirm-email/MTIz:1vSecretKeyOfTheMember/")
    client.get(reverse("accounts:digest_unsubscribe", kwargs={"token": "SecretUnsubscribeToken"}))
    raw = log_lines.raw()
    assert "SecretKeyOfTheMember" not in raw and "SecretUnsubscribeToken" not in raw
    requests = [line["request"] for line in finished(log_lines())]
    assert requests[0].startswith("GET /accounts/") and "confirm-email" in requests[0]
    assert requests[1] == "GET /accounts/profile/digest/unsubscribe/<str:token>/"


@pytest.mark.django_db
def test_health_checks_and_scrapes_that_went_well_write_no_line(client, settings, log_lines):
    settings.REDIS_URL = ""
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("metrics")).status_code == 404  # refused: that one is written
    assert [line["view"] for line in finished(log_lines())] == ["metrics"]


@pytest.mark.django_db
def test_a_failing_request_is_logged_with_its_id_and_the_error(client, member, log_lines, monkeypatch):
    from django.test import Client

    from wiits import views

    def broken(*args, **kwargs):
        raise RuntimeError(f"the dashboard of {member.email} broke")

    monkeypatch.setattr(views, "render", broken)
    failing = Client(raise_request_exception=False)
    failing.force_login(member)
    response = failing.get(reverse("dashboard"))
    assert response.status_code == 500
    (line,) = [line for line in log_lines() if line["event"] == "request_failed"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == member.pk
    assert line["view"] == "dashboard"
    assert "RuntimeError: the dashboard of [email] broke" in line["exception"]
    assert member.email not in log_lines.raw()


def test_development_logs_are_plain_text():
    config = logs.logging_config(json_lines=False, level="INFO")
    formatter = config["formatters"]["structured"]["()"](
        **{key: value for key, value in config["formatters"]["structured"].items() if key != "()"}
    )
    record = logging.LogRecord("wiits", logging.WARNING, __file__, 1, "Deferring email %s", (7,), None)
    text = formatter.format(record)
    assert "Deferring email 7" in text
    assert not text.lstrip().startswith("{")


# --- Tasks: the id of the request that queued them -----------------------------------------


def _queue_from_a_request(request_id: str | None = None):
    """A request, through the portal's log middleware, whose view queues say_done."""

    def view(request):
        say_done.delay()
        return HttpResponse("queued")

    request = RequestFactory().get("/", **({"HTTP_X_REQUEST_ID": request_id} if request_id else {}))
    return logs.RequestLogMiddleware(view)(request)


def test_a_task_queued_by_a_request_carries_the_request_id_in_its_headers():
    from celery.signals import before_task_publish

    published = []

    def record(headers=None, **kwargs):
        published.append(dict(headers))

    before_task_publish.connect(record, weak=False)  # after django-structlog's, which fills the headers
    try:
        with broker("memory://"):
            response = _queue_from_a_request()
            celery_app.control.purge()  # no worker here: nothing is left for the next test's
    finally:
        before_task_publish.disconnect(record)
    (headers,) = published
    assert headers["task"] == "tests.wiits.test_logging.say_done"
    assert headers["__django_structlog__"]["request_id"] == response["X-Request-ID"]
    assert "ip" not in headers["__django_structlog__"]


def test_a_worker_logs_the_request_id_of_the_request_that_queued_the_task(log_lines):
    """A real worker (in a thread, on the in-memory broker): its task lines carry the id."""
    given = "0f6a2c9e4b7d4e0a9a1b2c3d4e5f6a7b"
    with broker("memory://"), start_worker(celery_app, perform_ping_check=False, loglevel="WARNING"):
        # The worker's start applied LOGGING again (wiits/celery.py): listen again.
        logging.getLogger().addHandler(log_lines.handler)
        response = _queue_from_a_request(given)
        assert wait_for(lambda: any(line["event"] == "task_succeeded" for line in log_lines()))
    assert response["X-Request-ID"] == given
    (enqueued, *_repeated) = [line for line in log_lines() if line["event"] == "task_enqueued"]
    task_lines = [line for line in log_lines() if line.get("task_id") == enqueued["child_task_id"]]
    # (A worker started earlier in this process may have left its receivers: lines may repeat.)
    assert {line["event"] for line in task_lines} == {"task_started", "task_said_done", "task_succeeded"}
    assert {line["request_id"] for line in task_lines} == {given}


def test_the_celery_worker_logs_json_lines_in_production():
    """The worker's own logging setup leaves Django's LOGGING in place."""
    code = (
        "import django, logging, structlog; django.setup(); "
        "from wiits.celery import app; app.log.setup_logging_subsystem(loglevel='INFO'); "
        "logging.getLogger('celery.worker').warning('worker ready'); "
        "structlog.get_logger('wiits').info('task_started', task_id='t-1')"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "wiits.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "k3J9-zQ_w8vY2rT6uP1sN4mL7xC0bH5gF2dA9eR8tY3uI6oP1aS4dF7gH0jK2lZ5",
        }
    )
    result = subprocess.run(  # noqa: S603 (our own code, fixed arguments)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert {"event": "worker ready", "level": "warning", "logger": "celery.worker"}.items() <= lines[-2].items()
    assert lines[-1]["task_id"] == "t-1"


@pytest.mark.django_db
def test_a_task_run_in_process_keeps_the_request_id_on_the_request_line(log_lines):
    """Without a broker (the quick start, the tests) tasks run inside the request: its line
    still carries its id (after the worker above, whose receivers must not linger)."""
    assert celery_app.conf.task_always_eager
    response = _queue_from_a_request()
    (said,) = [line for line in log_lines() if line["event"] == "task_said_done"]
    (line,) = finished(log_lines())
    assert said["request_id"] == line["request_id"] == response["X-Request-ID"]
