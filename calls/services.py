"""Writing calls and applications: drafts, submission against the call's rules, the
stages as one transition table, results. Each write checks the rules as they are now,
on rows locked for the change, and queues its emails in the same transaction."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.answers import answers_clean, clean_answer
from common.mail.services import email_queue_to_user
from common.translated import translated
from technologies.models import Technology
from technologies.services import technology_missing_fields

from . import permissions
from .models import Application, ApplicationStatus, ApplicationTransition, Call, Stage

S = ApplicationStatus
MAX_TEXT_ANSWER = 5_000

# --- The stages ------------------------------------------------------------------------------

# Each stage: the status an application enters it from, and where it can go.
STAGE_MOVES = {
    Stage.ELIGIBILITY: (S.SUBMITTED, {S.ELIGIBLE, S.INELIGIBLE}),
    Stage.SHORTLIST: (S.ELIGIBLE, {S.SHORTLISTED, S.NOT_SHORTLISTED}),
    Stage.JURY: (S.SHORTLISTED, {S.JURY_REVIEW}),
    Stage.RESULTS: (S.JURY_REVIEW, {S.WINNER, S.FINALIST, S.NOT_SELECTED}),
}
# The statuses that pass an application on to the next stage.
PASSING = {S.SUBMITTED, S.ELIGIBLE, S.SHORTLISTED, S.JURY_REVIEW}
# Where a move needs a reason the applicant reads.
NEEDS_REASON = {S.INELIGIBLE}
# Outcomes the applicant learns when staff publish the results, not when they are set.
RESULTS = {S.WINNER, S.FINALIST, S.NOT_SELECTED}


def status_label(application: Application, *, staff: bool = False) -> str:
    """The status as its applicant may know it: an outcome is theirs to learn when staff
    publish the results (in jury review until then); staff see it as it is."""
    if application.status in RESULTS and not staff and not application.call.results_published_at:
        return str(S.JURY_REVIEW.label)
    return str(application.get_status_display())


def allowed_moves(call: Call, status: str) -> set[str]:
    """Where an application in `status` may go next, given the stages `call` uses. A stage
    the call does not use is passed through: with no eligibility check, a submitted
    application is treated as eligible and goes to the shortlist."""
    current = status
    for stage in Stage:
        source, targets = STAGE_MOVES[stage]
        if current != source:
            continue
        if call.uses(stage):
            return set(targets)
        passing = targets & PASSING
        if not passing:
            return set()
        (current,) = passing
    return set()


@transaction.atomic
def application_move(*, application: Application, to: str, by, reason: str = "") -> Application:
    """Staff move `application` to `to` (a stage's outcome), with `reason` where the
    applicant must be told why. Recorded in its history; the applicant is emailed now,
    except for results, which they learn when staff publish them."""
    if not permissions.can_move_applications(by):
        raise PermissionDenied(_("Only WiiTs staff move applications between stages."))
    locked = Application.objects.select_for_update().select_related("call", "applicant").get(pk=application.pk)
    if to not in allowed_moves(locked.call, locked.status):
        raise ValidationError(
            _("An application that is %(status)s cannot be moved to %(to)s.")
            % {"status": locked.get_status_display(), "to": S(to).label},
            code="transition",
        )
    reason = clean_text(reason)
    if to in NEEDS_REASON and not reason:
        raise ValidationError(_("Say why, for the applicant: the reason is sent to them."), code="reason")
    from_status = locked.status
    locked.status = to
    # The reason the applicant reads with this move (an earlier move's never stays). An
    # outcome's reason stays in staff's history only: the applicant must not learn the
    # outcome from it before the results are published.
    locked.decision_reason = "" if to in RESULTS else reason[:2_000]
    locked.save(update_fields=["status", "decision_reason", "updated_at"])
    ApplicationTransition.objects.create(
        application=locked, from_status=from_status, to_status=to, by=by, message=reason
    )
    if to not in RESULTS:
        _email_status(locked)
    return locked


def _email_status(application: Application) -> None:
    from .jury import feedback_for  # the jury's module builds on this one

    email_queue_to_user(
        user=application.applicant,
        template="application_status",
        context={
            "application": application,
            "call": application.call,
            "technology": application.technology,
            # With the results, the jury's comments meant for the applicant, without names.
            "feedback": feedback_for(application) if application.status in RESULTS else [],
        },
    )


@transaction.atomic
def call_publish_results(*, call: Call, by) -> int:
    """Staff publish the results: the call page shows its winners and finalists, and every
    applicant with an outcome is emailed it. Returns the emails queued. Once only."""
    if not permissions.can_move_applications(by):
        raise PermissionDenied(_("Only WiiTs staff publish results."))
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if not locked.is_published:
        raise ValidationError(_("Publish the call itself first."), code="unpublished")
    if timezone.now() < locked.closes_at:
        raise ValidationError(_("The call is still open: publish its results after the deadline."), code="open")
    if locked.results_published_at:
        raise ValidationError(_("The results of this call are already published."), code="published")
    if locked.applications.filter(status__in=PASSING).exists():
        raise ValidationError(
            _("Some applications have no outcome yet: move each to an outcome before publishing."), code="pending"
        )
    locked.results_published_at = timezone.now()
    locked.save(update_fields=["results_published_at", "updated_at"])
    sent = 0
    for application in locked.applications.filter(status__in=RESULTS).select_related("applicant", "technology"):
        _email_status(application)
        sent += 1
    return sent


# --- Applying ---------------------------------------------------------------------------------


def clean_text(value) -> str:
    """A member's or staff's text without control characters (pasted terminal escapes,
    bidi overrides) or surrounding space."""
    return clean_answer(value)


def clean_answers(call: Call, raw: dict, *, require: bool) -> tuple[dict, dict[str, str]]:
    """The answers to `call`'s questions from `raw` ({question pk or "q<pk>": value}), each
    checked by its kind, and the problems found ({question pk: message}); with `require`,
    a required question left empty is a problem too (common.answers.answers_clean)."""
    return answers_clean(call.questions.all(), raw, max_text=MAX_TEXT_ANSWER, require=require)


@transaction.atomic
def application_save(*, call: Call, technology: Technology, applicant, answers: dict) -> Application:
    """Create or update `applicant`'s draft application to `call` with `technology`.
    Answers are checked by kind, not yet for completeness (that is at submission)."""
    locked_call = Call.objects.select_for_update().get(pk=call.pk)
    if not permissions.can_apply(applicant, locked_call):
        raise ValidationError(_("This call is not open for applications."), code="closed")
    if technology.owner_id != applicant.pk:
        raise PermissionDenied(_("You can apply only with a technology you listed."))
    cleaned, problems = clean_answers(locked_call, answers, require=False)
    if problems:
        raise ValidationError(problems, code="answers")
    application = Application.objects.select_for_update().filter(call=locked_call, technology=technology).first()
    if application is None:
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    call=locked_call, technology=technology, applicant=applicant, answers=cleaned
                )
        except IntegrityError as error:
            raise ValidationError(
                _("This technology already has an application to this call."), code="duplicate"
            ) from error
        return application
    if application.applicant_id != applicant.pk or application.status != S.DRAFT:
        raise ValidationError(_("This technology already has an application to this call."), code="duplicate")
    application.answers = cleaned
    application.save(update_fields=["answers", "updated_at"])
    return application


def submission_problems(application: Application) -> list[str]:
    """Everything that stops `application` from being submitted now, said so the applicant
    can fix it: the call closed, who may apply, unanswered questions, the listing's
    missing fields."""
    call, applicant = application.call, application.applicant
    problems = []
    if not call.is_open():
        problems.append(str(_("The call is closed: the deadline has passed.")))
    if call.stakeholder_types and applicant.stakeholder_type not in call.stakeholder_types:
        problems.append(str(_("This call is open to: %(types)s.") % {"types": ", ".join(call.stakeholder_type_names)}))
    if call.countries and applicant.country not in call.countries:
        problems.append(str(_("This call is not open to applicants from your country.")))
    _answers, unanswered = clean_answers(call, application.answers, require=True)
    for question in call.questions.all():
        if str(question.pk) in unanswered:
            problems.append(
                str(
                    _("Question “%(question)s”: %(problem)s")
                    % {"question": translated(question, "text").text, "problem": unanswered[str(question.pk)]}
                )
            )
    missing = technology_missing_fields(application.technology)
    if missing:
        problems.append(str(_("Complete your listing first: %(fields)s.") % {"fields": ", ".join(missing)}))
    return problems


@transaction.atomic
def application_submit(*, application: Application, by) -> Application:
    """The applicant submits their draft: every rule of the call is checked as it is now
    (the deadline by the server's clock) and every problem said; then it is submitted,
    recorded, and the applicant is emailed a copy of what they sent."""
    locked = (
        Application.objects.select_for_update()
        .select_related("call", "applicant", "technology")
        .get(pk=application.pk)
    )
    if not permissions.is_applicant(by, locked) or locked.status != S.DRAFT:
        raise PermissionDenied(_("Only the applicant submits a draft application."))
    problems = submission_problems(locked)
    if problems:
        raise ValidationError(problems, code="incomplete")
    locked.status = S.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    ApplicationTransition.objects.create(application=locked, from_status=S.DRAFT, to_status=S.SUBMITTED, by=by)
    # In the questions' order: PostgreSQL's jsonb keeps its keys in an order of its own.
    questions = list(locked.call.questions.all())
    email_queue_to_user(
        user=locked.applicant,
        template="application_submitted",
        context={
            "application": locked,
            "call": locked.call,
            "technology": locked.technology,
            "answers": [
                (question, locked.answers[str(question.pk)])
                for question in questions
                if str(question.pk) in locked.answers
            ],
        },
    )
    return locked


# --- Reminders -------------------------------------------------------------------------------

# Drafts are reminded this many days before the deadline, once each (the field that claims it).
REMINDERS = (("reminded_1_day_at", 1), ("reminded_7_days_at", 7))


def application_send_reminders(now=None) -> int:
    """Remind applicants whose application is still a draft that the call closes soon: once
    when the deadline is 7 days away or less, once more when it is a day away or less (a
    draft begun within the last day gets the last reminder only). Returns the emails queued."""
    now = now or timezone.now()
    sent = 0
    for field, days in REMINDERS:
        window = {
            "status": S.DRAFT,
            f"{field}__isnull": True,
            "call__is_published": True,
            "call__closes_at__gt": now,
            "call__closes_at__lte": now + timedelta(days=days),
        }
        if days > 1:
            # Within the last day the last reminder is due instead.
            window["call__closes_at__gt"] = now + timedelta(days=1)
        due = Application.objects.filter(**window).select_related("applicant", "call", "technology")
        for application in due:
            with transaction.atomic():
                # The claim re-checks on the row what the query saw: a submission made
                # meanwhile, or a moved deadline, wins; a second run finds it claimed.
                claimed = Application.objects.filter(pk=application.pk, **window).update(**{field: now})
                if claimed:
                    if days == 1:
                        # The earlier reminder is no longer due.
                        Application.objects.filter(pk=application.pk, reminded_7_days_at__isnull=True).update(
                            reminded_7_days_at=now
                        )
                    email_queue_to_user(
                        user=application.applicant,
                        template="application_reminder",
                        context={
                            "application": application,
                            "call": application.call,
                            "technology": application.technology,
                            "days": days,
                        },
                    )
                    sent += 1
    return sent
