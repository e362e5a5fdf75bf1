"""/metrics: who may read it, Prometheus' text format, and the portal's own gauges."""

import datetime
import math
import sys
import types

import pytest
from django.urls import reverse
from django.utils import timezone
from mailer.models import Message
from prometheus_client.parser import text_string_to_metric_families

from advisors.models import Assignment
from common.mail.services import email_queue_to_user
from technologies.models import TechnologyStatus
from tests.factories import AdviserFactory, TechnologyFactory, UserFactory

pytestmark = pytest.mark.django_db

MONITOR = "192.0.2.10"
TOKEN = "metrics-token-0123456789-abcdefghijklmnopqrstuvwxyz"


@pytest.fixture(autouse=True)
def _monitoring(settings):
    settings.REDIS_URL = ""
    settings.WIITS_MONITORING_ADDRESSES = [MONITOR]
    settings.METRICS_TOKEN = TOKEN


def scrape(client, **extra):
    response = client.get(reverse("metrics"), REMOTE_ADDR=MONITOR, **extra)
    assert response.status_code == 200, response.status_code
    return {family.name: family for family in text_string_to_metric_families(response.content.decode())}


def sample_values(family) -> dict:
    return {tuple(sorted(sample.labels.items())): sample.value for sample in family.samples}


def test_metrics_are_a_404_for_the_anonymous_and_members(client, member_client, staff_client):
    for someone in (client, member_client, staff_client):
        response = someone.get(reverse("metrics"))
        assert response.status_code == 404
        assert b"wiits_" not in response.content
    # Not even a 405 for another method: nothing says the page exists.
    assert client.post(reverse("metrics")).status_code == 404


def test_a_monitoring_address_reads_prometheus_text(client):
    client.get(reverse("home"))  # a request for django-prometheus to count
    response = client.get(reverse("metrics"), REMOTE_ADDR=MONITOR)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "no-cache" in response["Cache-Control"]
    families = {family.name: family for family in text_string_to_metric_families(response.content.decode())}
    # django-prometheus: requests by view and method, responses by status, latency.
    requests = families["django_http_requests_total_by_view_transport_method"]
    assert any(sample.labels["view"] == "home" for sample in requests.samples)
    assert "django_http_responses_total_by_status_view_method" in families
    assert families["django_http_requests_latency_seconds_by_view_method"].type == "histogram"
    # The fragment cache's hits and misses (its django-prometheus backend).
    assert "django_cache_get" in families
    for name in ("wiits_mail_queue_messages", "wiits_technologies_waiting", "wiits_reviews_overdue"):
        assert families[name].type == "gauge"
    # Without REDIS_URL tasks run in-process: there is no queue to measure.
    assert "wiits_celery_queue_length" not in families


def test_the_monitoring_address_is_the_one_the_proxies_saw(client, settings):
    forged = client.get(reverse("metrics"), REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=MONITOR)
    assert forged.status_code == 404
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=MONITOR).status_code == 200


