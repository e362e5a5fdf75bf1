from celery import shared_task

from . import services


@shared_task(name="technologies.tasks.expire_and_remind", acks_late=True, reject_on_worker_lost=True)
def expire_and_remind() -> dict[str, int]:
    """Idempotent: a reminder is sent once per validity period, an expiry happens once."""
    return services.technologies_expire_and_remind()
