"""Staff run a call (issue 21): the stages as one table of moves, the reasons and emails of
each move, the results published once, who may move applications, and the admin where
staff do it all (criteria and weights, bulk moves, translations)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from advisors.models import Criterion
from calls import services
from calls.models import Application, ApplicationStatus, ApplicationTransition, Call, CallCriterion, Stage
from tests.factories import AdviserFactory, ApplicationFactory, CallFactory, TechnologyFactory, UserFactory

pytestmark = pytest.mark.django_db

# Results are published after the deadline (services.call_publish_results).
CLOSED = {
    "opens_at": timezone.now() - datetime.timedelta(days=60),
    "closes_at": timezone.now() - datetime.timedelta(days=1),
}

S = ApplicationStatus
REASON = "The technology is not yet deployed outside the laboratory."

ALL_STAGES = [Stage.ELIGIBILITY, Stage.SHORTLIST, Stage.JURY, Stage.RESULTS]
# Where an application in each status may go: the stage table as staff meet it.
EVERY_STAGE_TABLE = {
    S.SUBMITTED: {S.ELIGIBLE, S.INELIGIBLE},
    S.ELIGIBLE: {S.SHORTLISTED, S.NOT_SHORTLISTED},
    S.SHORTLISTED: {S.JURY_REVIEW},
    S.JURY_REVIEW: {S.WINNER, S.FINALIST, S.NOT_SELECTED},
}
# Without an eligibility check or a jury, a submitted application goes to the shortlist
# and a shortlisted one straight to its result.
SHORTLIST_AND_RESULTS_TABLE = {
    S.SUBMITTED: {S.SHORTLISTED, S.NOT_SHORTLISTED},
    S.ELIGIBLE: {S.SHORTLISTED, S.NOT_SHORTLISTED},
    S.SHORTLISTED: {S.WINNER, S.FINALIST, S.NOT_SELECTED},
    S.JURY_REVIEW: {S.WINNER, S.FINALIST, S.NOT_SELECTED},
}


def _table_walk(call, table, staff):
    """Every move from every status, each on a fresh application: allowed moves happen and
    are recorded; refused ones raise and change nothing."""
    wrong = []
    for from_status in S.values:
        for to in S.values:
            application = ApplicationFactory(call=call, status=from_status)
            allowed = to in table.get(from_status, set())
            try:
                services.application_move(application=application, to=to, by=staff, reason=REASON)
            except ValidationError:
                moved = False
            else:
                moved = True
            application.refresh_from_db()
            history = list(application.transitions.values_list("from_status", "to_status"))
            expected = (to, [(from_status, to)]) if allowed else (from_status, [])
            if moved != allowed:
                wrong.append((from_status, to, "moved" if moved else "refused"))
            elif (application.status, history) != expected:
                wrong.append((from_status, to, application.status, history))
    return wrong


def test_every_move_of_a_call_with_every_stage_is_allowed_or_refused_as_the_table_says(staff):
    call = CallFactory(stages=ALL_STAGES)
    assert {status: services.allowed_moves(call, status) for status in S.values} == {
        status: EVERY_STAGE_TABLE.get(status, set()) for status in S.values
    }
    assert _table_walk(call, EVERY_STAGE_TABLE, staff) == []


def test_a_call_with_only_a_shortlist_and_results_skips_the_other_stages(staff):
    call = CallFactory(stages=[Stage.SHORTLIST, Stage.RESULTS])
    assert {status: services.allowed_moves(call, status) for status in S.values} == {
        status: SHORTLIST_AND_RESULTS_TABLE.get(status, set()) for status in S.values
    }
    assert _table_walk(call, SHORTLIST_AND_RESULTS_TABLE, staff) == []


@pytest.mark.parametrize("reason", ["", "   ", "\x00\x1b\n"])
def test_not_eligible_needs_a_reason_and_nothing_changes_without_one(
    staff, reason, django_capture_on_commit_callbacks, mailoutbox
):
    application = ApplicationFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        services.application_move(application=application, to=S.INELIGIBLE, by=staff, reason=reason)
    assert refused.value.code == "reason"
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (S.SUBMITTED, "")
    assert not application.transitions.exists()
    assert mailoutbox == []


def test_not_eligible_with_a_reason_tells_the_applicant_why(staff, django_capture_on_commit_callbacks, mailoutbox):
    application = ApplicationFactory(technology__title="Solar crop dryer", call__title="Clean industry call")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_move(application=application, to=S.INELIGIBLE, by=staff, reason=REASON)
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (S.INELIGIBLE, REASON)
    transition = application.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by, transition.message) == (
        S.SUBMITTED, S.INELIGIBLE, staff, REASON,
    )  # fmt: skip
    (email,) = mailoutbox
    assert email.to == [application.applicant.email]
    assert email.subject == '[WiiTs] Your application to "Clean industry call": Not eligible'
    assert "does not meet the call's eligibility rules" in email.body
    assert "Solar crop dryer" in email.body and REASON in email.body
    html = email.alternatives[0][0]
    assert REASON in html and "Reason given by WiiTs staff:" in html
    link = reverse("calls:application", kwargs={"slug": application.call.slug, "pk": application.pk})
    assert link in email.body and f'{link}"' in html


def test_each_move_emails_the_applicant_but_results_wait_for_their_publication(
    staff, django_capture_on_commit_callbacks, mailoutbox
):
    call = CallFactory(stages=ALL_STAGES, title="Clean industry call", **CLOSED)
    application = ApplicationFactory(call=call)
    expected = {
        S.ELIGIBLE: "has passed the eligibility check",
        S.SHORTLISTED: "is on the shortlist",
        S.JURY_REVIEW: "is now being reviewed by the jury",
    }
    for to, sentence in expected.items():
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.application_move(application=application, to=to, by=staff)
        (email,) = mailoutbox
        assert email.subject == f'[WiiTs] Your application to "Clean industry call": {S(to).label}'
        assert sentence in email.body
        assert "Reason given" not in email.body  # no reason given for this move
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_move(application=application, to=S.WINNER, by=staff, reason="Best on every criterion.")
    assert mailoutbox == []  # the winner learns it with everyone, when staff publish the results

    with django_capture_on_commit_callbacks(execute=True):
        assert services.call_publish_results(call=call, by=staff) == 1
    (email,) = mailoutbox
    assert email.subject == '[WiiTs] Your application to "Clean industry call": Winner'
    assert "Congratulations! Your application with" in email.body and "is a winner of the call" in email.body
    assert "Best on every criterion." in email.body


def test_a_french_applicant_is_emailed_in_french(staff, django_capture_on_commit_callbacks, mailoutbox):
    applicant = UserFactory(name="Awa Ndiaye", preferred_language="fr")
    call = CallFactory(title="Clean industry call", title_i18n_fr="Appel pour une industrie propre")
    application = ApplicationFactory(call=call, technology=TechnologyFactory(owner=applicant), applicant=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_move(application=application, to=S.ELIGIBLE, by=staff)
    (email,) = mailoutbox
    assert "Appel pour une industrie propre" in email.subject and "Clean industry call" not in email.subject
    assert email.body.startswith("Bonjour Awa Ndiaye,")
    assert f"/fr/calls/{call.slug}/applications/{application.pk}/" in email.body
    html = email.alternatives[0][0]
    assert f'/fr/calls/{call.slug}/applications/{application.pk}/"' in html
    assert "Appel pour une industrie propre" in html


def test_results_are_published_once_and_only_when_every_application_has_an_outcome(
    staff, django_capture_on_commit_callbacks, mailoutbox
):
    call = CallFactory(stages=ALL_STAGES, **CLOSED)
    winner = ApplicationFactory(call=call, status=S.JURY_REVIEW)
    finalist = ApplicationFactory(call=call, status=S.JURY_REVIEW)
    rejected = ApplicationFactory(call=call, status=S.INELIGIBLE)  # told at the time; not again
    ApplicationFactory(call=call, status=S.DRAFT)  # never submitted: no outcome to wait for
    services.application_move(application=winner, to=S.WINNER, by=staff)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        services.call_publish_results(call=call, by=staff)
    assert refused.value.code == "pending"
    call.refresh_from_db()
    assert call.results_published_at is None and mailoutbox == []

    services.application_move(application=finalist, to=S.FINALIST, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.call_publish_results(call=call, by=staff) == 2
    call.refresh_from_db()
    assert call.results_published_at is not None
    assert sorted(email.to[0] for email in mailoutbox) == sorted([winner.applicant.email, finalist.applicant.email])
    assert rejected.applicant.email not in [email.to[0] for email in mailoutbox]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as again:
        services.call_publish_results(call=call, by=staff)
    assert again.value.code == "published" and mailoutbox == []


def test_only_staff_with_the_change_permission_move_applications_and_publish_results(staff, member):
    adviser = AdviserFactory().user
    bare_staff = UserFactory(is_staff=True)
    application = ApplicationFactory()
    for user in (member, adviser, bare_staff):
        with pytest.raises(PermissionDenied):
            services.application_move(application=application, to=S.ELIGIBLE, by=user)
        with pytest.raises(PermissionDenied):
            services.call_publish_results(call=application.call, by=user)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and not application.transitions.exists()
    assert application.call.results_published_at is None

    bare_staff.user_permissions.add(Permission.objects.get(codename="change_application"))
    bare_staff = type(bare_staff).objects.get(pk=bare_staff.pk)  # no permission cache
    services.application_move(application=application, to=S.ELIGIBLE, by=bare_staff)
    application.refresh_from_db()
    assert application.status == S.ELIGIBLE


# --- The admin --------------------------------------------------------------------------------


def _call_form(**overrides):
    data = {
        "title": "Industrial internet for the SDGs",
        "slug": "industrial-internet-for-the-sdgs",
        "theme": "Industrial internet and sustainable industrial technology",
        "description": "Solutions that connect factories to save energy and materials.",
        "focus": "",
        "eligibility_rules": "",
        "original_language": "en",
        "opens_at_0": "2030-03-01",
        "opens_at_1": "09:00:00",
        "closes_at_0": "2030-04-30",
        "closes_at_1": "18:00:00",
        "time_zone": "Asia/Shanghai",
        "stakeholder_types": ["innovator", "manufacturer"],
        "stages": ["results", "eligibility", "shortlist"],
        "reviews_per_application": "3",
        "is_published": "on",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def _criteria(*weights):
    data = {"criteria-TOTAL_FORMS": str(len(weights))}
    for index, weight in enumerate(weights):
        data.update(
            {
                f"criteria-{index}-order": str(index),
                f"criteria-{index}-name": f"Criterion {index}",
                f"criteria-{index}-weight": str(weight),
                f"criteria-{index}-guidance": "",
            }
        )
    return data


def _messages(response) -> list[str]:
    """The messages the admin gave this request (follow the redirect when a test posts
    again: the page shown consumes them)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_new_call_starts_with_the_advisory_groups_criteria(staff_client):
    Criterion.objects.create(name="Retired criterion", weight=10, order=99, is_active=False)
    active = list(Criterion.objects.active().values_list("name", "guidance", "weight", "order"))
    assert active and sum(weight for _name, _guidance, weight, _order in active) == 100
    response = staff_client.post(reverse("admin:calls_call_add"), _call_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    call = Call.objects.get(slug="industrial-internet-for-the-sdgs")
    assert list(call.criteria.values_list("name", "guidance", "weight", "order")) == active
    assert call.stages == ["eligibility", "shortlist", "results"]  # in the stages' order
    assert call.stakeholder_types == ["innovator", "manufacturer"]
    assert call.opens_at.isoformat() == "2030-03-01T01:00:00+00:00"  # 09:00 in Shanghai


def test_a_new_call_keeps_the_criteria_staff_enter(staff_client):
    response = staff_client.post(reverse("admin:calls_call_add"), _call_form(**_criteria(40, 25, 20, 10, 5)))
    assert response.status_code == 302
    call = Call.objects.get(slug="industrial-internet-for-the-sdgs")
    assert list(call.criteria.values_list("weight", flat=True)) == [40, 25, 20, 10, 5]


@pytest.mark.parametrize("weights", [(40, 25, 20), (60, 50)])
def test_criteria_whose_weights_do_not_add_up_to_100_are_refused(staff_client, weights):
    response = staff_client.post(reverse("admin:calls_call_add"), _call_form(**_criteria(*weights)))
    assert response.status_code == 200
    total = sum(weights)
    assert (
        f"The weights of the criteria must add up to exactly 100 %; they add up to {total} %."
        in response.content.decode()
    )
    assert not Call.objects.exists() and not CallCriterion.objects.exists()


def test_changing_a_calls_weights_is_checked_too(staff_client):
    call = CallFactory()
    first = CallCriterion.objects.create(call=call, name="Innovation", weight=60, order=1)
    second = CallCriterion.objects.create(call=call, name="Jobs", weight=40, order=2)
    data = _call_form(slug=call.slug, title=call.title, **_criteria(60, 30))
    data.update({"criteria-INITIAL_FORMS": "2", "criteria-0-id": str(first.pk), "criteria-1-id": str(second.pk)})
    data.update({"criteria-0-call": str(call.pk), "criteria-1-call": str(call.pk)})
    response = staff_client.post(reverse("admin:calls_call_change", args=[call.pk]), data)
    assert "they add up to 90 %" in response.content.decode()
    assert list(call.criteria.values_list("weight", flat=True)) == [60, 40]


def test_the_call_change_page_has_translation_tabs_for_the_call_its_criteria_and_questions(staff_client):
    call = CallFactory(original_language="fr", title_i18n_en="Industrial internet")
    CallCriterion.objects.create(call=call, name="Innovation", weight=100)
    call.questions.create(text="How many jobs?", kind="number")
    page = staff_client.get(reverse("admin:calls_call_change", args=[call.pk])).content.decode()
    assert "vendor/jquery-ui/jquery-ui.min.js" in page
    assert "modeltranslation/js/tabbed_translation_fields.js" in page
    for language in ("ar", "en", "es", "fr", "ru", "zh_hans"):
        assert f"mt-field-title_i18n-{language}" in page
        assert f"mt-field-theme_i18n-{language}" in page
    assert 'name="criteria-0-name_i18n_zh_hans"' in page and 'name="questions-0-text_i18n_ar"' in page
    assert 'data-original-label="original: the text above"' in page
    assert 'type="checkbox" name="stages" value="jury"' in page


def test_the_call_list_counts_applications_without_a_query_per_call(staff_client, django_assert_max_num_queries):
    for index in range(3):
        call = CallFactory()
        ApplicationFactory.create_batch(index + 1, call=call)
        ApplicationFactory(call=call, status=S.DRAFT)
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("admin:calls_call_changelist"))
    rows = {call.pk: (call.submitted_count, call.draft_count) for call in response.context["cl"].result_list}
    assert sorted(rows.values()) == [(1, 1), (2, 1), (3, 1)]
    assert "Open" in response.content.decode()


