"""Submitting a review asks for confirmation on a summary (issue 22); the answers survive
the round trip; the weighted score is explained wherever advisers and staff see it; the
review page's links to the listing open beside the form."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from advisors import services
from advisors.models import Assignment, AssignmentState, Criterion, Review, weighted_score
from tests.factories import AdviserFactory, TechnologyFactory
from tests.test_confirmations import confirm_form

pytestmark = pytest.mark.django_db
A = AssignmentState
DUE = timezone.localdate() + datetime.timedelta(days=14)
EXPLAINED = "How the weighted score is worked out"
COMMENT = 'Strong "field" data <b>&</b> clear costs.\nSecond paragraph: تجفيف بالطاقة الشمسية.'


@pytest.fixture
def assignment(innovator, staff):
    technology = TechnologyFactory(owner=innovator, status="submitted", title="Zig-zag kiln", slug="zig-zag-kiln")
    adviser = AdviserFactory(user__name="Ada Adviser")
    assignment = services.assignment_create(technology=technology, adviser=adviser, due_date=DUE, by=staff)
    services.assignment_declare(assignment=assignment, by=adviser.user, recuse=False)
    return Assignment.objects.get(pk=assignment.pk)


def answers() -> dict:
    """Scores of 5, 4, 4, 3, 4, 5 … across the active criteria, and the rest of the form."""
    pattern = [5, 4, 4, 3, 4, 5, 3, 2]
    criteria = list(Criterion.objects.active())
    data = {f"score_{criterion.pk}": str(pattern[i % len(pattern)]) for i, criterion in enumerate(criteria)}
    return {**data, "recommendation": "publish", "comments_for_innovator": COMMENT, "confidential_comments": "Ask X."}


def expected_score(data) -> Decimal:
    class Item:
        def __init__(self, weight, score):
            self.weight, self.score = weight, score

    return weighted_score(
        [Item(criterion.weight, int(data[f"score_{criterion.pk}"])) for criterion in Criterion.objects.active()]
    )


def test_submitting_shows_a_summary_first_and_keeps_the_answers_as_a_draft(client, assignment):
    client.force_login(assignment.adviser.user)
    url = assignment.get_absolute_url()
    data = answers()
    response = client.post(url, {**data, "submit": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Submit your review?" in page and "Once submitted, you cannot change it." in page
    score = expected_score(data)
    assert f'<strong aria-describedby="weighted-score-help">{score}</strong> / 100' in page
    assert EXPLAINED in page
    for criterion in Criterion.objects.active():
        assert criterion.name in page
    assert "Publish" in page and "Strong &quot;field&quot; data &lt;b&gt;&amp;&lt;/b&gt; clear costs." in page
    # Not submitted: kept as a draft, with every answer.
    assignment.refresh_from_db()
    assert assignment.state == A.REVIEWING
    draft = Review.objects.get(assignment=assignment)
    assert draft.submitted_at is None
    assert draft.comments_for_innovator == COMMENT and draft.confidential_comments == "Ask X."
    assert {f"score_{s.criterion_id}": str(s.score) for s in draft.scores.all()} == {
        key: value for key, value in data.items() if key.startswith("score_")
    }
    # The Confirm button carries the same answers, and submits them.
    action, posted = confirm_form(response)
    assert action == url
    assert {key: values for key, values in posted.items() if key not in {"confirmed", "submit"}} == {
        key: [value] for key, value in data.items()
    }
    response = client.post(action, posted)
    assert response.status_code == 302
    review = Review.objects.get(assignment=assignment)
    assert review.submitted_at is not None and review.weighted_score == score
    assert review.comments_for_innovator == COMMENT
    assignment.refresh_from_db()
    assert assignment.state == A.SUBMITTED


def test_going_back_from_the_summary_finds_the_answers_in_the_form(client, assignment):
    client.force_login(assignment.adviser.user)
    data = answers()
    client.post(assignment.get_absolute_url(), {**data, "submit": ""})
    form = client.get(assignment.get_absolute_url()).context["form"]
    for key, value in data.items():
        assert str(form[key].value()) == value, key
    assert Review.objects.get(assignment=assignment).submitted_at is None


def test_an_incomplete_review_is_not_summarised_nor_saved(client, assignment):
    client.force_login(assignment.adviser.user)
    first = Criterion.objects.active().first()
    response = client.post(assignment.get_absolute_url(), {f"score_{first.pk}": "4", "submit": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Before submitting, give:" in page and "Submit your review?" not in page
    assert not Review.objects.exists()


def test_a_tampered_confirmation_is_checked_again(client, assignment):
    client.force_login(assignment.adviser.user)
    data = answers()
    action, posted = confirm_form(client.post(assignment.get_absolute_url(), {**data, "submit": ""}))
    key = next(name for name in posted if name.startswith("score_"))
    response = client.post(action, {**posted, key: ["9"]})
    assert response.status_code == 400
    assert Review.objects.get(assignment=assignment).submitted_at is None


def test_only_the_assigned_adviser_reaches_the_summary(client, assignment, other_member):
    data = {**answers(), "submit": ""}
    url = assignment.get_absolute_url()
    assert client.post(url, data)["Location"].startswith(reverse("account_login"))
    for who in (AdviserFactory().user, other_member, assignment.technology.owner):
        client.force_login(who)
        assert client.post(url, data).status_code == 404
        assert client.post(url, {**data, "confirmed": "1"}).status_code == 404
    assert not Review.objects.exists()


def test_a_summary_confirmed_after_the_round_closed_is_refused(client, assignment, staff):
    client.force_login(assignment.adviser.user)
    action, posted = confirm_form(client.post(assignment.get_absolute_url(), {**answers(), "submit": ""}))
    services.assignment_cancel(assignment=assignment, by=staff)  # unassigned meanwhile
    assert client.post(action, posted).status_code == 404
    assert Review.objects.get(assignment=assignment).submitted_at is None


def test_the_review_page_opens_the_listing_beside_the_form_and_explains_the_score(client, assignment):
    from django.core.files.base import ContentFile

    technology = assignment.technology
    technology.brochure.save("b.pdf", ContentFile(b"%PDF-1.4 brochure"), save=True)
    client.force_login(assignment.adviser.user)
    page = client.get(assignment.get_absolute_url()).content.decode()
    for name in ("advisors:review_technology", "advisors:review_brochure"):
        link = reverse(name, args=[assignment.pk])
        assert f'<a href="{link}" target="_blank" rel="noopener">' in page
    assert page.count('<span class="visually-hidden"> (opens in a new tab)</span>') == 2
    assert EXPLAINED in page
    assert all(f"{criterion.name} (weight {criterion.weight} %)" in page for criterion in Criterion.objects.active())


def test_the_weighted_score_is_explained_on_the_submitted_review_and_the_decision_page(
    client, assignment, staff, settings
):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    client.force_login(assignment.adviser.user)
    client.post(*confirm_form(client.post(assignment.get_absolute_url(), {**answers(), "submit": ""})))
    page = client.get(assignment.get_absolute_url()).content.decode()
    assert "My review (submitted)" in page and page.count(EXPLAINED) == 1
    client.force_login(staff)
    page = client.get(reverse("advisors:decide", args=[assignment.technology.slug])).content.decode()
    assert EXPLAINED in page and "the average of the advisers' weighted scores" in page
    weights = [f"{criterion.name}: {criterion.weight} %" for criterion in Criterion.objects.active()]
    assert all(weight in page for weight in weights)


def test_staffs_guidance_for_a_criterion_is_shown_as_text_not_html():
    from advisors.forms import ReviewForm
    from advisors.models import Criterion

    criterion = Criterion(pk=1, name="Innovation", weight=40, guidance='<img src=x onerror="alert(1)"> Novelty')
    html = str(ReviewForm(criteria=[criterion])["score_1"].as_field_group())
    assert "&lt;img src=x" in html and "<img" not in html
