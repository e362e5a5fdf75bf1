"""Email backends that stand in for an SMTP server in tests."""

import smtplib
import threading
import time

from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """An SMTP server that drops the connection: a transient failure."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class SlowRecordingBackend(BaseEmailBackend):
    """Records which thread sent what, slowly enough for two senders to overlap."""

    sent: list[tuple[str, str]] = []
    lock = threading.Lock()

    def send_messages(self, email_messages):
        time.sleep(0.02)
        with self.lock:
            for message in email_messages:
                self.sent.append((threading.current_thread().name, message.subject))
        return len(email_messages)
