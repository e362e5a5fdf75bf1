"""The portal's logs: one JSON object a line in production, readable text in development
(docs/MONITORING.md). Built on structlog and django-structlog.

Each request gets an id: the X-Request-ID it came with when that is sane (a reverse proxy's
or load balancer's id, so their logs and ours join), else a new UUID. The id is on every
line the request writes, on the response (X-Request-ID) and on every line of the Celery
tasks it queues (django-structlog copies it into the task's headers). The line that ends a
request says the view, the status (`code`), the duration in milliseconds and the member's
id (`user_id`), never an email address nor the client's address (the reverse proxy's access
log keeps those, under its own retention); addresses that carry a secret (password reset,
email confirmation, unsubscribe links) are logged as their route, not their key.
"""

import logging
import re
import time
import uuid

import structlog
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django_structlog import signals
from django_structlog.middlewares import RequestMiddleware

REQUEST_ID_HEADER = "X-Request-ID"
# What an incoming id may look like: a UUID, a proxy's hex id, AWS's "Root=1-...". Anything
# else (too long, spaces, quotes, control characters) is replaced by a new id.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:;=+/@-]{1,200}")
# URL arguments that are secrets: their addresses are logged as the route, not the path.
_SECRET_URL_ARGUMENTS = frozenset({"key", "token", "uidb36", "uidb64"})
# An email address, wherever it appears in a line (an exception's message...), is replaced.
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
EMAIL_REPLACEMENT = "[email]"
# Requests of the load balancer and Prometheus that went well write no line (see QuietProbes).
_PROBE_VIEWS = frozenset({"healthz", "metrics"})


def request_id_from(value: str | None) -> str:
    """The incoming id if it is sane, else a new one."""
    if value and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return str(uuid.uuid4())


def loggable_path(request) -> str:
    """The request's path without its query string (search words and the like are the
    visitor's), and its route when an argument of the address is a secret."""
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return request.path
    if _SECRET_URL_ARGUMENTS & match.kwargs.keys():
        return f"/{match.route}"
    return request.path


def _member_id(request):
    """The signed-in member's id if the request already looked at who asks, else None.
    Never loads the user itself: no query (and no failure while the database is down) only
    to write a log line."""
    user = getattr(request, "_cached_user", None)  # set by AuthenticationMiddleware's lazy user once read
    if user is not None and user.is_authenticated:
        return user.pk
    return None


class RequestLogMiddleware(RequestMiddleware):
    """django-structlog's request middleware with the portal's request id, path and member id.
    First in MIDDLEWARE (after the metrics' opening one), so every response carries the id."""

    sync_capable = True
    async_capable = False  # the portal runs on WSGI

    def __call__(self, request):
        request.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.log_started_at = time.monotonic()
        response = super().__call__(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response

    @staticmethod
    def format_request(request) -> str:
        return f"{request.method} {loggable_path(request)}"


def _view_name(request) -> str | None:
    match = request.resolver_match
    return match.view_name if match is not None else None


def _finished_metadata(request, log_kwargs) -> None:
    log_kwargs["view"] = _view_name(request)
    log_kwargs["user_id"] = _member_id(request)
    started = getattr(request, "log_started_at", None)
    if started is not None:
        log_kwargs["duration_ms"] = round((time.monotonic() - started) * 1000, 1)


@receiver(signals.bind_extra_request_metadata, sender=RequestLogMiddleware)
def _bind_request_id(request, logger, log_kwargs, **kwargs) -> None:
    """The request's own id, in place of the new one django-structlog bound."""
    structlog.contextvars.bind_contextvars(request_id=request.request_id)


@receiver(signals.bind_extra_request_finished_metadata, sender=RequestLogMiddleware)
def _bind_finished(request, logger, response, log_kwargs, **kwargs) -> None:
    _finished_metadata(request, log_kwargs)


@receiver(signals.bind_extra_request_failed_metadata, sender=RequestLogMiddleware)
def _bind_failed(request, logger, exception, log_kwargs, **kwargs) -> None:
    _finished_metadata(request, log_kwargs)


def redact_email_addresses(logger, method_name, event_dict):
    """A structlog processor: no email address in a log line, whatever wrote it."""
    return {
        name: EMAIL.sub(EMAIL_REPLACEMENT, value) if isinstance(value, str) else value
        for name, value in event_dict.items()
    }


class QuietProbes(logging.Filter):
    """Drops the request line of a health check or metrics scrape that went well: the load
    balancer and Prometheus ask every few seconds, and their lines would bury the others."""

    def filter(self, record: logging.LogRecord) -> bool:
        event = record.msg
        if isinstance(event, dict) and event.get("event") == "request_finished":
            return not (event.get("view") in _PROBE_VIEWS and event.get("code", 500) < 400)
        return True


# --- Configuration (wiits/settings.py calls these) ----------------------------------------
# What every line gets, from structlog's loggers and from the standard library's alike.
_SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def logging_config(*, json_lines: bool, level: str) -> dict:
    """The LOGGING dict: to stderr, one JSON object a line (`json_lines`) or plain text."""
    if json_lines:
        renderer_processors = [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact_email_addresses,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ]
    else:
        renderer_processors = [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            redact_email_addresses,  # a traceback in development is shown whole
            structlog.dev.ConsoleRenderer(colors=False),
        ]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": renderer_processors,
                "foreign_pre_chain": _SHARED_PROCESSORS,
            }
        },
        "filters": {"quiet_probes": {"()": "wiits.logs.QuietProbes"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "structured", "filters": ["quiet_probes"]}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "mailer": {"level": "WARNING"},
            # django-structlog's request_finished line says what Django's "Not Found: ..."
            # warnings say, with the request id; errors (with their traceback) stay.
            "django.request": {"level": "ERROR"},
            # Celery's own "Task ... succeeded" lines repeat django-structlog's task_succeeded.
            "celery.app.trace": {"level": "WARNING"},
        },
    }


def configure_structlog() -> None:
    """structlog's loggers hand their events to the standard library's handlers above."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
