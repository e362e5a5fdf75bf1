"""The figures behind the staff reports: one function per report, each returning a
`Report` of plain values. The page's table and the CSV download are both rendered from
that same object (`Report.table()`), so they cannot disagree.

Every function runs a fixed number of queries whatever the amount of data: counts are
aggregated in the database, grouped by month with `TruncMonth` in the project's time
zone (the same on SQLite and PostgreSQL); only the review turnaround, which pairs each
decision with its submission, is computed in Python from one query of transitions.

`today` (a date in the project's time zone) is the day the figures are taken on; the
twelve-month windows end with its month. Tests pass it; the page uses today.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from statistics import median

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django_countries import countries

from accounts.models import StakeholderType
from calls.models import Application, Call
from common.reference.models import Sector, SustainableDevelopmentGoal
from common.translated import translated
from events.models import Event, Registration, RegistrationStatus
from technologies.models import (
    Inquiry,
    ListingViewDay,
    Need,
    NeedStatus,
    Technology,
    TechnologyStatus,
    TechnologyTransition,
)

MONTHS = 12
TOP_COUNTRIES = 15
MAX_EVENTS = 20
TURNAROUND_PERCENTILE = 90
# What a table cell shows when there is no figure (no decision that month, a future event).
NO_FIGURE = "—"


@dataclass(frozen=True)
class Report:
    """One report: a title, column headings, rows of plain values (str, int, float,
    date or None) and an optional totals row whose first cell is its label."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    totals: list | None = None
    note: str = ""
    # One colour per row, for the charts that colour each bar (the SDGs' official colours).
    colours: list[str] | None = None

    def header(self) -> list[str]:
        return [str(column) for column in self.columns]

    def body(self) -> list[list[str]]:
        return [[cell_text(value) for value in row] for row in self.rows]

    def footer(self) -> list[str] | None:
        return None if self.totals is None else [cell_text(value) for value in self.totals]

    def table(self) -> list[list[str]]:
        """The whole table as text, as the page shows it and the CSV holds it."""
        footer = self.footer()
        return [self.header(), *self.body(), *([footer] if footer else [])]

    def column(self, index: int) -> list:
        return [row[index] for row in self.rows]


def cell_text(value) -> str:
    """How a value reads in the table and the CSV: days and rates with one decimal."""
    if value is None:
        return NO_FIGURE
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# --- Months ---------------------------------------------------------------------------


def _month_starts(today: datetime.date) -> list[datetime.date]:
    """The first days of the last MONTHS calendar months, the current one included, oldest first."""
    year, month = today.year, today.month
    firsts = []
    for _step in range(MONTHS):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return firsts[::-1]


def _next_month(first: datetime.date) -> datetime.date:
    return datetime.date(first.year + 1, 1, 1) if first.month == 12 else datetime.date(first.year, first.month + 1, 1)


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the project's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _month_label(value: datetime.date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def _window(today: datetime.date | None) -> tuple[list[datetime.date], datetime.date, datetime.date]:
    months = _month_starts(today or timezone.localdate())
    return months, months[0], _next_month(months[-1])


def _by_month(rows, key: str = "month") -> dict[str, dict]:
    """Rows of a TruncMonth aggregate, keyed by "YYYY-MM" (dates and aware datetimes
    in the current time zone alike)."""
    return {_month_label(row[key]): row for row in rows}


def _total_label() -> str:
    return gettext("Total")


def _not_stated() -> str:
    return gettext("Not stated")


# --- 1. The funnel ----------------------------------------------------------------------


def funnel(*, today: datetime.date | None = None) -> Report:
    """Listing views, inquiries, and what became of those inquiries, by month."""
    months, start, end = _window(today)
    views = _by_month(
        ListingViewDay.objects.filter(day__gte=start, day__lt=end)
        .annotate(month=TruncMonth("day"))
        .order_by()
        .values("month")
        .annotate(views=Sum("views"))
    )
    inquiries = _by_month(
        Inquiry.objects.filter(created_at__gte=_start_of(start), created_at__lt=_start_of(end))
        .annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("month")
        .annotate(
            inquiries=Count("pk"),
            discussions=Count("pk", filter=Q(discussed_at__isnull=False)),
            agreements=Count("pk", filter=Q(agreed_at__isnull=False)),
        )
    )
    rows = []
    for first in months:
        label = _month_label(first)
        sent = inquiries.get(label, {})
        rows.append(
            [
                label,
                views.get(label, {}).get("views", 0),
                sent.get("inquiries", 0),
                sent.get("discussions", 0),
                sent.get("agreements", 0),
            ]
        )
    return Report(
        key="funnel",
        title=gettext("From listing views to agreements, by month"),
        columns=[
            gettext("Month"),
            gettext("Listing views"),
            gettext("Inquiries"),
            gettext("Discussions"),
            gettext("Agreements"),
        ],
        rows=rows,
        totals=[_total_label(), *(sum(row[index] for row in rows) for index in range(1, 5))],
        note=gettext(
            "Inquiries include answers to technology needs. Discussions and agreements are counted for the "
            "inquiries sent in the month, whenever the discussion started or the agreement was reached."
        ),
    )


