"""The staff reports page (/reports/): figures, charts, CSV downloads and access.

The figures are checked against a hand-made dataset spread over months (with rows on
both sides of each window's edges and of midnight in the portal's time zone) and
compared with counts computed here independently, row by row."""

import csv
import datetime
import io
import math
import re
import statistics
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django_countries import countries

from common.reference.models import Sector, SustainableDevelopmentGoal
from events.models import Registration
from reports import charts, figures
from reports.permissions import can_see_reports
from technologies.models import Inquiry, ListingViewDay, Need, Technology, TechnologyTransition
from tests.factories import EventFactory, InquiryFactory, TechnologyFactory, UserFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)
WINDOW = [
    f"{year}-{month:02d}" for year, month in [(2024, m) for m in range(7, 13)] + [(2025, m) for m in range(1, 7)]
]
PAGE = "/reports/"


def local(year, month, day, hour=12, minute=0) -> datetime.datetime:
    """An instant given in the portal's time zone (Asia/Shanghai, UTC+8)."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def month_of(instant: datetime.datetime) -> str:
    return timezone.localtime(instant).strftime("%Y-%m")


def make_need(owner, slug, *, status="published", published_at=None) -> Need:
    return Need.objects.create(
        slug=slug,
        title=f"Need {slug}",
        problem="We need a way to dry cassava without fuel.",
        country="SN",
        trl_min=5,
        valid_until=datetime.date(2026, 12, 31),
        owner=owner,
        status=status,
        published_at=published_at,
    )


def transition(technology, from_status, to_status, at) -> TechnologyTransition:
    return TechnologyTransition.objects.create(
        technology=technology, from_status=from_status, to_status=to_status, at=at
    )


def rows_as_text(report) -> list[list[str]]:
    return [[figures.cell_text(value) for value in row] for row in report.rows]


class TableParser(HTMLParser):
    """The text of every cell of every table with an id, row by row."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("th", "td") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(page: str) -> dict[str, list[list[str]]]:
    parser = TableParser()
    parser.feed(page)
    return parser.tables


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


# --- The dataset ----------------------------------------------------------------------


