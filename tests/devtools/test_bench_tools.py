"""The load-test data generator and the benchmark's report (`make bench` itself needs
PostgreSQL, gunicorn, wrk and locust, and minutes: it is run by hand)."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from advisors.models import Adviser
from devtools.management.commands.bench import render_report
from events.models import Event, Registration

pytestmark = pytest.mark.django_db


def test_generate_community_makes_members_advisers_and_events_with_registrations():
    call_command("generate_community", members=30, advisers=5, events=8, seed=3)
    members = User.objects.filter(email__endswith="@bench.wiits.example")
    assert members.count() == 30
    assert Adviser.objects.filter(user__in=members).count() == 5
    events = Event.objects.filter(slug__contains="-s3-")
    assert events.count() == 8 and all(event.is_published for event in events)
    registrations = Registration.objects.filter(event__in=events)
    assert registrations.exists()
    assert registrations.values("event", "user").distinct().count() == registrations.count()
    assert not any(user.has_usable_password() for user in members)


def test_generate_community_refuses_a_seed_used_before_and_writes_nothing():
    call_command("generate_community", members=3, advisers=1, events=1, seed=4)
    before = User.objects.count(), Event.objects.count()
    with pytest.raises(CommandError, match="seed 4"):
        call_command("generate_community", members=3, advisers=1, events=1, seed=4)
    assert (User.objects.count(), Event.objects.count()) == before


def test_generate_community_refuses_more_advisers_than_members():
    with pytest.raises(CommandError, match="advisers"):
        call_command("generate_community", members=2, advisers=3, events=0, seed=5)
    assert not User.objects.filter(email__endswith="@bench.wiits.example").exists()


def _run(**rps):
    results = [
        {"key": key, "name": key, "rps": value, "p50": 10.0, "p95": 20.0, "p99": 30.0, "errors": 0, "queries": 3}
        for key, value in rps.items()
    ]
    return {
        "at": "2026-11-30T04:00:00+00:00",
        "label": "",
        "commit": "abc1234",
        "machine": {
            "cpu": "CPU",
            "cores": 2,
            "memory": "24 GiB",
            "os": "Linux",
            "python": "3.11",
            "django": "5.2",
            "postgresql": "15",
            "wrk": "wrk 4.1.0",
            "locust": "2.47.0",
        },
        "settings": {"server": "gunicorn", "django": "DEBUG off", "saturation": "wrk", "steady": "locust"},
        "data": {"published technologies": 100_000},
        "results": results,
    }


def test_the_report_gives_each_ratio_from_one_run_and_a_before_and_after_table():
    after = _run(trivial=2000.0, catalogue=500.0, **{"catalogue-uncached": 50.0, "search-common": 40.0})
    before = _run(trivial=2200.0, catalogue=25.0)
    report = render_report(after, before)
    assert "| catalogue / trivial view, throughput | 25% | at least 25% |" in report
    assert "| search for a common word / catalogue (both uncached), throughput | 80% |  |" in report
    assert "| catalogue | 25.0 | 500.0 |" in report  # before, after
    assert "search-common | 40.0" not in report.split("## Before and after")[1]  # nothing to compare with
    assert "## What the benchmark found" in report


def test_the_report_can_be_written_again_from_a_runs_figures(tmp_path):
    figures, before, output = tmp_path / "after.json", tmp_path / "before.json", tmp_path / "BENCHMARKS.md"
    figures.write_text(json.dumps(_run(trivial=2000.0, catalogue=600.0)))
    before.write_text(json.dumps(_run(trivial=2000.0, catalogue=20.0)))
    call_command("bench", report_from=str(figures), compare=str(before), output=str(output))
    report = output.read_text()
    assert "| catalogue / trivial view, throughput | 30% | at least 25% |" in report
    assert "| catalogue | 20.0 | 600.0 |" in report
