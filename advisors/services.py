"""Every write of the review: assignments, declarations, reviews, decisions, reminders.

Decisions go through the technologies workflow (technologies.services); this app
depends on technologies, never the other way round.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.mail.services import email_queue_to_user
from technologies import services as technology_services
from technologies.models import Technology, TechnologyStatus

from . import permissions
from .models import (
    Adviser,
    AdviserConflict,
    Assignment,
    AssignmentState,
    Criterion,
    Review,
    ReviewScore,
    weighted_score,
)

A = AssignmentState


def _require_reviews_staff(by) -> None:
    if not permissions.can_manage_reviews(by):
        raise PermissionDenied(_("Only WiiTs staff may do this."))


def _lock_technology(technology_id: int) -> None:
    """Serialise the changes to one technology's review (so "all reviews in" is seen once)."""
    Technology.objects.select_for_update().filter(pk=technology_id).first()


def _staff_members():
    return get_user_model().objects.filter(is_staff=True, is_active=True)


def adviser_is_excluded(*, adviser: Adviser, technology: Technology) -> str | None:
    """Why `adviser` may not review `technology` (a conflict, their own organisation), or None."""
    if adviser.user_id == technology.owner_id:
        return _("This is the adviser's own technology.")
    if technology.organisation_id and adviser.user.organisation_id == technology.organisation_id:
        return _("The adviser belongs to the owner's organisation.")
    if technology.organisation_id and adviser.conflicts.filter(organisation_id=technology.organisation_id).exists():
        return _("The adviser declared a conflict of interest with this organisation.")
    return None


@transaction.atomic
def assignment_create(*, technology: Technology, adviser: Adviser, due_date: date, by) -> Assignment:
    """Staff ask an adviser to review a submission by `due_date`.

    The first assignment moves the technology from submitted to in review (through the
    technologies workflow). Side effects: emails the adviser at once.
    """
    _require_reviews_staff(by)
    technology = Technology.objects.select_for_update().get(pk=technology.pk)
    if technology.status not in (TechnologyStatus.SUBMITTED, TechnologyStatus.IN_REVIEW):
        raise ValidationError(_("Only a submitted technology or one in review can be assigned."))
    if not Adviser.objects.active().filter(pk=adviser.pk).exists():
        raise ValidationError(_("This adviser is not active."))
    reason = adviser_is_excluded(adviser=adviser, technology=technology)
    if reason:
        raise ValidationError(reason)
    if technology.assignments.counting().filter(adviser=adviser).exists():
        raise ValidationError(_("This adviser is already assigned to this technology."))
    if due_date < timezone.localdate():
        raise ValidationError(_("The due date is in the past."))
    if technology.status == TechnologyStatus.SUBMITTED:
        technology_services.technology_screen(technology=technology, by=by)
    assignment = Assignment.objects.create(technology=technology, adviser=adviser, due_date=due_date, assigned_by=by)
    email_queue_to_user(
        user=adviser.user, template="review_assigned", context={"assignment": assignment, "technology": technology}
    )
    return assignment


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, by) -> Assignment:
    """Staff unassign an adviser whose review is not submitted yet. No email."""
    _require_reviews_staff(by)
    _lock_technology(assignment.technology_id)
    assignment = Assignment.objects.select_for_update().select_related("technology").get(pk=assignment.pk)
    if not assignment.is_open:
        raise ValidationError(_("Only an open assignment can be withdrawn."))
    assignment.state = A.CANCELLED
    assignment.save(update_fields=["state"])
    _notify_if_all_reviews_in(assignment.technology)
    return assignment


@transaction.atomic
def assignment_declare(*, assignment: Assignment, by, recuse: bool, reason: str = "") -> Assignment:
    """The adviser declares no conflict of interest, or recuses with a reason.

    Recusal records the conflict (so the adviser is not suggested for this organisation
    again) and emails every staff member to reassign.
    """
    _lock_technology(assignment.technology_id)
    assignment = Assignment.objects.select_for_update().select_related("technology", "adviser").get(pk=assignment.pk)
    if not permissions.can_declare(by, assignment):
        raise PermissionDenied(_("This declaration is not yours to make now."))
    assignment.declared_at = timezone.now()
    if not recuse:
        assignment.state = A.REVIEWING
        assignment.save(update_fields=["state", "declared_at"])
        return assignment
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say briefly why you recuse yourself."))
    assignment.state = A.RECUSED
    assignment.recusal_reason = reason
    assignment.save(update_fields=["state", "declared_at", "recusal_reason"])
    if assignment.technology.organisation_id:
        AdviserConflict.objects.get_or_create(
            adviser=assignment.adviser,
            organisation_id=assignment.technology.organisation_id,
            defaults={"reason": reason},
        )
    for member in _staff_members():
        email_queue_to_user(user=member, template="review_recused", context={"assignment": assignment})
    _notify_if_all_reviews_in(assignment.technology)
    return assignment