@pytest.fixture
def dataset(innovator, member):
    """Technologies, listing views, inquiries, needs, review history and events around TODAY."""
    energy = Sector.objects.get(slug="renewable-energy")
    water = Sector.objects.get(slug="water-wastewater")
    sdg = {goal.number: goal for goal in SustainableDevelopmentGoal.objects.all()}
    dryer = TechnologyFactory(owner=innovator, trl=7, country_developed="KE", sdgs=[sdg[2], sdg[7]])
    pump = TechnologyFactory(owner=innovator, sector=energy, trl=None, country_developed="CN", sdgs=[sdg[7]])
    filter_ = TechnologyFactory(owner=innovator, sector=water, trl=3, country_developed="", sdgs=[])
    TechnologyFactory(owner=innovator, sector=None, trl=9, country_developed="CN", sdgs=[sdg[6]])
    # Not published: counted nowhere in the catalogue reports.
    TechnologyFactory(owner=innovator, status="draft", sector=water, trl=1, country_developed="BR", sdgs=[sdg[6]])
    TechnologyFactory(owner=innovator, status="rejected", sector=energy, trl=2, country_developed="BR")

    # Listing views: the first and last days of the window count, the days around it do not.
    for technology, day, views in [
        (dryer, datetime.date(2024, 6, 30), 100),
        (dryer, datetime.date(2024, 7, 1), 5),
        (dryer, datetime.date(2025, 1, 15), 7),
        (pump, datetime.date(2025, 1, 20), 4),
        (dryer, datetime.date(2025, 6, 30), 2),
        (dryer, datetime.date(2025, 7, 1), 50),
    ]:
        ListingViewDay.objects.create(technology=technology, day=day, views=views)

    # Needs: published in several months, answered or not, some no longer published.
    early = make_need(member, "early", published_at=local(2024, 8, 3))
    answered = make_need(member, "answered", published_at=local(2025, 1, 5))
    fulfilled = make_need(member, "fulfilled", status="fulfilled", published_at=local(2025, 1, 28))
    make_need(member, "quiet", published_at=local(2025, 3, 9))
    make_need(member, "old", status="expired", published_at=local(2024, 5, 1))
    make_need(member, "draft", status="draft")
    make_need(member, "waiting", status="submitted")

    # Inquiries: midnight in Shanghai is 16:00 UTC the day before, so the one sent at
    # 00:30 on 1 July 2024 belongs to July although it is still June in UTC.
    for created_at, discussed, agreed, technology, need in [
        (local(2024, 6, 30, 23, 30), True, True, dryer, None),
        (local(2024, 7, 1, 0, 30), True, False, dryer, None),
        (local(2025, 1, 10), True, True, dryer, None),
        (local(2025, 1, 20), True, False, pump, None),
        (local(2025, 1, 25), False, False, pump, answered),
        (local(2025, 2, 2), True, True, dryer, answered),
        (local(2025, 2, 3), False, False, filter_, fulfilled),
        (local(2024, 9, 1), False, False, pump, early),
        (local(2025, 6, 30, 23, 59), False, False, filter_, None),
        (local(2025, 7, 1, 0, 10), True, False, filter_, None),
    ]:
        InquiryFactory(
            technology=technology,
            need=need,
            created_at=created_at,
            discussed_at=created_at + datetime.timedelta(days=3) if discussed else None,
            agreed_at=created_at + datetime.timedelta(days=40) if agreed else None,
            outcome="agreement" if agreed else ("in_discussion" if discussed else ""),
        )

    # Review history.
    day = datetime.timedelta(days=1)
    a, b, c, d, e = (TechnologyFactory(owner=innovator, status="draft") for _n in range(5))
    transition(a, "draft", "submitted", local(2025, 1, 1, 0, 0))
    transition(a, "submitted", "in_review", local(2025, 1, 2))
    transition(a, "in_review", "published", local(2025, 1, 11, 12, 0))  # 10.5 days, January
    transition(b, "draft", "submitted", local(2024, 12, 20))
    transition(b, "submitted", "changes_requested", local(2025, 1, 4))  # 15 days, January
    transition(b, "changes_requested", "submitted", local(2025, 2, 1))
    transition(b, "submitted", "published", local(2025, 2, 4, 18, 0))  # 3.25 days from the latest submission
    transition(b, "published", "withdrawn", local(2025, 3, 1))  # not a decision
    transition(c, "draft", "submitted", local(2024, 6, 1))
    transition(c, "submitted", "rejected", local(2024, 7, 1, 0, 30))  # 29.5 days, July 2024 (June in UTC)
    transition(d, "draft", "submitted", local(2024, 5, 1))
    transition(d, "submitted", "rejected", local(2024, 6, 20))  # before the window
    transition(e, "draft", "published", local(2025, 3, 5))  # not from review: not a decision
    transition(e, "in_review", "published", local(2025, 3, 6))  # no submission before it: skipped
    # Ten decisions in March 2025 taking 1..10 days, one in July 2025 (after the window).
    for days in range(1, 11):
        technology = TechnologyFactory(owner=innovator, status="draft")
        transition(technology, "draft", "submitted", local(2025, 3, 1))
        transition(technology, "in_review", "changes_requested", local(2025, 3, 1) + days * day)
    late = TechnologyFactory(owner=innovator, status="draft")
    transition(late, "draft", "submitted", local(2025, 6, 25))
    transition(late, "submitted", "published", local(2025, 7, 2))

    # Events around the window (it starts on 1 July 2024).
    people = UserFactory.create_batch(6)
    past = EventFactory(title="Solar drying workshop", starts_at=local(2025, 3, 10, 9))
    for person, status, attended in zip(
        people,
        ["registered", "registered", "registered", "registered", "waiting", "cancelled"],
        [True, True, True, False, None, None],
        strict=True,
    ):
        Registration.objects.create(event=past, user=person, status=status, attended=attended)
    this_morning = EventFactory(title="Morning webinar", starts_at=local(2025, 6, 15, 8))
    Registration.objects.create(event=this_morning, user=people[0], status="registered", attended=True)
    Registration.objects.create(event=this_morning, user=people[1], status="registered", attended=None)
    upcoming = EventFactory(title="Plenary 2025", starts_at=local(2025, 7, 20, 9))
    Registration.objects.create(event=upcoming, user=people[0], status="registered")
    Registration.objects.create(event=upcoming, user=people[1], status="registered")
    Registration.objects.create(event=upcoming, user=people[2], status="waiting")
    Registration.objects.create(event=upcoming, user=people[3], status="pending")
    EventFactory(title="Empty roadshow", starts_at=local(2024, 10, 1, 9))  # past, no registrations
    hidden = EventFactory(title="Invitation-only meeting", starts_at=local(2025, 2, 1, 9), is_published=False)
    Registration.objects.create(event=hidden, user=people[4], status="registered", attended=True)
    EventFactory(title="Draft event", starts_at=local(2025, 5, 1, 9), is_published=False)  # no registrations
    too_old = EventFactory(title="Old conference", starts_at=local(2024, 6, 30, 9))
    Registration.objects.create(event=too_old, user=people[5], status="registered", attended=True)


