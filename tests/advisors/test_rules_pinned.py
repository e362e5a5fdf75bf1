"""The review's rules pinned down to what people see: the exact messages, who is emailed
and once, which rows each list holds and in what order, the boundaries of the reminders,
the figures of the decision page, and the work each page does whatever its length."""

import datetime
import re
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from mailer.models import Message

from advisors import selectors, services
from advisors.models import Assignment, AssignmentState, Criterion, Review
from technologies.models import TechnologyImage, TechnologyTransition
from tests.advisors.test_review import DUE, full_scores, submit_review
from tests.factories import AdviserFactory, StaffFactory, TechnologyFactory
from tests.helpers import count_queries
from tests.technologies.test_views import png_bytes

pytestmark = pytest.mark.django_db
A = AssignmentState
TODAY = timezone.localdate()
PK = 1_000_000  # a number above those the database gives, to store rows out of their numbers' order


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def submission(innovator):
    return TechnologyFactory(owner=innovator, status="submitted", title="Zig-zag kiln", slug="zig-zag-kiln")


@pytest.fixture
def ada(db):
    return AdviserFactory(user__name="Ada Adviser", user__email="ada@example.org")


@pytest.fixture
def bo(db):
    return AdviserFactory(user__name="Bo Reviewer", user__email="bo@example.org")


@pytest.fixture
def cy(db):
    return AdviserFactory(user__name="Cy Expert", user__email="cy@example.org")


def reviewing(technology, adviser, staff):
    """An assignment whose adviser declared no conflict: the review form is theirs."""
    assignment = services.assignment_create(technology=technology, adviser=adviser, due_date=DUE, by=staff)
    services.assignment_declare(assignment=assignment, by=adviser.user, recuse=False)
    return assignment


def save_draft(assignment, scores):
    return services.review_save(
        assignment=assignment, by=assignment.adviser.user, scores=scores, recommendation="",
        comments_for_innovator="", confidential_comments="", submit=False,
    )  # fmt: skip


def last_message(technology) -> str:
    return TechnologyTransition.objects.filter(technology=technology).order_by("at", "pk").last().message


# --- Scores ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 6])
def test_a_score_outside_1_to_5_is_refused_with_its_message(submission, ada, staff, value):
    assignment = reviewing(submission, ada, staff)
    first = Criterion.objects.active().first()
    with pytest.raises(ValidationError) as refused:
        save_draft(assignment, {first.pk: value})
    assert refused.value.messages == ["Scores go from 1 to 5."]
    assert not Review.objects.filter(assignment=assignment, scores__isnull=False).exists()


def test_a_draft_keeps_every_score_given_around_a_missing_one(submission, ada, staff):
    assignment = reviewing(submission, ada, staff)
    criteria = list(Criterion.objects.active())
    given = {criterion.pk: 1 + n % 5 for n, criterion in enumerate(criteria) if n != 1}  # the second left blank
    review = save_draft(assignment, given)
    assert list(review.scores.order_by("pk").values_list("criterion_name", "weight", "score")) == [
        (criterion.name, criterion.weight, given[criterion.pk]) for criterion in criteria if criterion.pk in given
    ]
    assert review.submitted_at is None and review.weighted_score is None


# --- Who is emailed, and once ---------------------------------------------------------------


