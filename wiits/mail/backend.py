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
    """

    def send_messages(self, email_messages):
        count = super().send_messages(email_messages)
        if count:
            transaction.on_commit(dispatch_send_queue, robust=True)
        return count