# --- Figures --------------------------------------------------------------------------


def test_funnel_counts_views_inquiries_and_their_outcomes_by_month(dataset):
    report = figures.funnel(today=TODAY)
    views = ListingViewDay.objects.all()
    inquiries = list(Inquiry.objects.all())
    expected = [
        [
            month,
            sum(v.views for v in views if v.day.strftime("%Y-%m") == month),
            sum(1 for i in inquiries if month_of(i.created_at) == month),
            sum(1 for i in inquiries if month_of(i.created_at) == month and i.discussed_at),
            sum(1 for i in inquiries if month_of(i.created_at) == month and i.agreed_at),
        ]
        for month in WINDOW
    ]
    assert report.rows == expected
    assert report.totals == ["Total", *(sum(row[n] for row in expected) for n in range(1, 5))]
    # By hand: the window's edges and Shanghai midnight.
    assert report.rows[0] == ["2024-07", 5, 1, 1, 0]
    assert report.rows[6] == ["2025-01", 11, 3, 2, 1]
    assert report.rows[-1] == ["2025-06", 2, 1, 0, 0]
    assert report.totals == ["Total", 18, 8, 4, 2]


def test_catalogue_reports_count_published_technologies_only(dataset):
    published = Technology.objects.filter(status="published")

    by_sector = figures.technologies_by_sector(today=TODAY)
    expected = {str(sector): published.filter(sector=sector).count() for sector in Sector.objects.all()}
    expected["Not stated"] = published.filter(sector__isnull=True).count()
    assert dict(by_sector.rows) == expected
    assert [count for _name, count in by_sector.rows[:-1]] == sorted(
        (count for _name, count in by_sector.rows[:-1]), reverse=True
    )
    assert by_sector.rows[-1] == ["Not stated", 1]
    assert by_sector.totals == ["Total", published.count()]

    by_sdg = figures.technologies_by_sdg(today=TODAY)
    goals = SustainableDevelopmentGoal.objects.order_by("number")
    assert by_sdg.rows == [[goal.number, goal.name, published.filter(sdgs=goal).count()] for goal in goals]
    assert by_sdg.colours == [goal.colour for goal in goals]
    assert by_sdg.rows[6][2] >= 2 and by_sdg.rows[5][2] >= 1  # energy: dryer and pump; water
    assert by_sdg.totals is None

    by_trl = figures.technologies_by_trl(today=TODAY)
    assert by_trl.rows == [[level, published.filter(trl=level).count()] for level in range(1, 10)] + [
        ["Not stated", published.filter(trl__isnull=True).count()]
    ]
    assert by_trl.rows[0] == [1, 0]  # the draft at TRL 1 does not count
    assert by_trl.totals == ["Total", published.count()]


def test_countries_show_the_top_fifteen_then_the_others(dataset, innovator):
    codes = ["AR", "AU", "BD", "BE", "CA", "CL", "DE", "EG", "ET", "FR", "GH", "IN", "JP", "MX", "NG"]
    for code in codes:
        TechnologyFactory(owner=innovator, country_developed=code)
    report = figures.technologies_by_country(today=TODAY)
    counted = Counter(Technology.objects.filter(status="published").values_list("country_developed", flat=True))
    ranked = sorted(((countries.name(code), n) for code, n in counted.items() if code), key=lambda p: (-p[1], p[0]))
    assert len(ranked) == 17
    assert report.rows == [
        *([name, n] for name, n in ranked[:15]),
        ["Other countries (2)", sum(n for _name, n in ranked[15:])],
        ["Not stated", counted[""]],
    ]
    # By hand: China has two, then the singles by name; Mexico and Nigeria come 16th and 17th.
    assert report.rows[:2] == [["China", 2], ["Argentina", 1]]
    assert report.rows[-2:] == [["Other countries (2)", 2], ["Not stated", 1]]
    assert report.totals == ["Total", sum(counted.values())]


