"""The demo advisory group: charter, advisers and reviews, created through the services."""

from datetime import date

import pytest

from advisors.models import Adviser, AdviserRole, Assignment, AssignmentState, Charter, Review
from common.reference.models import Sector
from devtools.demo.advisors import DEMO_REVIEWS, load_demo_advisors
from devtools.demo.technologies import DEMO_TECHNOLOGIES, load_demo_technologies
from technologies.models import Technology, TechnologyStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(staff, innovator):
    load_demo_technologies(staff=staff, innovator=innovator)
    chair_user = UserFactory(email="adviser@wiits.example", name="Huang Feng")
    counts = load_demo_advisors(staff=staff, chair_user=chair_user)
    return counts, chair_user


def test_demo_reviews_cover_the_technologies_in_review():
    in_review = [entry["title"] for entry in DEMO_TECHNOLOGIES if entry["workflow"] == "in_review"]
    assert [plan["technology"] for plan in DEMO_REVIEWS] == in_review


def test_load_demo_advisors(demo):
    counts, chair_user = demo
    # 4 assignments and 3 reviews of the listings in review, 2 reviews for each of the 8
    # listings that get the NAG-evaluated mark.
    assert counts == {"advisers": 10, "assignments": 20, "reviews": 19, "evaluated": 8}
    marked = Technology.objects.filter(nag_evaluated=True)
    assert marked.count() == 8 and set(marked.values_list("status", flat=True)) == {TechnologyStatus.PUBLISHED}
    for technology in marked:
        assert technology.assignments.filter(state=AssignmentState.SUBMITTED).count() == 2
        assert not technology.assignments.current().exists()  # the decision closed the round

    charter = Charter.objects.current()
    assert charter.version == 1
    assert charter.approved_on == date(2020, 9, 18) == charter.effective_date
    assert "## " in charter.body and "conflict of interest" in charter.body.lower()

    active = Adviser.objects.active()
    assert active.count() == 10
    chair = active.get(role=AdviserRole.CHAIR)
    assert chair.user == chair_user
    roles = list(active.order_by("order").values_list("role", flat=True))
    assert roles == [AdviserRole.CHAIR] + [AdviserRole.CONVENER] * 2 + [AdviserRole.MEMBER] * 7
    countries = dict(active.values_list("user__name", "country"))
    named = {"Huang Feng": "CN", "Marcel Dridje": "FR", "Karl Östen Ekengren": "SE", "Helen Wang": "GB"}
    assert {name: countries.get(name) for name in named} == named
    uncovered = Sector.objects.active().exclude(advisers__in=active)
    assert not uncovered.exists(), list(uncovered.values_list("slug", flat=True))

    # The demo adviser account has a review waiting for its declaration.
    assert list(chair.assignments.values_list("state", flat=True)) == [AssignmentState.AWAITING_DECLARATION]

    # One technology in review has all its reviews in: staff have a decision to make.
    for technology in Technology.objects.filter(status=TechnologyStatus.IN_REVIEW):
        assert technology.assignments.count() == 2
    submitted = Review.objects.filter(submitted_at__isnull=False, assignment__technology__nag_evaluated=False)
    assert submitted.count() == 3
    decided = Technology.objects.get(title=DEMO_REVIEWS[1]["technology"])
    reviews = submitted.filter(assignment__technology=decided)
    assert reviews.count() == 2
    for review in reviews:
        assert review.assignment.state == AssignmentState.SUBMITTED
        assert 0 <= review.weighted_score <= 100
        assert review.recommendation and review.comments_for_innovator and review.confidential_comments

    # The submitted ones wait for staff to assign them.
    assert not Assignment.objects.filter(technology__status=TechnologyStatus.SUBMITTED).exists()
    assert Technology.objects.filter(status=TechnologyStatus.SUBMITTED).count() == 2
