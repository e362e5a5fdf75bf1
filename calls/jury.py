"""The jury of a call: what the advisory group does for its reviews, per call. Staff
assign jurors from the call's jury (suggested by expertise and workload, never one with a
declared conflict with the applicant's organisation); each juror declares a conflict of
interest first, then scores the application against the call's weighted criteria on their
own; staff rank the applications by weighted mean and see where jurors disagree. A juror
never sees another juror's scores; the applicant gets the comments meant for them, without
names, when the results are published."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import mean

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advisors.models import Adviser, AdviserConflict
from common.mail.services import email_queue_to_user

from . import permissions
from .models import Application, ApplicationStatus, Call, JuryAssignment, JuryScore, JuryState
from .services import clean_text

# Two jurors' weighted scores further apart than this (points out of 100) are flagged.
DISAGREEMENT = Decimal(20)
OPEN_STATES = (JuryState.AWAITING_DECLARATION, JuryState.SCORING)


def assignments_of(adviser: Adviser):
    """A juror's assignments still to do (declaration or scores), the oldest first."""
    return (
        JuryAssignment.objects.filter(adviser=adviser, state__in=OPEN_STATES)
        .select_related("application__call", "application__technology")
        .order_by("assigned_at", "pk")
    )


def _own(adviser: Adviser, application: Application) -> bool:
    """The juror applied, or owns the technology: never their own application."""
    return adviser.user_id in (application.applicant_id, application.technology.owner_id)


def _clean(text: str, limit: int) -> str:
    return clean_text(text)[:limit]


def conflicted(adviser: Adviser, application: Application) -> bool:
    organisation_id = application.technology.organisation_id
    return (
        bool(organisation_id)
        and AdviserConflict.objects.filter(adviser=adviser, organisation_id=organisation_id).exists()
    )


def suggested_jurors(application: Application) -> list[Adviser]:
    """The call's jurors who may score `application`, best first: expertise in its sector,
    then the fewest open jury assignments; those already assigned or with a declared
    conflict with the applicant's organisation are left out."""
    technology = application.technology
    jurors = application.call.jury.exclude(jury_assignments__application=application).exclude(
        user_id__in=[application.applicant_id, technology.owner_id]
    )
    if technology.organisation_id:  # (excluding "no organisation" would exclude every juror without a conflict)
        jurors = jurors.exclude(conflicts__organisation_id=technology.organisation_id)
    jurors = (
        jurors.annotate(
            expert=Count("expertise", filter=Q(expertise=technology.sector_id), distinct=True),
            open=Count("jury_assignments", filter=Q(jury_assignments__state__in=OPEN_STATES), distinct=True),
        )
        .select_related("user")
        .order_by("-expert", "open", "pk")
    )
    return list(jurors)


@transaction.atomic
def jury_assign(*, application: Application, adviser: Adviser, by) -> JuryAssignment:
    """Staff ask a juror of the call to score an application in jury review."""
    if not permissions.can_move_applications(by):
        raise PermissionDenied(_("Only WiiTs staff assign jurors."))
    locked = Application.objects.select_for_update().select_related("call", "technology").get(pk=application.pk)
    if locked.status != ApplicationStatus.JURY_REVIEW:
        raise ValidationError(_("Only an application in jury review is scored by the jury."), code="stage")
    if not locked.call.jury.filter(pk=adviser.pk).exists():
        raise ValidationError(_("Only a member of this call's jury can score its applications."), code="jury")
    if _own(adviser, locked):
        raise ValidationError(_("A juror never scores their own application."), code="own")
    if conflicted(adviser, locked):
        raise ValidationError(
            _("This juror declared a conflict of interest with the applicant's organisation."), code="conflict"
        )
    try:
        with transaction.atomic():
            assignment = JuryAssignment.objects.create(application=locked, adviser=adviser, assigned_by=by)
    except IntegrityError as error:
        raise ValidationError(_("This juror is already assigned to this application."), code="duplicate") from error
    email_queue_to_user(
        user=adviser.user,
        template="jury_assigned",
        context={"assignment": assignment, "application": locked, "call": locked.call},
    )
    return assignment


@transaction.atomic
def jury_declare(*, assignment: JuryAssignment, by, recuse: bool, reason: str = "") -> JuryAssignment:
    """The juror declares, before reading further, whether they have a conflict of
    interest; recusing needs a reason and records the conflict with the organisation."""
    locked = JuryAssignment.objects.select_for_update().select_related("application__technology").get(pk=assignment.pk)
    if not permissions.is_juror(by, locked) or locked.state != JuryState.AWAITING_DECLARATION:
        raise PermissionDenied(_("This declaration is not yours to make now."))
    reason = _clean(reason, 2_000)
    if recuse and not reason:
        raise ValidationError(_("Say briefly why you recuse yourself."), code="reason")
    locked.declared_at = timezone.now()
    locked.state = JuryState.RECUSED if recuse else JuryState.SCORING
    locked.recusal_reason = reason if recuse else ""
    locked.save(update_fields=["declared_at", "state", "recusal_reason"])
    organisation_id = locked.application.technology.organisation_id
    if recuse and organisation_id:
        AdviserConflict.objects.get_or_create(
            adviser_id=locked.adviser_id, organisation_id=organisation_id, defaults={"reason": reason}
        )
    return locked


