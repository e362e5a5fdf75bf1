"""Races that only a real database with row locks can show (PostgreSQL)."""

import contextlib
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


def _race(create, monkeypatch, count=2):
    """Run `create` in `count` threads that all find the same slug free before any inserts:
    the losers of the unique index must take the next free slug, not fail."""
    from common import slugs

    checked = threading.Barrier(count)
    free_slug = slugs.free_slug

    def free_slug_then_wait(model, base, **kwargs):
        slug = free_slug(model, base, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):  # a retry: the others are done
            checked.wait(timeout=5)  # every thread has checked before any inserts
        return slug

    monkeypatch.setattr(slugs, "free_slug", free_slug_then_wait)
    outcomes = []

    def run(n):
        try:
            outcomes.append(create(n).slug)
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_listings_with_one_title_at_the_same_moment_both_get_an_address(monkeypatch):
    owners = [UserFactory() for _ in range(2)]
    outcomes = _race(
        lambda n: services.technology_create(owner=owners[n], fields={"title": "Solar dryer", "summary": "x"}),
        monkeypatch,
    )
    assert sorted(outcomes) == ["solar-dryer", "solar-dryer-2"]


def test_two_needs_with_one_title_at_the_same_moment_both_get_an_address(monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from needs import services as need_services

    owners = [UserFactory() for _ in range(2)]
    fields = {
        "title": "Cold room",
        "problem": "x",
        "country": "KE",
        "trl_min": 5,
        "valid_until": timezone.localdate() + timedelta(days=90),
    }
    outcomes = _race(lambda n: need_services.need_create(owner=owners[n], fields=dict(fields)), monkeypatch)
    assert sorted(outcomes) == ["cold-room", "cold-room-2"]


def test_two_copies_of_one_event_at_the_same_moment_both_get_an_address(monkeypatch):
    from events import services as event_services
    from tests.factories import EventFactory, StaffFactory

    event, staff = EventFactory(slug="workshop"), StaffFactory()
    outcomes = _race(lambda n: event_services.event_duplicate(event=event, by=staff), monkeypatch)
    assert sorted(outcomes) == ["workshop-copy", "workshop-copy-2"]
