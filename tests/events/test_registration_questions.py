"""Registration questions (issue 22): staff ask them in the event's admin, people answer them
when they register and change their answers until the event starts; the registrants' CSV
carries them."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from events import services
from events.models import Registration, RegistrationQuestion, VisaLetterRequest
from tests.factories import EventFactory, UserFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def ask(event, text, kind="text", *, required=False, choices=(), order=0, **translations):
    return RegistrationQuestion.objects.create(
        event=event, text=text, kind=kind, required=required, choices="\n".join(choices), order=order, **translations
    )


@pytest.fixture
def event():
    return EventFactory(title="Green manufacturing conference", capacity=50)


@pytest.fixture
def questions(event):
    diet = ask(event, "Dietary requirements", "choice", required=True, choices=["None", "Vegetarian", "Halal"],
               choices_i18n_fr="Aucun\nVégétarien\nHalal", text_i18n_fr="Régime alimentaire")  # fmt: skip
    access = ask(event, "Accessibility needs", order=1)
    photo = ask(event, "May we take your photo?", "yes_no", required=True, order=2)
    return diet, access, photo


def field(question):
    return f"q{question.pk}"


# --- Staff ask questions in the admin ----------------------------------------------------------


def _event_form(event, **extra):
    local = event.local_starts_at
    end = event.local_ends_at
    return {
        "kind": event.kind, "title": event.title, "slug": event.slug, "summary": event.summary,
        "starts_at_0": local.date().isoformat(), "starts_at_1": local.time().isoformat(),
        "ends_at_0": end.date().isoformat(), "ends_at_1": end.time().isoformat(),
        "time_zone": event.time_zone, "venue": event.venue, "city": event.city, "country": event.country.code,
        "registration_mode": event.registration_mode, "original_language": "en", "is_published": "on",
        "speakers-TOTAL_FORMS": "0", "speakers-INITIAL_FORMS": "0",
        "agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0",
        "registrations-TOTAL_FORMS": "0", "registrations-INITIAL_FORMS": "0",
        **extra,
    }  # fmt: skip


def test_staff_add_translated_questions_and_the_visa_option_in_the_event_admin(staff_client, event):
    url = reverse("admin:events_event_change", args=[event.pk])
    page = staff_client.get(url).content.decode()
    assert "questions-TOTAL_FORMS" in page and 'name="offers_visa_letter"' in page
    # The letter is addressed to China's embassies: an event in Nairobi cannot offer it.
    refused = staff_client.post(url, _event_form(event, **{
        "offers_visa_letter": "on", "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0",
    }))  # fmt: skip
    assert "Visa invitation letters are for events held in China." in refused.content.decode()
    response = staff_client.post(url, _event_form(event, **{
        "offers_visa_letter": "on", "city": "Shanghai", "country": "CN",
        "questions-TOTAL_FORMS": "2", "questions-INITIAL_FORMS": "0",
        "questions-0-text": "Dietary requirements", "questions-0-kind": "choice",
        "questions-0-choices": "None\nVegetarian\nVegan", "questions-0-required": "on", "questions-0-order": "0",
        "questions-0-text_i18n_zh_hans": "饮食要求", "questions-0-choices_i18n_zh_hans": "无\n素食\n纯素",
        "questions-1-text": "Accessibility needs", "questions-1-kind": "text", "questions-1-order": "1",
    }))  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.offers_visa_letter is True
    diet, access = event.questions.all()
    assert (diet.kind, diet.required, diet.choice_list) == ("choice", True, ["None", "Vegetarian", "Vegan"])
    assert diet.options("zh-hans") == [("None", "无"), ("Vegetarian", "素食"), ("Vegan", "纯素")]
    assert (access.kind, access.required) == ("text", False)


def test_the_admin_refuses_a_choice_without_options(staff_client, event):
    url = reverse("admin:events_event_change", args=[event.pk])
    response = staff_client.post(url, _event_form(event, **{
        "questions-TOTAL_FORMS": "1", "questions-INITIAL_FORMS": "0",
        "questions-0-text": "Dietary requirements", "questions-0-kind": "choice", "questions-0-choices": "Only one",
        "questions-0-order": "0",
    }))  # fmt: skip
    assert response.status_code == 200
    assert "Give at least two options, one per line." in response.content.decode()
    assert not event.questions.exists()


# --- Answering on registration ---------------------------------------------------------------------


def test_the_event_page_asks_the_questions_in_the_readers_language(client, member, event, questions):
    client.force_login(member)
    page = client.get(event.get_absolute_url()).content.decode()
    diet, access, photo = questions
    assert f'name="{field(diet)}"' in page and f'name="{field(access)}"' in page and f'name="{field(photo)}"' in page
    assert "Dietary requirements" in page and "(required)" in page
    french = client.get("/fr" + event.get_absolute_url()).content.decode()
    assert "Régime alimentaire" in french and ">Végétarien</option>" in french
    assert 'value="Vegetarian"' in french  # the stored value is the original option


def test_registering_stores_the_cleaned_answers(client, member, event, questions):
    diet, access, photo = questions
    client.force_login(member)
    response = client.post(reverse("events:register", args=[event.slug]), {
        field(diet): "Halal", field(access): "  Step-free\x1b[31m access\u202e please\r\n  ", field(photo): "no",
        "q999999": "ignored",
    })  # fmt: skip
    assert response.status_code == 302
    registration = Registration.objects.get(user=member)
    assert registration.status == "registered"
    assert registration.answers == {str(diet.pk): "Halal", str(access.pk): "Step-free[31m access please",
                                    str(photo.pk): "no"}  # fmt: skip


def test_a_missing_required_answer_shows_the_error_beside_it_and_writes_nothing(
    client, member, event, questions, mailoutbox
):
    diet, access, photo = questions
    client.force_login(member)
    response = client.post(
        reverse("events:register", args=[event.slug]), {field(diet): "", field(access): "Ramp", field(photo): "yes"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field(diet)}_error"' in page and "An answer is required." in page
    assert f'aria-describedby="id_{field(diet)}_error"' in page
    assert "Ramp" in page  # what was typed is kept
    assert not Registration.objects.exists() and mailoutbox == []


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("choice", "Pork only", "Choose one of the answers offered."),
        ("yes_no", "maybe", "Answer yes or no."),
        ("text", "x" * 1001, "At most 1000 characters."),
    ],
)
def test_answers_are_checked_by_kind(client, member, event, kind, value, message):
    question = ask(event, "A question", kind, choices=["None", "Vegan"] if kind == "choice" else ())
    client.force_login(member)
    response = client.post(reverse("events:register", args=[event.slug]), {field(question): value})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Registration.objects.exists()


def test_a_nul_character_is_refused_not_a_server_error(client, member, event, questions):
    diet, access, photo = questions
    client.force_login(member)
    response = client.post(
        reverse("events:register", args=[event.slug]),
        {field(diet): "None", field(access): "a\x00b", field(photo): "no"},
    )
    assert response.status_code == 400 and not Registration.objects.exists()


def test_the_service_refuses_missing_answers_at_every_door(member, event, questions):
    with pytest.raises(ValidationError) as raised:
        services.registration_create(event=event, user=member)
    assert set(raised.value.message_dict) == {str(questions[0].pk), str(questions[2].pk)}
    assert not Registration.objects.exists()


def test_an_invitation_asks_the_questions_too(client, member, staff):
    event = EventFactory(registration_mode="invitation")
    question = ask(event, "Dietary requirements", "choice", required=True, choices=["None", "Vegan"])
    invitation = services.invitation_create(event=event, email=member.email, by=staff)
    client.force_login(member)
    page = client.get(invitation.get_absolute_url()).content.decode()
    assert f'name="{field(question)}"' in page
    response = client.post(reverse("events:register", args=[event.slug]), {"token": invitation.token})
    assert response.status_code == 400 and "An answer is required." in response.content.decode()
    assert not Registration.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None
    client.post(reverse("events:register", args=[event.slug]), {"token": invitation.token, field(question): "Vegan"})
    assert Registration.objects.get(user=member).answers == {str(question.pk): "Vegan"}


# --- Changing answers --------------------------------------------------------------------------------


def _register(event, user, questions, diet="None"):
    d, _a, p = questions
    return services.registration_create(event=event, user=user, answers={str(d.pk): diet, str(p.pk): "yes"})


def test_a_participant_changes_their_answers_until_the_event_starts(client, member, event, questions):
    diet, access, photo = questions
    _register(event, member, questions)
    url = reverse("events:answers", args=[event.slug])
    client.force_login(member)
    page = client.get(url).content.decode()
    assert "Save my answers" in page and '<option value="None" selected>' in page
    response = client.post(url, {field(diet): "Vegetarian", field(access): "Ramp", field(photo): "no"})
    assert response.status_code == 302
    assert Registration.objects.get(user=member).answers == {
        str(diet.pk): "Vegetarian", str(access.pk): "Ramp", str(photo.pk): "no",
    }  # fmt: skip
    # A wrong answer: 400, the error beside it, the stored answers unchanged.
    response = client.post(url, {field(diet): "", field(access): "Lift", field(photo): "no"})
    assert response.status_code == 400 and "An answer is required." in response.content.decode()
    assert Registration.objects.get(user=member).answers[str(access.pk)] == "Ramp"


def test_after_the_start_the_answers_are_read_only(client, member, event, questions):
    diet, _access, photo = questions
    registration = _register(event, member, questions, diet="Halal")
    event.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    event.save()
    url = reverse("events:answers", args=[event.slug])
    client.force_login(member)
    page = client.get(url).content.decode()
    assert "Save my answers" not in page and "Halal" in page and "can no longer be changed" in page
    assert client.post(url, {field(diet): "None", field(photo): "no"}).status_code == 403
    with pytest.raises(ValidationError, match="has started"):
        services.registration_answers_update(
            registration=registration, by=member, answers={str(diet.pk): "None", str(photo.pk): "no"}
        )
    registration.refresh_from_db()
    assert registration.answers[str(diet.pk)] == "Halal"


def test_answers_are_the_participants_own(client, member, other_member, staff, event, questions):
    registration = _register(event, member, questions)
    url = reverse("events:answers", args=[event.slug])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(other_member)  # not registered: nothing to see
    assert client.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.registration_answers_update(registration=registration, by=other_member, answers={})
    with pytest.raises(PermissionDenied):
        services.registration_answers_update(registration=registration, by=staff, answers={})
    plain = EventFactory()
    services.registration_create(event=plain, user=member)
    client.force_login(member)
    assert client.get(reverse("events:answers", args=[plain.slug])).status_code == 404  # no questions


def test_get_changes_nothing(client, member, event, questions):
    registration = _register(event, member, questions)
    client.force_login(member)
    before = Registration.objects.get(pk=registration.pk).answers
    client.get(reverse("events:answers", args=[event.slug]), {field(questions[0]): "Vegetarian"})
    assert Registration.objects.get(pk=registration.pk).answers == before


def test_the_admin_shows_a_registrations_answers(staff_client, member, event, questions):
    registration = _register(event, member, questions, diet="Vegetarian")
    page = staff_client.get(reverse("admin:events_registration_change", args=[registration.pk])).content.decode()
    assert "Dietary requirements" in page and "Vegetarian" in page and "May we take your photo?" in page


def test_duplicating_an_event_copies_its_questions(staff, event, questions):
    copy = services.event_duplicate(event=event, by=staff)
    assert [q.text for q in copy.questions.all()] == [q.text for q in questions]


# --- The registrants' CSV ------------------------------------------------------------------------------


def _export(staff_client, *events):
    response = staff_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "export_registrants", "_selected_action": [e.pk for e in events]},
    )
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_a_column_per_question_and_the_visa_letter_masked(staff_client, member, event, questions):
    diet, access, photo = questions
    registration = services.registration_create(
        event=event, user=member,
        answers={str(diet.pk): "Vegetarian", str(access.pk): '=HYPERLINK("http://evil.example")', str(photo.pk): "no"},
    )  # fmt: skip
    VisaLetterRequest.objects.create(
        registration=registration, full_name="AMINA DIALLO", nationality="SN", passport_number="A12345678",
        date_of_birth=datetime.date(1990, 1, 2), passport_expiry=datetime.date(2035, 1, 1),
        arrival=event.starts_at.date(), departure=event.ends_at.date(),
    )  # fmt: skip
    header, row = _export(staff_client, event)
    assert header[7:] == ["Dietary requirements", "Accessibility needs", "May we take your photo?", "visa letter",
                          "passport number"]  # fmt: skip
    assert row[7:] == ["Vegetarian", '\'=HYPERLINK("http://evil.example")', "no", "requested", "••••5678"]
    assert "A12345678" not in "".join(header + row)


def test_the_csv_of_several_events_names_each_question_by_its_event(staff_client, member, event, questions):
    other = EventFactory(title="Kiln webinar")
    ask(other, "T-shirt size", "choice", choices=["S", "M", "L"])
    services.registration_create(event=other, user=member, answers={})
    header, *_rows = _export(staff_client, event, other)
    assert "Kiln webinar: T-shirt size" in header and "Green manufacturing conference: Accessibility needs" in header


def test_event_page_and_export_queries_stay_constant(client, staff_client, event, questions):
    diet, _access, photo = questions
    user = UserFactory()
    services.registration_create(event=event, user=user, answers={str(diet.pk): "None", str(photo.pk): "no"})
    client.force_login(user)
    detail = count_queries(client, event.get_absolute_url())

    def export_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            _export(staff_client, event)
        return len(queries)

    export = export_queries()
    for n in range(6):
        ask(event, f"Question {n}", order=10 + n)
    for n in range(12):
        registration = services.registration_create(
            event=event, user=UserFactory(), answers={str(diet.pk): "Halal", str(photo.pk): "yes"}
        )
        if n % 2:
            VisaLetterRequest.objects.create(
                registration=registration, full_name=f"PERSON {n}", nationality="KE", passport_number=f"X{n:07d}",
                date_of_birth=datetime.date(1990, 1, 2), passport_expiry=datetime.date(2035, 1, 1),
                arrival=event.starts_at.date(), departure=event.ends_at.date(),
            )  # fmt: skip
    assert count_queries(client, event.get_absolute_url()) == detail
    assert export_queries() == export


def test_question_labels_fall_back_to_the_original_options(event):
    question = ask(event, "Diet", "choice", choices=["None", "Vegan"], choices_i18n_fr="Aucun")  # one of two
    assert question.options("fr") == [("None", "None"), ("Vegan", "Vegan")]
    with override("fr"):
        assert question.answer_label("Vegan") == "Vegan"
    yes_no = ask(event, "Photo?", "yes_no")
    with override("fr"):
        assert yes_no.answer_label("yes") == "Oui"


def test_a_registration_reads_the_event_and_its_questions_not_its_programme(client, member, event, questions):
    """The POST needs the event's questions; its speakers and agenda only if the form must
    be shown again (make bench: two queries and their rows on every registration)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.models import AgendaItem, Speaker

    speaker = Speaker.objects.create(event=event, name="Dr. Amina Odhiambo")
    AgendaItem.objects.create(event=event, starts_at=event.starts_at, title="Solar dryers in practice").speakers.add(
        speaker
    )
    diet, _access, photo = questions
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("events:register", args=[event.slug]), {field(diet): "Halal", field(photo): "no"}
        )
    assert response.status_code == 302
    assert Registration.objects.filter(event=event, user=member).exists()
    read = " ".join(query["sql"] for query in queries)
    assert "events_speaker" not in read and "events_agendaitem" not in read

    # A missing answer shows the event's page again, with its programme.
    other = UserFactory()
    client.force_login(other)
    response = client.post(reverse("events:register", args=[event.slug]), {field(photo): "no"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dr. Amina Odhiambo" in page and "Solar dryers in practice" in page
    assert not Registration.objects.filter(event=event, user=other).exists()
