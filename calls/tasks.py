from celery import shared_task

from . import services


@shared_task(name="calls.tasks.send_reminders", acks_late=True, reject_on_worker_lost=True)
def send_reminders() -> int:
    """Idempotent: each reminder is claimed before it is queued, so it goes out once."""
    return services.application_send_reminders()