def weighted(scores: list[tuple[int, int]]) -> Decimal:
    """Scores of 1 to 5 with their weights (summing to 100) as points out of 100."""
    total = sum(score * weight for score, weight in scores)
    return (Decimal(total) / Decimal(5)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def jury_submit(
    *, assignment: JuryAssignment, by, scores: dict[int, int], comments: str = "", confidential: str = ""
) -> JuryAssignment:
    """The juror submits a score from 1 to 5 for every criterion of the call, once."""
    locked = (
        JuryAssignment.objects.select_for_update().select_related("application__call", "adviser").get(pk=assignment.pk)
    )
    application = locked.application
    if (
        not permissions.is_juror(by, locked)
        or locked.state != JuryState.SCORING
        or application.status != ApplicationStatus.JURY_REVIEW
        or application.call.results_published_at
    ):
        raise PermissionDenied(_("These scores are not yours to submit now."))
    criteria = list(locked.application.call.criteria.all())
    problems = [
        str(_("Give %(criterion)s a score from 1 to 5.") % {"criterion": criterion.name})
        for criterion in criteria
        if scores.get(criterion.pk) not in (1, 2, 3, 4, 5)
    ]
    if problems:
        raise ValidationError(problems, code="scores")
    JuryScore.objects.bulk_create(
        JuryScore(
            assignment=locked, criterion=criterion, criterion_name=criterion.name, weight=criterion.weight,
            score=scores[criterion.pk],
        )
        for criterion in criteria
    )  # fmt: skip
    locked.weighted_score = weighted([(scores[criterion.pk], criterion.weight) for criterion in criteria])
    locked.comments_for_applicant = _clean(comments, 5_000)
    locked.confidential_comments = _clean(confidential, 5_000)
    locked.submitted_at = timezone.now()
    locked.state = JuryState.SUBMITTED
    locked.save(
        update_fields=["weighted_score", "comments_for_applicant", "confidential_comments", "submitted_at", "state"]
    )
    return locked


def ranking(call: Call) -> list[dict]:
    """The applications in jury review or with an outcome, best weighted mean first: each
    with its mean, the spread between its jurors' scores (flagged above DISAGREEMENT),
    the scores submitted and expected. Two queries whatever the number of applications."""
    applications = list(
        call.applications.filter(
            status__in=[
                ApplicationStatus.JURY_REVIEW, ApplicationStatus.WINNER, ApplicationStatus.FINALIST,
                ApplicationStatus.NOT_SELECTED,
            ]
        ).select_related("technology__organisation", "applicant")
    )  # fmt: skip
    scores: dict[int, list[Decimal]] = {application.pk: [] for application in applications}
    expected: dict[int, int] = dict.fromkeys(scores, 0)
    for application_id, state, score in JuryAssignment.objects.filter(application__in=applications).values_list(
        "application_id", "state", "weighted_score"
    ):
        if state != JuryState.RECUSED:
            expected[application_id] += 1
        if state == JuryState.SUBMITTED and score is not None:
            scores[application_id].append(score)
    rows = []
    for application in applications:
        submitted = scores[application.pk]
        spread = (max(submitted) - min(submitted)) if len(submitted) > 1 else Decimal(0)
        rows.append(
            {
                "application": application,
                "mean": Decimal(mean(submitted)).quantize(Decimal("0.1")) if submitted else None,
                "spread": spread,
                "disagreement": spread > DISAGREEMENT,
                "submitted": len(submitted),
                "expected": expected[application.pk],
            }
        )
    rows.sort(key=lambda row: (row["mean"] is None, -(row["mean"] or 0), row["application"].pk))
    return rows


# A juror who has not declared or scored this long after being asked is reminded, once.
REMIND_AFTER = timedelta(days=7)


def jury_send_reminders(now=None) -> int:
    """Remind each juror whose assignment has waited REMIND_AFTER for their declaration or
    scores, once (claimed by an UPDATE that re-checks the row), while the application is
    still in jury review. Returns the reminders queued."""
    now = now or timezone.now()
    sent = 0
    waiting = JuryAssignment.objects.filter(
        state__in=OPEN_STATES,
        reminded_at__isnull=True,
        assigned_at__lte=now - REMIND_AFTER,
        application__status=ApplicationStatus.JURY_REVIEW,
    ).select_related("adviser__user", "application__call", "application__technology")
    for assignment in waiting:
        with transaction.atomic():
            claimed = JuryAssignment.objects.filter(
                pk=assignment.pk, reminded_at__isnull=True, state__in=OPEN_STATES
            ).update(reminded_at=now)
            if claimed:
                email_queue_to_user(
                    user=assignment.adviser.user,
                    template="jury_reminder",
                    context={"assignment": assignment, "application": assignment.application,
                             "call": assignment.application.call},
                )  # fmt: skip
                sent += 1
    return sent


def feedback_for(application: Application) -> list[str]:
    """The jurors' comments meant for the applicant, without names (results emails)."""
    submitted = application.jury_assignments.filter(state=JuryState.SUBMITTED).exclude(comments_for_applicant="")
    return list(submitted.values_list("comments_for_applicant", flat=True))


@transaction.atomic
def jury_assign_suggested(*, call: Call, by) -> tuple[int, list[str]]:
    """Staff assign, to every application of `call` in jury review, the best suggested
    jurors until it has the call's number of reviews. Returns the assignments made and
    what could not be done (the call is locked: two clicks at once assign once)."""
    if not permissions.can_move_applications(by):
        raise PermissionDenied(_("Only WiiTs staff assign jurors."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    made, refused = 0, []
    for application in call.applications.filter(status=ApplicationStatus.JURY_REVIEW).select_related(
        "technology", "call"
    ):
        missing = call.reviews_per_application - application.jury_assignments.exclude(state=JuryState.RECUSED).count()
        for adviser in suggested_jurors(application)[: max(missing, 0)]:
            try:
                jury_assign(application=application, adviser=adviser, by=by)
            except ValidationError as error:
                refused += [f"{application.technology}: {message}" for message in error.messages]
            else:
                made += 1
    return made, refused
