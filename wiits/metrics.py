"""/metrics: the portal's state for Prometheus (docs/MONITORING.md).

django-prometheus's counters and histograms (requests by view and status, latency, database
queries, the fragment cache), and the portal's own gauges, read when Prometheus asks (a few
cheap counts): the mail queue, the Celery queue, listings waiting for staff, overdue reviews
and the last backup's age.

Only the monitoring addresses (WIITS_MONITORING_ADDRESSES, as /healthz) or a bearer token
(METRICS_TOKEN) may read it; anyone else gets the site's 404, so the page does not say it
exists. It reads no session and needs no database to answer (the gauges that do are left
out while the database is down).
"""

import hmac
import logging
import math
import os

import prometheus_client
import redis
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

from advisors.models import Assignment
from common.mail.services import mail_queue_backlog
from technologies.models import Technology, TechnologyStatus
from wiits import permissions

logger = logging.getLogger(__name__)

# Listings waiting for staff: to screen (submitted) and in the advisory group's review.
WAITING_STATUSES = (TechnologyStatus.SUBMITTED, TechnologyStatus.IN_REVIEW)
# kombu's Redis transport keeps a queue's messages of priority 3, 6 and 9 in lists of their own.
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


class PortalCollector:
    """The wiits_ gauges, computed at each scrape."""

    def collect(self):
        try:
            yield from self._from_database()
        except DatabaseError:
            logger.warning("Metrics: the database did not answer; its gauges are left out", exc_info=True)
        yield from self._celery_queue()
        yield from self._backup_age()

    def _from_database(self):
        backlog = mail_queue_backlog()
        mail = GaugeMetricFamily(
            "wiits_mail_queue_messages",
            "Emails waiting in the queue (queued) and failed for now, to be retried (deferred).",
            labels=["state"],
        )
        mail.add_metric(["queued"], backlog["queued"])
        mail.add_metric(["deferred"], backlog["deferred"])
        counts = dict(
            Technology.objects.filter(status__in=WAITING_STATUSES)
            .order_by()
            .values_list("status")
            .annotate(count=Count("pk"))
        )
        waiting = GaugeMetricFamily(
            "wiits_technologies_waiting",
            "Listings waiting for staff: submitted (to screen) and in_review (the advisory group's review).",
            labels=["status"],
        )
        for status in WAITING_STATUSES:
            waiting.add_metric([status.value], counts.get(status, 0))
        overdue = Assignment.objects.open().filter(due_date__lt=timezone.localdate()).count()
        # Both families are yielded only once every query answered.
        yield mail
        yield waiting
        yield GaugeMetricFamily(
            "wiits_reviews_overdue", "Reviews of the advisory group past their due date, not submitted.", value=overdue
        )

    def _celery_queue(self):
        """The default queue's length in Redis; nothing without REDIS_URL (tasks run in-process)."""
        if not settings.REDIS_URL:
            return
        queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
        try:
            client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
            with client.pipeline(transaction=False) as pipe:
                for suffix in _PRIORITY_SUFFIXES:
                    pipe.llen(f"{queue}{suffix}")
                length = sum(pipe.execute())
        except redis.RedisError:
            logger.warning("Metrics: the broker did not answer; the Celery queue is left out", exc_info=True)
            return
        family = GaugeMetricFamily(
            "wiits_celery_queue_length", "Tasks waiting in the Celery queue for a worker.", labels=["queue"]
        )
        family.add_metric([queue], length)
        yield family

    def _backup_age(self):
        """Seconds since the newest successful backup; +Inf when none was ever made (the
        alert fires). Left out where the backups' module is not there."""
        try:
            from wiits import backups

            last_backup_at = backups.last_backup_at
        except (ImportError, AttributeError):
            return
        try:
            at = last_backup_at()
        except Exception:  # a scrape must not fail for it
            logger.warning("Metrics: the last backup's time could not be read", exc_info=True)
            return
        age = math.inf if at is None else max(0.0, (timezone.now() - at).total_seconds())
        yield GaugeMetricFamily(
            "wiits_backup_age_seconds", "Seconds since the newest successful backup (+Inf: none).", value=age
        )


_portal_registry = prometheus_client.CollectorRegistry(auto_describe=False)
_portal_registry.register(PortalCollector())


def may_read_metrics(request) -> bool:
    """A monitoring address (as seen through the trusted proxies), or the bearer token."""
    token = settings.METRICS_TOKEN
    if token:
        scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
    return permissions.is_monitoring_address(request)


def _process_registry():
    """django-prometheus's metrics: this process's, or every gunicorn worker's when they
    share PROMETHEUS_MULTIPROC_DIR (docs/MONITORING.md)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return prometheus_client.REGISTRY


@never_cache
@transaction.non_atomic_requests  # ATOMIC_REQUESTS would need the database before the view runs
def metrics(request):
    if not may_read_metrics(request):
        raise Http404  # before the method's check: a 405 would say the page exists
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    body = prometheus_client.generate_latest(_process_registry()) + prometheus_client.generate_latest(_portal_registry)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_PLAIN_0_0_4)