# --- 2. Published technologies ----------------------------------------------------------


def _published_count_by(field: str) -> dict:
    return dict(Technology.objects.published().order_by().values_list(field).annotate(count=Count("pk")))


def technologies_by_sector(*, today: datetime.date | None = None) -> Report:
    counts = _published_count_by("sector_id")
    rows = [
        [str(sector), counts.get(sector.pk, 0)]
        for sector in Sector.objects.all()
        if sector.is_active or counts.get(sector.pk)
    ]
    rows.sort(key=lambda row: -row[1])  # stable: equal counts keep the sectors' own order
    if counts.get(None):
        rows.append([_not_stated(), counts[None]])
    return Report(
        key="sectors",
        title=gettext("Published technologies by sector"),
        columns=[gettext("Sector"), gettext("Published technologies")],
        rows=rows,
        totals=[_total_label(), sum(counts.values())],
    )


def technologies_by_sdg(*, today: datetime.date | None = None) -> Report:
    goals = SustainableDevelopmentGoal.objects.annotate(
        count=Count("technologies", filter=Q(technologies__status=TechnologyStatus.PUBLISHED))
    ).order_by("number")
    goals = list(goals)
    return Report(
        key="sdgs",
        title=gettext("Published technologies by Sustainable Development Goal"),
        columns=[gettext("SDG"), gettext("Goal"), gettext("Published technologies")],
        rows=[[goal.number, gettext(goal.name), goal.count] for goal in goals],
        colours=[goal.colour for goal in goals],
        note=gettext("A technology counts under each of its goals, so the figures do not add up to a total."),
    )


def technologies_by_trl(*, today: datetime.date | None = None) -> Report:
    counts = _published_count_by("trl")
    rows = [[level, counts.get(level, 0)] for level in range(1, 10)]
    rows.append([_not_stated(), counts.get(None, 0)])
    return Report(
        key="trl",
        title=gettext("Published technologies by technology readiness level"),
        columns=[gettext("Technology readiness level"), gettext("Published technologies")],
        rows=rows,
        totals=[_total_label(), sum(counts.values())],
    )


def technologies_by_country(*, today: datetime.date | None = None) -> Report:
    counts = _published_count_by("country_developed")
    ranked = sorted(
        ((countries.name(code) or code, count) for code, count in counts.items() if code),
        key=lambda pair: (-pair[1], pair[0]),
    )
    rows = [[name, count] for name, count in ranked[:TOP_COUNTRIES]]
    others = ranked[TOP_COUNTRIES:]
    if others:
        rows.append([gettext("Other countries (%(count)d)") % {"count": len(others)}, sum(c for _n, c in others)])
    if counts.get(""):
        rows.append([_not_stated(), counts[""]])
    return Report(
        key="countries",
        title=gettext("Published technologies by country where developed"),
        columns=[gettext("Country"), gettext("Published technologies")],
        rows=rows,
        totals=[_total_label(), sum(counts.values())],
        note=ngettext(
            "The %(count)d country with the most technologies, then the others together.",
            "The %(count)d countries with the most technologies, then the others together.",
            TOP_COUNTRIES,
        )
        % {"count": TOP_COUNTRIES},
    )


# --- 3. Review turnaround -------------------------------------------------------------

DECISIONS = [TechnologyStatus.PUBLISHED, TechnologyStatus.CHANGES_REQUESTED, TechnologyStatus.REJECTED]
UNDER_REVIEW = [TechnologyStatus.SUBMITTED, TechnologyStatus.IN_REVIEW]