def test_recusal_and_all_reviews_in_go_to_active_staff_once_per_set_of_reviews(
    submission, ada, bo, cy, staff, django_capture_on_commit_callbacks, mailoutbox
):
    StaffFactory(name="Former Staff", email="former@example.org", is_active=False)
    first = services.assignment_create(technology=submission, adviser=ada, due_date=DUE, by=staff)
    second = services.assignment_create(technology=submission, adviser=bo, due_date=DUE, by=staff)
    third = services.assignment_create(technology=submission, adviser=cy, due_date=DUE, by=staff)
    Message.objects.all().delete()  # the emails so far, not under test here
    with django_capture_on_commit_callbacks(execute=True):
        submit_review(first)
        services.assignment_declare(assignment=third, by=cy.user, recuse=True, reason="My former employer.")
        submit_review(second)  # the second of two reviews wanted: all in
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([staff.email], '[WiiTs] Cy Expert recused from "Zig-zag kiln": please reassign'),
        ([staff.email], '[WiiTs] All reviews are in for "Zig-zag kiln"'),
    ]
    notified = Assignment.objects.filter(pk__in=[first.pk, second.pk]).values_list("all_in_notified_at", flat=True)
    assert None not in notified
    # Staff assign a third adviser, then unassign them: the same set of reviews is in again.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.assignment_create(technology=submission, adviser=AdviserFactory(), due_date=DUE, by=staff)
        services.assignment_cancel(assignment=again, by=staff)
    assert [m.subject for m in mailoutbox if "All reviews are in" in m.subject] == []


# --- The decision's message to the owner ------------------------------------------------------


def test_the_owner_reads_staffs_message_then_the_advisers_comments_in_order(submission, ada, bo, cy, staff):
    other = TechnologyFactory(status="submitted", title="Other kiln", slug="other-kiln")
    submit_review(services.assignment_create(technology=other, adviser=cy, due_date=DUE, by=staff), comment="Other.")
    second = services.assignment_create(technology=submission, adviser=bo, due_date=DUE, by=staff)
    first = services.assignment_create(technology=submission, adviser=ada, due_date=DUE, by=staff)
    submit_review(first, comment="  Strong field data.  ")
    submit_review(second, comment="Document the maintenance.")
    services.technology_decide(technology=submission, by=staff, decision="request_changes", message="  Add costs.\n")
    assert last_message(submission).split("\n\n") == [
        "Add costs.",
        "Comments from the National Advisory Group:",
        "— Strong field data.",
        "— Document the maintenance.",
    ]


def test_without_a_message_of_staff_the_owner_reads_the_comments_alone(submission, ada, bo, staff):
    submit_review(services.assignment_create(technology=submission, adviser=ada, due_date=DUE, by=staff), comment="")
    submit_review(
        services.assignment_create(technology=submission, adviser=bo, due_date=DUE, by=staff), comment="Well built."
    )
    services.technology_decide(technology=submission, by=staff, decision="publish", message="  ")
    assert last_message(submission) == "Comments from the National Advisory Group:\n\n— Well built."


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_decision_locks_the_listing_before_it_reads_the_comments(monkeypatch):
    """A review submitted while staff decide either waits and is refused (the round is
    closed), or its comments reach the owner: never counted but unread."""
    staff = StaffFactory()
    technology = TechnologyFactory(status="submitted")
    early, late = AdviserFactory(), AdviserFactory()
    submit_review(
        services.assignment_create(technology=technology, adviser=early, due_date=DUE, by=staff), comment="Early."
    )
    pending = services.assignment_create(technology=technology, adviser=late, due_date=DUE, by=staff)
    services.assignment_declare(assignment=pending, by=late.user, recuse=False)
    outcome, threads = [], []

    def late_submission():
        try:
            services.review_save(
                assignment=pending, by=late.user, scores=full_scores(), recommendation="publish",
                comments_for_innovator="Late.", confidential_comments="", submit=True,
            )  # fmt: skip
            outcome.append("submitted")
        except PermissionDenied:
            outcome.append("refused")
        finally:
            connection.close()

    real = services._message_with_comments

    def read_then_the_adviser_submits(technology, message):
        text = real(technology, message)
        thread = threading.Thread(target=late_submission)
        thread.start()
        thread.join(timeout=1)  # waits on the listing's lock until the decision commits
        threads.append(thread)
        return text

    monkeypatch.setattr(services, "_message_with_comments", read_then_the_adviser_submits)
    services.technology_decide(technology=technology, by=staff, decision="publish", message="")
    threads[0].join(timeout=30)
    assert outcome == ["refused"]
    assert last_message(technology) == "Comments from the National Advisory Group:\n\n— Early."
    assert not Review.objects.filter(assignment=pending, submitted_at__isnull=False).exists()


