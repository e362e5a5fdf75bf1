"""Who may do what in the review. Pure predicates: views and templates use these."""

from .models import AssignmentState


def adviser_of(user):
    """The active adviser profile of `user`, or None."""
    if not user.is_authenticated:
        return None
    adviser = getattr(user, "adviser", None)
    return adviser if adviser is not None and adviser.is_active else None


def is_adviser(user) -> bool:
    return adviser_of(user) is not None


def can_manage_reviews(user) -> bool:
    """Staff who assign advisers and decide (the assignment change permission)."""
    return bool(
        user.is_authenticated and user.is_active and user.is_staff and user.has_perm("advisors.change_assignment")
    )


def is_assigned(user, assignment) -> bool:
    adviser = adviser_of(user)
    return adviser is not None and assignment.adviser_id == adviser.pk


def _in_current_round(assignment) -> bool:
    return assignment.closed_at is None and assignment.technology.status == "in_review"


def can_declare(user, assignment) -> bool:
    return (
        is_assigned(user, assignment)
        and assignment.state == AssignmentState.AWAITING_DECLARATION
        and _in_current_round(assignment)
    )


def can_edit_review(user, assignment) -> bool:
    return (
        is_assigned(user, assignment)
        and assignment.state == AssignmentState.REVIEWING
        and _in_current_round(assignment)
    )


def can_read_technology_for_review(user, assignment) -> bool:
    """The assigned adviser reads the listing they review, even though it is not public."""
    return is_assigned(user, assignment) and assignment.state in (
        AssignmentState.AWAITING_DECLARATION,
        AssignmentState.REVIEWING,
        AssignmentState.SUBMITTED,
    )


def can_see_other_reviews(user, assignment) -> bool:
    """An adviser sees the others' reviews of a technology only after submitting theirs."""
    return is_assigned(user, assignment) and assignment.state == AssignmentState.SUBMITTED
