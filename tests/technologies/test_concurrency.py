"""Races that only a real database with row locks can show (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from common.reference.models import CooperationType
from technologies import services
from tests.factories import TechnologyFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_parallel_inquiries_cannot_pass_the_daily_limit(settings):
    settings.WIITS_INQUIRIES_PER_DAY = 2
    technology = TechnologyFactory()
    sender = UserFactory()
    kind = CooperationType.objects.first()
    start = threading.Barrier(6)
    outcomes = []

    def send():
        start.wait()
        try:
            services.inquiry_create(
                technology=technology, sender=sender, cooperation=kind, organisation_name="x", message="x"
            )
            outcomes.append("sent")
        except Exception as error:  # the limit, as a ValidationError
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ValidationError"] * 4 + ["sent"] * 2
    assert technology.inquiries.count() == 2
