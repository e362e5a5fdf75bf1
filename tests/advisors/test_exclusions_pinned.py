"""Why an adviser may not review a listing, who may assign, the NAG mark's refusal and
when a round ends, each with its words (issue 24: the mutation run found them unpinned)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from advisors import services
from advisors.models import AdviserConflict
from technologies import services as technology_services
from tests.advisors.test_review import DUE
from tests.factories import AdviserFactory, OrganisationFactory, StaffFactory, TechnologyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_exclusion_says_why(innovator):
    submission = TechnologyFactory(owner=innovator, status="submitted")
    own = AdviserFactory(user=innovator)
    colleague = AdviserFactory(user=UserFactory(organisation=innovator.organisation))
    conflicted = AdviserFactory(user=UserFactory(organisation=OrganisationFactory()))
    AdviserConflict.objects.create(adviser=conflicted, organisation=innovator.organisation)
    free = AdviserFactory(user=UserFactory(organisation=OrganisationFactory()))
    assert [
        services.adviser_is_excluded(adviser=a, technology=submission) for a in (own, colleague, conflicted, free)
    ] == [
        "This is the adviser's own technology.",
        "The adviser belongs to the owner's organisation.",
        "The adviser declared a conflict of interest with this organisation.",
        None,
    ]


def test_only_staff_assign_and_they_are_told_so(innovator, member):
    submission = TechnologyFactory(owner=innovator, status="submitted")
    with pytest.raises(PermissionDenied) as refused:
        services.assignment_create(technology=submission, adviser=AdviserFactory(), due_date=DUE, by=member)
    assert str(refused.value) == "Only WiiTs staff may do this."
    assert not submission.assignments.exists()


def test_the_nag_mark_without_reviews_is_refused_with_its_reason(innovator, settings):
    settings.WIITS_REVIEWERS_PER_TECHNOLOGY = 2
    listing = TechnologyFactory(owner=innovator, status="in_review")
    with pytest.raises(ValidationError) as refused:
        technology_services.technology_publish(technology=listing, by=StaffFactory(), nag_evaluated=True)
    assert refused.value.messages == [
        "The NAG-evaluated mark needs at least 2 submitted reviews and none outstanding."
    ]


def test_screening_into_review_keeps_the_round_open_and_a_decision_closes_it(innovator):
    staff = StaffFactory()
    submission = TechnologyFactory(owner=innovator, status="submitted")
    assignment = services.assignment_create(technology=submission, adviser=AdviserFactory(), due_date=DUE, by=staff)
    submission.refresh_from_db()
    assert submission.status == "in_review"  # the first assignment screened it into review
    assignment.refresh_from_db()
    assert assignment.closed_at is None
    technology_services.technology_request_changes(technology=submission, by=staff, message="Add the TRL evidence.")
    assignment.refresh_from_db()
    assert assignment.closed_at is not None