def test_review_turnaround_runs_from_the_latest_submission_to_each_decision(dataset):
    report = figures.review_turnaround(today=TODAY)
    start, end = local(2024, 7, 1, 0, 0), local(2025, 7, 1, 0, 0)
    by_month: dict[str, list[float]] = {month: [] for month in WINDOW}
    decisions = TechnologyTransition.objects.filter(
        to_status__in=["published", "changes_requested", "rejected"],
        from_status__in=["submitted", "in_review"],
        at__gte=start,
        at__lt=end,
    )
    for decision in decisions:
        submitted = TechnologyTransition.objects.filter(
            technology=decision.technology, to_status="submitted", at__lt=decision.at
        ).aggregate(latest=Max("at"))["latest"]
        if submitted:
            by_month[month_of(decision.at)].append((decision.at - submitted).total_seconds() / 86400)

    def nearest_rank_90(values):
        return sorted(values)[math.ceil(0.9 * len(values)) - 1]

    def summary(values):
        if not values:
            return [len(values), None, None]
        return [len(values), round(statistics.median(values), 1), round(nearest_rank_90(values), 1)]

    assert report.rows == [[month, *summary(by_month[month])] for month in WINDOW]
    everything = [days for values in by_month.values() for days in values]
    assert report.totals == ["Total", *summary(everything)]
    # By hand.
    assert report.rows[0] == ["2024-07", 1, 29.5, 29.5]
    assert report.rows[6] == ["2025-01", 2, 12.8, 15.0]  # 10.5 and 15 days
    assert report.rows[8] == ["2025-03", 10, 5.5, 9.0]  # 1..10 days: nearest rank ceil(9) = 9th
    assert report.rows[1] == ["2024-08", 0, None, None]
    assert report.totals[1] == 14


def test_nearest_rank_percentile():
    assert figures.nearest_rank([], 90) is None
    assert figures.nearest_rank([4.0], 90) == 4.0
    assert figures.nearest_rank([float(n) for n in range(1, 11)], 90) == 9.0
    assert figures.nearest_rank([float(n) for n in range(11, 0, -1)], 90) == 10.0  # ceil(9.9) = 10th
    assert figures.nearest_rank([1.0, 2.0], 50) == 1.0


def test_needs_by_month_of_publication_and_by_status(dataset):
    report = figures.needs(today=TODAY)
    in_window = [need for need in Need.objects.exclude(published_at=None) if month_of(need.published_at) in WINDOW]
    answers = Counter(Inquiry.objects.exclude(need=None).values_list("need_id", flat=True))
    expected = [
        [
            month,
            sum(1 for need in in_window if month_of(need.published_at) == month),
            sum(1 for need in in_window if month_of(need.published_at) == month and answers[need.pk]),
            sum(answers[need.pk] for need in in_window if month_of(need.published_at) == month),
        ]
        for month in WINDOW
    ]
    assert report.rows == expected
    assert report.rows[1] == ["2024-08", 1, 1, 1]
    assert report.rows[6] == ["2025-01", 2, 2, 3]  # the fulfilled need still counts
    assert report.rows[8] == ["2025-03", 1, 0, 0]
    assert report.totals == ["Total", 4, 3, 4]

    by_status = figures.needs_by_status(today=TODAY)
    assert dict(by_status.rows) == {
        "Draft": 1,
        "Submitted": 1,
        "Returned for changes": 0,
        "Published": 3,
        "Fulfilled": 1,
        "Withdrawn": 0,
        "Expired": 1,
    }
    assert by_status.totals == ["Total", Need.objects.count()]


