"""The demo calls for solutions (issue 21): a closed call taken through every stage to its
published results, and an open call the demo innovator can apply to."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from mailer.models import Message

from accounts.models import User
from calls import permissions
from calls.models import Application, ApplicationStatus, Call, QuestionKind
from devtools.demo.calls import CLOSED, OPEN, load_demo_calls

pytestmark = pytest.mark.django_db

S = ApplicationStatus


@pytest.fixture
def demo(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    return capsys.readouterr().out


def test_the_closed_call_has_its_results_published(demo):
    assert "Demo calls for solutions: 2" in demo
    now = timezone.now()
    call = Call.objects.get(slug=CLOSED["slug"])
    assert call in Call.objects.closed_at(now) and not call.is_open()
    assert call.results_published_at is not None and call.closes_at < call.results_published_at < now
    assert "industrial internet" in call.theme.lower() and "Sustainable Development Goals" in call.theme
    assert call.stages == ["eligibility", "shortlist", "jury", "results"]
    # The weights of the ITPO Italy award.
    assert list(call.criteria.values_list("name", "weight")) == [
        ("Innovation", 40),
        ("Sustainability", 25),
        ("Scalability", 20),
        ("Job creation", 10),
        ("Applicant's financial involvement", 5),
    ]
    assert 2 <= call.questions.count() <= 3
    jury = set(call.jury.values_list("user__email", flat=True))
    assert "adviser@wiits.example" in jury and len(jury) == 5

    outcomes = {}
    for application in call.applications.select_related("technology"):
        outcomes.setdefault(application.status, []).append(application.technology.title)
    assert len(outcomes[S.WINNER]) == 1
    assert outcomes[S.WINNER] == ["Zig-zag firing retrofit for fixed-chimney brick kilns"]
    assert 1 <= len(outcomes[S.FINALIST]) <= 2 and len(outcomes[S.NOT_SELECTED]) >= 1
    assert set(outcomes) == {S.WINNER, S.FINALIST, S.NOT_SELECTED, S.NOT_SHORTLISTED, S.INELIGIBLE}

    # Each went through the stages, moved by the demo staff, in the weeks after the deadline.
    staff = User.objects.get(email="staff@wiits.example")
    winner = call.applications.get(status=S.WINNER)
    history = list(winner.transitions.order_by("at", "pk"))
    assert [(step.from_status, step.to_status) for step in history] == [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.ELIGIBLE),
        (S.ELIGIBLE, S.SHORTLISTED),
        (S.SHORTLISTED, S.JURY_REVIEW),
        (S.JURY_REVIEW, S.WINNER),
    ]
    assert {step.by for step in history[1:]} == {staff}
    assert history[0].at < call.closes_at < history[1].at < history[-1].at < call.results_published_at
    assert winner.submitted_at < call.closes_at
    ineligible = call.applications.get(status=S.INELIGIBLE)
    assert "industrial production" in ineligible.decision_reason
    assert len(winner.answers) == call.questions.count()
    assert not Message.objects.exists()  # nobody is emailed by the demo


def test_the_open_call_takes_applications_from_the_demo_innovator(demo):
    now = timezone.now()
    call = Call.objects.get(slug=OPEN["slug"])
    assert call in Call.objects.open_at(now) and call.is_open()
    assert timedelta(days=41) < call.closes_at - now < timedelta(days=43)
    assert timedelta(days=6) < now - call.opens_at < timedelta(days=8)
    assert call.results_published_at is None
    assert call.title_i18n_fr and call.theme_i18n_fr and call.title_i18n_zh_hans and call.theme_i18n_zh_hans
    assert {question.kind for question in call.questions.all()} == set(QuestionKind.values)
    assert sum(call.criteria.values_list("weight", flat=True)) == 100
    assert call.jury.exists()
    innovator = User.objects.get(email="innovator@wiits.example")
    assert permissions.can_apply(innovator, call)
    assert innovator.stakeholder_type in call.stakeholder_types
    assert not call.applications.filter(applicant=innovator).exists()  # theirs to make
    assert call.applications.filter(status=S.SUBMITTED).count() == len(OPEN["applications"])


def test_loading_the_demo_again_duplicates_no_call(demo, settings, capsys):
    calls, applications = Call.objects.count(), Application.objects.count()
    call_command("load_demo")
    assert "nothing to do" in capsys.readouterr().out
    staff = User.objects.get(email="staff@wiits.example")
    assert load_demo_calls(staff=staff) == 0  # the loader alone skips the calls that are there
    assert (Call.objects.count(), Application.objects.count()) == (calls, applications) == (2, 8)
