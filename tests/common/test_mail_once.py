"""Each queued email is sent once even when its queue row outlives the sending (the
database restarting between the SMTP server's acceptance and the row's deletion: found by
`make faults`): the sending notes the Message-ID in Redis, and a later run that finds the
note deletes the row without sending again. Without Redis: at least once, as before."""

import pytest
from django.core import mail
from django.core.mail.message import make_msgid
from mailer.models import Message

from common.mail import once
from common.mail.services import email_queue_to_user, mail_queue_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def send_once(settings):
    settings.MAILER_EMAIL_BACKEND = "common.mail.once.SendOnceBackend"
    settings.MAILER_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _queue_one() -> Message:
    email_queue_to_user(user=UserFactory(), template="account_deleted", context={})
    return Message.objects.get()


def _row_outlives_the_sending(row: Message) -> None:
    """The row as it was before the sending, as if its deletion had been lost."""
    Message.objects.create(message_data=row.message_data, priority=row.priority)


@pytest.mark.redis
def test_an_email_whose_row_outlived_the_sending_is_not_sent_again(send_once, mailoutbox):
    row = _queue_one()
    mail_queue_send()
    assert len(mailoutbox) == 1 and Message.objects.count() == 0
    _row_outlives_the_sending(row)
    mail_queue_send()
    assert len(mailoutbox) == 1  # not sent again
    assert Message.objects.count() == 0  # and its row is gone


@pytest.mark.redis
def test_emails_not_sent_before_are_sent(send_once, mailoutbox):
    email_queue_to_user(user=UserFactory(), template="account_deleted", context={})
    email_queue_to_user(user=UserFactory(), template="account_deleted", context={})
    mail_queue_send()
    assert len(mailoutbox) == 2
    assert len({sent.extra_headers["Message-ID"] for sent in mailoutbox}) == 2


def test_without_redis_an_email_is_sent_at_least_once(send_once, settings, mailoutbox):
    settings.REDIS_URL = ""
    row = _queue_one()
    mail_queue_send()
    _row_outlives_the_sending(row)
    mail_queue_send()
    assert len(mailoutbox) == 2  # the same email twice, never none


def test_an_unreachable_redis_means_sending_not_losing(send_once, settings, mailoutbox, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    monkeypatch.setattr(once, "_client", None)
    message = mail.EmailMessage("Subject", "Body", to=["a@example.org"], headers={"Message-ID": make_msgid()})
    assert once.SendOnceBackend().send_messages([message]) == 1
    assert once.SendOnceBackend().send_messages([message]) == 1
    assert len(mailoutbox) == 2
    monkeypatch.setattr(once, "_client", None)  # not keep a client for a dead address