def _scores_for(review: Review, scores: dict[int, int]) -> list[ReviewScore]:
    criteria = list(Criterion.objects.active())
    items = []
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None:
            continue
        if not 1 <= int(value) <= 5:
            raise ValidationError(_("Scores go from 1 to 5."))
        items.append(
            ReviewScore(
                review=review, criterion=criterion, criterion_name=criterion.name, weight=criterion.weight, score=value
            )
        )
    return items


def review_missing(*, scores: dict[int, int], recommendation: str) -> list[str]:
    """What a review lacks before it can be submitted: the active criteria without a score
    (by name), and the recommendation. Reads only."""
    scored = {pk for pk, value in scores.items() if value is not None}
    missing = [criterion.name for criterion in Criterion.objects.active() if criterion.pk not in scored]
    return [*missing, *([] if recommendation else [_("a recommendation")])]


def review_missing_message(problems: list[str]) -> str:
    return _("Before submitting, give: %(items)s.") % {"items": "; ".join(problems)}


@transaction.atomic
def review_save(
    *,
    assignment: Assignment,
    by,
    scores: dict[int, int],
    recommendation: str,
    comments_for_innovator: str,
    confidential_comments: str,
    submit: bool,
) -> Review:
    """The adviser saves their review as a draft, or submits it (then it is read-only).

    Submitting needs a score for every active criterion and a recommendation; the
    weighted score is computed from the criteria in force now and kept with the scores.
    When it is the last review expected, staff are emailed that all reviews are in.
    """
    _lock_technology(assignment.technology_id)
    assignment = Assignment.objects.select_for_update().select_related("technology").get(pk=assignment.pk)
    if not permissions.can_edit_review(by, assignment):
        raise PermissionDenied(_("This review cannot be changed."))
    review, _created = Review.objects.get_or_create(assignment=assignment)
    review.recommendation = recommendation or ""
    review.comments_for_innovator = comments_for_innovator
    review.confidential_comments = confidential_comments
    items = _scores_for(review, scores)
    if submit:
        problems = review_missing(
            scores={item.criterion_id: item.score for item in items}, recommendation=recommendation
        )
        if problems:
            raise ValidationError(review_missing_message(problems))
        review.weighted_score = weighted_score(items)
        review.submitted_at = timezone.now()
    review.save()
    review.scores.all().delete()
    ReviewScore.objects.bulk_create(items)
    if submit:
        assignment.state = A.SUBMITTED
        assignment.save(update_fields=["state"])
        _notify_if_all_reviews_in(assignment.technology)
    return review


def _notify_if_all_reviews_in(technology: Technology) -> None:
    counting = technology.assignments.counting()
    if counting.count() < settings.WIITS_REVIEWERS_PER_TECHNOLOGY or counting.exclude(state=A.SUBMITTED).exists():
        return
    # Once per set of reviews: mark the submitted assignments as notified.
    fresh = counting.filter(all_in_notified_at__isnull=True)
    if not fresh.exists():
        return
    fresh.update(all_in_notified_at=timezone.now())
    for member in _staff_members():
        email_queue_to_user(user=member, template="reviews_all_in", context={"technology": technology})


class Decision:
    PUBLISH = "publish"
    PUBLISH_NAG = "publish_nag"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    CHOICES = [
        (PUBLISH_NAG, _("Publish as NAG-evaluated")),
        (PUBLISH, _("Publish")),
        (REQUEST_CHANGES, _("Request changes")),
        (REJECT, _("Reject")),
    ]


def _message_with_comments(technology: Technology, message: str) -> str:
    """Staff's message followed by the advisers' comments for the innovator, unsigned."""
    comments = [
        review.comments_for_innovator.strip()
        for review in Review.objects.filter(
            assignment__technology=technology,
            assignment__state=A.SUBMITTED,
            assignment__closed_at__isnull=True,
            submitted_at__isnull=False,
        ).order_by("submitted_at")
        if review.comments_for_innovator.strip()
    ]
    if not comments:
        return message
    parts = [message.strip()] if message.strip() else []
    parts.append(_("Comments from the National Advisory Group:"))
    parts += [f"— {comment}" for comment in comments]
    return "\n\n".join(parts)


