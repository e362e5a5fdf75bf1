"""Advisers' access is bounded by the round and by their term (issue 24, part 4).

The listing under review and its files are the adviser's to read while their assignment
counts in a round under way; the others' reviews once they submitted theirs, of their
round only; after the round their own review stays readable, and other rounds' reviewers
are never shown. An adviser past their term (or deactivated) is a former adviser
everywhere: no page, no reminder, no suggestion. The workload in suggestions counts only
open assignments.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from advisors import permissions, selectors, services
from advisors.models import Adviser, Assignment, AssignmentState
from technologies import services as technology_services
from technologies.models import TechnologyImage
from tests.advisors.test_review import DUE, full_scores, submit_review
from tests.factories import AdviserFactory, TechnologyFactory
from tests.technologies.test_views import png_bytes

pytestmark = pytest.mark.django_db
A = AssignmentState
TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


def submitted_listing(**fields):
    """A submitted listing with an image and a brochure."""
    technology = TechnologyFactory(status="submitted", **fields)
    technology.brochure = SimpleUploadedFile("b.pdf", b"%PDF-1.4 confidential")
    technology.save()
    TechnologyImage.objects.create(technology=technology, image=SimpleUploadedFile("a.jpg", png_bytes()))
    return technology


@pytest.fixture
def submission(innovator):
    return submitted_listing(owner=innovator, title="Zig-zag kiln", slug="zig-zag-kiln")


@pytest.fixture
def ada(db):
    return AdviserFactory(user__name="Ada Adviser", user__email="ada@example.org")


@pytest.fixture
def bo(db):
    return AdviserFactory(user__name="Bo Reviewer", user__email="bo@example.org")


@pytest.fixture
def cy(db):
    return AdviserFactory(user__name="Cy Newcomer", user__email="cy@example.org")


def listing_urls(assignment) -> list[str]:
    image = assignment.technology.images.get()
    return [
        reverse("advisors:review_technology", args=[assignment.pk]),
        reverse("advisors:review_image", args=[assignment.pk, image.pk]),
        reverse("advisors:review_brochure", args=[assignment.pk]),
    ]


def statuses(client, urls) -> list[int]:
    return [client.get(url).status_code for url in urls]


def page(client, assignment) -> str:
    response = client.get(assignment.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def decide(technology, staff, decision):
    services.technology_decide(technology=technology, by=staff, decision=decision, message="Say more.")


# --- While the round is under way ---------------------------------------------------------


def test_an_open_assignment_reads_the_listing_and_the_others_reviews_only_after_submitting(
    client, submission, ada, bo, staff
):
    mine = services.assignment_create(technology=submission, adviser=ada, due_date=DUE, by=staff)
    theirs = services.assignment_create(technology=submission, adviser=bo, due_date=DUE, by=staff)
    submit_review(theirs, comment="Public comment of Bo", secret="Secret of Bo")
    client.force_login(ada.user)
    # Awaiting the declaration, then reviewing: the listing, its image and its brochure.
    assert statuses(client, listing_urls(mine)) == [200, 200, 200]
    assert "Read the listing" in page(client, mine)
    services.assignment_declare(assignment=mine, by=ada.user, recuse=False)
    assert statuses(client, listing_urls(mine)) == [200, 200, 200]
    text = page(client, mine)
    assert "Bo Reviewer" not in text and "Public comment of Bo" not in text  # not before submitting
    services.review_save(
        assignment=mine, by=ada.user, scores=full_scores(), recommendation="publish",
        comments_for_innovator="Comment of Ada", confidential_comments="", submit=True,
    )  # fmt: skip
    # Submitted while the round goes on: still the listing, and now the others' reviews.
    assert statuses(client, listing_urls(mine)) == [200, 200, 200]
    text = page(client, mine)
    assert "Bo Reviewer" in text and "Public comment of Bo" in text
    assert "Secret of Bo" not in text


# --- After the round ----------------------------------------------------------------------


def test_after_a_rejection_the_listing_and_files_are_gone_and_the_own_review_stays(client, submission, ada, bo, staff):
    mine = services.assignment_create(technology=submission, adviser=ada, due_date=DUE, by=staff)
    theirs = services.assignment_create(technology=submission, adviser=bo, due_date=DUE, by=staff)
    submit_review(mine, comment="Public comment of Ada", secret="Secret of Ada")
    submit_review(theirs, comment="Public comment of Bo")
    urls = listing_urls(mine)
    decide(submission, staff, "reject")
    client.force_login(ada.user)
    assert statuses(client, urls) == [404, 404, 404]
    text = page(client, mine)
    assert "My review (submitted)" in text
    assert "Public comment of Ada" in text and "Secret of Ada" in text
    assert "Read the listing" not in text
    # The round they reviewed: its other reviews stay as they were shown.
    assert "Bo Reviewer" in text and "Public comment of Bo" in text
    assert mine in selectors.review_queue(adviser=ada)


def test_a_new_round_never_shows_the_other_rounds_reviewers(client, submission, ada, bo, cy, staff):
    first_ada = services.assignment_create(technology=submission, adviser=ada, due_date=DUE, by=staff)
    first_bo = services.assignment_create(technology=submission, adviser=bo, due_date=DUE, by=staff)
    submit_review(first_ada, comment="Round one, Ada")
    submit_review(first_bo, comment="Round one, Bo")
    decide(submission, staff, "request_changes")
    technology_services.technology_submit(technology=submission, by=submission.owner)
    second_ada = services.assignment_create(technology=submission, adviser=ada, due_date=DUE, by=staff)
    second_cy = services.assignment_create(technology=submission, adviser=cy, due_date=DUE, by=staff)
    submit_review(second_cy, comment="Round two, Cy")

    # Bo reviewed round one only: the listing under review again is not theirs to read,
    # their own review is, and round two's reviewer never appears.
    client.force_login(bo.user)
    assert statuses(client, listing_urls(first_bo)) == [404, 404, 404]
    text = page(client, first_bo)
    assert "Round one, Bo" in text and "Round one, Ada" in text
    assert "Cy Newcomer" not in text and "Round two, Cy" not in text

    # Ada, in both rounds: the old page shows round one only, whose listing is gone; the new
    # assignment reads the listing, and once submitted shows round two's reviews only.
    client.force_login(ada.user)
    assert statuses(client, listing_urls(first_ada)) == [404, 404, 404]
    old = page(client, first_ada)
    assert "Cy Newcomer" not in old and "Round two, Cy" not in old and "Round one, Bo" in old
    assert statuses(client, listing_urls(second_ada)) == [200, 200, 200]
    submit_review(second_ada, comment="Round two, Ada")
    new = page(client, second_ada)
    assert "Cy Newcomer" in new and "Round two, Cy" in new
    assert "Bo Reviewer" not in new and "Round one, Bo" not in new and "Round one, Ada" not in new
    assert [r.assignment for r in selectors.other_reviews_of_the_round(assignment=second_ada)] == [second_cy]


def test_an_assignment_not_reviewed_is_closed_to_its_adviser(client, submission, ada, bo, cy, staff):
    """Unassigned, recused, or still open when the round closed: the page, the listing and the
    queue's entry go (nothing of theirs to read)."""
    late = services.assignment_create(technology=submission, adviser=ada, due_date=DUE, by=staff)
    recused = services.assignment_create(technology=submission, adviser=bo, due_date=DUE, by=staff)
    cancelled = services.assignment_create(technology=submission, adviser=cy, due_date=DUE, by=staff)
    services.assignment_declare(assignment=late, by=ada.user, recuse=False)
    services.assignment_declare(assignment=recused, by=bo.user, recuse=True, reason="Former employer.")
    services.assignment_cancel(assignment=cancelled, by=staff)
    for adviser, assignment in ((bo, recused), (cy, cancelled)):
        client.force_login(adviser.user)
        assert statuses(client, [assignment.get_absolute_url(), *listing_urls(assignment)]) == [404] * 4
        assert not selectors.review_queue(adviser=adviser).exists()
    client.force_login(ada.user)
    assert client.get(late.get_absolute_url()).status_code == 200
    decide(submission, staff, "request_changes")
    assert statuses(client, [late.get_absolute_url(), *listing_urls(late)]) == [404] * 4
    assert client.post(late.get_absolute_url(), {"submit": "1"}).status_code == 404
    assert not selectors.review_queue(adviser=ada).exists()
    assert "Zig-zag kiln" not in client.get(reverse("dashboard")).content.decode()


