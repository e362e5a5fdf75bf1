"""Demo calls for solutions: a closed call whose results are published and an open one the
demo innovator can apply to, both on the theme of the press release of the First Plenary
(the industrial internet and sustainable industrial technology for the SDGs). The calls
themselves are data, in data/calls.yaml; every call, outcome and text there is invented.

The demo listings apply through calls.services exactly as members do (the answers and the
listings are checked as on the site), while the call is open; the closed call is then
closed, and demo staff take its applications through eligibility, the shortlist and the
jury to their outcomes and publish the results, with the same services as the admin. Its
dates are then set back in the past so its history reads as it would have happened.
`load_demo_calls` runs inside the caller's transaction, leaves the emails the services queue
to the caller, and skips a call that is already there (by its slug).
"""

import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from advisors.models import Adviser, Criterion
from calls import services
from calls.models import Application, ApplicationStatus, ApplicationTransition, Call, CallCriterion, CallQuestion
from common.reference.models import Sector, SustainableDevelopmentGoal
from devtools.demo import data
from devtools.demo.technologies import translation_columns
from technologies.models import Technology

S = ApplicationStatus

_DATA = data.load("calls")
CLOSED: dict = _DATA["closed"]
OPEN: dict = _DATA["open"]

# Each outcome of the closed call and the moves that lead to it from "submitted".
OUTCOME_MOVES = {
    S.INELIGIBLE: [S.INELIGIBLE],
    S.NOT_SHORTLISTED: [S.ELIGIBLE, S.NOT_SHORTLISTED],
    S.NOT_SELECTED: [S.ELIGIBLE, S.SHORTLISTED, S.JURY_REVIEW, S.NOT_SELECTED],
    S.FINALIST: [S.ELIGIBLE, S.SHORTLISTED, S.JURY_REVIEW, S.FINALIST],
    S.WINNER: [S.ELIGIBLE, S.SHORTLISTED, S.JURY_REVIEW, S.WINNER],
}
# Days after the deadline when staff made each move, and published the results.
DAYS_AFTER_DEADLINE = {
    S.ELIGIBLE: 7,
    S.INELIGIBLE: 7,
    S.SHORTLISTED: 21,
    S.NOT_SHORTLISTED: 21,
    S.JURY_REVIEW: 28,
    S.WINNER: 49,
    S.FINALIST: 49,
    S.NOT_SELECTED: 49,
}
RESULTS_DAYS_AFTER_DEADLINE = 56


def _at(entry: dict, prefix: str, today) -> datetime:
    """`<prefix>_in_days` from `today` at the local time `<prefix>_at`, in the call's zone."""
    day = today + timedelta(days=entry[f"{prefix}_in_days"])
    return datetime.combine(
        day, time.fromisoformat(entry[f"{prefix}_at"]), tzinfo=zoneinfo.ZoneInfo(entry["time_zone"])
    )


def _create_call(entry: dict, *, opens_at: datetime, closes_at: datetime) -> Call:
    """The call, its topics, jury, criteria and questions, as staff enter them in the admin."""
    call = Call(
        slug=entry["slug"],
        title=entry["title"],
        theme=entry["theme"],
        description=entry["description"],
        focus=entry.get("focus", ""),
        eligibility_rules=entry.get("eligibility_rules", ""),
        original_language=settings.LANGUAGE_CODE,
        stakeholder_types=entry.get("stakeholder_types", []),
        opens_at=opens_at,
        closes_at=closes_at,
        time_zone=entry["time_zone"],
        stages=entry["stages"],
        is_published=True,
        **translation_columns(entry.get("translations"), original_language=settings.LANGUAGE_CODE),
    )
    call.full_clean()
    call.save()
    call.sectors.set(Sector.objects.filter(slug__in=entry["sectors"]))
    call.sdgs.set(SustainableDevelopmentGoal.objects.filter(number__in=entry["sdgs"]))
    call.jury.set(Adviser.objects.filter(slug__in=entry["jury"]))
    if entry["criteria"] == "global":  # as the admin starts a new call
        criteria = [
            CallCriterion(call=call, name=c.name, guidance=c.guidance, weight=c.weight, order=c.order)
            for c in Criterion.objects.active()
            if c.weight > 0
        ]
    else:
        criteria = [
            CallCriterion(call=call, name=c["name"], guidance=c["guidance"], weight=c["weight"], order=order)
            for order, c in enumerate(entry["criteria"], start=1)
        ]
    if sum(criterion.weight for criterion in criteria) != 100:  # a mistake in the data
        raise ValueError(f"the weights of {entry['slug']!r} do not add up to 100")
    CallCriterion.objects.bulk_create(criteria)
    for order, question in enumerate(entry["questions"], start=1):
        CallQuestion.objects.create(
            call=call,
            text=question["text"],
            kind=question["kind"],
            choices="\n".join(question.get("choices", [])),
            required=question.get("required", True),
            order=order,
        )
    return call