# --- Reminders --------------------------------------------------------------------------------


def test_reminders_due_soon_from_today_to_the_third_day_and_overdue_from_yesterday(
    submission, staff, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.WIITS_REVIEW_REMINDER_DAYS = 3
    due = {"Due Today": 0, "Due In Three": 3, "Due In Four": 4, "Due Yesterday": -1}
    for name, offset in due.items():
        adviser = AdviserFactory(user__name=name, user__email=f"{name.replace(' ', '.').lower()}@example.org")
        assignment = services.assignment_create(technology=submission, adviser=adviser, due_date=TODAY, by=staff)
        Assignment.objects.filter(pk=assignment.pk).update(due_date=days(offset))
    Message.objects.all().delete()  # the emails so far, not under test here
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reviews_send_reminders(today=TODAY) == {"due_soon": 2, "overdue": 1}
        assert services.reviews_send_reminders(today=TODAY) == {"due_soon": 0, "overdue": 0}
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        ("due.in.three@example.org", '[WiiTs] Your review of "Zig-zag kiln" is due soon'),
        ("due.today@example.org", '[WiiTs] Your review of "Zig-zag kiln" is due soon'),
        ("due.yesterday@example.org", '[WiiTs] Your review of "Zig-zag kiln" is overdue'),
    ]


def test_reminders_of_a_given_day_skip_advisers_whose_term_has_ended_by_then(
    submission, staff, django_capture_on_commit_callbacks, mailoutbox
):
    leaving = AdviserFactory(user__email="leaving@example.org", active_until=days(5))
    staying = AdviserFactory(user__email="staying@example.org")
    for adviser in (leaving, staying):
        services.assignment_create(technology=submission, adviser=adviser, due_date=days(11), by=staff)
    Message.objects.all().delete()  # the emails so far, not under test here
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reviews_send_reminders(today=days(10)) == {"due_soon": 1, "overdue": 0}
    assert [m.to for m in mailoutbox] == [["staying@example.org"]]


def test_reminders_make_a_fixed_number_of_queries_per_reminder(submission, staff, django_assert_num_queries):
    for _ in range(2):
        services.assignment_create(technology=submission, adviser=AdviserFactory(), due_date=days(1), by=staff)
    # Two batch queries, then per reminder: a savepoint, the claim, the queued email, the release.
    with django_assert_num_queries(2 + 2 * 4):
        assert services.reviews_send_reminders(today=TODAY) == {"due_soon": 2, "overdue": 0}


# --- Suggestions and lists ----------------------------------------------------------------------


def test_suggestions_leave_out_the_owner_and_rank_the_sectors_experts_then_names(staff):
    owner = AdviserFactory(user__name="Owner Adviser", expertise=["agro-food-processing"])
    technology = TechnologyFactory(owner=owner.user, organisation=None, status="submitted")
    AdviserFactory(user__name="Zed Expert", expertise=["agro-food-processing"])
    AdviserFactory(user__name="Abe Expert", expertise=["agro-food-processing"])
    AdviserFactory(user__name="Other Sector", expertise=["advanced-materials"])
    AdviserFactory(user__name="Generalist")
    suggestions = selectors.adviser_suggestions(technology=technology)
    assert [(a.name, a.is_expert, a.open_reviews) for a in suggestions] == [
        ("Abe Expert", True, 0),
        ("Zed Expert", True, 0),
        ("Generalist", False, 0),
        ("Other Sector", False, 0),
    ]


