"""Write side of email: render and queue, send the queue, sweep what waits."""

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from mailer import engine
from mailer.models import RESULT_FAILURE, Message, MessageLog

logger = logging.getLogger(__name__)


def email_render(*, template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """Render `emails/<template>_subject.txt`, `_body.txt` and `_body.html` in `language`."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    # A header must be one line, whatever the template's whitespace.
    subject = " ".join(subject.split())
    return subject, text, html


def email_queue(
    *,
    to: Sequence[str],
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    reply_to: Sequence[str] = (),
    attachments: Iterable[tuple[str, bytes, str]] = (),
    headers: dict[str, str] | None = None,
) -> None:
    """Queue one templated email in the current transaction.

    Replies go to `reply_to`, by default the WiiTs team (WIITS_CONTACT_EMAIL).
    Side effects: one mail-queue row now; a Celery task to send it after commit.
    """
    subject, text, html = email_render(template=template, context=context, language=language or settings.LANGUAGE_CODE)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=list(to),
        reply_to=list(reply_to) or [settings.WIITS_CONTACT_EMAIL],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


def email_queue_to_user(*, user, template: str, context: dict[str, Any], **kwargs: Any) -> None:
    """Queue an email to a member, in their preferred language."""
    email_queue(
        to=[user.email],
        template=template,
        context={"recipient": user, **context},
        language=user.preferred_language,
        **kwargs,
    )


def mail_queue_send() -> None:
    """Send every message that is not deferred.

    Each message is claimed with a row lock (`SELECT ... FOR UPDATE NOWAIT`) inside its
    own transaction and deleted once sent, so concurrent workers never send one twice.
    """
    engine.send_all()


def mail_queue_sweep() -> int:
    """Put deferred messages back in the queue (up to MAILER_EMAIL_MAX_RETRIES) and send.

    Returns how many deferred messages were retried. Needs no broker.
    """
    retried = Message.objects.retry_deferred()
    engine.send_all()
    return retried


def mail_log_purge(*, days: int = 90) -> int:
    """Delete successful entries of the sending log older than `days` (failures stay for
    investigation; no entry holds a message body). Returns how many."""
    return MessageLog.objects.purge_old_entries(days)


def mail_queue_backlog() -> dict[str, int]:
    """How many messages wait (queued) and how many failed for now (deferred)."""
    deferred = Message.objects.deferred().count()
    return {"queued": Message.objects.count() - deferred, "deferred": deferred}


def handle_delivery_error(connection, message, exc):
    """Defer a message whatever went wrong, so one bad message never blocks the queue.

    django-mailer defers SMTP and socket errors and re-raises anything else, which would
    stop the whole run; we log and defer instead. Deferred messages are retried by the
    sweep until MAILER_EMAIL_MAX_RETRIES, then stay visible in the admin to resend.
    """
    if isinstance(exc, SoftTimeLimitExceeded):
        raise exc  # the task ran out of time: stop; this message stays queued for the next run
    logger.warning("Deferring email %s after a delivery error: %s", message.pk, exc)
    message.defer()
    MessageLog.objects.log(message, RESULT_FAILURE, log_message=f"{type(exc).__name__}: {exc}")
    return None, "deferred"
