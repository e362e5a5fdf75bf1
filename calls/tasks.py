from celery import shared_task

from . import jury, services


@shared_task(name="calls.tasks.send_reminders", acks_late=True, reject_on_worker_lost=True)
def send_reminders() -> int:
    """Idempotent: each reminder is claimed before it is queued, so it goes out once."""
    return services.application_send_reminders()


@shared_task(name="calls.tasks.remind_jurors", acks_late=True, reject_on_worker_lost=True)
def remind_jurors() -> int:
    """Idempotent: each juror's reminder is claimed before it is queued, so it goes out once."""
    return jury.jury_send_reminders()
