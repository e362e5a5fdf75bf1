"""Capacity under concurrency (PostgreSQL): never more registered than places."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from events import services
from events.models import Registration
from tests.factories import EventFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def run_together(calls) -> list[str]:
    start = threading.Barrier(len(calls))
    outcomes = []

    def worker(call):
        start.wait()
        try:
            outcomes.append(call().status)
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize("attempt", range(5))
def test_simultaneous_registrations_never_overbook(attempt):
    event = EventFactory(capacity=3)
    members = [UserFactory() for _ in range(12)]
    outcomes = run_together([lambda m=m: services.registration_create(event=event, user=m) for m in members])
    assert sorted(outcomes) == ["registered"] * 3 + ["waiting"] * 9
    assert Registration.objects.filter(event=event, status="registered").count() == 3
    assert Registration.objects.filter(event=event, status="waiting").count() == 9


def test_the_same_member_submitting_twice_at_once_gets_one_registration():
    event = EventFactory(capacity=3)
    member = UserFactory()
    outcomes = run_together([lambda: services.registration_create(event=event, user=member)] * 4)
    assert outcomes.count("registered") == 4  # the later submissions see the first and change nothing
    assert Registration.objects.filter(event=event, user=member).count() == 1
