"""Reads of the review that depend on who asks."""

from statistics import mean

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from technologies.models import Technology, TechnologyStatus

from . import permissions
from .models import OPEN_ASSIGNMENT_STATES, Adviser, AdviserConflict, Assignment, AssignmentState, Review, ReviewScore


def advisers_for_public_page(*, sector=None, country=None) -> QuerySet:
    """The current advisers (AdviserQuerySet.current): former ones leave the public pages."""
    advisers = Adviser.objects.current().select_related("user").prefetch_related("expertise")
    if sector:
        advisers = advisers.filter(expertise=sector)
    if country:
        advisers = advisers.filter(country=country)
    return advisers.order_by("order", "user__name")


def adviser_suggestions(*, technology: Technology) -> QuerySet:
    """Current advisers who may review `technology`, best first: expertise in its sector,
    then the fewest open reviews (AssignmentQuerySet.open(): not those of closed rounds,
    nor submitted, recused or unassigned ones). Leaves out declared conflicts with its
    organisation, its owner's organisation, and advisers already assigned."""
    advisers = (
        Adviser.objects.current()
        .select_related("user__organisation")
        .prefetch_related("expertise")
        .exclude(user_id=technology.owner_id)
        .exclude(pk__in=technology.assignments.counting().values("adviser_id"))
    )
    if technology.organisation_id:
        advisers = advisers.exclude(user__organisation_id=technology.organisation_id).exclude(
            Exists(AdviserConflict.objects.filter(adviser=OuterRef("pk"), organisation_id=technology.organisation_id))
        )
    if technology.sector_id:
        expert = Exists(
            Adviser.expertise.through.objects.filter(adviser_id=OuterRef("pk"), sector_id=technology.sector_id)
        )
    else:
        expert = Value(False)
    open_reviews = (
        Assignment.objects.open()
        .filter(adviser_id=OuterRef("pk"))
        .order_by()
        .values("adviser_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return advisers.annotate(
        is_expert=expert,
        open_reviews=Coalesce(Subquery(open_reviews, output_field=IntegerField()), 0),
    ).order_by("-is_expert", "open_reviews", "user__name")


def assignments_of_technology(*, technology: Technology) -> QuerySet:
    """This round's assignments (a decision closes a round)."""
    return (
        Assignment.objects.current()
        .filter(technology=technology)
        .select_related("adviser__user", "review")
        .order_by("assigned_at", "pk")
    )


def review_queue(*, adviser: Adviser) -> QuerySet:
    """The assignments the adviser may still open (permissions.can_open_assignment), the
    open ones first."""
    open_first = Case(When(Q(state__in=OPEN_ASSIGNMENT_STATES, closed_at__isnull=True), then=0), default=1)
    return (
        Assignment.objects.seen_by_their_adviser()
        .filter(adviser=adviser)
        .select_related("technology", "review")
        .order_by(open_first, "due_date", "pk")
    )


def assignment_for_adviser(*, user, pk: int) -> Assignment:
    """The assignment if it is the user's own and still theirs to open (a current adviser;
    open, or a round they reviewed); 404 otherwise (even if it exists)."""
    assignment = (
        Assignment.objects.select_related("technology__sector", "technology__organisation", "adviser")
        .filter(pk=pk)
        .first()
    )
    if assignment is None or not permissions.can_open_assignment(user, assignment):
        raise Http404
    return assignment


def technology_for_review(*, technology_id: int) -> Technology:
    from technologies.models import TechnologyImage

    return (
        Technology.objects.select_related("sector", "organisation")
        .prefetch_related(
            "sdgs",
            "cooperation",
            Prefetch("images", queryset=TechnologyImage.objects.order_by("order", "pk"), to_attr="ordered_images"),
        )
        .get(pk=technology_id)
    )


def submitted_reviews(*, technology: Technology) -> list[Review]:
    """The submitted reviews of a technology with their scores, in a fixed number of queries."""
    return list(
        Review.objects.filter(
            assignment__technology=technology, assignment__closed_at__isnull=True, submitted_at__isnull=False
        )
        .exclude(assignment__state=AssignmentState.CANCELLED)
        .select_related("assignment__adviser__user")
        .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.order_by("pk")))
        .order_by("submitted_at")
    )


def other_reviews_of_the_round(*, assignment: Assignment) -> list[Review]:
    """The other submitted reviews of `assignment`'s round, for its adviser once theirs is
    submitted (permissions.can_see_other_reviews). A round is the assignments a decision
    closed together (the same closed_at), or those not closed yet: never an earlier or a
    later round's."""
    same_round = (
        Q(assignment__closed_at=assignment.closed_at)
        if assignment.closed_at is not None
        else Q(assignment__closed_at__isnull=True)
    )
    return list(
        Review.objects.filter(
            same_round, assignment__technology_id=assignment.technology_id, submitted_at__isnull=False
        )
        .exclude(assignment=assignment)
        .exclude(assignment__state=AssignmentState.CANCELLED)
        .select_related("assignment__adviser__user")
        .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.order_by("pk")))
        .order_by("submitted_at")
    )


def decision_summary(*, technology: Technology) -> dict:
    reviews = submitted_reviews(technology=technology)
    assignments = list(assignments_of_technology(technology=technology))
    counting = [assignment for assignment in assignments if assignment.expects_review]
    scores = [review.weighted_score for review in reviews if review.weighted_score is not None]
    # One row per criterion (as scored, from the snapshots), one column per review.
    rows: dict[str, dict] = {}
    for column, review in enumerate(reviews):
        for item in review.scores.all():
            row = rows.setdefault(
                item.criterion_name,
                {"name": item.criterion_name, "weight": item.weight, "scores": [None] * len(reviews)},
            )
            row["scores"][column] = item.score
    return {
        "reviews": reviews,
        "score_rows": list(rows.values()),
        "assignments": assignments,
        "mean_score": round(mean(scores), 1) if scores else None,
        "all_in": bool(counting) and all(a.state == AssignmentState.SUBMITTED for a in counting),
    }


def staff_review_overview() -> dict:
    """For staff's dashboard: what waits for them in the review."""
    today = timezone.localdate()
    awaiting_assignment = (
        Technology.objects.filter(status=TechnologyStatus.SUBMITTED)
        .select_related("organisation")
        .order_by("submitted_at")
    )
    overdue = (
        Assignment.objects.open()
        .filter(due_date__lt=today)
        .select_related("adviser__user", "technology")
        .order_by("due_date")
    )
    live = (
        Assignment.objects.current()
        .filter(technology=OuterRef("pk"))
        .exclude(state__in=[AssignmentState.CANCELLED, AssignmentState.RECUSED])
    )
    pending_decision = (
        Technology.objects.filter(status=TechnologyStatus.IN_REVIEW)
        .filter(Exists(live))
        .exclude(Exists(live.exclude(state=AssignmentState.SUBMITTED)))
        .order_by("submitted_at")
    )
    return {
        "awaiting_assignment": awaiting_assignment[:20],
        "overdue_reviews": overdue[:20],
        "pending_decision": pending_decision[:20],
    }