# --- The adviser's term -------------------------------------------------------------------


def test_an_adviser_past_their_term_is_a_former_adviser_everywhere(
    client, submission, ada, bo, staff, django_capture_on_commit_callbacks, mailoutbox
):
    open_one = services.assignment_create(technology=submission, adviser=ada, due_date=DUE, by=staff)
    others = services.assignment_create(technology=submission, adviser=bo, due_date=DUE, by=staff)
    reviewed = services.assignment_create(technology=submitted_listing(), adviser=ada, due_date=DUE, by=staff)
    submit_review(reviewed, comment="An earlier review")
    Assignment.objects.filter(pk__in=[open_one.pk, others.pk]).update(due_date=YESTERDAY)
    Adviser.objects.filter(pk=ada.pk).update(active_until=YESTERDAY)
    ada.refresh_from_db()

    # No access: the queue, the review pages (even their own submitted one), the listing.
    client.force_login(ada.user)
    assert client.get(reverse("advisors:review_queue")).status_code == 404
    for assignment in (open_one, reviewed):
        assert statuses(client, [assignment.get_absolute_url(), *listing_urls(assignment)]) == [404] * 4
    assert client.post(reverse("advisors:declare", args=[open_one.pk]), {"declaration": "none"}).status_code == 404
    assert "My reviews for the National Advisory Group" not in client.get(reverse("dashboard")).content.decode()
    with pytest.raises(PermissionDenied):
        services.assignment_declare(assignment=open_one, by=ada.user, recuse=False)
    # No reminders (the current adviser of the same listing is reminded).
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reviews_send_reminders() == {"due_soon": 0, "overdue": 1}
    assert not [m for m in mailoutbox if m.to == [ada.user.email] and "overdue" in m.subject]
    assert [m for m in mailoutbox if m.to == [bo.user.email] and "overdue" in m.subject]
    # Not suggested, not assignable, not on the public pages.
    other = TechnologyFactory(status="submitted")
    assert ada not in selectors.adviser_suggestions(technology=other)
    with pytest.raises(ValidationError):
        services.assignment_create(technology=other, adviser=ada, due_date=DUE, by=staff)
    assert "Ada Adviser" not in client.get(reverse("advisors:group")).content.decode()
    assert client.get(ada.get_absolute_url()).status_code == 404
    # The last day of the term still counts; so does a term reinstated.
    Adviser.objects.filter(pk=ada.pk).update(active_until=TODAY)
    assert client.get(open_one.get_absolute_url()).status_code == 200


