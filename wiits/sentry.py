"""Errors to Sentry (or a compatible service: GlitchTip, self-hosted Sentry) when SENTRY_DSN
is set (docs/MONITORING.md).

What leaves the machine is the error, its stack trace (without local variables), the page's
address, the view, the request id as a tag (the request's log lines carry it), the
environment and the release; never a member's email address, cookies or the session, the Authorization and API
key headers, nor what a form sent (passwords, messages): send_default_pii is off, bodies are
not read, and `before_send` removes the rest from every event.
"""

from importlib import metadata

import sentry_sdk
import structlog
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from wiits.logs import EMAIL, EMAIL_REPLACEMENT

# Request headers that carry credentials or the session; compared lowercased.
SECRET_HEADERS = frozenset(
    {"cookie", "set-cookie", "authorization", "proxy-authorization", "x-api-key", "x-csrftoken"}
)


def release() -> str:
    try:
        return f"wiits@{metadata.version('wiits')}"
    except metadata.PackageNotFoundError:
        return "wiits@unknown"


def _without_emails(value):
    if isinstance(value, str):
        return EMAIL.sub(EMAIL_REPLACEMENT, value)
    if isinstance(value, dict):
        return {key: _without_emails(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_emails(item) for item in value]
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """before_send: no cookies, credentials, bodies or email addresses; the request's (or
    task's) id as a tag, to find the log lines of the request."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        request.pop("data", None)
        request.pop("env", None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {name: value for name, value in headers.items() if name.lower() not in SECRET_HEADERS}
    user = event.get("user")
    if isinstance(user, dict):  # send_default_pii is off; should anything add one, keep its id only
        event["user"] = {"id": user["id"]} if "id" in user else {}
    context = structlog.contextvars.get_contextvars()
    tags = event.setdefault("tags", {})
    for name in ("request_id", "task_id"):
        if context.get(name):
            tags[name] = str(context[name])
    return _without_emails(event)


def sentry_init(*, dsn: str, environment: str, release: str, transport=None) -> None:
    """Start reporting to Sentry. `transport` is for the tests (an envelope recorder)."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,  # a frame's variables may hold a form's password or an address
        max_request_body_size="never",
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        transport=transport,
    )
