"""One Message-ID per email, given when it is queued: a message sent again after a
failed or interrupted attempt is recognisably the same email (found by `make faults`)."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from mailer.models import Message

from common.mail.services import email_queue_to_user, mail_queue_send, mail_queue_sweep
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class AcceptedThenLostBackend(LocmemBackend):
    """The SMTP server took the message, then the connection died before its answer."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise smtplib.SMTPServerDisconnected("connection lost before the server's reply")


def test_message_id_is_given_when_queued_and_kept_when_sent_again(settings, mailoutbox):
    email_queue_to_user(user=UserFactory(), template="account_deleted", context={})
    queued_id = Message.objects.get().email.extra_headers["Message-ID"]
    assert queued_id.startswith("<") and queued_id.endswith(">")

    settings.MAILER_EMAIL_BACKEND = f"{__name__}.AcceptedThenLostBackend"
    mail_queue_send()  # accepted by the server, but the sender never heard so: deferred
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail_queue_sweep()

    # At least once: the same email twice, and recognisably so.
    assert [sent.extra_headers["Message-ID"] for sent in mailoutbox] == [queued_id, queued_id]
    assert Message.objects.count() == 0


def test_each_queued_email_has_its_own_message_id(mailoutbox):
    first, second = UserFactory(), UserFactory()
    email_queue_to_user(user=first, template="account_deleted", context={})
    email_queue_to_user(user=second, template="account_deleted", context={})
    mail_queue_send()
    assert len({sent.extra_headers["Message-ID"] for sent in mail.outbox}) == 2


def test_a_message_id_given_by_the_caller_is_kept(mailoutbox):
    mail.EmailMessage("Subject", "Body", to=["a@example.org"], headers={"Message-ID": "<given@wiits.example>"}).send()
    mail_queue_send()
    assert mailoutbox[0].extra_headers["Message-ID"] == "<given@wiits.example>"
