"""The mail queue: rows first, sent after commit, deferred and retried, in the
recipient's language."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from mailer.models import PRIORITY_DEFERRED, PRIORITY_MEDIUM, Message, MessageLog

from common.mail.services import email_queue, email_queue_to_user, mail_queue_backlog, mail_queue_send
from common.mail.tasks import purge_mail_log
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def queue_deleted_notice(user):
    email_queue_to_user(user=user, template="account_deleted", context={})


def test_email_is_a_row_until_commit_then_sent(django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory(name="Chen Jie")
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        queue_deleted_notice(user)
        assert Message.objects.count() == 1
    assert mailoutbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert Message.objects.count() == 0
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert MessageLog.objects.filter(result="1").count() == 1


def test_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        queue_deleted_notice(user)
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert Message.objects.count() == 0
    assert mailoutbox == []


def test_email_has_text_and_html_in_the_recipients_language(django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory(name="陈杰", preferred_language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        queue_deleted_notice(user)
    (message,) = mailoutbox
    assert message.subject == "[WiiTs] 您的账户已被删除"
    assert "陈杰" in message.body
    html = {mimetype: content for content, mimetype in message.alternatives}["text/html"]
    assert '<html lang="zh-hans" dir="ltr">' in html
    assert "陈杰" in html


def test_subject_is_always_one_line(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(to=["a@example.org"], template="account_deleted", context={"recipient": {"name": "A"}})
    assert "\n" not in mailoutbox[0].subject


def test_transient_failure_is_deferred_then_retried_by_the_sweep(settings, mailoutbox):
    settings.MAILER_EMAIL_BACKEND = "tests.common.backends.FailingBackend"
    queue_deleted_notice(UserFactory())
    mail_queue_send()  # what the task does after commit
    message = Message.objects.get()
    assert message.priority == PRIORITY_DEFERRED
    assert MessageLog.objects.filter(result="3", log_message__contains="SMTPServerDisconnected").exists()
    assert mail_queue_backlog() == {"queued": 0, "deferred": 1}

    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail_queue_send()  # a plain send leaves deferred messages alone
    assert mailoutbox == []
    call_command("sweep_mail")
    assert Message.objects.count() == 0
    assert len(mailoutbox) == 1


def test_a_message_that_keeps_failing_stays_deferred_for_staff(settings, mailoutbox):
    settings.MAILER_EMAIL_BACKEND = "tests.common.backends.FailingBackend"
    settings.MAILER_EMAIL_MAX_RETRIES = 2
    queue_deleted_notice(UserFactory())
    call_command("sweep_mail")
    call_command("sweep_mail")
    call_command("sweep_mail")
    message = Message.objects.get()
    assert message.retry_count == 2
    assert message.priority == PRIORITY_DEFERRED
    assert MessageLog.objects.filter(result="3").count() == 3


def test_staff_resend_action_queues_a_failed_message_and_sends_after_commit(
    settings, staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MAILER_EMAIL_BACKEND = "tests.common.backends.FailingBackend"
    queue_deleted_notice(UserFactory(email="failed@example.org"))
    mail_queue_send()
    message = Message.objects.get()
    assert message.priority == PRIORITY_DEFERRED
    response = staff_client.get(reverse("admin:mailer_message_changelist") + "?priority__exact=4")
    assert "failed@example.org" in response.content.decode()

    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_client.post(
            reverse("admin:mailer_message_changelist"),
            {"action": "resend_messages", "_selected_action": [message.pk]},
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.priority, message.retry_count) == (PRIORITY_MEDIUM, 0)
    assert mailoutbox == []  # no SMTP inside the admin's request
    for callback in callbacks:
        callback()
    assert not Message.objects.exists()
    assert [m.to for m in mailoutbox] == [["failed@example.org"]]


def test_sent_mail_log_keeps_no_message_body(mailoutbox):
    queue_deleted_notice(UserFactory())
    mail_queue_send()
    (entry,) = MessageLog.objects.all()
    assert not entry.message_data  # bodies carry sign-in and reset links


def test_purge_mail_log_deletes_old_entries():
    from datetime import timedelta

    from django.utils import timezone

    queue_deleted_notice(UserFactory())
    mail_queue_send()
    MessageLog.objects.update(when_attempted=timezone.now() - timedelta(days=91))
    assert purge_mail_log() == 1
    assert not MessageLog.objects.exists()


def test_sweep_command_reports_the_backlog(capsys):
    call_command("sweep_mail")
    assert "Retried 0 deferred; now queued 0, deferred 0." in capsys.readouterr().out


def test_replies_go_to_the_wiits_team(settings, django_capture_on_commit_callbacks, mailoutbox):
    settings.WIITS_CONTACT_EMAIL = "WiiTs team <team@example.org>"
    with django_capture_on_commit_callbacks(execute=True):
        queue_deleted_notice(UserFactory())
    assert mailoutbox[0].reply_to == ["WiiTs team <team@example.org>"]
