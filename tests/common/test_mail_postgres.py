"""Row-locked sending on PostgreSQL: two senders at once never send a message twice."""

import threading

import pytest
from django.core.mail import EmailMessage
from django.db import connection
from mailer.backend import DbBackend
from mailer.models import Message

from common.mail.services import mail_queue_send
from tests.common.backends import SlowRecordingBackend

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_concurrent_senders_share_the_queue_and_never_duplicate(settings):
    settings.MAILER_EMAIL_BACKEND = "tests.common.backends.SlowRecordingBackend"
    SlowRecordingBackend.sent.clear()
    # Rows straight into the queue, with no task dispatched, so both senders find them.
    DbBackend().send_messages([EmailMessage(f"message {n}", "body", to=[f"r{n}@example.org"]) for n in range(30)])
    assert Message.objects.count() == 30

    def sender():
        try:
            mail_queue_send()
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, name=f"sender-{n}") for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    subjects = [subject for _thread, subject in SlowRecordingBackend.sent]
    assert sorted(subjects) == sorted(f"message {n}" for n in range(30))  # each exactly once
    assert {thread for thread, _subject in SlowRecordingBackend.sent} == {"sender-0", "sender-1"}
    assert Message.objects.count() == 0
