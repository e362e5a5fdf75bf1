"""A frozen broker (Redis stopped with SIGSTOP: it still accepts connections, the kernel
queues them, but never answers) must not hold a member's request: publishing the
after-commit task gives up within seconds and the sweep sends the email later.
Found by `make faults`: without a socket timeout the request waited as long as Redis
was frozen, and past gunicorn's 30 s timeout the member got no answer for a change
that had been saved."""

import socket
import time

import pytest
from celery import Celery
from kombu.exceptions import OperationalError


def test_publishing_to_a_frozen_broker_gives_up_within_seconds(settings):
    frozen = socket.socket()
    frozen.bind(("127.0.0.1", 0))
    frozen.listen(16)  # connections complete in the kernel's backlog; nothing ever answers
    app = Celery("frozen-broker-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = f"redis://127.0.0.1:{frozen.getsockname()[1]}/0"
    app.conf.task_always_eager = False
    started = time.monotonic()
    try:
        with pytest.raises(OperationalError):
            app.send_task("wiits.mail.tasks.send_mail_queue")
    finally:
        frozen.close()
    assert time.monotonic() - started < 10