def test_events_report_registrations_attendance_and_rates_of_past_events(dataset):
    report = figures.events(today=TODAY)
    assert report.rows == [
        ["Plenary 2025", datetime.date(2025, 7, 20), 2, 1, 0, None],  # upcoming: no rate
        ["Morning webinar", datetime.date(2025, 6, 15), 2, 0, 1, 50.0],  # ended today
        ["Solar drying workshop", datetime.date(2025, 3, 10), 4, 1, 3, 75.0],
        ["Invitation-only meeting", datetime.date(2025, 2, 1), 1, 0, 1, 100.0],
        ["Empty roadshow", datetime.date(2024, 10, 1), 0, 0, 0, None],  # no division by zero
    ]
    # The same from plain counts of the rows.
    for title, _start, registered, waiting, attended, _rate in report.rows:
        registrations = Registration.objects.filter(event__title=title)
        assert registered == registrations.filter(status="registered").count()
        assert waiting == registrations.filter(status="waiting").count()
        assert attended == registrations.filter(attended=True).count()


def test_events_report_keeps_the_latest_events_only(dataset, monkeypatch):
    monkeypatch.setattr(figures, "MAX_EVENTS", 2)
    assert [row[0] for row in figures.events(today=TODAY).rows] == ["Plenary 2025", "Morning webinar"]


def test_every_report_has_a_key_a_title_and_rows_as_wide_as_its_columns(dataset):
    reports = figures.all_reports(today=TODAY)
    assert [report.key for report in reports] == list(figures.REPORTS)
    for report in reports:
        assert report.title and report.columns
        assert all(len(row) == len(report.columns) for row in report.rows)
        assert report.totals is None or len(report.totals) == len(report.columns)
        assert report.table()[0] == [str(column) for column in report.columns]


def test_reports_of_an_empty_portal_are_zero_not_errors():
    for report in figures.all_reports(today=TODAY):
        for row in report.rows:
            assert all(value in (0, None) for value in row[1:] if not isinstance(value, str)), report.key
    assert figures.events(today=TODAY).rows == []
    assert figures.review_turnaround(today=TODAY).totals == ["Total", 0, None, None]


# --- Charts ---------------------------------------------------------------------------