@transaction.atomic
def technology_decide(*, technology: Technology, by, decision: str, message: str) -> Technology:
    """Staff decide on a technology in review, through the technologies workflow.

    The owner's email and history carry staff's message and the advisers' comments
    for them, never the advisers' names or confidential comments.
    """
    _require_reviews_staff(by)
    _lock_technology(technology.pk)
    full_message = _message_with_comments(technology, message)
    if decision == Decision.PUBLISH:
        technology_services.technology_publish(technology=technology, by=by, message=full_message)
    elif decision == Decision.PUBLISH_NAG:
        technology_services.technology_publish(technology=technology, by=by, nag_evaluated=True, message=full_message)
    elif decision in (Decision.REQUEST_CHANGES, Decision.REJECT):
        if not message.strip():
            raise ValidationError(_("Write a message for the owner: say what to change or why."))
        move = (
            technology_services.technology_request_changes
            if decision == Decision.REQUEST_CHANGES
            else technology_services.technology_reject
        )
        move(technology=technology, by=by, message=full_message)
    else:
        raise ValidationError(_("Choose a decision."))
    return technology  # the round was closed by keep_review_rules, inside the transition


REVIEWED_STATUSES = {TechnologyStatus.SUBMITTED, TechnologyStatus.IN_REVIEW}


def _nag_mark_problem(technology: Technology) -> str | None:
    counting = technology.assignments.counting()
    submitted = counting.filter(state=A.SUBMITTED).count()
    if counting.exclude(state=A.SUBMITTED).exists() or submitted < settings.WIITS_REVIEWERS_PER_TECHNOLOGY:
        return ngettext(
            "The NAG-evaluated mark needs at least %(count)d submitted review and none outstanding.",
            "The NAG-evaluated mark needs at least %(count)d submitted reviews and none outstanding.",
            settings.WIITS_REVIEWERS_PER_TECHNOLOGY,
        ) % {"count": settings.WIITS_REVIEWERS_PER_TECHNOLOGY}
    return None


def decision_problem(*, technology: Technology, decision: str, message: str) -> str | None:
    """Why technology_decide would refuse this decision now (a message missing, the NAG
    mark not earned), or None. Reads only: the decision page asks it before showing the
    confirmation; technology_decide keeps the rules itself."""
    if decision in (Decision.REQUEST_CHANGES, Decision.REJECT) and not (message or "").strip():
        return _("Write a message for the owner: say what to change or why.")
    if decision == Decision.PUBLISH_NAG:
        return _nag_mark_problem(technology)
    return None


def keep_review_rules(*, technology: Technology, from_status: str, to_status: str, changes: dict, **kwargs) -> None:
    """The advisory group's rules, kept inside every transition of a listing (receiver of
    technologies.signals.technology_moved, connected in AdvisorsConfig.ready), whichever
    door moved it: this app's decision page, the admin's actions, a task or an import.

    - The NAG-evaluated mark needs WIITS_REVIEWERS_PER_TECHNOLOGY submitted reviews of the
      current round and none outstanding; otherwise the move is refused (rolled back).
    - A listing leaving screening or review ends its round: open reviews can no longer
      be submitted, and a resubmission starts a new round (the same advisers may be
      assigned again).
    """
    if to_status == TechnologyStatus.PUBLISHED and changes.get("nag_evaluated"):
        problem = _nag_mark_problem(technology)
        if problem:
            raise ValidationError(problem)
    if from_status in REVIEWED_STATUSES and to_status not in REVIEWED_STATUSES:
        technology.assignments.current().update(closed_at=timezone.now())


REMINDERS = {
    "due_soon": ("due_soon_reminder_sent_at", "review_due_soon"),
    "overdue": ("overdue_reminder_sent_at", "review_overdue"),
}


@transaction.atomic
def _claim_and_remind(assignment: Assignment, kind: str) -> int:
    """Queue one reminder if nobody has yet: the conditional UPDATE claims it."""
    field, template = REMINDERS[kind]
    claimed = Assignment.objects.filter(pk=assignment.pk, **{f"{field}__isnull": True}).update(
        **{field: timezone.now()}
    )
    if claimed:
        email_queue_to_user(user=assignment.adviser.user, template=template, context={"assignment": assignment})
    return claimed


def reviews_send_reminders(*, today: date | None = None) -> dict[str, int]:
    """Daily: remind advisers 3 days before a review is due and once when overdue.

    Each reminder is claimed with a conditional UPDATE, so it goes out once even if the
    task runs twice.
    """
    today = today or timezone.localdate()
    due_soon_day = today + timedelta(days=settings.WIITS_REVIEW_REMINDER_DAYS)
    # Open reviews (of a round under way, the listing in review) of current advisers only:
    # a former adviser (deactivated, or past their term) is reminded of nothing.
    open_assignments = (
        Assignment.objects.open().of_current_advisers(today).select_related("adviser__user", "technology")
    )
    sent = {"due_soon": 0, "overdue": 0}
    batches = [
        ("due_soon", open_assignments.filter(due_date__gte=today, due_date__lte=due_soon_day)),
        ("overdue", open_assignments.filter(due_date__lt=today)),
    ]
    for kind, assignments in batches:
        for assignment in assignments:
            sent[kind] += _claim_and_remind(assignment, kind)
    return sent
