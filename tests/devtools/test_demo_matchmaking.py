"""The demo needs, answers, inquiries with outcomes, listing views and event attendance,
loaded after the rest of the demo exactly as `load_demo` does."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from accounts.services import organisation_get_or_create
from common.reference.models import Sector
from devtools.demo.advisors import load_demo_advisors
from devtools.demo.events import WUZHEN_SLUG, load_demo_events, mark_demo_attendance
from devtools.demo.matchmaking import DEMO_ANSWERS, DEMO_INQUIRIES, DEMO_NEEDS, MEMBERS, load_demo_matchmaking
from devtools.demo.technologies import DEMO_TECHNOLOGIES, load_demo_technologies
from devtools.management.commands.load_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from events.models import Event, Registration, RegistrationStatus
from needs.matching import technologies_for_need
from technologies.models import (
    Inquiry,
    ListingViewDay,
    Need,
    NeedStatus,
    NeedTransition,
    Outcome,
    Technology,
    TechnologyStatus,
)

pytestmark = pytest.mark.django_db


def _load_demo() -> dict:
    """The demo accounts and every loader, in the order of the load_demo command."""
    for account in DEMO_ACCOUNTS:
        user = User.objects.create_user(
            email=account["email"],
            password=DEMO_PASSWORD,
            name=account["name"],
            organisation=organisation_get_or_create(name=account["organisation"]),
            stakeholder_type=account["stakeholder_type"],
            country=account["country"],
            is_staff=account["is_staff"],
            is_superuser=account["is_staff"],
        )
        user.sectors.set(Sector.objects.filter(slug__in=account["sectors"]))
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    staff = User.objects.get(email="staff@wiits.example")
    innovator = User.objects.get(email="innovator@wiits.example")
    manufacturer = User.objects.get(email="member@wiits.example")
    load_demo_technologies(staff=staff, innovator=innovator)
    load_demo_advisors(staff=staff, chair_user=User.objects.get(email="adviser@wiits.example"))
    load_demo_events(staff=staff, members=[manufacturer])
    started = time.monotonic()
    counts = load_demo_matchmaking(staff=staff, manufacturer=manufacturer, innovator=innovator)
    attended = mark_demo_attendance()
    return {
        "counts": counts,
        "attended": attended,
        "seconds": time.monotonic() - started,
        "staff": staff,
        "innovator": innovator,
        "manufacturer": manufacturer,
    }


@pytest.fixture
def demo(db):
    return _load_demo()


def test_demo_tables_are_consistent():
    titles = {entry["title"] for entry in DEMO_TECHNOLOGIES if entry["workflow"].startswith("published")}
    assert {entry["technology"] for entry in DEMO_ANSWERS} <= titles
    assert {entry["technology"] for entry in DEMO_INQUIRIES} <= titles
    assert len(DEMO_NEEDS) == len({entry["title"] for entry in DEMO_NEEDS})
    for entry in DEMO_NEEDS:
        assert 1 <= len(entry["sdgs"]) <= 3 and 1 <= len(entry["cooperation"]) <= 3
        assert 90 <= entry["valid_days"] <= 270
        assert entry["problem"].count("\n\n") >= 1
    for profile in MEMBERS.values():
        assert profile["organisation"].endswith("(fictional)")
    for entry in DEMO_ANSWERS:
        if entry.get("outcome", {}).get("story"):
            assert "(fictional)" in entry["outcome"]["story"]


def test_needs_in_every_state_through_the_workflow(demo):
    needs = Need.objects.all()
    assert Counter(needs.values_list("status", flat=True)) == {
        NeedStatus.PUBLISHED: 6,
        NeedStatus.FULFILLED: 1,
        NeedStatus.SUBMITTED: 1,
        NeedStatus.RETURNED: 1,
        NeedStatus.DRAFT: 1,
    }
    manufacturer = demo["manufacturer"]
    assert set(manufacturer.needs.values_list("status", flat=True)) == {NeedStatus.PUBLISHED, NeedStatus.DRAFT}
    today = timezone.localdate()
    now = timezone.now()
    for need in needs:
        assert 90 <= (need.valid_until - today).days <= 270
        assert need.owner.organisation.name.endswith("(fictional)")
        assert need.sdgs.exists() and need.cooperation.exists()
    for need in needs.filter(status__in=[NeedStatus.PUBLISHED, NeedStatus.FULFILLED]):
        assert 180 <= (now - need.published_at).days <= 320
        assert need.created_at < need.submitted_at < need.published_at
        steps = list(need.transitions.values_list("to_status", "by"))
        assert steps[:2] == [(NeedStatus.SUBMITTED, need.owner_id), (NeedStatus.PUBLISHED, demo["staff"].pk)]
    assert len({need.published_at.month for need in needs.filter(published_at__isnull=False)}) >= 4
    returned = NeedTransition.objects.get(to_status=NeedStatus.RETURNED)
    assert returned.by == demo["staff"] and returned.message
    assert not Need.objects.filter(status=NeedStatus.DRAFT).exclude(owner=manufacturer).exists()


def test_published_needs_have_meaningful_suggestions(demo):
    for need in Need.objects.published():
        suggestions = technologies_for_need(need=need)
        assert suggestions, need
        assert suggestions[0].item.sector_id == need.sector_id, need
    # The technology first proposed for each need is the one the suggestions rank first.
    for need in Need.objects.filter(status__in=[NeedStatus.PUBLISHED, NeedStatus.FULFILLED]):
        first_answer = need.answers.order_by("created_at").first()
        if need.status == NeedStatus.FULFILLED:
            need.status = NeedStatus.PUBLISHED  # as it was when it was answered (not saved)
        assert technologies_for_need(need=need)[0].item == first_answer.technology, need
    solar = Need.objects.get(owner=demo["manufacturer"], status=NeedStatus.PUBLISHED)
    assert "solar drying" in solar.title.lower()
    top = technologies_for_need(need=solar)[0].item
    assert top.title == "Solar-assisted tunnel dryer for fruit and cassava"


def test_answers_inquiries_and_outcomes(demo):
    counts = demo["counts"]
    inquiries = Inquiry.objects.all()
    answers = inquiries.filter(need__isnull=False)
    assert 5 <= answers.count() == counts["answers"] <= 8
    assert 40 <= inquiries.filter(need__isnull=True).count() == counts["inquiries"] <= 60
    for answer in answers.select_related("need", "technology"):
        assert answer.sender_id == answer.technology.owner_id
        assert answer.created_at > max(answer.need.published_at, answer.technology.published_at)
    # Every inquiry is about a listing already published, from someone else, in the past year.
    now = timezone.now()
    for inquiry in inquiries.select_related("technology"):
        assert inquiry.technology.status == TechnologyStatus.PUBLISHED
        assert inquiry.technology.published_at < inquiry.created_at < now
        if inquiry.need_id is None:
            assert inquiry.sender_id != inquiry.technology.owner_id
        assert (now - inquiry.created_at).days < 366
    months = {(inquiry.created_at.year, inquiry.created_at.month) for inquiry in inquiries}
    assert len(months) >= 6
    recent = inquiries.filter(created_at__gte=now - timedelta(days=120)).count()
    assert recent > inquiries.filter(created_at__lt=now - timedelta(days=240)).count()
    # The demo accounts have inquiries to look at, sent and received.
    assert inquiries.filter(technology__owner=demo["innovator"]).count() >= 2
    assert inquiries.filter(sender=demo["manufacturer"]).exists()
    assert answers.filter(need__owner=demo["manufacturer"]).count() == 2

    # About half have an outcome, with plausible dates, recorded by the recipient.
    with_outcome = inquiries.exclude(outcome=Outcome.NONE)
    assert 0.35 <= with_outcome.count() / inquiries.count() <= 0.65
    assert {Outcome.IN_DISCUSSION, Outcome.AGREEMENT, Outcome.DECLINED} <= set(
        with_outcome.values_list("outcome", flat=True)
    )
    for inquiry in with_outcome:
        assert inquiry.created_at < inquiry.outcome_at < now
        if inquiry.discussed_at:
            assert inquiry.created_at < inquiry.discussed_at <= inquiry.outcome_at
    agreements = inquiries.filter(outcome=Outcome.AGREEMENT)
    assert agreements.count() >= 4
    for agreement in agreements:
        assert agreement.agreement_type and agreement.discussed_at < agreement.agreed_at < now
    declined = inquiries.filter(outcome=Outcome.DECLINED)
    assert declined.count() >= 4 and not declined.filter(decline_reason="").exists()
    assert len(set(declined.values_list("decline_reason", flat=True))) >= 3

    confirmed = agreements.filter(agreement_confirmed_at__isnull=False)
    assert 3 <= confirmed.count() <= 4
    assert set(confirmed.values_list("agreement_confirmed_by", flat=True)) == {demo["staff"].pk}
    assert all(inquiry.agreed_at < inquiry.agreement_confirmed_at < now for inquiry in confirmed)
    stories = inquiries.filter(success_story=True)
    assert stories.count() == 2
    assert all(story.feature_consent and story.story and story.agreement_confirmed_at for story in stories)

    # The fulfilled need was met by the agreement of one of its answers.
    fulfilled = Need.objects.get(status=NeedStatus.FULFILLED)
    assert fulfilled.answers.filter(outcome=Outcome.AGREEMENT).exists()
    fulfilled_at = NeedTransition.objects.get(need=fulfilled, to_status=NeedStatus.FULFILLED).at
    assert fulfilled.answers.get(outcome=Outcome.AGREEMENT).agreed_at < fulfilled_at < now


def test_listing_views_make_a_plausible_funnel(demo):
    counts = demo["counts"]
    views = ListingViewDay.objects.aggregate(total=Sum("views"))["total"]
    assert views == counts["views"] and 10_000 <= views < 100_000
    assert views > 100 * Inquiry.objects.count()
    today = timezone.localdate()
    assert not ListingViewDay.objects.filter(day__gte=today).exists()
    assert not ListingViewDay.objects.filter(day__lt=today - timedelta(days=365)).exists()
    published = Technology.objects.published()
    assert ListingViewDay.objects.values("technology").distinct().count() == published.count()
    assert not ListingViewDay.objects.exclude(technology__in=published).exists()
    for row in ListingViewDay.objects.select_related("technology")[:500]:
        assert row.day >= timezone.localdate(row.technology.published_at)

    def average(queryset):
        return queryset.aggregate(total=Sum("views"))["total"] / queryset.count()

    assert average(ListingViewDay.objects.filter(technology__nag_evaluated=True)) > average(
        ListingViewDay.objects.filter(technology__nag_evaluated=False)
    )
    last_quarter = ListingViewDay.objects.filter(day__gte=today - timedelta(days=90))
    first_quarter = ListingViewDay.objects.filter(day__lt=today - timedelta(days=275))
    assert (
        last_quarter.aggregate(total=Sum("views"))["total"] > 2 * first_quarter.aggregate(total=Sum("views"))["total"]
    )
    # The catalogue was published over the past year, not all today.
    published_months = {(t.published_at.year, t.published_at.month) for t in published}
    assert len(published_months) >= 10


def test_past_event_attendance(demo):
    wuzhen = Event.objects.get(slug=WUZHEN_SLUG)
    registrations = wuzhen.registrations.filter(status=RegistrationStatus.REGISTERED)
    assert registrations.count() == demo["attended"] >= 10
    assert not registrations.filter(attended__isnull=True).exists()
    came = registrations.filter(attended=True).count()
    missed = registrations.filter(attended=False).count()
    assert came > 3 * missed and missed >= 1
    assert registrations.get(user__email="adviser@wiits.example").attended is True
    assert all(registration.created_at < wuzhen.starts_at for registration in registrations)
    # Upcoming events keep their attendance empty.
    assert not Registration.objects.exclude(event=wuzhen).filter(attended__isnull=False).exists()


def test_loads_in_a_few_seconds_and_reports_its_counts(demo):
    assert demo["seconds"] < 10
    counts = demo["counts"]
    assert counts["needs"] == Need.objects.count() == 10
    assert counts["members"] == len(MEMBERS)
    assert counts["success_stories"] == 2 and counts["agreements"] >= 4
    assert counts["view_days"] == ListingViewDay.objects.count()
    for profile in MEMBERS.values():
        member = User.objects.get(organisation__name=profile["organisation"])
        assert not member.has_usable_password()