def test_the_admin_moves_applications_in_bulk_with_the_reason_and_says_which_were_refused(
    staff_client, django_capture_on_commit_callbacks, mailoutbox
):
    call = CallFactory()
    first, second = ApplicationFactory.create_batch(2, call=call)
    shortlisted = ApplicationFactory(call=call, status=S.SHORTLISTED, technology__title="Wind blade recycling")
    changelist = reverse("admin:calls_application_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            changelist,
            {"action": "to_ineligible", "reason": REASON, "_selected_action": [first.pk, second.pk, shortlisted.pk]},
        )
    assert response.status_code == 302
    texts = _messages(response)
    assert texts[0] == "2 applications moved to “Not eligible”."
    assert texts[1] == "1 application was not moved to “Not eligible”:"
    assert texts[2].startswith(f"{shortlisted}: An application that is Shortlisted cannot be moved to Not eligible")
    assert list(Application.objects.filter(status=S.INELIGIBLE).order_by("pk")) == [first, second]
    assert set(Application.objects.filter(status=S.INELIGIBLE).values_list("decision_reason", flat=True)) == {REASON}
    shortlisted.refresh_from_db()
    assert shortlisted.status == S.SHORTLISTED
    assert sorted(email.to[0] for email in mailoutbox) == sorted([first.applicant.email, second.applicant.email])