def nearest_rank(values: list[float], percent: int) -> float | None:
    """The nearest-rank percentile: the smallest value such that at least `percent` per
    cent of the values are at or below it (always one of the values)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = -(-percent * len(ordered) // 100)  # ceil(percent / 100 * n) in integers
    return ordered[max(rank, 1) - 1]


def _days(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return round(median(values), 1), round(nearest_rank(values, TURNAROUND_PERCENTILE), 1)


def review_turnaround(*, today: datetime.date | None = None) -> Report:
    """Days from a technology's latest submission to each decision on it, by month of decision."""
    months, start, end = _window(today)
    decisions = Q(
        to_status__in=DECISIONS,
        from_status__in=UNDER_REVIEW,
        at__gte=_start_of(start),
        at__lt=_start_of(end),
    )
    transitions = (
        TechnologyTransition.objects.filter(
            technology_id__in=TechnologyTransition.objects.filter(decisions).values("technology_id")
        )
        .filter(decisions | Q(to_status=TechnologyStatus.SUBMITTED, at__lt=_start_of(end)))
        .order_by("technology_id", "at", "pk")
        .values_list("technology_id", "to_status", "at")
    )
    durations: dict[str, list[float]] = defaultdict(list)
    submitted_at: dict[int, datetime.datetime] = {}
    for technology_id, to_status, at in transitions:
        if to_status == TechnologyStatus.SUBMITTED:
            submitted_at[technology_id] = at
        elif technology_id in submitted_at:
            days = (at - submitted_at[technology_id]).total_seconds() / 86400
            durations[_month_label(timezone.localtime(at))].append(days)
    rows = []
    for first in months:
        label = _month_label(first)
        rows.append([label, len(durations[label]), *_days(durations[label])])
    everything = [days for label in durations for days in durations[label]]
    return Report(
        key="review-turnaround",
        title=gettext("Review turnaround, by month of decision"),
        columns=[
            gettext("Month"),
            gettext("Decisions"),
            gettext("Median days"),
            gettext("90th percentile days"),
        ],
        rows=rows,
        totals=[_total_label(), len(everything), *_days(everything)],
        note=gettext(
            "A decision is a listing published, returned for changes or rejected after submission; its turnaround "
            "runs from the latest submission before it. The 90th percentile uses the nearest-rank method: the "
            "smallest turnaround within which at least nine decisions in ten were made."
        ),
    )


# --- 4. Technology needs --------------------------------------------------------------


def needs(*, today: datetime.date | None = None) -> Report:
    months, start, end = _window(today)
    published = _by_month(
        Need.objects.filter(published_at__gte=_start_of(start), published_at__lt=_start_of(end))
        .annotate(month=TruncMonth("published_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("month")
        .annotate(
            needs=Count("pk", distinct=True),
            answered=Count("pk", distinct=True, filter=Q(answers__isnull=False)),
            answers=Count("answers"),
        )
    )
    rows = []
    for first in months:
        label = _month_label(first)
        month = published.get(label, {})
        rows.append([label, month.get("needs", 0), month.get("answered", 0), month.get("answers", 0)])
    return Report(
        key="needs",
        title=gettext("Technology needs, by month of publication"),
        columns=[
            gettext("Month"),
            gettext("Needs published"),
            gettext("Needs answered"),
            gettext("Answers"),
        ],
        rows=rows,
        totals=[_total_label(), *(sum(row[index] for row in rows) for index in range(1, 4))],
        note=gettext(
            "Needs are counted in the month they were (last) published, whatever their status now; their answers "
            "are counted whenever they were sent."
        ),
    )


def needs_by_status(*, today: datetime.date | None = None) -> Report:
    counts = dict(Need.objects.order_by().values_list("status").annotate(count=Count("pk")))
    return Report(
        key="need-status",
        title=gettext("Technology needs by current status"),
        columns=[gettext("Status"), gettext("Needs")],
        rows=[[str(label), counts.get(value, 0)] for value, label in NeedStatus.choices],
        totals=[_total_label(), sum(counts.values())],
    )


# --- 5. Events --------------------------------------------------------------------------


def _figures_taken_at(today: datetime.date | None) -> datetime.datetime:
    """The instant the figures describe: now, or the end of the given day."""
    return timezone.now() if today is None else _start_of(today + datetime.timedelta(days=1))


def events(*, today: datetime.date | None = None) -> Report:
    _months, start, _end = _window(today)
    now = _figures_taken_at(today)
    has_registrations = Exists(Registration.objects.filter(event=OuterRef("pk")))
    chosen = (
        Event.objects.filter(starts_at__gte=_start_of(start))
        .filter(Q(is_published=True) | has_registrations)
        .only("title", "starts_at", "ends_at", "time_zone")
        .annotate(
            registered=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)),
            waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
            attended=Count("registrations", filter=Q(registrations__attended=True)),
        )
        .order_by("-starts_at", "-pk")[:MAX_EVENTS]
    )
    rows = []
    for event in chosen:
        past = event.ends_at < now
        rate = round(100 * event.attended / event.registered, 1) if past and event.registered else None
        rows.append([event.title, event.local_starts_at.date(), event.registered, event.waiting, event.attended, rate])
    return Report(
        key="events",
        title=gettext("Events: registrations and attendance"),
        columns=[
            gettext("Event"),
            gettext("Starts"),
            gettext("Registered"),
            gettext("Waiting list"),
            gettext("Attended"),
            gettext("Attendance rate (%)"),
        ],
        rows=rows,
        note=ngettext(
            "Events that started in the last %(months)d month or are upcoming, published or with registrations, "
            "latest first (at most %(count)d). The attendance rate (attended ÷ registered) is given for past events "
            "only.",
            "Events that started in the last %(months)d months or are upcoming, published or with registrations, "
            "latest first (at most %(count)d). The attendance rate (attended ÷ registered) is given for past events "
            "only.",
            MONTHS,
        )
        % {"months": MONTHS, "count": MAX_EVENTS},
    )


