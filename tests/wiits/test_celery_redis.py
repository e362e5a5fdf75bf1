"""Email through a real Celery worker and real Redis, and what happens when Redis is down.

These tests commit for real (transaction=True): the worker runs in a thread with its own
database connection and only sees committed rows.
"""

import os
import time
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse
from kombu import pools as kombu_pools
from mailer.models import Message

from accounts.models import User
from common.mail.tasks import sweep_mail_queue
from tests.accounts.test_signup import signup_data
from wiits.celery import app as celery_app

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@contextmanager
def broker(url: str):
    """Point the Celery app at `url`, publishing for real (not in-process)."""
    saved = {"broker_url": celery_app.conf.broker_url, "task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    _reset_connection_pools()
    try:
        yield
    finally:
        celery_app.conf.update(**saved)
        _reset_connection_pools()


def _reset_connection_pools() -> None:
    """Drop pooled broker connections so the next publish connects to the new URL."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu_pools.reset()


def wait_for(predicate, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_verification_email_is_delivered_by_a_real_worker_through_redis(client):
    with broker(os.environ["REDIS_URL"]), start_worker(celery_app, perform_ping_check=False, loglevel="WARNING"):
        response = client.post(reverse("account_signup"), signup_data())
        assert response.status_code == 302
        assert wait_for(lambda: len(mail.outbox) == 1), "the worker did not send the verification email"
    (email,) = mail.outbox
    assert email.to == ["chen.jie@example.org"]
    assert "/accounts/confirm-email/" in email.body
    assert Message.objects.count() == 0


def test_signup_succeeds_with_redis_down_and_the_sweep_sends_later(client):
    with broker(DEAD_BROKER):
        started = time.monotonic()
        response = client.post(reverse("account_signup"), signup_data())
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="chen.jie@example.org").exists()
    assert Message.objects.count() == 1  # queued, waiting
    assert mail.outbox == []
    assert elapsed < 10, f"a down broker held the request for {elapsed:.1f}s"

    # Redis is back: beat's periodic sweep reaches a worker and sends what waited.
    with broker(os.environ["REDIS_URL"]), start_worker(celery_app, perform_ping_check=False, loglevel="WARNING"):
        sweep_mail_queue.delay()
        assert wait_for(lambda: len(mail.outbox) == 1), "the sweep did not send the queued email"
    assert mail.outbox[0].to == ["chen.jie@example.org"]
    assert Message.objects.count() == 0
