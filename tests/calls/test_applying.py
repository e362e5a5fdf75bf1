"""Applying to a call (issue 21): the apply page, drafts, submission against the call's
rules and deadline, hostile answers, who sees what, reminders and the dashboard."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from calls import services
from calls.models import Application, ApplicationStatus, CallQuestion
from tests.factories import CallFactory, TechnologyFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def call():
    call = CallFactory(title="Clean cooling challenge", slug="clean-cooling")
    CallQuestion.objects.create(call=call, order=1, kind="text", text="What problem does it solve?")
    CallQuestion.objects.create(
        call=call, order=2, kind="choice", text="Stage of the project", choices="Pilot\nScale-up"
    )
    CallQuestion.objects.create(call=call, order=3, kind="yes_no", text="Is it patented?")
    CallQuestion.objects.create(call=call, order=4, kind="number", text="Tonnes of CO2 saved a year", required=False)
    return call


def q(call, kind) -> str:
    return f"q{call.questions.get(kind=kind).pk}"


def complete_answers(call) -> dict:
    return {
        q(call, "text"): "Food spoils on the way to market.",
        q(call, "choice"): "Pilot",
        q(call, "yes_no"): "yes",
        q(call, "number"): "120",
    }


def keyed(call, answers: dict) -> dict:
    """Form answers ({"q<pk>": value}) as the service stores them ({"<pk>": value})."""
    return {key[1:]: value for key, value in answers.items()}


@pytest.fixture
def applicant_client(client, innovator):
    client.force_login(innovator)
    return client


def draft_of(call, technology, answers=None) -> Application:
    return Application.objects.create(
        call=call, technology=technology, applicant=technology.owner, answers=keyed(call, answers or {})
    )


def at(moment):
    """Pin the server's clock (as tests/test_permissions_rules.py does)."""
    return lambda: moment


# --- Apply and submit ------------------------------------------------------------------------


