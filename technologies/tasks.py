from celery import shared_task

from . import digest, services


@shared_task(name="technologies.tasks.expire_and_remind", acks_late=True, reject_on_worker_lost=True)
def expire_and_remind() -> dict[str, int]:
    """Idempotent: a reminder is sent once per validity period, an expiry happens once."""
    return services.technologies_expire_and_remind()


@shared_task(name="technologies.tasks.send_weekly_digest", acks_late=True, reject_on_worker_lost=True)
def send_weekly_digest() -> int:
    """Idempotent: a member is claimed (digest_sent_at) in the transaction that queues their email."""
    return digest.digest_send_weekly()