def test_the_bearer_token_opens_the_metrics_from_anywhere(client, settings):
    url = reverse("metrics")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=f"bearer {TOKEN}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {TOKEN}x").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION="Bearer ").status_code == 404
    # No token configured: no token opens it, not even an empty one.
    settings.METRICS_TOKEN = ""
    assert client.get(url, HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


def test_the_portal_gauges_count_what_waits(client):
    empty = scrape(client)
    assert sample_values(empty["wiits_mail_queue_messages"]) == {
        (("state", "queued"),): 0.0,
        (("state", "deferred"),): 0.0,
    }
    assert sample_values(empty["wiits_reviews_overdue"]) == {(): 0.0}

    TechnologyFactory(status=TechnologyStatus.SUBMITTED)
    TechnologyFactory(status=TechnologyStatus.SUBMITTED)
    in_review = TechnologyFactory(status=TechnologyStatus.IN_REVIEW)
    TechnologyFactory(status=TechnologyStatus.PUBLISHED)
    today = timezone.localdate()
    Assignment.objects.create(technology=in_review, adviser=AdviserFactory(), due_date=today - datetime.timedelta(2))
    Assignment.objects.create(technology=in_review, adviser=AdviserFactory(), due_date=today)  # due today: not late
    email_queue_to_user(user=UserFactory(), template="account_deleted", context={})
    email_queue_to_user(user=UserFactory(), template="account_deleted", context={})
    Message.objects.first().defer()

    families = scrape(client)
    assert sample_values(families["wiits_technologies_waiting"]) == {
        (("status", "submitted"),): 2.0,
        (("status", "in_review"),): 1.0,
    }
    assert sample_values(families["wiits_reviews_overdue"]) == {(): 1.0}
    assert sample_values(families["wiits_mail_queue_messages"]) == {
        (("state", "queued"),): 1.0,
        (("state", "deferred"),): 1.0,
    }


def test_a_submitted_review_is_not_overdue(client):
    in_review = TechnologyFactory(status=TechnologyStatus.IN_REVIEW)
    Assignment.objects.create(
        technology=in_review,
        adviser=AdviserFactory(),
        due_date=timezone.localdate() - datetime.timedelta(5),
        state="submitted",
    )
    assert sample_values(scrape(client)["wiits_reviews_overdue"]) == {(): 0.0}


def fake_backups(monkeypatch, last_backup_at):
    """wiits.backups (its own helper's module) as far as the metrics read it."""
    import wiits

    module = types.ModuleType("wiits.backups")
    module.last_backup_at = last_backup_at
    monkeypatch.setitem(sys.modules, "wiits.backups", module)
    monkeypatch.setattr(wiits, "backups", module, raising=False)


def test_the_last_backup_age(client, monkeypatch):
    finished = timezone.now() - datetime.timedelta(hours=3)
    fake_backups(monkeypatch, lambda: finished)
    (sample,) = scrape(client)["wiits_backup_age_seconds"].samples
    assert 3 * 3600 <= sample.value < 3 * 3600 + 60
    # No backup ever made: +Inf, so "older than 26 hours" fires.
    fake_backups(monkeypatch, lambda: None)
    (sample,) = scrape(client)["wiits_backup_age_seconds"].samples
    assert math.isinf(sample.value)


def test_a_failing_backup_reading_leaves_the_gauge_out(client, monkeypatch):
    def broken():
        raise OSError("the bucket does not answer")

    fake_backups(monkeypatch, broken)
    families = scrape(client)
    assert "wiits_backup_age_seconds" not in families
    assert "wiits_mail_queue_messages" in families


def test_without_the_backups_module_the_gauge_is_left_out(client, monkeypatch):
    import wiits

    empty = types.ModuleType("wiits.backups")  # a module without last_backup_at
    monkeypatch.setitem(sys.modules, "wiits.backups", empty)
    monkeypatch.setattr(wiits, "backups", empty, raising=False)
    families = scrape(client)
    assert "wiits_backup_age_seconds" not in families
    assert "wiits_mail_queue_messages" in families
    monkeypatch.setitem(sys.modules, "wiits.backups", None)  # no module at all: an ImportError
    monkeypatch.delattr(wiits, "backups")
    assert "wiits_backup_age_seconds" not in scrape(client)


def test_the_celery_queue_length_from_redis(client, settings, monkeypatch):
    import redis

    lengths = {"celery": 4, "celery\x06\x163": 1}

    class FakePipeline:
        def __init__(self):
            self.keys = []

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def llen(self, key):
            self.keys.append(key)

        def execute(self):
            return [lengths.get(key, 0) for key in self.keys]

    class FakeRedis:
        def pipeline(self, transaction=True):
            return FakePipeline()

    settings.REDIS_URL = "redis://broker.invalid:6379/0"
    monkeypatch.setattr(redis.Redis, "from_url", classmethod(lambda cls, url, **kwargs: FakeRedis()))
    assert sample_values(scrape(client)["wiits_celery_queue_length"]) == {(("queue", "celery"),): 5.0}


def test_a_broker_that_does_not_answer_leaves_the_queue_out(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    families = scrape(client)
    assert "wiits_celery_queue_length" not in families
    assert "wiits_mail_queue_messages" in families


def test_a_database_that_does_not_answer_leaves_its_gauges_out(client, monkeypatch):
    from django.db import OperationalError

    from wiits import metrics

    def down():
        raise OperationalError("the database is down")

    monkeypatch.setattr(metrics, "mail_queue_backlog", down)
    families = scrape(client)
    assert not {"wiits_mail_queue_messages", "wiits_technologies_waiting", "wiits_reviews_overdue"} & families.keys()
    assert "django_http_requests_total_by_view_transport_method" in families


@pytest.mark.redis
def test_the_celery_queue_length_with_a_real_broker(client, settings):
    import os

    import redis

    settings.REDIS_URL = os.environ["REDIS_URL"]
    queue = "wiits-test-metrics-queue"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    connection = redis.Redis.from_url(settings.REDIS_URL)
    connection.delete(queue)
    try:
        connection.rpush(queue, "a", "b", "c")
        assert sample_values(scrape(client)["wiits_celery_queue_length"]) == {(("queue", queue),): 3.0}
    finally:
        connection.delete(queue)
