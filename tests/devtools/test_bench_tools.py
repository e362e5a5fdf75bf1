"""The load-test data generator and the benchmark's report (`make bench` itself needs
PostgreSQL, gunicorn, wrk and locust, and minutes: it is run by hand)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from advisors.models import Adviser
from devtools.bench.search_index import percentile, save_cost, search_index_size
from devtools.management.commands.bench import render_report, target_met
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


# --- Targets: met or missed, from the figures -------------------------------------------------


def _ratios(report: str) -> dict[str, list[str]]:
    """{label: [value, target, met?]} of the report's ratios table."""
    table = report.split("## Ratios (same run)")[1].split("\n\n")[1]
    rows = [line.strip("|").split("|") for line in table.splitlines()[2:]]
    return {cells[0].strip(): [cell.strip() for cell in cells[1:]] for cells in rows}


def _with_p95(run: dict, **p95) -> dict:
    for result in run["results"]:
        result["p95"] = p95.get(result["key"].replace("-", "_"), result["p95"])
    return run


def test_each_target_row_says_met_or_missed_from_the_unrounded_figures():
    run = _run(
        trivial=2000.0,
        catalogue=492.0,  # 24.6%: shown with a decimal, as "25%" would hide the miss
        **{"catalogue-uncached": 50.0, "search-common": 40.0},
        **{"search-en": 600.0, "search-zh": 520.0, "search-ar": 700.0, "search-ru": 800.0},
    )
    run = _with_p95(run, search_common=130.0, search_en=50.0, search_zh=50.4, search_ar=31.0, search_ru=12.0)
    ratios = _ratios(render_report(run, None))

    assert ratios["catalogue / trivial view, throughput"] == ["24.6%", "at least 25%", "missed"]
    # The slowest of the four languages' searches: 520 / 2000.
    assert ratios["search uncached / trivial view, throughput"] == ["26%", "at least 25%", "met"]
    assert ratios["search p95 at the moderate rate, common word"] == ["130 ms", "under 100 ms", "missed"]
    assert ratios["search p95 at 10 requests a second (English)"] == ["50 ms", "at most 50 ms", "met"]
    assert ratios["search p95 at 10 requests a second (Chinese)"] == ["50.4 ms", "at most 50 ms", "missed"]
    assert ratios["search p95 at 10 requests a second (Arabic)"] == ["31 ms", "at most 50 ms", "met"]
    assert ratios["search p95 at 10 requests a second (Russian)"] == ["12 ms", "at most 50 ms", "met"]
    assert ratios["search for a common word / catalogue (both uncached), throughput"] == ["80%", "", ""]


def test_a_search_slower_than_a_quarter_of_the_trivial_view_misses_and_absent_figures_give_no_row():
    run = _run(trivial=2000.0, **{"search-en": 900.0, "search-ru": 400.0})
    ratios = _ratios(render_report(run, None))
    assert ratios["search uncached / trivial view, throughput"] == ["20%", "at least 25%", "missed"]
    assert "search p95 at 10 requests a second (Chinese)" not in ratios
    assert "catalogue / trivial view, throughput" not in ratios


def test_target_met_compares_as_each_target_says():
    assert target_met(0.25, ("at least", 0.25)) and not target_met(0.2499, ("at least", 0.25))
    assert target_met(50.0, ("at most", 50.0)) and not target_met(50.01, ("at most", 50.0))
    assert target_met(99.9, ("under", 100.0)) and not target_met(100.0, ("under", 100.0))


def test_the_rate_of_the_run_names_the_latency_targets():
    run = {**_run(trivial=2000.0, **{"search-zh": 500.0}), "rate": 5.0}
    assert "search p95 at 5 requests a second (Chinese)" in _ratios(render_report(run, None))


def test_the_report_gives_the_search_index_per_listing_the_cost_of_a_save_and_the_languages():
    run = {
        **_run(trivial=2000.0),
        "languages": {"written in": {"en": 480, "zh-hans": 200, "ar": 80, "ru": 80, "fr": 80, "es": 80},
                      "with translations": 333},
        "search_index": {
            "indexes": [{"name": "technology_search_vector_gin", "definition": "...", "bytes": 2_000_000}],
            "listings": 1000,
            "vector_bytes_avg": 1200.4,
            "saves": {"count": 200, "mean_ms": 6.78, "p95_ms": 8.91},
        },
    }  # fmt: skip
    report = render_report(run, None)
    section = report.split("## Search index")[1].split("## What the benchmark")[0]
    assert "`technology_search_vector_gin`" in section
    assert "| search index per listing | 2,000 bytes |" in section
    assert "| stored search vector per listing (average `pg_column_size`) | 1,200 bytes |" in section
    assert "| index and vector per listing | 3,200 bytes |" in section
    assert "| save: search-vector refresh, mean | 6.8 ms |" in section
    assert "| save: search-vector refresh, p95 | 8.9 ms |" in section
    assert "for 200 listings" in section
    assert "written in 48% en, 20% zh-hans, 8% ar" in report and "33% carry translations" in report
    assert "## Search index" not in render_report(_run(trivial=2000.0), None)  # an earlier run's figures


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(1, 201)]
    assert percentile(values, 95) == 190.0
    assert percentile([3.0], 95) == 3.0


@pytest.mark.postgres
def test_the_search_index_is_found_by_its_definition_and_a_save_is_timed():
    call_command("generate_technologies", count=12, seed=21, stdout=StringIO())

    figures = search_index_size()
    assert figures["listings"] == 12
    assert figures["indexes"] and all("search_vector" in index["definition"] for index in figures["indexes"])
    assert all(index["bytes"] > 0 for index in figures["indexes"])
    assert figures["vector_bytes_avg"] > 0
    saves = save_cost(5)
    assert saves["count"] == 5
    assert 0 < saves["mean_ms"] <= saves["p95_ms"]  # of five timings, the 95th percentile is the slowest


def test_the_budgets_of_issue_15_are_read_against_the_trivial_view_and_the_registration_p95():
    run = _run(trivial=2000.0, technology=620.0, event=580.0, dashboard=300.0, register=90.0,
               **{"catalogue-uncached": 398.0})  # fmt: skip
    run = _with_p95(run, register=61.0)
    ratios = _ratios(render_report(run, None))
    assert ratios["catalogue uncached / trivial view, throughput (issue 15)"] == ["19.9%", "at least 20%", "missed"]
    assert ratios["a technology / trivial view, throughput"] == ["31%", "at least 30%", "met"]
    assert ratios["an event / trivial view, throughput"] == ["29%", "at least 30%", "missed"]
    assert ratios["dashboard signed in / trivial view, throughput"] == ["15%", "at least 15%", "met"]
    assert ratios["event registration p95 at 10 requests a second"] == ["61 ms", "at most 60 ms", "missed"]


def test_the_growth_table_compares_the_time_of_each_request_on_fewer_listings():
    small = {**_run(technology=600.0, search_en=400.0), "data": {"published technologies": 10_000}}
    big = {**_run(technology=500.0, search_en=200.0), "data": {"published technologies": 100_000}}
    report = render_report(big, None, small)
    section = report.split("## Growth: 10,000 to 100,000 listings")[1].split("## What the benchmark")[0]
    assert "| technology | 600.0 | 500.0 | 1.20 | 1.00 | met |" in section
    # A search is reported without the goal, which is for pages that list or show one thing.
    assert "| search_en | 400.0 | 200.0 | 2.00 | 1.00 |  |" in section
    assert "## Growth: " not in render_report(big, None)