def test_bar_chart_labels_its_bars_and_escapes_text():
    svg = str(
        charts.bar_chart(
            chart_id="chart-x",
            title='Titles & <script>alert("x")</script>',
            labels=["<b>bold</b>", "Plain"],
            series=[charts.Series(name="Count", values=[3, 0])],
        )
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;b&gt;bold&lt;/b&gt;" in svg
    assert 'role="img" aria-labelledby="chart-x-caption"' in svg
    assert 'id="chart-x-caption"' in svg
    assert 'class="chart-value">3</text>' in svg and 'class="chart-value">0</text>' in svg
    assert "style=" not in svg


def test_bar_chart_uses_given_colours_and_refuses_anything_else():
    svg = str(
        charts.bar_chart(
            chart_id="chart-c",
            title="Colours",
            labels=["A", "B"],
            series=[charts.Series(name="n", values=[1, 2], colours=["#E5243B", 'red" onload="x'])],
        )
    )
    assert 'fill="#E5243B"' in svg
    assert "onload" not in svg
    assert 'class="chart-series-1"' in svg


def test_column_chart_of_zeros_and_gaps_draws_without_dividing_by_zero():
    svg = str(
        charts.column_chart(
            chart_id="chart-z",
            title="Nothing yet",
            labels=WINDOW,
            series=[
                charts.Series(name="A", values=[0] * 12),
                charts.Series(name="B", values=[None] * 12, css_class="chart-series-2"),
            ],
        )
    )
    assert svg.count('class="chart-value">0</text>') == 12
    assert svg.count("<rect") == 12 + 2  # A's zero-height bars and the two legend keys
    assert "2024-07" in svg and "2025-06" in svg


def test_column_chart_turns_labels_that_do_not_fit():
    narrow = str(
        charts.column_chart(
            chart_id="chart-n",
            title="Wide labels",
            labels=WINDOW,
            series=[charts.Series(name=str(n), values=[123456] * 12) for n in range(3)],
        )
    )
    assert "rotate(-90" in narrow
    wide = str(
        charts.column_chart(chart_id="c", title="t", labels=["a"], series=[charts.Series(name="s", values=[5])])
    )
    assert "rotate(" not in wide


def test_each_report_draws_its_charts(dataset):
    drawn = {report.key: charts.charts_for(report) for report in figures.all_reports(today=TODAY)}
    assert len(drawn["funnel"]) == 3
    calls = {"calls", "call-applicants"}  # no call in this dataset: no rows, no chart (see below)
    assert all(len(drawn[key]) == 1 for key in figures.REPORTS if key not in {"funnel", *calls})
    assert all(drawn[key] == [] for key in calls)
    funnel = str(drawn["funnel"][2])  # the funnel over the window, after the two monthly charts
    assert "18</text>" in funnel and "8 (44%)</text>" in funnel and "4 (50%)</text>" in funnel
    sdgs = str(drawn["sdgs"][0])
    assert 'fill="#FCC30B"' in sdgs  # SDG 7's own colour
    assert "Plenary 2025" in str(drawn["events"][0])
    nothing = figures.Report(key="events", title="Events", columns=["Event", "Registered"], rows=[])
    assert charts.charts_for(nothing) == []


# --- The page and its downloads -------------------------------------------------------


def test_can_see_reports_is_for_active_staff_only(member, staff):
    assert can_see_reports(staff)
    assert not can_see_reports(member)
    staff.is_active = False
    assert not can_see_reports(staff)


@pytest.mark.parametrize("url", [PAGE, "/reports/funnel.csv"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("url", [PAGE, "/reports/funnel.csv"])
def test_members_are_refused(member_client, url):
    response = member_client.get(url)
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


def test_reports_accept_only_get(staff_client):
    assert staff_client.post(PAGE).status_code == 405
    assert staff_client.post("/reports/funnel.csv").status_code == 405


def test_staff_see_every_report_with_its_chart_table_and_download(staff_client, dataset):
    response = staff_client.get(PAGE)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    page = response.content.decode()
    tables = html_tables(page)
    today = timezone.localdate()
    for report in figures.all_reports(today=today):
        assert f'id="report-{report.key}-title"' in page
        assert f'href="/reports/{report.key}.csv"' in page
        if report.rows:
            assert tables[f"report-{report.key}-table"] == report.table()
    assert page.count('role="img"') == 3 + 7  # the funnel's three charts, one per other report but events
    # No inline code: the only script is the site's own file (forms.js, in every page's head).
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/forms.js" defer>']
    assert "<style" not in page and " style=" not in page
    assert "nearest-rank method" in page
    # A chart alone in its report keeps its caption for screen readers only (the heading names it).
    assert '<figcaption id="chart-sectors-caption" class="visually-hidden">Published technologies by sector<' in page
    assert '<figcaption id="chart-funnel-views-caption" class="chart-caption">Listing views by month<' in page


@pytest.mark.parametrize("key", list(figures.REPORTS))
def test_each_csv_holds_exactly_the_table_of_its_report(staff_client, dataset, key):
    response = staff_client.get(f"/reports/{key}.csv")
    assert response.status_code == 200
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="wiits-{key}-{today.isoformat()}.csv"'
    report = figures.REPORTS[key](today=today)
    lines = read_csv(response)
    assert lines[0] == [str(column) for column in report.columns]
    assert lines[1 : 1 + len(report.rows)] == rows_as_text(report)
    assert lines[1 + len(report.rows) :] == ([report.footer()] if report.totals else [])
    # And the page's table says the same.
    page = staff_client.get(PAGE).content.decode()
    if report.rows:
        assert html_tables(page)[f"report-{key}-table"] == lines


def test_tables_show_figures_as_text(dataset):
    report = figures.funnel(today=TODAY)
    assert report.table()[1] == ["2024-07", "5", "1", "1", "0"]
    assert report.table()[-1] == ["Total", "18", "8", "4", "2"]


def test_unknown_csv_is_not_found(staff_client):
    assert staff_client.get("/reports/secrets.csv").status_code == 404


def test_csv_neutralises_formulas(staff_client, member):
    event = EventFactory(title='=HYPERLINK("http://evil.example","Click")', starts_at=timezone.now())
    Registration.objects.create(event=event, user=member, status="registered", attended=True)
    lines = read_csv(staff_client.get("/reports/events.csv"))
    assert lines[1][0] == '\'=HYPERLINK("http://evil.example","Click")'
    assert lines[1][2:] == ["1", "0", "1", "—"]  # not over yet: no rate
    page = staff_client.get(PAGE).content.decode()
    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;Click&quot;)" in page


def test_the_page_of_an_empty_portal_shows_zeros_and_empty_states(staff_client):
    response = staff_client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing to report yet." in page  # events
    tables = html_tables(page)
    assert tables["report-funnel-table"][-1] == ["Total", "0", "0", "0", "0"]
    assert tables["report-review-turnaround-table"][-1] == ["Total", "0", "—", "—"]
    assert "report-events-table" not in tables
    lines = read_csv(staff_client.get("/reports/events.csv"))
    assert lines == [[str(column) for column in figures.events().columns]]


def _fill_current_window(innovator, member, size: int) -> None:
    """`size` of each kind of row behind the reports, dated in the current window."""
    now = timezone.now()
    today = timezone.localdate()
    for n in range(size):
        technology = TechnologyFactory(owner=innovator, country_developed=["KE", "CN", "FR", "DE"][n % 4])
        ListingViewDay.objects.create(technology=technology, day=today, views=n + 1)
        need = make_need(member, f"need-{size}-{n}", published_at=now)
        InquiryFactory(technology=technology, need=need, discussed_at=now, agreed_at=now)
        transition(technology, "draft", "submitted", now - datetime.timedelta(days=3))
        transition(technology, "submitted", "published", now)
        event = EventFactory(starts_at=now - datetime.timedelta(days=n + 1))
        Registration.objects.create(event=event, user=member, status="registered", attended=True)


def test_the_page_runs_a_fixed_number_of_queries(staff_client, innovator, member):
    empty = count_queries(staff_client, PAGE)
    _fill_current_window(innovator, member, 1)
    with_one = count_queries(staff_client, PAGE)
    _fill_current_window(innovator, member, 6)
    with_many = count_queries(staff_client, PAGE)
    # session, user; funnel 2 (views, inquiries), sectors 2, SDGs, TRL, countries, review
    # turnaround, needs, needs by status, events; calls 2 (counts, calls), applicants to
    # calls 4 (by stakeholder type, sector, SDG, country)
    assert empty == with_one == with_many == 19


def test_a_csv_download_runs_a_fixed_number_of_queries(staff_client, innovator, member):
    _fill_current_window(innovator, member, 1)
    with_one = count_queries(staff_client, "/reports/events.csv")
    _fill_current_window(innovator, member, 4)
    assert count_queries(staff_client, "/reports/events.csv") == with_one == 3  # session, user, events


def test_small_shares_keep_a_decimal():
    from reports.charts import _share

    assert [_share(52, 29231), _share(22, 52), _share(1, 10), _share(0, 5)] == ["0.2%", "42%", "10%", "0%"]


def test_the_calls_reports_count_applications_through_the_stages_and_by_group():
    from calls.models import Application
    from tests.factories import CallFactory

    call = CallFactory(title="Clean energy 2027", results_published_at=timezone.now())
    CallFactory(title="Unpublished call", is_published=False)
    statuses = ["draft", "submitted", "ineligible", "eligible", "not_shortlisted", "shortlisted", "winner", "finalist"]
    for status in statuses:
        # Developed in China by an applicant from Kenya: the report counts the applicant's country.
        listing = TechnologyFactory(country_developed="CN", owner__country="KE")
        Application.objects.create(call=call, technology=listing, applicant=listing.owner, status=status)
    funnel = figures.calls_funnel(today=TODAY)
    # 7 submitted (not the draft); 5 passed eligibility; 3 shortlisted; 2 winners and finalists
    assert funnel.rows == [["Clean energy 2027", 7, 5, 3, 2]]
    groups = {row[0]: row[1:] for row in figures.calls_applicants(today=TODAY).rows}
    assert groups["Country: Kenya"] == [7, 3, 2] and "Country: China" not in groups
    assert groups["Stakeholder type: Technology innovator"] == [7, 3, 2]
    assert groups["SDG: 7"] == [7, 3, 2] and groups["SDG: 2"] == [7, 3, 2]  # each SDG of the listings
