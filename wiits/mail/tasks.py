"""Celery tasks for the mail queue: thin wrappers around the services.

Both are idempotent (row locks make a second run send nothing twice), so they are
safe with acks_late and a worker that dies mid-run.
"""

from celery import shared_task

from . import services


@shared_task(name="wiits.mail.tasks.send_mail_queue")
def send_mail_queue() -> None:
    services.mail_queue_send()


@shared_task(name="wiits.mail.tasks.sweep_mail_queue")
def sweep_mail_queue() -> int:
    return services.mail_queue_sweep()