# --- 10. Calls for solutions --------------------------------------------------------------

# Statuses an application has reached each step from (a later stage implies the earlier).
_PASSED_ELIGIBILITY = [
    "eligible",
    "shortlisted",
    "not_shortlisted",
    "jury_review",
    "winner",
    "finalist",
    "not_selected",
]
_SHORTLISTED = ["shortlisted", "jury_review", "winner", "finalist", "not_selected"]
_SUBMITTED = ["submitted", "ineligible", *_PASSED_ELIGIBILITY]


def _call_counts():
    return {
        "applications": Count("pk", filter=Q(status__in=_SUBMITTED)),
        "eligible": Count("pk", filter=Q(status__in=_PASSED_ELIGIBILITY)),
        "shortlisted": Count("pk", filter=Q(status__in=_SHORTLISTED)),
        "winners": Count("pk", filter=Q(status__in=["winner", "finalist"], call__results_published_at__isnull=False)),
    }


def calls_funnel(*, today: datetime.date | None = None) -> Report:
    """Each call's applications through its stages (drafts are not applications yet)."""
    counts = {
        row["call_id"]: row for row in Application.objects.order_by().values("call_id").annotate(**_call_counts())
    }
    rows = []
    for call in Call.objects.published().order_by("-closes_at", "pk"):
        found = counts.get(call.pk, {})
        steps = [found.get(key, 0) for key in ("applications", "eligible", "shortlisted", "winners")]
        rows.append([str(translated(call, "title")), *steps])
    return Report(
        key="calls",
        title=gettext("Calls for solutions: applications through the stages"),
        columns=[
            gettext("Call"),
            gettext("Applications"),
            gettext("Eligible"),
            gettext("Shortlisted"),
            gettext("Winners and finalists"),
        ],
        rows=rows,
        totals=[_total_label(), *(sum(row[index] for row in rows) for index in range(1, 5))],
        note=gettext(
            "Submitted applications; a call that skips a stage counts its applications as having passed it. "
            "Winners and finalists once the call's results are published."
        ),
    )


def calls_applicants(*, today: datetime.date | None = None) -> Report:
    """Who applies to calls: by the applicant's stakeholder type and country, and by the
    sector and SDGs of the technology they apply with."""
    base = Application.objects.order_by()
    dimensions = [
        (gettext("Stakeholder type"), "applicant__stakeholder_type", dict(StakeholderType.choices)),
        (gettext("Sector"), "technology__sector__name", None),
        (gettext("SDG"), "technology__sdgs__number", None),
        # The applicant's own country, as the call's eligibility reads it (not where the
        # technology was developed).
        (gettext("Country"), "applicant__country", None),
    ]
    rows = []
    for dimension, field, names in dimensions:
        grouped = base.values(field).annotate(**_call_counts()).order_by(field)
        for row in sorted(grouped, key=lambda row: (-row["applications"], str(row[field] or ""))):
            if not row["applications"]:
                continue
            value = row[field]
            if names is not None:
                label = str(names.get(value, value))
            elif field == "applicant__country":
                label = str(dict(countries).get(value, value)) if value else _not_stated()
            else:
                label = str(value) if value not in (None, "") else _not_stated()
            rows.append([f"{dimension}: {label}", row["applications"], row["shortlisted"], row["winners"]])
    return Report(
        key="call-applicants",
        title=gettext("Applications to calls by stakeholder type, sector, SDG and country"),
        columns=[gettext("Group"), gettext("Applications"), gettext("Shortlisted"), gettext("Winners and finalists")],
        rows=rows,
        note=gettext(
            "Stakeholder type and country are the applicant's; sector and SDGs those of the technology. "
            "An application with several SDGs is counted under each."
        ),
    )


# The reports in the order of the page; the keys name the CSV downloads.
REPORTS: dict[str, Callable[..., Report]] = {
    "funnel": funnel,
    "sectors": technologies_by_sector,
    "sdgs": technologies_by_sdg,
    "trl": technologies_by_trl,
    "countries": technologies_by_country,
    "review-turnaround": review_turnaround,
    "needs": needs,
    "need-status": needs_by_status,
    "events": events,
    "calls": calls_funnel,
    "call-applicants": calls_applicants,
}


def all_reports(*, today: datetime.date | None = None) -> list[Report]:
    return [build(today=today) for build in REPORTS.values()]