def test_suggestions_for_a_listing_without_a_sector_have_no_expert(staff):
    technology = TechnologyFactory(status="submitted", sector=None)
    AdviserFactory(user__name="Zed Expert", expertise=["agro-food-processing"])
    AdviserFactory(user__name="Abe Generalist")
    busy = AdviserFactory(user__name="Al Busy", expertise=["agro-food-processing"])
    services.assignment_create(technology=TechnologyFactory(status="submitted"), adviser=busy, due_date=DUE, by=staff)
    suggestions = selectors.adviser_suggestions(technology=technology)
    assert [(a.name, a.is_expert, a.open_reviews) for a in suggestions] == [
        ("Abe Generalist", False, 0),
        ("Zed Expert", False, 0),
        ("Al Busy", False, 1),
    ]


def test_the_assignment_page_makes_the_same_queries_whatever_the_number_of_advisers(
    client, submission, staff, settings
):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    client.force_login(staff)
    url = reverse("advisors:assign", args=[submission.slug])
    services.assignment_create(technology=submission, adviser=AdviserFactory(), due_date=DUE, by=staff)
    AdviserFactory()
    few = count_queries(client, url)
    for _ in range(3):
        services.assignment_create(technology=submission, adviser=AdviserFactory(), due_date=DUE, by=staff)
        AdviserFactory()
    assert count_queries(client, url) == few


def test_assignments_are_listed_in_the_order_they_were_made(submission, ada, bo, cy):
    dee = AdviserFactory(user__name="Dee")
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    # Bo was asked first, then Cy and Dee at the same moment (Dee stored first), then Ada.
    for adviser, assigned_at, pk in [
        (ada, now, None),
        (bo, now - 2 * hour, None),
        (dee, now - hour, PK + 2),
        (cy, now - hour, PK + 1),
    ]:
        Assignment.objects.create(pk=pk, technology=submission, adviser=adviser, due_date=DUE, assigned_at=assigned_at)
    listed = selectors.assignments_of_technology(technology=submission)
    assert [a.adviser.name for a in listed] == ["Bo Reviewer", "Cy Expert", "Dee", "Ada Adviser"]


def test_the_review_queue_puts_open_reviews_first_each_by_due_date(ada, staff):
    submitted = {}
    for title in ("Submitted", "Submitted and decided"):
        technology = TechnologyFactory(status="submitted", title=title)
        assignment = services.assignment_create(technology=technology, adviser=ada, due_date=DUE, by=staff)
        submit_review(assignment)
        submitted[title] = assignment
    decided = submitted["Submitted and decided"].technology
    services.technology_decide(technology=decided, by=staff, decision="publish", message="")
    Assignment.objects.filter(pk=submitted["Submitted"].pk).update(due_date=days(1))
    Assignment.objects.filter(pk=submitted["Submitted and decided"].pk).update(due_date=days(2))
    # Two open reviews due the same day: the lower number first, whatever the order stored.
    for title, due, pk in [("Open later", 10, None), ("Open too", 5, PK + 2), ("Open", 5, PK + 1)]:
        technology = TechnologyFactory(status="in_review", title=title)
        Assignment.objects.create(pk=pk, technology=technology, adviser=ada, due_date=days(due))
    queue = selectors.review_queue(adviser=ada)
    assert [(a.technology.title, a.state) for a in queue] == [
        ("Open", A.AWAITING_DECLARATION),
        ("Open too", A.AWAITING_DECLARATION),
        ("Open later", A.AWAITING_DECLARATION),
        ("Submitted", A.SUBMITTED),
        ("Submitted and decided", A.SUBMITTED),
    ]


# --- The listing as a reviewer reads it -----------------------------------------------------------


