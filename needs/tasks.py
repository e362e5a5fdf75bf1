from celery import shared_task

from . import services


# Its name from before the move to needs/ (a queued message carries the name; settings.py).
@shared_task(name="technologies.tasks.expire_needs", acks_late=True, reject_on_worker_lost=True)
def expire_needs() -> int:
    """Idempotent: each need expires once, re-checked on its locked row."""
    return services.needs_expire()
