from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from mailer.backend import DbBackend


def dispatch_send_queue() -> None:
    from .tasks import send_mail_queue

    send_mail_queue.delay()


class QueuedEmailBackend(DbBackend):
    """Store messages as rows in the current transaction; ask Celery to send after commit.

    A rolled-back change therefore sends nothing. If the broker is down when the change
    commits, `robust=True` logs the failure instead of failing the request; the message
    stays queued and the periodic sweep (beat, or `manage.py sweep_mail`) sends it.

    Each message gets its Message-ID here, stored with the row. django-mailer would make
    one at each sending attempt, so a message sent again after a worker died between the
    SMTP server's acceptance and the row's deletion (the at-least-once window of any
    outbox) would look like a new email; with one Message-ID it is the same email twice,
    which mail systems and readers recognise (`make faults` measures that window).
    """

    def send_messages(self, email_messages):
        for message in email_messages:
            if not any(name.lower() == "message-id" for name in message.extra_headers):
                message.extra_headers["Message-ID"] = make_msgid(domain=DNS_NAME)
        count = super().send_messages(email_messages)
        if count:
            transaction.on_commit(dispatch_send_queue, robust=True)
        return count