def test_the_admin_refuses_not_eligible_without_a_reason(staff_client):
    application = ApplicationFactory()
    response = staff_client.post(
        reverse("admin:calls_application_changelist"),
        {"action": "to_ineligible", "reason": "", "_selected_action": [application.pk]},
    )
    texts = _messages(response)
    assert texts == [
        "1 application was not moved to “Not eligible”:",
        f"{application}: Say why, for the applicant: the reason is sent to them.",
    ]
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and not ApplicationTransition.objects.exists()


def test_the_admin_publishes_results_and_refuses_a_second_time(
    staff_client, staff, django_capture_on_commit_callbacks, mailoutbox
):
    call = CallFactory(title="Clean industry call", **CLOSED)
    application = ApplicationFactory(call=call, status=S.JURY_REVIEW)
    changelist = reverse("admin:calls_call_changelist")
    response = staff_client.post(changelist, {"action": "publish_results", "_selected_action": [call.pk]}, follow=True)
    texts = _messages(response)
    assert texts == [
        "Clean industry call: Some applications have no outcome yet: move each to an outcome before publishing."
    ]
    services.application_move(application=application, to=S.FINALIST, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            changelist, {"action": "publish_results", "_selected_action": [call.pk]}, follow=True
        )
    texts = _messages(response)
    assert texts == ["Results of “Clean industry call” published: 1 applicant is told their outcome."]
    assert [email.to for email in mailoutbox] == [[application.applicant.email]]
    response = staff_client.post(changelist, {"action": "publish_results", "_selected_action": [call.pk]}, follow=True)
    texts = _messages(response)
    assert texts == ["Clean industry call: The results of this call are already published."]