def test_the_reviewer_sees_the_pictures_in_their_order(client, submission, ada, staff):
    # Two of the same order: the lower number first, whatever the order stored.
    for name, order, pk in [("third", 3, None), ("first", 1, None), ("second-b", 2, PK + 2), ("second-a", 2, PK + 1)]:
        TechnologyImage.objects.create(
            pk=pk, technology=submission, order=order, alt_text=name, image=SimpleUploadedFile("a.jpg", png_bytes())
        )
    assignment = services.assignment_create(technology=submission, adviser=ada, due_date=DUE, by=staff)
    client.force_login(ada.user)
    page = client.get(reverse("advisors:review_technology", args=[assignment.pk])).content.decode()
    assert re.findall(r'<img class="img-fluid[^>]* alt="([^"]*)"', page) == ["first", "second-a", "second-b", "third"]


def test_the_listing_for_review_comes_with_all_the_page_reads(submission, django_assert_num_queries):
    with django_assert_num_queries(4):  # the listing with its sector and organisation; SDGs, cooperation, images
        technology = selectors.technology_for_review(technology_id=submission.pk)
        for _ in range(2):  # the page reads some of them twice: loaded once
            read = (
                technology.sector.name,
                technology.organisation.name,
                [sdg.number for sdg in technology.sdgs.all()],
                [kind.slug for kind in technology.cooperation.all()],
                technology.ordered_images,
            )
    assert read == ("Agro-food processing", submission.organisation.name, [2, 7], ["licensing"], [])


# --- Reviews of a round, the decision page --------------------------------------------------------


def test_the_reviews_of_a_round_are_this_listings_submitted_ones(submission, ada, bo, cy, staff):
    other = TechnologyFactory(status="submitted", title="Other kiln")
    elsewhere = submit_review(
        services.assignment_create(technology=other, adviser=AdviserFactory(), due_date=DUE, by=staff)
    )
    first = submit_review(services.assignment_create(technology=submission, adviser=ada, due_date=DUE, by=staff))
    second_assignment = services.assignment_create(technology=submission, adviser=bo, due_date=DUE, by=staff)
    save_draft(reviewing(submission, cy, staff), full_scores(2))
    second = submit_review(second_assignment)
    assert selectors.submitted_reviews(technology=submission) == [first, second]
    assert selectors.other_reviews_of_the_round(assignment=second_assignment) == [first]
    assert selectors.submitted_reviews(technology=other) == [elsewhere]


def test_the_review_page_makes_the_same_queries_whatever_the_number_of_other_reviews(client, submission, staff):
    mine = services.assignment_create(technology=submission, adviser=AdviserFactory(), due_date=DUE, by=staff)
    submit_review(mine)
    submit_review(services.assignment_create(technology=submission, adviser=AdviserFactory(), due_date=DUE, by=staff))
    client.force_login(mine.adviser.user)
    with_one = count_queries(client, mine.get_absolute_url())
    for _ in range(3):
        submit_review(
            services.assignment_create(technology=submission, adviser=AdviserFactory(), due_date=DUE, by=staff)
        )
    assert count_queries(client, mine.get_absolute_url()) == with_one


def test_the_decision_summary_lays_out_each_criterion_and_the_mean(submission, ada, bo, cy, staff):
    def summary():
        figures = selectors.decision_summary(technology=submission)
        return {key: figures[key] for key in ("reviews", "score_rows", "mean_score", "all_in")}

    assert summary() == {"reviews": [], "score_rows": [], "mean_score": None, "all_in": False}
    assignments = [
        services.assignment_create(technology=submission, adviser=adviser, due_date=DUE, by=staff)
        for adviser in (ada, bo, cy)
    ]
    reviews = [submit_review(assignments[0], value=5), submit_review(assignments[1], value=4)]
    criteria = list(Criterion.objects.active())
    rows = [{"name": c.name, "weight": c.weight, "scores": [5, 4]} for c in criteria]
    assert summary() == {"reviews": reviews, "score_rows": rows, "mean_score": Decimal("87.5"), "all_in": False}
    reviews.append(submit_review(assignments[2], value=4))
    rows = [{"name": c.name, "weight": c.weight, "scores": [5, 4, 4]} for c in criteria]
    assert summary() == {"reviews": reviews, "score_rows": rows, "mean_score": Decimal("83.3"), "all_in": True}


