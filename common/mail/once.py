"""Sending each queued email once, even when its queue row outlives the sending."""

import logging

import redis
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)

SENT_FOR_SECONDS = 7 * 24 * 3600  # longer than a message can stay queued and deferred
_client: redis.Redis | None = None


def _redis() -> redis.Redis | None:
    global _client
    if not settings.REDIS_URL:
        return None
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    return _client


def _key(message) -> str | None:
    headers = {name.lower(): value for name, value in message.extra_headers.items()}
    message_id = headers.get("message-id")
    return f"wiits:mail:sent:{message_id}" if message_id else None


def _already_sent(key: str) -> bool:
    client = _redis()
    try:
        return bool(client and client.exists(key))
    except redis.RedisError:
        logger.warning("Cannot tell whether %s was sent (Redis unreachable): sending it", key)
        return False


def _remember(key: str) -> None:
    client = _redis()
    try:
        if client:
            client.set(key, 1, ex=SENT_FOR_SECONDS)
    except redis.RedisError:
        logger.warning("Cannot note that %s was sent (Redis unreachable)", key)


class SendOnceBackend(BaseEmailBackend):
    """The delivery backend (MAILER_DELIVERY_BACKEND), noting in Redis the Message-ID of
    every email the SMTP server accepted.

    django-mailer deletes a message's row once it is sent; if the database goes away in
    between (PostgreSQL restarting, found by `make faults`), the row stays and the next
    run would send the email again. With the note, that run finds it sent and only deletes
    the row. Without Redis (the quick start, or Redis unreachable at that moment) it sends
    as before, at least once. A worker killed while the SMTP server is accepting an email
    can still send it twice: that window is SMTP's own (docs/RELIABILITY.md).
    """

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.delivery = get_connection(settings.MAILER_DELIVERY_BACKEND, fail_silently=fail_silently, **kwargs)

    def open(self):
        return self.delivery.open()

    def close(self):
        return self.delivery.close()

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            key = _key(message)
            if key and _already_sent(key):
                logger.info("Not sending %s again: it was sent before its queue row could be deleted", key)
                sent += 1
                continue
            if self.delivery.send_messages([message]):
                sent += 1
                if key:
                    _remember(key)
        return sent