def test_one_notion_of_a_current_adviser(db):
    """The predicate for one adviser and the query agree, whatever the term and the flag."""
    cases = {
        "no term": {},
        "term running": {"active_from": YESTERDAY, "active_until": TOMORROW},
        "last day": {"active_until": TODAY},
        "first day": {"active_from": TODAY},
        "term ended": {"active_until": YESTERDAY},
        "not yet begun": {"active_from": TOMORROW},
        "deactivated": {"is_active": False},
        "deactivated in term": {"is_active": False, "active_until": TOMORROW},
    }
    advisers = {name: AdviserFactory(**fields) for name, fields in cases.items()}
    current = set(Adviser.objects.current().values_list("pk", flat=True))
    for name, adviser in advisers.items():
        assert permissions.adviser_is_current(adviser) == (adviser.pk in current), name
        assert permissions.is_adviser(adviser.user) == (adviser.pk in current), name
    assert {name for name, adviser in advisers.items() if adviser.pk in current} == {
        "no term",
        "term running",
        "last day",
        "first day",
    }
    assert set(Adviser.objects.active().values_list("pk", flat=True)) == current  # the old name


# --- Suggestions --------------------------------------------------------------------------


def test_the_workload_in_suggestions_counts_only_open_assignments(innovator, staff):
    # Zoe's assignments are all done or over: a closed round's unreviewed one, a submitted
    # review, a recusal and a withdrawal. Yann has one open review.
    zoe = AdviserFactory(user__name="Zoe Busy Before")
    yann = AdviserFactory(user__name="Yann Open")
    closed = TechnologyFactory(status="submitted")
    services.assignment_create(technology=closed, adviser=zoe, due_date=DUE, by=staff)
    decide(closed, staff, "reject")
    submit_review(
        services.assignment_create(
            technology=TechnologyFactory(status="submitted"), adviser=zoe, due_date=DUE, by=staff
        )
    )
    recused = services.assignment_create(
        technology=TechnologyFactory(status="submitted"), adviser=zoe, due_date=DUE, by=staff
    )
    services.assignment_declare(assignment=recused, by=zoe.user, recuse=True, reason="Conflict.")
    services.assignment_cancel(
        assignment=services.assignment_create(
            technology=TechnologyFactory(status="submitted"), adviser=zoe, due_date=DUE, by=staff
        ),
        by=staff,
    )
    services.assignment_create(technology=TechnologyFactory(status="submitted"), adviser=yann, due_date=DUE, by=staff)
    assert Assignment.objects.filter(adviser=zoe).count() == 4

    suggestions = list(
        selectors.adviser_suggestions(technology=TechnologyFactory(owner=innovator, status="submitted"))
    )
    workload = {adviser.name: adviser.open_reviews for adviser in suggestions}
    assert workload == {"Zoe Busy Before": 0, "Yann Open": 1}
    assert [adviser.name for adviser in suggestions] == ["Zoe Busy Before", "Yann Open"]
