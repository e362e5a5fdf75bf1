"""Celery tasks for the mail queue: thin wrappers around the services.

They are idempotent (row locks make a second run send nothing twice), so they are
safe with acks_late and a worker that dies mid-run.
"""

from celery import shared_task

from . import services

IDEMPOTENT = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(name="wiits.mail.tasks.send_mail_queue", **IDEMPOTENT)
def send_mail_queue() -> None:
    services.mail_queue_send()


@shared_task(name="wiits.mail.tasks.sweep_mail_queue", **IDEMPOTENT)
def sweep_mail_queue() -> int:
    return services.mail_queue_sweep()


@shared_task(name="wiits.mail.tasks.purge_mail_log", **IDEMPOTENT)
def purge_mail_log() -> int:
    return services.mail_log_purge()