def test_a_renamed_criterion_has_its_own_row(submission, ada, bo, staff):
    first = submit_review(services.assignment_create(technology=submission, adviser=ada, due_date=DUE, by=staff))
    Criterion.objects.filter(pk=Criterion.objects.active().first().pk).update(name="Innovation")
    second = submit_review(services.assignment_create(technology=submission, adviser=bo, due_date=DUE, by=staff))
    renamed, *unchanged = [score.criterion_name for score in first.scores.all()]
    rows = selectors.decision_summary(technology=submission)["score_rows"]
    assert [(row["name"], row["scores"]) for row in rows] == [
        (renamed, [4, None]),
        *[(name, [4, 4]) for name in unchanged],
        ("Innovation", [None, 4]),
    ]
    assert selectors.decision_summary(technology=submission)["reviews"] == [first, second]


# --- Staff's dashboard -----------------------------------------------------------------------------


def test_staffs_overview_lists_up_to_20_of_each_oldest_first(staff):
    start = timezone.now() - datetime.timedelta(days=30)
    for n in range(21):
        TechnologyFactory(
            status="submitted", title=f"Waiting {n:02}", submitted_at=start + datetime.timedelta(hours=n)
        )
    in_review = TechnologyFactory(status="in_review", title="Under review", submitted_at=start)
    for n in range(21):
        Assignment.objects.create(
            technology=in_review, adviser=AdviserFactory(), due_date=days(-21 + n), state=A.REVIEWING
        )
    for n in range(21):
        decided = TechnologyFactory(
            status="in_review", title=f"Decide {n:02}", submitted_at=start + datetime.timedelta(hours=n)
        )
        Assignment.objects.create(technology=decided, adviser=AdviserFactory(), due_date=days(1), state=A.SUBMITTED)
    overview = selectors.staff_review_overview()
    assert sorted(overview) == ["awaiting_assignment", "overdue_reviews", "pending_decision"]
    assert [t.title for t in overview["awaiting_assignment"]] == [f"Waiting {n:02}" for n in range(20)]
    assert [a.due_date for a in overview["overdue_reviews"]] == [days(-21 + n) for n in range(20)]
    assert [t.title for t in overview["pending_decision"]] == [f"Decide {n:02}" for n in range(20)]


def test_a_decision_is_pending_once_every_live_review_of_the_round_is_in(staff):
    def in_review(title, *states, closed=False):
        technology = TechnologyFactory(status="in_review", title=title)
        for state in states:
            Assignment.objects.create(
                technology=technology, adviser=AdviserFactory(), due_date=DUE, state=state,
                closed_at=timezone.now() if closed else None,
            )  # fmt: skip
        return technology

    in_review("All in", A.SUBMITTED, A.SUBMITTED, A.CANCELLED, A.RECUSED)
    in_review("One outstanding", A.SUBMITTED, A.REVIEWING)
    in_review("Nobody left", A.CANCELLED, A.RECUSED)
    in_review("Earlier round only", A.SUBMITTED, closed=True)
    TechnologyFactory(status="submitted", title="Not in review")
    assert [t.title for t in selectors.staff_review_overview()["pending_decision"]] == ["All in"]


def test_staffs_dashboard_makes_the_same_queries_whatever_the_number_of_overdue_reviews(client, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    client.force_login(staff)

    def overdue():
        technology = TechnologyFactory(status="submitted")
        assignment = services.assignment_create(
            technology=technology, adviser=AdviserFactory(), due_date=DUE, by=staff
        )
        Assignment.objects.filter(pk=assignment.pk).update(due_date=days(-1))

    overdue()
    with_one = count_queries(client, reverse("dashboard"))
    for _ in range(3):
        overdue()
    assert count_queries(client, reverse("dashboard")) == with_one
