"""The review by the National Advisory Group: assignment, declaration, reviews, decision."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisors import selectors, services
from advisors.models import AdviserConflict, Assignment, AssignmentState, Charter, Criterion, Review
from technologies.models import TechnologyStatus
from tests.factories import AdviserFactory, TechnologyFactory, UserFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db
A = AssignmentState
DUE = timezone.localdate() + datetime.timedelta(days=14)


@pytest.fixture
def submission(innovator):
    return TechnologyFactory(owner=innovator, status="submitted", title="Zig-zag kiln", slug="zig-zag-kiln")


@pytest.fixture
def adviser_a(db):
    return AdviserFactory(user__name="Ada Adviser", user__email="ada@example.org", expertise=["agro-food-processing"])


@pytest.fixture
def adviser_b(db):
    return AdviserFactory(user__name="Bo Reviewer", user__email="bo@example.org")


def full_scores(value=4):
    return {criterion.pk: value for criterion in Criterion.objects.active()}


def submit_review(assignment, *, value=4, recommendation="nag_evaluated", comment="Strong field data.", secret=""):
    services.assignment_declare(assignment=assignment, by=assignment.adviser.user, recuse=False)
    return services.review_save(
        assignment=assignment,
        by=assignment.adviser.user,
        scores=full_scores(value),
        recommendation=recommendation,
        comments_for_innovator=comment,
        confidential_comments=secret,
        submit=True,
    )


# --- Public pages ---------------------------------------------------------------------------


def test_group_page_lists_active_advisers_by_role_and_filters(client):
    AdviserFactory(user__name="Huang Feng", role="chair", country="CN", expertise=["advanced-manufacturing"])
    AdviserFactory(user__name="Helen Wang", country="GB", expertise=["advanced-materials"])
    AdviserFactory(user__name="Gone Adviser", is_active=False)
    AdviserFactory(user__name="Term Over", active_until=timezone.localdate() - datetime.timedelta(days=1))
    page = client.get(reverse("advisors:group")).content.decode()
    assert page.index("Huang Feng") < page.index("Helen Wang")
    assert "Gone Adviser" not in page and "Term Over" not in page
    filtered = client.get(reverse("advisors:group"), {"sector": "advanced-materials"}).content.decode()
    assert "Helen Wang" in filtered and "Huang Feng" not in filtered
    by_country = client.get(reverse("advisors:group"), {"country": "CN"}).content.decode()
    assert "Huang Feng" in by_country and "Helen Wang" not in by_country
    assert client.get(reverse("advisors:group"), {"sector": "nonsense", "country": "ZZ"}).status_code == 200


def test_adviser_profile_with_a_placeholder_photo(client, adviser_a):
    adviser_a.biography = "Worked on **solar drying** for 20 years."
    adviser_a.save()
    page = client.get(adviser_a.get_absolute_url()).content.decode()
    assert "Ada Adviser" in page and "<strong>solar drying</strong>" in page
    assert "adviser-photo-placeholder" in page
    assert adviser_a.user.email not in page
    assert client.get(reverse("advisors:photo", args=[adviser_a.slug])).status_code == 404


def test_charter_shows_the_current_version(client):
    plenary = datetime.date(2020, 9, 18)
    Charter.objects.create(
        version=1, title="Charter of the WiiTs National Advisory Group", body="## Purpose\n\nEvaluate.",
        approved_on=plenary, approved_by="First Plenary, Wuzhen", effective_date=plenary,
    )  # fmt: skip
    Charter.objects.create(
        version=2, title="Future charter", body="Not yet.", approved_on=timezone.localdate(),
        approved_by="Second Plenary", effective_date=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip
    page = client.get(reverse("advisors:charter")).content.decode()
    assert "Charter of the WiiTs National Advisory Group" in page and "Future charter" not in page
    assert "Version 1, approved on Sept. 18, 2020 by the First Plenary, Wuzhen" in page


# --- Assignment -----------------------------------------------------------------------------


def test_first_assignment_moves_to_review_and_emails_the_adviser(
    submission, adviser_a, staff, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    submission.refresh_from_db()
    assert submission.status == TechnologyStatus.IN_REVIEW
    assert assignment.state == A.AWAITING_DECLARATION
    emails = [m for m in mailoutbox if m.to == [adviser_a.user.email]]
    assert [m.subject for m in emails] == ['[WiiTs] Please review "Zig-zag kiln"']
    assert f"/advisory-group/reviews/{assignment.pk}/" in emails[0].body


def test_only_staff_assign(submission, adviser_a, other_member, client):
    with pytest.raises(PermissionDenied):
        services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=other_member)
    client.force_login(other_member)
    assert client.get(reverse("advisors:assign", args=[submission.slug])).status_code == 403
    assert (
        client.post(reverse("advisors:assign", args=[submission.slug]), {"adviser": adviser_a.pk}).status_code == 403
    )
    assert not Assignment.objects.exists()


def test_no_assignment_to_the_owners_organisation_or_a_declared_conflict(submission, staff, innovator):
    colleague = AdviserFactory(user__organisation=innovator.organisation)
    conflicted = AdviserFactory()
    AdviserConflict.objects.create(adviser=conflicted, organisation=innovator.organisation, reason="Shareholder")
    for adviser in (colleague, conflicted):
        with pytest.raises(ValidationError):
            services.assignment_create(technology=submission, adviser=adviser, due_date=DUE, by=staff)
    assert not Assignment.objects.exists()


def test_suggestions_rank_expertise_then_workload_and_leave_out_conflicts(submission, staff, innovator):
    expert_busy = AdviserFactory(user__name="Expert Busy", expertise=["agro-food-processing"])
    expert_free = AdviserFactory(user__name="Expert Free", expertise=["agro-food-processing"])
    generalist = AdviserFactory(user__name="Generalist")
    AdviserFactory(user__name="Colleague", user__organisation=innovator.organisation)
    conflicted = AdviserFactory(user__name="Conflicted", expertise=["agro-food-processing"])
    AdviserConflict.objects.create(adviser=conflicted, organisation=innovator.organisation)
    AdviserFactory(user__name="Inactive", is_active=False)
    other = TechnologyFactory(status="submitted")
    services.assignment_create(technology=other, adviser=expert_busy, due_date=DUE, by=staff)
    withdrawn = services.assignment_create(technology=other, adviser=generalist, due_date=DUE, by=staff)
    services.assignment_cancel(assignment=withdrawn, by=staff)  # an unassigned review is no workload
    suggestions = list(selectors.adviser_suggestions(technology=submission))
    assert [adviser.name for adviser in suggestions] == ["Expert Free", "Expert Busy", "Generalist"]
    # Why each ranks where it does (the assignment page shows both): expertise first (the
    # generalist, free, still comes after the busy expert), then the open reviews only.
    assert [(adviser.pk, adviser.is_expert, adviser.open_reviews) for adviser in suggestions] == [
        (expert_free.pk, True, 0),
        (expert_busy.pk, True, 1),
        (generalist.pk, False, 0),
    ]


def test_staff_page_assigns_two_advisers_then_unassigns_one(client, staff, submission, adviser_a, adviser_b, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    client.force_login(staff)
    url = reverse("advisors:assign", args=[submission.slug])
    page = client.get(url).content.decode()
    assert "Ada Adviser" in page and "Bo Reviewer" in page
    for adviser in (adviser_a, adviser_b):
        assert client.post(url, {"adviser": adviser.pk, "due_date": DUE.isoformat()}).status_code == 302
    assert Assignment.objects.filter(technology=submission).count() == 2
    bad = client.post(url, {"adviser": adviser_a.pk, "due_date": "2001-01-01"})
    assert bad.status_code == 400
    assignment = Assignment.objects.get(adviser=adviser_b)
    client.post(reverse("advisors:unassign", args=[assignment.pk]), {"confirmed": "1"})
    assignment.refresh_from_db()
    assert assignment.state == A.CANCELLED
    # Reassigning the same adviser is possible once the first assignment is withdrawn.
    assert client.post(url, {"adviser": adviser_b.pk, "due_date": DUE.isoformat()}).status_code == 302


# --- Declaration and review ---------------------------------------------------------------


def test_adviser_declares_no_conflict_then_reviews(client, submission, adviser_a, staff):
    assignment = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    client.force_login(adviser_a.user)
    page = client.get(assignment.get_absolute_url()).content.decode()
    assert "First, declare any conflict of interest" in page
    assert "Submit my review" not in page
    client.post(reverse("advisors:declare", args=[assignment.pk]), {"declaration": "none"})
    assignment.refresh_from_db()
    assert assignment.state == A.REVIEWING
    page = client.get(assignment.get_absolute_url()).content.decode()
    assert "Innovation and technical maturity (weight 25 %)" in page
    data = {f"score_{c.pk}": "4" for c in Criterion.objects.active()}
    client.post(assignment.get_absolute_url(), {**data, "recommendation": "publish", "save": "1"})
    review = Review.objects.get(assignment=assignment)
    assert review.submitted_at is None and review.scores.count() == 6
    response = client.post(
        assignment.get_absolute_url(),
        {**data, "recommendation": "publish", "comments_for_innovator": "Good.", "submit": "1", "confirmed": "1"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.submitted_at is not None
    assert review.weighted_score == 75  # every criterion 4 of 5
    # Read-only from now on.
    page = client.get(assignment.get_absolute_url()).content.decode()
    assert "My review (submitted)" in page and "Submit my review" not in page
    assert client.post(assignment.get_absolute_url(), {**data, "submit": "1"}).status_code == 403


def test_submitting_an_incomplete_review_says_what_is_missing(client, submission, adviser_a, staff):
    assignment = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    services.assignment_declare(assignment=assignment, by=adviser_a.user, recuse=False)
    client.force_login(adviser_a.user)
    first = Criterion.objects.active().first()
    response = client.post(assignment.get_absolute_url(), {f"score_{first.pk}": "9", "submit": "1"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    response = client.post(assignment.get_absolute_url(), {f"score_{first.pk}": "5", "submit": "1"})
    page = response.content.decode()
    assert "Before submitting, give:" in page and "a recommendation" in page
    assignment.refresh_from_db()
    assert assignment.state == A.REVIEWING


def test_recusal_records_the_conflict_and_emails_staff(
    client, submission, adviser_a, staff, django_capture_on_commit_callbacks, mailoutbox
):
    assignment = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    client.force_login(adviser_a.user)
    missing_reason = client.post(reverse("advisors:declare", args=[assignment.pk]), {"declaration": "recuse"})
    assert missing_reason.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == A.AWAITING_DECLARATION
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("advisors:declare", args=[assignment.pk]),
            {"declaration": "recuse", "reason": "I advised this company last year."},
        )
    assignment.refresh_from_db()
    assert assignment.state == A.RECUSED
    assert AdviserConflict.objects.filter(adviser=adviser_a, organisation=submission.organisation).exists()
    staff_emails = [m for m in mailoutbox if m.to == [staff.email]]
    assert any("recused" in m.subject and "I advised this company last year." in m.body for m in staff_emails)
    assert adviser_a not in selectors.adviser_suggestions(technology=submission)


def test_an_adviser_cannot_open_or_post_someone_elses_review(client, submission, adviser_a, adviser_b, staff):
    assignment = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    for who in (adviser_b.user, submission.owner, UserFactory()):
        client.force_login(who)
        assert client.get(assignment.get_absolute_url()).status_code == 404
        assert client.post(assignment.get_absolute_url(), {"submit": "1"}).status_code == 404
        assert (
            client.post(reverse("advisors:declare", args=[assignment.pk]), {"declaration": "none"}).status_code == 404
        )
    assignment.refresh_from_db()
    assert assignment.state == A.AWAITING_DECLARATION


def test_review_queue_is_for_advisers(client, member, adviser_a):
    client.force_login(member)
    assert client.get(reverse("advisors:review_queue")).status_code == 404
    client.force_login(adviser_a.user)
    assert client.get(reverse("advisors:review_queue")).status_code == 200
    assert Client().get(reverse("advisors:review_queue"))["Location"].startswith(reverse("account_login"))


def test_others_reviews_are_hidden_until_your_own_is_submitted(client, submission, adviser_a, adviser_b, staff):
    first = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    second = services.assignment_create(technology=submission, adviser=adviser_b, due_date=DUE, by=staff)
    submit_review(first, comment="Ada public comment", secret="Ada secret")
    services.assignment_declare(assignment=second, by=adviser_b.user, recuse=False)
    client.force_login(adviser_b.user)
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Ada public comment" not in page and "Ada Adviser" not in page
    submit_review_after_declaration = services.review_save(
        assignment=second, by=adviser_b.user, scores=full_scores(3), recommendation="publish",
        comments_for_innovator="", confidential_comments="", submit=True,
    )  # fmt: skip
    assert submit_review_after_declaration.submitted_at
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Ada public comment" in page and "Ada Adviser" in page


def test_a_submitted_adviser_sees_the_others_submitted_reviews_never_their_drafts(
    client, submission, adviser_a, adviser_b, staff
):
    adviser_c = AdviserFactory(user__name="Cy Drafter")
    first = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    second = services.assignment_create(technology=submission, adviser=adviser_b, due_date=DUE, by=staff)
    third = services.assignment_create(technology=submission, adviser=adviser_c, due_date=DUE, by=staff)
    submit_review(first, comment="Ada public comment")
    services.assignment_declare(assignment=third, by=adviser_c.user, recuse=False)
    draft = services.review_save(
        assignment=third, by=adviser_c.user, scores=full_scores(2), recommendation="reject",
        comments_for_innovator="Cy unfinished draft", confidential_comments="", submit=False,
    )  # fmt: skip
    assert draft.submitted_at is None
    submit_review(second, comment="Bo public comment")
    assert selectors.other_reviews_of_the_round(assignment=second) == [Review.objects.get(assignment=first)]
    client.force_login(adviser_b.user)
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Ada public comment" in page and "Ada Adviser" in page
    assert "Cy unfinished draft" not in page and "Cy Drafter" not in page


def test_weighted_scores_use_the_criteria_in_force_when_submitted(submission, adviser_a, adviser_b, staff):
    first = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    review = submit_review(first, value=5)
    assert review.weighted_score == 100
    # Staff change the criteria afterwards: the submitted review keeps its scores and weights.
    innovation = Criterion.objects.get(name="Innovation and technical maturity")
    innovation.weight, innovation.name = 35, "Innovation"
    innovation.save()
    Criterion.objects.filter(name="Readiness for cooperation and transfer").update(is_active=False)
    review.refresh_from_db()
    assert review.weighted_score == 100
    assert sorted(review.scores.values_list("weight", flat=True)) == [10, 10, 15, 20, 20, 25]
    second = services.assignment_create(technology=submission, adviser=adviser_b, due_date=DUE, by=staff)
    services.assignment_declare(assignment=second, by=adviser_b.user, recuse=False)
    scores = {c.pk: (5 if c.name == "Innovation" else 1) for c in Criterion.objects.active()}
    later = services.review_save(
        assignment=second, by=adviser_b.user, scores=scores, recommendation="publish",
        comments_for_innovator="", confidential_comments="", submit=True,
    )  # fmt: skip
    assert later.weighted_score == 35  # only the innovation criterion, now weighted 35 of 100
    assert review.scores.get(criterion=innovation).criterion_name == "Innovation and technical maturity"


def test_all_reviews_in_emails_staff_once(
    submission, adviser_a, adviser_b, staff, django_capture_on_commit_callbacks, mailoutbox
):
    first = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    second = services.assignment_create(technology=submission, adviser=adviser_b, due_date=DUE, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        submit_review(first)
    assert not [m for m in mailoutbox if "All reviews are in" in m.subject]
    with django_capture_on_commit_callbacks(execute=True):
        submit_review(second)
    all_in = [m for m in mailoutbox if "All reviews are in" in m.subject]
    assert [m.to for m in all_in] == [[staff.email]]
    assert selectors.decision_summary(technology=submission)["all_in"] is True


# --- Decision ----------------------------------------------------------------------------


def test_decision_publishes_as_nag_evaluated_and_tells_the_innovator_without_names(
    client, submission, adviser_a, adviser_b, staff, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    first = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    second = services.assignment_create(technology=submission, adviser=adviser_b, due_date=DUE, by=staff)
    submit_review(first, value=5, comment="Remarkable fuel savings.", secret="Ada confidential note")
    submit_review(second, value=4, comment="Document the maintenance.", secret="Bo confidential note")
    client.force_login(staff)
    page = client.get(reverse("advisors:decide", args=[submission.slug])).content.decode()
    assert "Mean weighted score:" in page and "87.5" in page
    assert "Ada confidential note" in page and "Bo Reviewer" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("advisors:decide", args=[submission.slug]),
            {"decision": "publish_nag", "message": "Congratulations from the WiiTs team.", "confirmed": "1"},
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.nag_evaluated) == (TechnologyStatus.PUBLISHED, True)
    (email,) = [m for m in mailoutbox if m.to == [submission.owner.email] and "Published" in m.subject]
    for text in ("Congratulations from the WiiTs team.", "Remarkable fuel savings.", "Document the maintenance."):
        assert text in email.body
    for secret in ("Ada Adviser", "Bo Reviewer", "confidential note", adviser_a.user.email):
        assert secret not in email.body and secret not in email.alternatives[0][0]
    client.force_login(submission.owner)
    listing = client.get(submission.get_absolute_url()).content.decode()
    assert "Remarkable fuel savings." in listing
    assert "Ada Adviser" not in listing and "confidential note" not in listing
    catalogue = Client().get(reverse("technologies:catalogue"), {"nag": "on"}).content.decode()
    assert "Zig-zag kiln" in catalogue


def test_only_staff_decide_and_changes_need_a_message(client, submission, adviser_a, staff, other_member, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    submit_review(services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff))
    client.force_login(other_member)
    assert client.get(reverse("advisors:decide", args=[submission.slug])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.technology_decide(technology=submission, by=adviser_a.user, decision="publish", message="")
    client.force_login(staff)
    response = client.post(reverse("advisors:decide", args=[submission.slug]), {"decision": "reject", "message": ""})
    assert response.status_code == 400
    assert "Write a message for the owner" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == TechnologyStatus.IN_REVIEW


# --- Reminders and dashboards -------------------------------------------------------------


def test_reminders_go_out_once_each(
    submission, adviser_a, adviser_b, staff, django_capture_on_commit_callbacks, mailoutbox
):
    today = timezone.localdate()
    soon = services.assignment_create(technology=submission, adviser=adviser_a, due_date=today, by=staff)
    late = services.assignment_create(technology=submission, adviser=adviser_b, due_date=today, by=staff)
    Assignment.objects.filter(pk=soon.pk).update(due_date=today + datetime.timedelta(days=2))
    Assignment.objects.filter(pk=late.pk).update(due_date=today - datetime.timedelta(days=1))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reviews_send_reminders(today=today) == {"due_soon": 1, "overdue": 1}
        assert services.reviews_send_reminders(today=today) == {"due_soon": 0, "overdue": 0}
    subjects = sorted(m.subject for m in mailoutbox if "review of" in m.subject)
    assert subjects == [
        '[WiiTs] Your review of "Zig-zag kiln" is due soon',
        '[WiiTs] Your review of "Zig-zag kiln" is overdue',
    ]


def test_dashboards_for_advisers_and_staff(client, submission, adviser_a, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    waiting = TechnologyFactory(status="submitted", title="Waiting dryer", slug="waiting-dryer")
    assignment = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    Assignment.objects.filter(pk=assignment.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    client.force_login(adviser_a.user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "My reviews for the National Advisory Group" in page and "Zig-zag kiln" in page and "overdue" in page
    client.force_login(staff)
    page = client.get(reverse("dashboard")).content.decode()
    assert waiting.title in page
    assert "Overdue reviews" in page and "Ada Adviser" in page


def test_review_queue_queries_do_not_grow_with_assignments(client, adviser_a, staff):
    services.assignment_create(
        technology=TechnologyFactory(status="submitted"), adviser=adviser_a, due_date=DUE, by=staff
    )
    client.force_login(adviser_a.user)
    with_one = count_queries(client, reverse("advisors:review_queue"))
    for _ in range(5):
        services.assignment_create(
            technology=TechnologyFactory(status="submitted"), adviser=adviser_a, due_date=DUE, by=staff
        )
    assert count_queries(client, reverse("advisors:review_queue")) == with_one


def test_decision_page_queries_do_not_grow_with_reviews(client, submission, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    client.force_login(staff)
    submit_review(services.assignment_create(technology=submission, adviser=AdviserFactory(), due_date=DUE, by=staff))
    url = reverse("advisors:decide", args=[submission.slug])
    with_one = count_queries(client, url)
    for _ in range(4):
        submit_review(
            services.assignment_create(technology=submission, adviser=AdviserFactory(), due_date=DUE, by=staff)
        )
    assert count_queries(client, url) == with_one


# --- Review fixes: confidentiality, the listing for reviewers, rounds ---------------------


def test_other_advisers_never_see_confidential_comments(client, submission, adviser_a, adviser_b, staff):
    first = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    second = services.assignment_create(technology=submission, adviser=adviser_b, due_date=DUE, by=staff)
    submit_review(first, comment="Public A", secret="TOPSECRET-A")
    submit_review(second, comment="Public B", secret="TOPSECRET-B")
    client.force_login(adviser_b.user)
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Public A" in page and "TOPSECRET-A" not in page
    assert "TOPSECRET-B" in page  # their own


def test_the_assigned_adviser_reads_the_listing_and_its_files(client, submission, adviser_a, adviser_b, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from technologies.models import TechnologyImage
    from tests.technologies.test_views import png_bytes

    submission.brochure = SimpleUploadedFile("b.pdf", b"%PDF-1.4 confidential")
    submission.description = "Secret **process** details."
    submission.save()
    image = TechnologyImage.objects.create(technology=submission, image=SimpleUploadedFile("a.jpg", png_bytes()))
    assignment = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    urls = [
        reverse("advisors:review_technology", args=[assignment.pk]),
        reverse("advisors:review_image", args=[assignment.pk, image.pk]),
        reverse("advisors:review_brochure", args=[assignment.pk]),
    ]
    client.force_login(adviser_a.user)
    page = client.get(urls[0]).content.decode()
    assert "<strong>process</strong>" in page
    assert client.get(urls[1]).status_code == 200
    assert client.get(urls[2])["Content-Disposition"] == 'attachment; filename="zig-zag-kiln.pdf"'
    for outsider in (adviser_b.user, UserFactory()):
        client.force_login(outsider)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    services.assignment_cancel(assignment=assignment, by=staff)
    client.force_login(adviser_a.user)
    assert client.get(urls[0]).status_code == 404  # unassigned: no longer theirs to read


def test_a_decision_closes_the_round(
    submission, adviser_a, adviser_b, staff, django_capture_on_commit_callbacks, mailoutbox
):
    done = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    late = services.assignment_create(technology=submission, adviser=adviser_b, due_date=DUE, by=staff)
    submit_review(done, comment="First round comment.")
    services.assignment_declare(assignment=late, by=adviser_b.user, recuse=False)
    services.technology_decide(technology=submission, by=staff, decision="request_changes", message="Add data.")
    # The late reviewer can no longer submit, nor is reminded.
    with pytest.raises(PermissionDenied):
        services.review_save(
            assignment=late, by=adviser_b.user, scores=full_scores(), recommendation="publish",
            comments_for_innovator="", confidential_comments="", submit=True,
        )  # fmt: skip
    Assignment.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    assert services.reviews_send_reminders() == {"due_soon": 0, "overdue": 0}
    # The owner resubmits: a new round, the same advisers may be assigned again.
    from technologies import services as technology_services

    technology_services.technology_submit(technology=submission, by=submission.owner)
    again = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    assert selectors.decision_summary(technology=submission)["reviews"] == []
    other = services.assignment_create(technology=submission, adviser=adviser_b, due_date=DUE, by=staff)
    submit_review(again, comment="Second round comment.")
    submit_review(other, comment="")
    with django_capture_on_commit_callbacks(execute=True):
        services.technology_decide(technology=submission, by=staff, decision="publish", message="")
    (email,) = [m for m in mailoutbox if "is now Published" in m.subject]
    assert "Second round comment." in email.body and "First round comment." not in email.body


def test_nag_mark_needs_the_reviews(submission, adviser_a, staff):
    assignment = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    services.assignment_cancel(assignment=assignment, by=staff)
    with pytest.raises(ValidationError, match="needs at least 2 submitted reviews"):
        services.technology_decide(technology=submission, by=staff, decision="publish_nag", message="")
    submission.refresh_from_db()
    assert submission.status == TechnologyStatus.IN_REVIEW


def test_the_last_recusal_completes_the_reviews(
    submission, adviser_a, adviser_b, staff, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.WIITS_REVIEWERS_PER_TECHNOLOGY = 1
    done = services.assignment_create(technology=submission, adviser=adviser_a, due_date=DUE, by=staff)
    pending = services.assignment_create(technology=submission, adviser=adviser_b, due_date=DUE, by=staff)
    submit_review(done)
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_declare(assignment=pending, by=adviser_b.user, recuse=True, reason="Former employer.")
    assert [m for m in mailoutbox if "All reviews are in" in m.subject]


def test_an_adviser_cannot_delete_their_account_but_is_told_why(client, adviser_a, password):
    client.force_login(adviser_a.user)
    client.post(reverse("account_reauthenticate"), {"password": password})
    response = client.post(reverse("accounts:delete"), follow=True)
    assert "Please ask the WiiTs team to close it." in response.content.decode()
    adviser_a.user.refresh_from_db()


def test_a_new_criterion_starts_inactive_and_active_ones_cannot_be_deleted(staff_client):
    response = staff_client.post(
        reverse("admin:advisors_criterion_add"),
        {"name": "Gender equality plan", "weight": "50", "order": "9", "guidance": ""},
    )
    assert response.status_code == 302
    assert Criterion.objects.get(name="Gender equality plan").is_active is False
    assert sum(Criterion.objects.active().values_list("weight", flat=True)) == 100
    active = Criterion.objects.active().first()
    assert (
        staff_client.post(reverse("admin:advisors_criterion_delete", args=[active.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_criteria_weights_are_edited_together_and_must_add_up_to_100(staff_client):
    criteria = list(Criterion.objects.active())
    data = {
        "form-TOTAL_FORMS": str(len(criteria)), "form-INITIAL_FORMS": str(len(criteria)),
        "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000", "_save": "Save",
    }  # fmt: skip
    for index, criterion in enumerate(criteria):
        data.update({
            f"form-{index}-id": str(criterion.pk), f"form-{index}-weight": str(criterion.weight),
            f"form-{index}-is_active": "on", f"form-{index}-order": str(criterion.order),
        })  # fmt: skip
    data["form-0-weight"] = "30"  # 105 in all
    response = staff_client.post(reverse("admin:advisors_criterion_changelist"), data)
    assert "add up to 105, not 100" in response.content.decode()
    assert Criterion.objects.get(pk=criteria[0].pk).weight == 25
    data["form-1-weight"] = "15"  # 30 + 15 + ... = 100
    assert staff_client.post(reverse("admin:advisors_criterion_changelist"), data).status_code == 302
    assert sum(Criterion.objects.active().values_list("weight", flat=True)) == 100
