"""The jury of a call (issue 21, part 4): assignment by expertise and workload without
conflicts, the declaration first, independent scores against the call's weights, a
ranking that flags disagreement, and feedback without names."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisors.models import AdviserConflict
from calls import jury
from calls.models import Application, ApplicationStatus, Call, CallCriterion, JuryAssignment, JuryState
from common.reference.models import Sector
from tests.factories import AdviserFactory, TechnologyFactory, UserFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    now = timezone.now()
    call = Call.objects.create(
        slug="clean-energy-2027", title="Clean energy 2027", theme="Clean energy generation and storage",
        description="A call.", opens_at=now - datetime.timedelta(days=60), closes_at=now - datetime.timedelta(days=1),
        is_published=True, stages=["eligibility", "shortlist", "jury", "results"], reviews_per_application=2,
    )  # fmt: skip
    for order, (name, weight) in enumerate(
        [("Innovation", 40), ("Sustainability", 25), ("Scalability", 20), ("Jobs", 10), ("Financial involvement", 5)]
    ):
        CallCriterion.objects.create(call=call, name=name, weight=weight, order=order)
    return call


@pytest.fixture
def jurors(call):
    energy = Sector.objects.get(slug="renewable-energy")
    expert = AdviserFactory(user__name="Ada Expert")
    expert.expertise.set([energy])
    busy = AdviserFactory(user__name="Bo Busy")
    busy.expertise.set([energy])
    other = AdviserFactory(user__name="Cy Other")
    call.jury.set([expert, busy, other])
    return expert, busy, other


def _application(call, status=ApplicationStatus.JURY_REVIEW, **technology):
    listing = TechnologyFactory(sector=Sector.objects.get(slug="renewable-energy"), **technology)
    return Application.objects.create(
        call=call, technology=listing, applicant=listing.owner, status=status, submitted_at=timezone.now()
    )


def _scores(call, value: int) -> dict[int, int]:
    return {criterion.pk: value for criterion in call.criteria.all()}


def test_suggestions_put_expertise_first_then_the_lightest_workload_and_leave_out_conflicts(call, jurors, staff):
    expert, busy, other = jurors
    application = _application(call)
    for _n in range(2):
        jury.jury_assign(application=_application(call), adviser=busy, by=staff)
    assert jury.suggested_jurors(application) == [expert, busy, other]
    AdviserConflict.objects.create(adviser=expert, organisation=application.technology.organisation)
    assert jury.suggested_jurors(application) == [busy, other]


def test_staff_assign_only_jurors_of_the_call_to_applications_in_jury_review(call, jurors, staff, member):
    expert, _busy, _other = jurors
    with pytest.raises(ValidationError, match="jury review"):
        jury.jury_assign(application=_application(call, ApplicationStatus.SHORTLISTED), adviser=expert, by=staff)
    application = _application(call)
    with pytest.raises(ValidationError, match="jury"):
        jury.jury_assign(application=application, adviser=AdviserFactory(), by=staff)
    with pytest.raises(PermissionDenied):
        jury.jury_assign(application=application, adviser=expert, by=member)
    jury.jury_assign(application=application, adviser=expert, by=staff)
    with pytest.raises(ValidationError, match="already"):
        jury.jury_assign(application=application, adviser=expert, by=staff)
    assert JuryAssignment.objects.count() == 1


def test_a_juror_is_emailed_in_their_language(call, jurors, staff, django_capture_on_commit_callbacks, mailoutbox):
    expert, _busy, _other = jurors
    expert.user.preferred_language = "fr"
    expert.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = jury.jury_assign(application=_application(call), adviser=expert, by=staff)
    (email,) = mailoutbox
    assert email.to == [expert.user.email] and f"/fr/calls/{call.slug}/jury/{assignment.pk}/" in email.body


def test_declaration_first_then_scores_weighted_by_the_calls_criteria(call, jurors, staff):
    expert, busy, _other = jurors
    application = _application(call)
    assignment = jury.jury_assign(application=application, adviser=expert, by=staff)
    with pytest.raises(PermissionDenied):  # no scores before the declaration
        jury.jury_submit(assignment=assignment, by=expert.user, scores=_scores(call, 5))
    with pytest.raises(PermissionDenied):  # another juror cannot declare for them
        jury.jury_declare(assignment=assignment, by=busy.user, recuse=False)
    jury.jury_declare(assignment=assignment, by=expert.user, recuse=False)
    incomplete = _scores(call, 4)
    incomplete.popitem()
    with pytest.raises(ValidationError, match="Financial involvement"):
        jury.jury_submit(assignment=assignment, by=expert.user, scores=incomplete)
    scores = {criterion.pk: value for criterion, value in zip(call.criteria.all(), [5, 4, 3, 2, 1], strict=True)}
    done = jury.jury_submit(assignment=assignment, by=expert.user, scores=scores, comments="Strong pilot data.")
    # (5·40 + 4·25 + 3·20 + 2·10 + 1·5) / 5 = 77
    assert (done.state, done.weighted_score, done.scores.count()) == (JuryState.SUBMITTED, Decimal("77.0"), 5)
    with pytest.raises(PermissionDenied):  # once
        jury.jury_submit(assignment=assignment, by=expert.user, scores=_scores(call, 1))


def test_recusing_needs_a_reason_and_records_the_conflict(call, jurors, staff):
    expert, _busy, _other = jurors
    application = _application(call)
    assignment = jury.jury_assign(application=application, adviser=expert, by=staff)
    with pytest.raises(ValidationError):
        jury.jury_declare(assignment=assignment, by=expert.user, recuse=True, reason=" ")
    jury.jury_declare(assignment=assignment, by=expert.user, recuse=True, reason="I advised this company.")
    assert AdviserConflict.objects.filter(adviser=expert, organisation=application.technology.organisation).exists()
    assert expert not in jury.suggested_jurors(_application(call, organisation=application.technology.organisation))


def test_the_ranking_orders_by_weighted_mean_and_flags_disagreement(call, jurors, staff):
    expert, busy, other = jurors
    strong, split, waiting = _application(call), _application(call), _application(call)
    for application, pairs in ((strong, [(expert, 5), (busy, 4)]), (split, [(expert, 5), (other, 1)])):
        for adviser, value in pairs:
            assignment = jury.jury_assign(application=application, adviser=adviser, by=staff)
            jury.jury_declare(assignment=assignment, by=adviser.user, recuse=False)
            jury.jury_submit(assignment=assignment, by=adviser.user, scores=_scores(call, value))
    jury.jury_assign(application=waiting, adviser=other, by=staff)
    rows = jury.ranking(call)
    assert [row["application"] for row in rows] == [strong, split, waiting]
    assert (rows[0]["mean"], rows[0]["spread"], rows[0]["disagreement"]) == (Decimal("90.0"), Decimal(20), False)
    assert (rows[1]["mean"], rows[1]["spread"], rows[1]["disagreement"]) == (Decimal("60.0"), Decimal(80), True)
    assert (rows[2]["mean"], rows[2]["submitted"], rows[2]["expected"]) == (None, 0, 1)


def test_a_juror_sees_their_own_assignment_only_never_another_jurors_scores(client, call, jurors, staff):
    expert, busy, _other = jurors
    application = _application(call)
    mine = jury.jury_assign(application=application, adviser=expert, by=staff)
    theirs = jury.jury_assign(application=application, adviser=busy, by=staff)
    jury.jury_declare(assignment=theirs, by=busy.user, recuse=False)
    jury.jury_submit(assignment=theirs, by=busy.user, scores=_scores(call, 2), comments="Too early.")
    client.force_login(expert.user)
    assert client.get(reverse("calls:jury_score", args=[call.slug, theirs.pk])).status_code == 404
    page = client.get(reverse("calls:jury_score", args=[call.slug, mine.pk])).content.decode()
    assert "Conflict of interest" in page and "Too early." not in page
    response = client.post(reverse("calls:jury_score", args=[call.slug, mine.pk]), {"declaration": "none"})
    assert response.status_code == 302
    page = client.get(reverse("calls:jury_score", args=[call.slug, mine.pk])).content.decode()
    assert "Too early." not in page and "40 %" in page and 'name="score_' in page
    bad = client.post(reverse("calls:jury_score", args=[call.slug, mine.pk]), {"score_1": "9", "comments": "x"})
    assert bad.status_code == 400 and JuryAssignment.objects.get(pk=mine.pk).state == JuryState.SCORING
    form = {f"score_{pk}": "4" for pk in call.criteria.values_list("pk", flat=True)} | {"comments": "Good."}
    assert client.post(reverse("calls:jury_score", args=[call.slug, mine.pk]), form).status_code == 302
    assert JuryAssignment.objects.get(pk=mine.pk).weighted_score == Decimal("80.0")


def test_the_ranking_page_and_its_downloads_are_for_staff_only(staff_client, call, jurors, member):
    expert, _busy, _other = jurors
    client = Client()  # staff_client is pytest-django's `client`, signed in as staff
    application = _application(call, title="=HYPERLINK(evil)")
    url, csv_url = reverse("calls:ranking", args=[call.slug]), reverse("calls:ranking_csv", args=[call.slug])
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(member)
    xlsx_url = reverse("calls:ranking_xlsx", args=[call.slug])
    assert {client.get(address).status_code for address in (url, csv_url, xlsx_url)} == {404}
    client.force_login(expert.user)
    assert client.get(url).status_code == 404  # a juror does not see the ranking
    assert "=HYPERLINK(evil)" in staff_client.get(url).content.decode()
    assert staff_client.post(url).status_code == 302  # assigns the suggested jurors
    assert application.jury_assignments.count() == call.reviews_per_application
    rows = list(csv.reader(io.StringIO(staff_client.get(csv_url).content.decode("utf-8-sig"))))
    assert rows[1][1] == "'=HYPERLINK(evil)"  # never run as a formula
    download = staff_client.get(xlsx_url)
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert f'filename="wiits-call-{call.slug}-ranking-' in download["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0][:2] == ("Rank", "Technology") and cells[1][0] == 1
    title = sheet.cell(row=2, column=2)
    assert title.value == "=HYPERLINK(evil)" and title.data_type == "s"  # text, never a formula
    assert len(cells) == len(rows)  # the same rows as the CSV


def test_the_ranking_page_makes_the_same_queries_with_1_or_500_applications(staff_client, call, jurors):
    _application(call)
    url = reverse("calls:ranking", args=[call.slug])
    with_one = count_queries(staff_client, url)
    owner = UserFactory()
    listings = TechnologyFactory.create_batch(499, owner=owner)
    Application.objects.bulk_create(
        Application(call=call, technology=listing, applicant=owner, status=ApplicationStatus.JURY_REVIEW)
        for listing in listings
    )
    assert count_queries(staff_client, url) == with_one


def test_feedback_for_the_applicant_has_no_names(call, jurors, staff):
    expert, _busy, _other = jurors
    application = _application(call)
    assignment = jury.jury_assign(application=application, adviser=expert, by=staff)
    jury.jury_declare(assignment=assignment, by=expert.user, recuse=False)
    jury.jury_submit(
        assignment=assignment, by=expert.user, scores=_scores(call, 3), comments="Scale the pilot.", confidential="Hm."
    )
    assert jury.feedback_for(application) == ["Scale the pilot."]


def test_a_technology_page_names_its_awards_once_results_are_published(client, call):
    winner = _application(call, status=ApplicationStatus.WINNER, slug="winning-dryer")
    page = client.get(winner.technology.get_absolute_url()).content.decode()
    assert "Clean energy 2027" not in page  # results not published yet
    Call.objects.filter(pk=call.pk).update(results_published_at=timezone.now())
    page = client.get(winner.technology.get_absolute_url()).content.decode()
    assert "Winner</span>" in page and f'href="{call.get_absolute_url()}">Clean energy 2027</a>' in page


def test_the_results_email_carries_the_jurys_comments_without_names(
    call, jurors, staff, django_capture_on_commit_callbacks, mailoutbox
):
    from calls import services

    expert, _busy, _other = jurors
    application = _application(call)
    assignment = jury.jury_assign(application=application, adviser=expert, by=staff)
    jury.jury_declare(assignment=assignment, by=expert.user, recuse=False)
    jury.jury_submit(
        assignment=assignment, by=expert.user, scores=_scores(call, 3), comments="Scale the pilot.", confidential="Hm."
    )
    services.application_move(application=application, to=ApplicationStatus.NOT_SELECTED, by=staff)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.call_publish_results(call=call, by=staff)
    (email,) = [message for message in mailoutbox if application.applicant.email in message.to]
    assert "Scale the pilot." in email.body and "Hm." not in email.body and expert.name not in email.body


def test_a_jurors_dashboard_lists_what_waits_for_them(client, call, jurors, staff):
    expert, _busy, _other = jurors
    assignment = jury.jury_assign(
        application=_application(call, title="Wind blade recycling"), adviser=expert, by=staff
    )
    client.force_login(expert.user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Applications to score for a call&#x27;s jury" in page or "Applications to score for a call's jury" in page
    assert assignment.get_absolute_url() in page and "Wind blade recycling" in page
    jury.jury_declare(assignment=assignment, by=expert.user, recuse=True, reason="My former employer.")
    assert assignment.get_absolute_url() not in client.get(reverse("dashboard")).content.decode()


def test_results_wait_for_the_deadline(staff):
    from calls import services

    now = timezone.now()
    still_open = Call.objects.create(
        slug="still-open", title="Still open", theme="t", description="d", is_published=True,
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=1),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="still open"):
        services.call_publish_results(call=still_open, by=staff)
    assert Call.objects.get(pk=still_open.pk).results_published_at is None


# --- Found by a review of the calls app (each failed before its fix) --------------------------


def test_a_juror_page_refuses_bad_scores_and_a_missing_declaration_without_a_500(client, call, jurors, staff):
    expert, _busy, _other = jurors
    assignment = jury.jury_assign(application=_application(call), adviser=expert, by=staff)
    url = reverse("calls:jury_score", args=[call.slug, assignment.pk])
    client.force_login(expert.user)
    assert client.post(url, {}).status_code == 400  # no answer is not "no conflict"
    assert JuryAssignment.objects.get(pk=assignment.pk).state == JuryState.AWAITING_DECLARATION
    client.post(url, {"declaration": "none"})
    pk = call.criteria.first().pk
    for bad in ("²", "9" * 5000, "0", "-1"):
        assert client.post(url, {f"score_{pk}": bad}).status_code == 400
    assert JuryAssignment.objects.get(pk=assignment.pk).state == JuryState.SCORING


def test_suggestions_without_an_organisation_keep_jurors_without_conflicts(call, jurors, staff):
    expert, busy, other = jurors
    AdviserConflict.objects.create(adviser=other, organisation=TechnologyFactory().organisation)
    application = _application(call, organisation=None)
    assert set(jury.suggested_jurors(application)) == {expert, busy, other}


def test_a_juror_never_scores_their_own_application(call, jurors, staff):
    expert, _busy, _other = jurors
    own = _application(call, owner=expert.user)
    assert expert not in jury.suggested_jurors(own)
    with pytest.raises(ValidationError, match="own application"):
        jury.jury_assign(application=own, adviser=expert, by=staff)


def test_a_juror_removed_from_the_jury_can_no_longer_read_or_score(client, call, jurors, staff):
    expert, _busy, _other = jurors
    assignment = jury.jury_assign(application=_application(call), adviser=expert, by=staff)
    jury.jury_declare(assignment=assignment, by=expert.user, recuse=False)
    call.jury.remove(expert)
    client.force_login(expert.user)
    assert client.get(reverse("calls:jury_score", args=[call.slug, assignment.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        jury.jury_submit(assignment=assignment, by=expert.user, scores=_scores(call, 4))


def test_no_scores_once_the_application_has_left_the_jury(call, jurors, staff):
    from calls import services

    expert, _busy, _other = jurors
    application = _application(call)
    assignment = jury.jury_assign(application=application, adviser=expert, by=staff)
    jury.jury_declare(assignment=assignment, by=expert.user, recuse=False)
    services.application_move(application=application, to=ApplicationStatus.WINNER, by=staff)
    with pytest.raises(PermissionDenied):
        jury.jury_submit(assignment=assignment, by=expert.user, scores=_scores(call, 4))


def test_an_outcomes_reason_is_not_shown_before_the_results(client, call, staff):
    from calls import services

    application = _application(call)
    services.application_move(
        application=application, to=ApplicationStatus.NOT_SELECTED, by=staff, reason="Weak business case"
    )
    application.refresh_from_db()
    assert application.decision_reason == ""
    client.force_login(application.applicant)
    assert "Weak business case" not in client.get(application.get_absolute_url()).content.decode()


def test_staff_without_the_permission_do_not_read_applications(client, call):
    from tests.factories import StaffFactory

    application = _application(call)
    clerk = StaffFactory(is_superuser=False)  # staff, without calls' permissions
    client.force_login(clerk)
    from django.test import override_settings

    with override_settings(WIITS_STAFF_REQUIRE_MFA=False):
        assert client.get(application.get_absolute_url()).status_code == 404


def test_every_call_ends_with_its_results_whatever_stages_it_lists(call, staff):
    from calls import services

    Call.objects.filter(pk=call.pk).update(stages=["eligibility", "shortlist", "jury"])
    call.refresh_from_db()
    assert services.allowed_moves(call, ApplicationStatus.JURY_REVIEW) == {
        ApplicationStatus.WINNER, ApplicationStatus.FINALIST, ApplicationStatus.NOT_SELECTED,
    }  # fmt: skip
    Call.objects.filter(pk=call.pk).update(stages=[])
    call.refresh_from_db()
    assert ApplicationStatus.WINNER in services.allowed_moves(call, ApplicationStatus.SUBMITTED)


def test_assigning_suggested_jurors_twice_assigns_once(call, jurors, staff):
    _application(call)
    made, refused = jury.jury_assign_suggested(call=call, by=staff)
    again, _refused = jury.jury_assign_suggested(call=call, by=staff)
    assert (made, refused, again) == (2, [], 0)


def test_a_juror_is_reminded_once_a_week_after_being_asked_in_their_language(
    call, jurors, staff, django_capture_on_commit_callbacks, mailoutbox
):
    from calls import tasks

    expert, busy, _other = jurors
    expert.user.preferred_language = "es"
    expert.user.save()
    application = _application(call, title="Wind blade recycling")
    waiting = jury.jury_assign(application=application, adviser=expert, by=staff)
    done = jury.jury_assign(application=application, adviser=busy, by=staff)
    jury.jury_declare(assignment=done, by=busy.user, recuse=False)
    jury.jury_submit(assignment=done, by=busy.user, scores=_scores(call, 3))
    mailoutbox.clear()
    later = waiting.assigned_at + datetime.timedelta(days=7, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert jury.jury_send_reminders(now=later - datetime.timedelta(days=1)) == 0  # not a week yet
        assert jury.jury_send_reminders(now=later) == 1  # the one still waiting, not the one who scored
        assert jury.jury_send_reminders(now=later + datetime.timedelta(days=3)) == 0  # once
    # (the assignments' own emails go out with the first callbacks run here)
    to_expert = [message for message in mailoutbox if message.to == [expert.user.email]]
    assert len(to_expert) == 2 and "«Wind blade recycling»" in to_expert[1].subject  # the reminder, in Spanish
    assert f"/es/calls/{call.slug}/jury/{waiting.pk}/" in to_expert[1].body
    assert [message.to for message in mailoutbox].count([busy.user.email]) == 1  # asked, never reminded
    assert tasks.remind_jurors.name == "calls.tasks.remind_jurors"