def test_apply_then_submit_emails_a_copy_in_the_applicants_language(
    applicant_client, innovator, published, call, django_capture_on_commit_callbacks, mailoutbox
):
    page = applicant_client.get(reverse("calls:apply", args=[call.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("What problem does it solve?", "Stage of the project", "Is it patented?", published.title):
        assert text in html
    assert 'maxlength="5000"' in html

    response = applicant_client.post(
        reverse("calls:apply", args=[call.slug]), {"technology": published.pk, **complete_answers(call)}
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert (application.status, application.applicant, application.technology) == ("draft", innovator, published)
    assert application.answers == keyed(call, complete_answers(call))

    page = applicant_client.get(application.get_absolute_url())
    assert "Nothing is missing: the application can be submitted." in page.content.decode()

    # The email goes in the applicant's preferred language, whatever the page's.
    innovator.preferred_language = "fr"
    innovator.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(reverse("calls:submit", args=[call.slug, application.pk]))
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    assert list(application.transitions.values_list("from_status", "to_status", "by")) == [
        ("draft", "submitted", innovator.pk)
    ]
    (email,) = mailoutbox
    assert email.to == [innovator.email]
    assert email.subject == "[WiiTs] Nous avons bien reçu votre candidature à « Clean cooling challenge »"
    html_part = email.alternatives[0][0]
    assert '<html lang="fr"' in html_part  # rendered in the applicant's language
    for text in (published.title, "What problem does it solve?", "Food spoils on the way to market.", "Pilot", "120"):
        assert text in email.body
        assert text in html_part
    # The questions in the call's order, each with its answer.
    body = email.body
    assert body.index("What problem does it solve?") < body.index("Stage of the project") < body.index("Tonnes")


def test_a_draft_is_saved_incomplete_and_edited(applicant_client, published, call):
    answers = {q(call, "text"): "First thoughts"}
    applicant_client.post(reverse("calls:apply", args=[call.slug]), {"technology": published.pk, **answers})
    application = Application.objects.get()
    assert application.answers == keyed(call, answers)
    page = applicant_client.get(application.get_absolute_url()).content.decode()
    assert "Question “Stage of the project”: An answer is required." in page
    assert "Question “Is it patented?”: An answer is required." in page
    assert "Tonnes of CO2" not in page.split("Before it can be submitted")[1].split("Answers")[0]  # optional

    edited = {q(call, "text"): "Better thoughts", q(call, "choice"): "Scale-up"}
    response = applicant_client.post(application.get_absolute_url(), edited)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.answers == keyed(call, edited)
    assert application.status == "draft"


def test_apply_without_a_technology_points_to_listing_one(client, member, call):
    client.force_login(member)
    page = client.get(reverse("calls:apply", args=[call.slug])).content.decode()
    assert "you have not listed one yet" in page
    assert reverse("technologies:create") in page


def test_a_listing_started_from_the_call_comes_back_to_it_chosen(client, member, call):
    from tests.technologies.test_views import form_data

    client.force_login(member)
    apply_url = reverse("calls:apply", args=[call.slug])
    page = client.get(apply_url).content.decode()
    create_url = f"{reverse('technologies:create')}?return_to=%2Fcalls%2F{call.slug}%2Fapply%2F"
    assert f'href="{create_url}"' in page.replace("&amp;", "&")
    form = client.get(create_url).content.decode()
    assert f'name="return_to" value="{apply_url}"' in form
    response = client.post(
        reverse("technologies:create"), {**form_data(title="Solar cold room"), "return_to": apply_url}
    )
    listing = member.technologies.get()
    assert response.status_code == 302 and response["Location"] == f"{apply_url}?technology={listing.pk}"
    back = client.get(response["Location"]).content.decode()
    assert f'<option value="{listing.pk}" selected>Solar cold room</option>' in back
    assert "You can now use it here." in back
    # A member with listings is offered the same path below the form.
    assert "List it first, then come back here" in back


@pytest.mark.parametrize(
    "target", ["https://evil.example/calls/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]
)
def test_a_listing_started_elsewhere_never_returns_to_another_site(client, member, target):
    from tests.technologies.test_views import form_data

    client.force_login(member)
    response = client.post(reverse("technologies:create"), {**form_data(title="Cold room"), "return_to": target})
    assert response["Location"] == member.technologies.get().get_absolute_url()
    assert 'name="return_to"' not in client.get(reverse("technologies:create"), {"return_to": target}).content.decode()


def test_only_the_members_own_technologies_are_offered(applicant_client, published, call):
    someone_elses = TechnologyFactory(title="Not yours")
    page = applicant_client.get(reverse("calls:apply", args=[call.slug])).content.decode()
    assert "Not yours" not in page
    response = applicant_client.post(
        reverse("calls:apply", args=[call.slug]), {"technology": someone_elses.pk, **complete_answers(call)}
    )
    assert response.status_code == 400
    assert "Choose one of your own technologies." in response.content.decode()
    assert not Application.objects.exists()


# --- Submission refused ----------------------------------------------------------------------


def assert_refused(response, application, problems):
    html = response.content.decode()
    assert response.status_code == 400
    for problem in problems:
        assert problem in html
    before = application.answers
    application.refresh_from_db()
    assert (application.status, application.submitted_at, application.answers) == ("draft", None, before)
    assert not application.transitions.exists()


def test_submit_lists_every_unanswered_question(applicant_client, published, call, mailoutbox):
    application = draft_of(call, published, {q(call, "number"): "3"})
    response = applicant_client.post(reverse("calls:submit", args=[call.slug, application.pk]))
    assert_refused(
        response,
        application,
        [
            "Question “What problem does it solve?”: An answer is required.",
            "Question “Stage of the project”: An answer is required.",
            "Question “Is it patented?”: An answer is required.",
        ],
    )
    assert "Tonnes of CO2 saved a year”: An answer" not in response.content.decode()
    assert mailoutbox == []


def test_submit_asks_to_complete_the_listing_first(applicant_client, innovator, call):
    listing = TechnologyFactory(owner=innovator, status="draft", summary="", advantages="")
    application = draft_of(call, listing, complete_answers(call))
    response = applicant_client.post(reverse("calls:submit", args=[call.slug, application.pk]))
    assert_refused(
        response,
        application,
        ["Complete your listing first: non-confidential summary, advantages over existing solutions."],
    )


def test_submit_refuses_who_the_call_is_not_open_to(applicant_client, published, call):
    call.stakeholder_types = ["manufacturer"]
    call.countries = ["CN", "IN"]
    call.save()
    application = draft_of(call, published, complete_answers(call))
    response = applicant_client.post(reverse("calls:submit", args=[call.slug, application.pk]))
    assert_refused(
        response,
        application,
        ["This call is open to: Industrial manufacturer.", "This call is not open to applicants from your country."],
    )


def test_a_second_application_with_the_same_technology_is_refused(applicant_client, published, call):
    first = draft_of(call, published, {q(call, "text"): "Original"})
    response = applicant_client.post(
        reverse("calls:apply", args=[call.slug]), {"technology": published.pk, **complete_answers(call)}
    )
    assert response.status_code == 400
    assert "already has an application to this call" in response.content.decode()
    assert list(Application.objects.values_list("pk", "answers")) == [
        (first.pk, keyed(call, {q(call, "text"): "Original"}))
    ]


def test_the_service_refuses_a_duplicate_from_another_applicant(call, published, other_member):
    # The listing changed hands: its former owner's application stays the only one.
    draft_of(call, published)
    published.owner = other_member
    published.save(update_fields=["owner"])
    with pytest.raises(services.ValidationError, match="already has an application"):
        services.application_save(call=call, technology=published, applicant=other_member, answers={})
    assert Application.objects.count() == 1


# --- The deadline, across time zones ---------------------------------------------------------


@pytest.fixture
def shanghai_call():
    call = CallFactory(
        slug="shanghai-2027",
        time_zone="Asia/Shanghai",
        opens_at=datetime.datetime(2027, 1, 1, 9, 0, tzinfo=SHANGHAI),
        closes_at=datetime.datetime(2027, 3, 31, 23, 59, tzinfo=SHANGHAI),
    )
    CallQuestion.objects.create(call=call, kind="text", text="What problem does it solve?")
    return call


def test_the_deadline_is_the_servers_clock_in_the_calls_zone(
    client, innovator, shanghai_call, monkeypatch, django_capture_on_commit_callbacks
):
    assert shanghai_call.closes_at == datetime.datetime(2027, 3, 31, 15, 59, tzinfo=UTC)
    # The applicant's browser is in UTC-8 (07:58 on 31 March there): nothing the server reads.
    answer = {q(shanghai_call, "text"): "Cold chains"}
    on_time = draft_of(shanghai_call, TechnologyFactory(owner=innovator), answer)
    late = draft_of(shanghai_call, TechnologyFactory(owner=innovator), answer)

    monkeypatch.setattr(timezone, "now", at(datetime.datetime(2027, 3, 31, 15, 58, 59, tzinfo=UTC)))
    client.force_login(innovator)  # a session of that day
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calls:submit", args=[shanghai_call.slug, on_time.pk]))
    assert response.status_code == 302
    on_time.refresh_from_db()
    assert on_time.status == "submitted"

    for moment in (datetime.datetime(2027, 3, 31, 15, 59, tzinfo=UTC), datetime.datetime(2027, 3, 31, 16, tzinfo=UTC)):
        monkeypatch.setattr(timezone, "now", at(moment))
        client.force_login(innovator)
        response = client.post(reverse("calls:submit", args=[shanghai_call.slug, late.pk]))
        assert_refused(response, late, ["The call is closed: the deadline has passed."])
        html = response.content.decode()
        assert "This call closed on March 31, 2027, 11:59 p.m. (Asia/Shanghai)." in html
        # Saving is refused too, on the application page and on the apply page.
        response = client.post(late.get_absolute_url(), {q(shanghai_call, "text"): "Changed too late"})
        assert response.status_code == 400
        assert "The call is closed: no change is accepted." in response.content.decode()
        response = client.post(
            reverse("calls:apply", args=[shanghai_call.slug]),
            {"technology": TechnologyFactory(owner=innovator).pk, q(shanghai_call, "text"): "New"},
        )
        assert response.status_code == 400
        assert "No application or change is accepted." in response.content.decode()
        late.refresh_from_db()
        assert late.answers == keyed(shanghai_call, answer)
        assert Application.objects.count() == 2

    page = client.get(late.get_absolute_url()).content.decode()
    assert "This call closed on March 31, 2027, 11:59 p.m. (Asia/Shanghai)." in page
    assert "Submit my application" not in page
    assert 'name="q' not in page  # no form to edit


def test_the_service_refuses_a_draft_saved_after_the_deadline(shanghai_call, innovator, monkeypatch):
    technology = TechnologyFactory(owner=innovator)
    monkeypatch.setattr(timezone, "now", at(datetime.datetime(2027, 3, 31, 16, tzinfo=UTC)))
    with pytest.raises(services.ValidationError, match="not open for applications"):
        services.application_save(call=shanghai_call, technology=technology, applicant=innovator, answers={})
    assert not Application.objects.exists()


# --- Hostile input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "error"),
    [
        ("text", "x" * 10_000, "Ensure this value has at most 5000 characters (it has 10000)."),
        ("text", "before\x00after", "Null characters are not allowed."),
        ("choice", "Something else", "Select a valid choice. Something else is not one of the available choices."),
        ("choice", "<script>alert(1)</script>", "is not one of the available choices."),
        ("yes_no", "maybe", "Select a valid choice. maybe is not one of the available choices."),
        ("number", "NaN", "Enter a number."),
        ("number", "1e309", "Enter a number."),
        ("number", "-Infinity", "Enter a number."),
        ("number", "twelve", "Enter a number."),
    ],
)
def test_hostile_answers_are_refused_clearly_and_nothing_is_written(
    applicant_client, published, call, kind, value, error
):
    answers = {**complete_answers(call), q(call, kind): value}
    url = reverse("calls:apply", args=[call.slug])
    response = applicant_client.post(url, {"technology": published.pk, **answers})
    html = response.content.decode()
    assert response.status_code == 400
    assert error in html.replace("&quot;", '"')
    assert f'id="id_{q(call, kind)}_error"' in html
    assert "<script>alert(1)</script>" not in html
    assert not Application.objects.exists()
    # The same on an existing draft: refused, the stored answers unchanged.
    application = draft_of(call, published, complete_answers(call))
    response = applicant_client.post(application.get_absolute_url(), answers)
    assert response.status_code == 400
    assert error in response.content.decode().replace("&quot;", '"')
    application.refresh_from_db()
    assert application.answers == keyed(call, complete_answers(call))


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("text", "<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("text", "safe\u202etxt.exe\u2066", "safetxt.exe"),
        ("text", "  padded \x07bell  ", "padded bell"),
        ("number", "1,5", "1,5"),
    ],
)
def test_answers_are_cleaned_stored_and_escaped(applicant_client, published, call, kind, value, stored):
    answers = {**complete_answers(call), q(call, kind): value}
    response = applicant_client.post(reverse("calls:apply", args=[call.slug]), {"technology": published.pk, **answers})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.answers[q(call, kind)[1:]] == stored
    application.status = "submitted"  # the read-only page shows the answers as text
    application.save(update_fields=["status"])
    html = applicant_client.get(application.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    if "<script>" in stored:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_malformed_post_is_never_a_server_error(applicant_client, published, call):
    url = reverse("calls:apply", args=[call.slug])
    # Two values, neither the member's own listing (the last of a repeated field is read).
    others = [str(published.pk + 1000), str(published.pk + 1001)]
    for data in ({}, {"technology": "abc"}, {"technology": "99999999999999999999"}, {"technology": others}):
        assert applicant_client.post(url, data).status_code == 400
    application = draft_of(call, published)
    assert applicant_client.post(application.get_absolute_url(), {"q0": "x", "junk": "y"}).status_code == 302
    application.refresh_from_db()
    assert application.answers == {}
    missing = reverse("calls:application", args=[call.slug, 999999])
    assert applicant_client.get(missing).status_code == 404
    assert applicant_client.get(reverse("calls:apply", args=["no-such-call"])).status_code == 404


# --- Who may see and do what -----------------------------------------------------------------


def test_the_anonymous_are_sent_to_sign_in(client, published, call):
    application = draft_of(call, published)
    urls = [
        reverse("calls:apply", args=[call.slug]),
        application.get_absolute_url(),
        reverse("calls:submit", args=[call.slug, application.pk]),
    ]
    for url in urls:
        response = client.post(url) if url.endswith("submit/") else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_an_outsider_gets_404_on_someone_elses_application(client, other_member, published, call):
    application = draft_of(call, published, complete_answers(call))
    client.force_login(other_member)
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.post(application.get_absolute_url(), {q(call, "text"): "Hijacked"}).status_code == 404
    assert client.post(reverse("calls:submit", args=[call.slug, application.pk])).status_code == 404
    # Under another call's address, even its applicant gets 404.
    other_call = CallFactory()
    client.force_login(published.owner)
    assert client.get(reverse("calls:application", args=[other_call.slug, application.pk])).status_code == 404
    application.refresh_from_db()
    assert (application.status, application.answers) == ("draft", keyed(call, complete_answers(call)))


def test_staff_view_but_do_not_change_an_application(staff_client, published, call):
    application = draft_of(call, published, complete_answers(call))
    page = staff_client.get(application.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Food spoils on the way to market." in html
    assert published.owner.name in html
    assert "Submit my application" not in html and 'name="q' not in html
    assert staff_client.post(application.get_absolute_url(), {q(call, "text"): "Staff edit"}).status_code == 403
    assert staff_client.post(reverse("calls:submit", args=[call.slug, application.pk])).status_code == 403
    application.refresh_from_db()
    assert (application.status, application.answers) == ("draft", keyed(call, complete_answers(call)))


def test_submit_is_post_only_and_submitted_applications_are_read_only(applicant_client, published, call):
    application = draft_of(call, published, complete_answers(call))
    assert applicant_client.get(reverse("calls:submit", args=[call.slug, application.pk])).status_code == 405
    application.status = "submitted"
    application.save(update_fields=["status"])
    response = applicant_client.post(application.get_absolute_url(), {q(call, "text"): "Changed"})
    assert response.status_code == 400
    assert "it can no longer be changed" in response.content.decode()
    response = applicant_client.post(reverse("calls:submit", args=[call.slug, application.pk]))
    assert response.status_code == 400
    assert "already been submitted" in response.content.decode()
    application.refresh_from_db()
    assert application.answers == keyed(call, complete_answers(call))


def test_an_outcome_is_not_shown_to_the_applicant_before_results_are_published(applicant_client, published, call):
    application = draft_of(call, published)
    application.status = "winner"
    application.save(update_fields=["status"])
    html = applicant_client.get(application.get_absolute_url()).content.decode()
    assert "In jury review" in html and "Winner" not in html
    call.results_published_at = timezone.now()
    call.save(update_fields=["results_published_at"])
    assert "Winner" in applicant_client.get(application.get_absolute_url()).content.decode()


# --- Reminders -------------------------------------------------------------------------------


def test_drafts_are_reminded_once_7_days_and_once_1_day_before(
    call, published, innovator, django_capture_on_commit_callbacks, mailoutbox
):
    innovator.preferred_language = "es"
    innovator.save(update_fields=["preferred_language"])
    draft = draft_of(call, published)
    submitted = draft_of(call, TechnologyFactory())
    submitted.status = "submitted"
    submitted.save(update_fields=["status"])
    deadline = call.closes_at
    with django_capture_on_commit_callbacks(execute=True):
        assert services.application_send_reminders(now=deadline - datetime.timedelta(days=8)) == 0
        assert services.application_send_reminders(now=deadline - datetime.timedelta(days=7)) == 1
        assert services.application_send_reminders(now=deadline - datetime.timedelta(days=6)) == 0
        assert services.application_send_reminders(now=deadline - datetime.timedelta(hours=30)) == 0
        assert services.application_send_reminders(now=deadline - datetime.timedelta(hours=23)) == 1
        assert services.application_send_reminders(now=deadline - datetime.timedelta(hours=2)) == 0
        assert services.application_send_reminders(now=deadline + datetime.timedelta(hours=1)) == 0
    assert [m.to for m in mailoutbox] == [[innovator.email], [innovator.email]]
    assert mailoutbox[0].subject == (
        "[WiiTs] Recordatorio: su candidatura a «Clean cooling challenge» aún no se ha enviado"
    )
    assert '<html lang="es"' in mailoutbox[0].alternatives[0][0]
    assert draft.get_absolute_url() in mailoutbox[0].body
    draft.refresh_from_db()
    assert draft.reminded_7_days_at and draft.reminded_1_day_at


def test_a_draft_begun_on_the_last_day_gets_one_reminder(
    call, published, django_capture_on_commit_callbacks, mailoutbox
):
    draft_of(call, published)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.application_send_reminders(now=call.closes_at - datetime.timedelta(hours=5)) == 1
        assert services.application_send_reminders(now=call.closes_at - datetime.timedelta(hours=4)) == 0
    assert len(mailoutbox) == 1


def test_the_reminder_task_calls_the_service(call, published):
    from calls.tasks import send_reminders

    draft_of(call, published)
    assert send_reminders.run() == 0  # a month ahead: nothing due yet


# --- The dashboard ---------------------------------------------------------------------------


def test_the_dashboard_lists_the_members_applications(applicant_client, published, call):
    draft_of(call, published)
    draft_of(CallFactory(title="Someone else's call"), TechnologyFactory(owner=UserFactory()))
    html = applicant_client.get(reverse("dashboard")).content.decode()
    assert "My applications to calls for solutions" in html
    assert "Clean cooling challenge" in html
    assert Application.objects.get(technology=published).get_absolute_url() in html
    assert "Someone else&#x27;s call" not in html