def _apply(call: Call, entries: list[dict]) -> list[tuple[Application, dict]]:
    """Each listing's owner applies with it and submits, through the services."""
    questions = list(call.questions.all())
    applications = []
    for entry in entries:
        technology = Technology.objects.select_related("owner").get(title=entry["title"])
        answers = {str(question.pk): answer for question, answer in zip(questions, entry["answers"], strict=True)}
        application = services.application_save(
            call=call, technology=technology, applicant=technology.owner, answers=answers
        )
        application = services.application_submit(application=application, by=technology.owner)
        applications.append((application, entry))
    return applications


def _load_closed(*, staff, today) -> Call:
    opens_at, closes_at = _at(CLOSED, "opens", today), _at(CLOSED, "closes", today)
    # Open while the demo listings apply, as they would have; closed before staff move them.
    now = timezone.now()
    call = _create_call(CLOSED, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1))
    applications = _apply(call, CLOSED["applications"])
    Call.objects.filter(pk=call.pk).update(opens_at=opens_at, closes_at=closes_at)
    call.refresh_from_db()
    for application, entry in applications:
        moves = OUTCOME_MOVES[entry["outcome"]]
        for to in moves:
            reason = entry.get("reason", "") if to == moves[-1] else ""
            services.application_move(application=application, to=to, by=staff, reason=reason)
    services.call_publish_results(call=call, by=staff)
    _set_dates_back(call, [application for application, _entry in applications])
    return call


def _set_dates_back(call: Call, applications: list[Application]) -> None:
    """The history as it would have happened: applications submitted in the call's last
    weeks, the stages in the weeks after the deadline, the results a few weeks later."""
    deadline = call.closes_at
    for index, application in enumerate(applications):
        submitted_at = deadline - timedelta(days=3 + 4 * index, hours=index)
        Application.objects.filter(pk=application.pk).update(
            created_at=submitted_at - timedelta(days=2), submitted_at=submitted_at, updated_at=deadline
        )
        transitions = ApplicationTransition.objects.filter(application=application)
        transitions.filter(to_status=S.SUBMITTED).update(at=submitted_at)
        for status, days in DAYS_AFTER_DEADLINE.items():
            transitions.filter(to_status=status).update(at=deadline + timedelta(days=days))
    Call.objects.filter(pk=call.pk).update(
        created_at=call.opens_at - timedelta(days=14),
        results_published_at=deadline + timedelta(days=RESULTS_DAYS_AFTER_DEADLINE),
    )


def _load_open(*, today) -> Call:
    call = _create_call(OPEN, opens_at=_at(OPEN, "opens", today), closes_at=_at(OPEN, "closes", today))
    _apply(call, OPEN.get("applications", []))
    return call


def load_demo_calls(*, staff) -> int:
    """Create the closed call (with its results published by `staff`, who must be allowed to
    move applications) and the open one; return how many calls were created (0 when they
    are there already). Needs the demo catalogue and advisers."""
    today = timezone.localdate()
    created = 0
    if not Call.objects.filter(slug=CLOSED["slug"]).exists():
        _load_closed(staff=staff, today=today)
        created += 1
    if not Call.objects.filter(slug=OPEN["slug"]).exists():
        _load_open(today=today)
        created += 1
    return created
