"""Who may do what in the review. Pure predicates: views and templates use these.

What an adviser may see is bounded twice:
- by their term: only a current adviser (adviser_is_current) has any access; a former one
  (deactivated, or past active_until) is nobody here;
- by the round: a decision closes a round (Assignment.closed_at). The listing under review
  and its files are theirs to read while their assignment counts in a round under way; the
  others' reviews, once they submitted theirs, for that round only; afterwards their own
  review stays readable to them, and other rounds' reviewers are never shown.
"""

from django.utils import timezone

from technologies.models import TechnologyStatus

from .models import OPEN_ASSIGNMENT_STATES, AssignmentState


def adviser_is_current(adviser, today=None) -> bool:
    """Active, and `today` within their term: AdviserQuerySet.current() for one adviser."""
    today = today or timezone.localdate()
    return (
        adviser.is_active
        and (adviser.active_from is None or adviser.active_from <= today)
        and (adviser.active_until is None or adviser.active_until >= today)
    )


def adviser_of(user):
    """The adviser profile of `user` if they are a current adviser, or None."""
    if not user.is_authenticated:
        return None
    adviser = getattr(user, "adviser", None)
    return adviser if adviser is not None and adviser_is_current(adviser) else None


def is_adviser(user) -> bool:
    return adviser_of(user) is not None


def can_manage_reviews(user) -> bool:
    """Staff who assign advisers and decide (the assignment change permission)."""
    return bool(
        user.is_authenticated and user.is_active and user.is_staff and user.has_perm("advisors.change_assignment")
    )


def is_assigned(user, assignment) -> bool:
    """The assignment is the user's own, and they are a current adviser."""
    adviser = adviser_of(user)
    return adviser is not None and assignment.adviser_id == adviser.pk


def round_is_open(assignment) -> bool:
    """The assignment's round is under way: no decision closed it, the listing is in review."""
    return assignment.closed_at is None and assignment.technology.status == TechnologyStatus.IN_REVIEW


def assignment_is_open(assignment) -> bool:
    """A review still expected (AssignmentQuerySet.open() for one assignment)."""
    return assignment.state in OPEN_ASSIGNMENT_STATES and round_is_open(assignment)


def can_open_assignment(user, assignment) -> bool:
    """The adviser's page of an assignment: while it is open, or for a round they reviewed
    (their own review stays readable). Not once unassigned, recused, or closed unreviewed
    (AssignmentQuerySet.seen_by_their_adviser() in SQL)."""
    return is_assigned(user, assignment) and (
        assignment_is_open(assignment) or assignment.state == AssignmentState.SUBMITTED
    )


def can_declare(user, assignment) -> bool:
    return (
        is_assigned(user, assignment)
        and assignment.state == AssignmentState.AWAITING_DECLARATION
        and round_is_open(assignment)
    )


def can_edit_review(user, assignment) -> bool:
    return (
        is_assigned(user, assignment) and assignment.state == AssignmentState.REVIEWING and round_is_open(assignment)
    )


def can_read_technology_for_review(user, assignment) -> bool:
    """The assigned adviser reads the listing they review and its files, though it is not
    public, while their assignment counts in a round under way (declaring, reviewing, or
    submitted while the others finish); never after the round is closed."""
    return (
        is_assigned(user, assignment)
        and assignment.state in (*OPEN_ASSIGNMENT_STATES, AssignmentState.SUBMITTED)
        and round_is_open(assignment)
    )


def can_see_other_reviews(user, assignment) -> bool:
    """An adviser sees the others' reviews only after submitting theirs, and only those of
    the same round (selectors.other_reviews_of_the_round). A round that ended without a
    decision closing it (closed_at unset, the listing no longer in review) shows none: its
    reviewers could not be told from the next round's."""
    return (
        is_assigned(user, assignment)
        and assignment.state == AssignmentState.SUBMITTED
        and (assignment.closed_at is not None or round_is_open(assignment))
    )
