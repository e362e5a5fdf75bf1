from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from common import audit


@shared_task(name="wiits.tasks.clear_expired_sessions", acks_late=True, reject_on_worker_lost=True)
def clear_expired_sessions() -> int:
    """Delete expired sessions from the database (what `manage.py clearsessions` does)."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(name="wiits.tasks.prune_audit_log", acks_late=True, reject_on_worker_lost=True)
def prune_audit_log() -> int:
    """Delete the audit trail's entries older than AUDIT_LOG_KEEP_DAYS (common/audit.py)."""
    return audit.prune()


# Not acks_late: a backup run twice after a lost worker is only a second backup, but a
# long one; a backup can take longer than the default time limit.
@shared_task(name="wiits.tasks.backup", time_limit=6 * 3600, soft_time_limit=6 * 3600 - 300)
def backup() -> str:
    """The daily backup (wiits/backups.py; CELERY_BEAT_SCHEDULE["backup"])."""
    from wiits import backups

    return backups.create_backup().id
