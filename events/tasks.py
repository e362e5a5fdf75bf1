from celery import shared_task

from . import services


@shared_task(name="events.tasks.send_reminders", acks_late=True, reject_on_worker_lost=True)
def send_reminders() -> int:
    """Idempotent: each reminder is claimed before it is queued, so it goes out once."""
    return services.events_send_reminders()


@shared_task(name="events.tasks.purge_visa_data", acks_late=True, reject_on_worker_lost=True)
def purge_visa_data() -> int:
    """Idempotent: clears the passport data of visa letter requests kept past their time."""
    from . import letters

    return letters.visa_letters_purge_personal_data()
