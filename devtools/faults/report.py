"""docs/RELIABILITY.md, written by the full run from its own counts."""

from collections import Counter
from pathlib import Path

from django.template import Context, Engine

TEMPLATE = Path(__file__).with_name("RELIABILITY.md.tmpl")


def _s(value: float | None) -> str:
    return "never" if value is None else f"{value:.0f} s"


def table(results) -> str:
    rows = [
        "| scenario | actions attempted | succeeded | refused (clear page) | 5xx / no answer | lost "
        "| stored though not confirmed | emails owed | delivered once | duplicated | missing | phantom "
        "| portal back after | mail caught up after | sweep run | median / max latency of successes "
        "| gunicorn master PID unchanged | verdict |",
        "|" + "---|" * 18,
    ]
    for r in results:
        median, slowest = r.latency()
        rows.append(
            f"| {r.title} | {r.attempted} | {r.count('ok')} | {r.count('refused')} "
            f"| {r.count('error')}{_statuses(r)} / {r.count('no answer')} | {len(r.lost)} | {r.stored_not_confirmed} "
            f"| {r.owed} | {r.delivered_once} | {len(r.duplicated)} | {len(r.missing)} | {len(r.phantom)} "
            f"| {_s(r.portal_recovery)} | {_s(r.mail_recovery)} | {r.sweep_run} "
            f"| {median:.2f} s / {slowest:.2f} s | {'yes' if r.master_pid_same else 'NO'} "
            f"| {'pass' if r.passed else 'FAIL'} |"
        )
    return "\n".join(rows)


def _statuses(result) -> str:
    """Which 5xx the members saw, e.g. " (503: 3)": a 503 says "try again", a 500 a bug."""
    counts = Counter(o.status for o in result.outcomes if o.result == "error")
    parts = [f"{status}: {n}" for status, n in sorted(counts.items())]
    return f" ({', '.join(parts)})" if parts else ""


def render(*, results, profile, duration, backlog, machine, pg_version) -> str:
    engine = Engine(autoescape=False)
    template = engine.from_string(TEMPLATE.read_text())
    totals = {
        "attempted": sum(r.attempted for r in results),
        "ok": sum(r.count("ok") for r in results),
        "lost": sum(len(r.lost) for r in results),
        "owed": sum(r.owed for r in results),
        "once": sum(r.delivered_once for r in results),
        "duplicated": sum(len(r.duplicated) for r in results),
        "missing": sum(len(r.missing) for r in results),
        "phantom": sum(len(r.phantom) for r in results),
    }
    notes = [(r.title, note) for r in results for note in r.notes]
    return template.render(
        Context(
            {
                "table": table(results),
                "profile": profile,
                "duration": f"{duration / 60:.1f}",
                "backlog": backlog,
                "machine": machine,
                "pg_version": pg_version,
                "totals": totals,
                "notes": notes,
                "results": {r.name: r for r in results},
            },
            autoescape=False,  # Markdown, not HTML
        )
    )