def test_the_application_page_shows_the_answers_readably_and_the_history(staff_client, staff):
    call = CallFactory()
    jobs = call.questions.create(text="How many jobs will it create?", kind="number", order=1)
    pilot = call.questions.create(text="Has it been piloted?", kind="yes_no", order=2)
    application = ApplicationFactory(call=call, answers={str(jobs.pk): "120", str(pilot.pk): "yes"})
    services.application_move(application=application, to=S.ELIGIBLE, by=staff, reason="All documents present.")
    page = staff_client.get(reverse("admin:calls_application_change", args=[application.pk])).content.decode()
    assert "<dt><strong>How many jobs will it create?</strong></dt><dd>120</dd>" in page
    assert "<dt><strong>Has it been piloted?</strong></dt><dd>Yes</dd>" in page
    assert "All documents present." in page
    # The history is read-only: shown, not editable, no row to add.
    assert 'name="transitions-0-message"' not in page and 'name="transitions-0-to_status"' not in page
    assert "transitions-__prefix__" not in page


def test_the_application_list_searches_and_filters(staff_client):
    wanted = ApplicationFactory(technology__title="Wind blade recycling")
    ApplicationFactory(technology__title="Solar crop dryer")
    changelist = reverse("admin:calls_application_changelist")
    found = staff_client.get(changelist, {"q": "blade"})
    assert list(found.context["cl"].result_list) == [wanted]
    found = staff_client.get(changelist, {"q": wanted.applicant.email})
    assert list(found.context["cl"].result_list) == [wanted]
    found = staff_client.get(changelist, {"call__id__exact": wanted.call.pk, "status__exact": "submitted"})
    assert list(found.context["cl"].result_list) == [wanted]
