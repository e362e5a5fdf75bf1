"""Visa invitation letters (issue 22): a participant asks with their passport data, staff
approve or refuse (with a reason) and the participant is emailed in their language; the
letter is a PDF for the participant and staff only; passport numbers are masked in lists
and exports and deleted after the event."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from mailer.models import Message

from events import letters, services
from events.models import Registration, VisaLetterRequest
from events.tasks import purge_visa_data
from tests.factories import EventFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def event():
    starts = (timezone.now() + datetime.timedelta(days=40)).astimezone(SHANGHAI).replace(hour=9, minute=0)
    return EventFactory(
        title="Green manufacturing conference", slug="green-conference", starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=8), time_zone="Asia/Shanghai", venue="Riverside Hall",
        city="Shanghai", country="CN", offers_visa_letter=True,
    )  # fmt: skip


def request_data(event, **changes):
    day = event.local_starts_at.date()
    return {
        "full_name": "AMINA DIALLO", "nationality": "SN", "passport_number": "A 1234-5678",
        "date_of_birth": "1990-05-17", "passport_expiry": (day + datetime.timedelta(days=900)).isoformat(),
        "arrival": (day - datetime.timedelta(days=1)).isoformat(),
        "departure": (day + datetime.timedelta(days=2)).isoformat(), **changes,
    }  # fmt: skip


def ask_for_letter(event, user, **changes) -> VisaLetterRequest:
    from events.forms import VisaLetterRequestForm

    registration = Registration.objects.get(event=event, user=user)
    form = VisaLetterRequestForm(request_data(event, **changes))
    assert form.is_valid(), form.errors
    return letters.visa_letter_request_save(registration=registration, by=user, data=form.cleaned_data)


@pytest.fixture
def registered(event, member):
    return services.registration_create(event=event, user=member)


# --- Asking ------------------------------------------------------------------------------------------


def test_the_members_data_export_holds_their_answers_and_their_request(client, member, event, registered):
    question = event.questions.create(text="Dietary needs", kind="text")
    Registration.objects.filter(pk=registered.pk).update(answers={str(question.pk): "Halal"})
    ask_for_letter(event, member)
    client.force_login(member)
    data = client.get(reverse("data_export")).json()
    (exported,) = data["event_registrations"]
    assert exported["answers"] == {"Dietary needs": "Halal"}
    letter = exported["visa_letter"]
    assert (letter["full_name"], letter["nationality"], letter["status"]) == ("AMINA DIALLO", "SN", "requested")
    assert letter["passport_number"] and letter["date_of_birth"] == "1990-05-17"
    assert letter["requested_at"] == VisaLetterRequest.objects.get().created_at.isoformat()


def test_the_event_page_offers_the_letter_to_participants(client, member, event):
    assert "Visa invitation letter" in client.get(event.get_absolute_url()).content.decode()
    client.force_login(member)
    assert (
        reverse("events:visa_letter_request", args=[event.slug])
        not in client.get(event.get_absolute_url()).content.decode()
    )
    services.registration_create(event=event, user=member)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("events:visa_letter_request", args=[event.slug]) in page
    plain = EventFactory()
    services.registration_create(event=plain, user=member)
    assert "Visa invitation letter" not in client.get(plain.get_absolute_url()).content.decode()
    assert client.get(reverse("events:visa_letter_request", args=[plain.slug])).status_code == 404


def test_a_participant_asks_for_a_letter(client, member, event, registered):
    url = reverse("events:visa_letter_request", args=[event.slug])
    client.force_login(member)
    assert client.get(url).status_code == 200
    response = client.post(url, request_data(event))
    letter = VisaLetterRequest.objects.get()
    assert response["Location"] == letter.get_absolute_url()
    assert (letter.registration, letter.status, letter.passport_number) == (registered, "requested", "A12345678")
    assert letter.nationality.code == "SN" and letter.date_of_birth == datetime.date(1990, 5, 17)
    # Asking again leads to the request.
    assert client.get(url)["Location"] == letter.get_absolute_url()
    page = client.get(letter.get_absolute_url()).content.decode()
    assert "Requested" in page and 'value="A12345678"' in page  # the participant sees their own number


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"arrival": "2020-01-01"}, "arrival", "Arrive between"),
        ({"departure": "2099-01-01"}, "departure", "Leave between"),
        ({"passport_expiry": None}, "passport_expiry", "The passport must still be valid after your departure."),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "Enter your date of birth."),
        ({"passport_number": "A1<script>"}, "passport_number", "5 to 20 letters and digits"),
        ({"passport_number": ""}, "passport_number", "This field is required."),
        ({"full_name": "AMINA\u202eDIALLO"}, "full_name", "on one line"),
        ({"nationality": "XX"}, "nationality", "Select a valid choice"),
        ({"arrival": "not a date"}, "arrival", "Enter a valid date."),
    ],
)
def test_wrong_values_are_refused_beside_their_field_and_nothing_is_written(
    client, member, event, registered, changes, field, message
):
    data = request_data(event, **changes)
    if changes.get("passport_expiry", "") is None:
        data["passport_expiry"] = data["departure"]  # valid until the day one leaves: not enough
    client.force_login(member)
    response = client.post(reverse("events:visa_letter_request", args=[event.slug]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and message in page
    assert not VisaLetterRequest.objects.exists()


def test_only_active_participants_before_the_start_may_ask(member, other_member, event, registered):
    with pytest.raises(PermissionDenied):
        letters.visa_letter_request_save(registration=registered, by=other_member, data={})
    services.registration_cancel(registration=registered, by=member)
    registered.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot ask"):
        letters.visa_letter_request_save(registration=registered, by=member, data={})
    assert not VisaLetterRequest.objects.exists()


# --- Access to the request and the letter ------------------------------------------------------------


@pytest.fixture
def approved(event, member, registered, staff):
    letter = ask_for_letter(event, member)
    return letters.visa_letter_approve(letter=letter, by=staff, seen=letter.updated_at.isoformat())


def test_access_to_the_request_and_the_pdf(member, other_member, staff, event, approved, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    services.registration_create(event=event, user=other_member)  # another participant of the same event
    page_url = approved.get_absolute_url()
    pdf_url = reverse("events:visa_letter_pdf", args=[event.slug, approved.pk])
    anonymous = Client()
    for url in (page_url, pdf_url):
        assert anonymous.get(url)["Location"].startswith(reverse("account_login"))
    other = Client()
    other.force_login(other_member)
    assert other.get(page_url).status_code == 404 and other.get(pdf_url).status_code == 404
    assert other.post(page_url, request_data(event, full_name="HIJACKED")).status_code == 404
    owner = Client()
    owner.force_login(member)
    response = owner.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "no-store" in response["Cache-Control"]
    assert f"WIITS-{event.pk}-{approved.pk}" in response["Content-Disposition"]
    staff_client = Client()
    staff_client.force_login(staff)
    page = staff_client.get(page_url).content.decode()
    assert "A12345678" in page and "AMINA DIALLO" in page
    assert staff_client.get(pdf_url).content.startswith(b"%PDF")
    # Staff who do not handle visa letters (no permission to view them) see no passport data.
    bare_staff = UserFactory(is_staff=True)
    staff_client.force_login(bare_staff)
    assert staff_client.get(page_url).status_code == 404 and staff_client.get(pdf_url).status_code == 404
    from django.contrib.auth.models import Permission

    bare_staff.user_permissions.add(Permission.objects.get(codename="view_visaletterrequest"))
    staff_client.force_login(bare_staff)
    assert staff_client.get(pdf_url).content.startswith(b"%PDF")
    assert "no-store" in staff_client.get(page_url)["Cache-Control"]
    # The same request under another event's address is not found.
    elsewhere = EventFactory()
    assert owner.get(reverse("events:visa_letter_pdf", args=[elsewhere.slug, approved.pk])).status_code == 404
    approved.refresh_from_db()
    assert approved.full_name == "AMINA DIALLO"


def test_the_pdf_waits_for_approval_and_the_form_closes_after_it(client, member, event, registered, staff):
    letter = ask_for_letter(event, member)
    pdf_url = reverse("events:visa_letter_pdf", args=[event.slug, letter.pk])
    client.force_login(member)
    assert client.get(pdf_url).status_code == 404
    assert "Save my request" in client.get(letter.get_absolute_url()).content.decode()
    letters.visa_letter_approve(letter=letter, by=staff, seen=letter.updated_at.isoformat())
    page = client.get(letter.get_absolute_url()).content.decode()
    assert "Save my request" not in page and pdf_url in page
    assert client.post(letter.get_absolute_url(), request_data(event, full_name="CHANGED")).status_code == 403
    with pytest.raises(ValidationError, match="approved"):
        ask_for_letter(event, member, full_name="CHANGED")
    assert VisaLetterRequest.objects.get().full_name == "AMINA DIALLO"
    assert pdf_url in client.get(event.get_absolute_url()).content.decode()
    assert pdf_url in client.get(reverse("dashboard")).content.decode()


def test_a_letter_needs_a_confirmed_place(member, staff):
    event = EventFactory(city="Shanghai", country="CN", offers_visa_letter=True, registration_mode="approval")
    services.registration_create(event=event, user=member)  # pending: may ask already (visas take time)
    letter = ask_for_letter(event, member)
    with pytest.raises(ValidationError, match="no confirmed place"):
        letters.visa_letter_approve(letter=letter, by=staff, seen=letter.updated_at.isoformat())
    services.registration_approve(registration=letter.registration, by=staff)
    approved = letters.visa_letter_approve(letter=letter, by=staff, seen=letter.updated_at.isoformat())
    assert approved.status == "approved"


# --- Staff decide; the participant is emailed in their language ---------------------------------------


def test_approval_and_refusal_are_emailed_in_the_participants_language(
    staff, event, django_capture_on_commit_callbacks, mailoutbox
):
    french = UserFactory(name="Awa Ndiaye", email="awa@example.org", preferred_language="fr")
    services.registration_create(event=event, user=french)
    letter = ask_for_letter(event, french)
    Message.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        letters.visa_letter_refuse(letter=letter, by=staff, reason="The passport expires\x07 too soon.")
    (refusal,) = mailoutbox
    assert refusal.to == [french.email]
    # In French (the texts of this feature are translated once its catalogue is compiled; the
    # greeting, the sign-off and the reason's label already are).
    assert "Green manufacturing conference" in refusal.subject
    assert "Bonjour Awa Ndiaye," in refusal.body and "L'équipe WiiTs" in refusal.body and "Dear" not in refusal.body
    assert "The passport expires too soon." in refusal.body and "Motif donné" in refusal.body
    letter.refresh_from_db()
    assert (letter.status, letter.refusal_reason, letter.decided_by) == ("refused", "The passport expires too soon.",
                                                                         staff)  # fmt: skip
    # Corrected and sent again: back to staff, the reason cleared.
    letter = ask_for_letter(event, french, passport_expiry="2040-01-01")
    assert (letter.status, letter.refusal_reason) == ("requested", "")
    with django_capture_on_commit_callbacks(execute=True):
        letters.visa_letter_approve(letter=letter, by=staff, seen=letter.updated_at.isoformat())
    approval = mailoutbox[-1]
    assert "Bonjour Awa Ndiaye," in approval.body and letter.get_absolute_url() in approval.body
    assert "Motif" not in approval.body


def test_an_english_reader_gets_the_approval_in_english(
    member, event, registered, staff, django_capture_on_commit_callbacks, mailoutbox
):
    letter = ask_for_letter(event, member)
    Message.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        letters.visa_letter_approve(letter=letter, by=staff, seen=letter.updated_at.isoformat())
    (email,) = mailoutbox
    assert email.subject == "[WiiTs] Your visa invitation letter is ready: Green manufacturing conference"
    assert "Dear Amina Diallo," in email.body and "approved your request" in email.body


def test_a_refusal_needs_a_reason_and_staff_with_the_permission(member, event, registered, staff):
    letter = ask_for_letter(event, member)
    with pytest.raises(ValidationError, match="reason"):
        letters.visa_letter_refuse(letter=letter, by=staff, reason=" \x00 ")
    viewer = _staff_with("view_visaletterrequest")
    for call in (
        lambda: letters.visa_letter_approve(letter=letter, by=viewer, seen=letter.updated_at.isoformat()),
        lambda: letters.visa_letter_refuse(letter=letter, by=viewer, reason="No."),
        lambda: letters.visa_letter_approve(letter=letter, by=member, seen=letter.updated_at.isoformat()),
    ):
        with pytest.raises(PermissionDenied):
            call()
    letter.refresh_from_db()
    assert letter.status == "requested"


def _staff_with(*codenames):
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="events", codename__in=codenames))
    return type(user).objects.get(pk=user.pk)


def test_the_admin_approves_and_refuses_on_the_page_and_in_bulk(
    staff_client, member, other_member, event, registered, django_capture_on_commit_callbacks, mailoutbox
):
    first = ask_for_letter(event, member)
    services.registration_create(event=event, user=other_member)
    second = ask_for_letter(event, other_member, full_name="OUTSIDER PERSON", passport_number="B7654321")
    change = reverse("admin:events_visaletterrequest_change", args=[first.pk])
    page = staff_client.get(change).content.decode()
    assert "A12345678" in page and 'name="_approve"' in page and 'name="_refuse"' in page  # staff see it whole
    assert f'name="seen" value="{first.updated_at.isoformat()}"' in page
    Message.objects.all().delete()
    # Refusing without a reason is refused, with a message; nothing changes.
    response = staff_client.post(change, {"_refuse": "1", "reason": ""}, follow=True)
    assert "Give the reason for the refusal" in response.content.decode()
    first.refresh_from_db()
    assert first.status == "requested"
    # The participant corrects the request after staff opened it: approving what was read is refused.
    seen = first.updated_at.isoformat()
    VisaLetterRequest.objects.filter(pk=first.pk).update(
        passport_number="Z9999999", updated_at=first.updated_at + datetime.timedelta(seconds=5)
    )
    response = staff_client.post(change, {"_approve": "1", "seen": seen}, follow=True)
    assert "changed this request after you opened it" in response.content.decode()
    first.refresh_from_db()
    assert first.status == "requested" and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(change, {"_approve": "1", "seen": first.updated_at.isoformat()})
    first.refresh_from_db()
    assert first.status == "approved" and [m.to for m in mailoutbox] == [[member.email]]
    changelist = reverse("admin:events_visaletterrequest_changelist")
    intermediate = staff_client.post(changelist, {"action": "refuse", "_selected_action": [second.pk]})
    assert intermediate.status_code == 200 and 'name="reason"' in intermediate.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(changelist, {
            "action": "refuse", "_selected_action": [second.pk], "apply": "1", "reason": "Missing documents.",
        })  # fmt: skip
    second.refresh_from_db()
    assert (second.status, second.refusal_reason) == ("refused", "Missing documents.")
    assert mailoutbox[-1].to == [other_member.email]
    # The list shows the passport numbers masked.
    listing = staff_client.get(changelist).content.decode()
    assert "••••9999" in listing and "••••4321" in listing  # the first as corrected by its participant
    assert "Z9999999" not in listing and "B7654321" not in listing


def test_staff_cannot_add_or_delete_requests_in_the_admin(staff_client, member, event, registered):
    letter = ask_for_letter(event, member)
    assert staff_client.get(reverse("admin:events_visaletterrequest_add")).status_code == 403
    assert (
        staff_client.post(
            reverse("admin:events_visaletterrequest_delete", args=[letter.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert VisaLetterRequest.objects.filter(pk=letter.pk).exists()


# --- Passport data deleted after the event --------------------------------------------------------------


def test_the_passport_data_is_deleted_the_set_time_after_the_event_not_before(
    member, event, approved, settings, client
):
    settings.WIITS_VISA_DATA_RETENTION_DAYS = 30
    after = event.ends_at + datetime.timedelta(days=30)
    assert letters.visa_letters_purge_personal_data(now=after - datetime.timedelta(minutes=1)) == 0
    approved.refresh_from_db()
    assert approved.passport_number == "A12345678" and approved.date_of_birth is not None
    assert letters.visa_letters_purge_personal_data(now=after + datetime.timedelta(minutes=1)) == 1
    approved.refresh_from_db()
    assert (approved.passport_number, approved.date_of_birth) == ("", None)
    assert (approved.status, approved.full_name) == ("approved", "AMINA DIALLO")  # the record stays
    assert approved.personal_data_deleted_at is not None
    assert letters.visa_letters_purge_personal_data(now=after + datetime.timedelta(days=1)) == 0  # once
    client.force_login(member)
    assert client.get(reverse("events:visa_letter_pdf", args=[event.slug, approved.pk])).status_code == 404


def test_the_daily_task_purges_through_the_service(member, event, approved, settings):
    assert "events.tasks.purge_visa_data" in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    settings.WIITS_VISA_DATA_RETENTION_DAYS = 0
    assert purge_visa_data() == 0  # the event has not ended
    type(event).objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=3), ends_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert purge_visa_data() == 1
    approved.refresh_from_db()
    assert approved.passport_number == ""


# --- Masking -------------------------------------------------------------------------------------------------


def test_passport_numbers_are_masked_outside_the_request(event, approved):
    from events.models import mask_passport_number

    assert approved.masked_passport_number == "••••5678"
    assert mask_passport_number("") == "" and mask_passport_number("AB123") == "••••"


def test_get_never_changes_a_request(member, event, registered):
    letter = ask_for_letter(event, member)
    client = Client()
    client.force_login(member)
    client.get(letter.get_absolute_url(), {"full_name": "CHANGED", "status": "approved"})
    client.get(reverse("events:visa_letter_request", args=[event.slug]), request_data(event, full_name="NEW"))
    letter.refresh_from_db()
    assert (letter.full_name, letter.status) == ("AMINA DIALLO", "requested")
    assert VisaLetterRequest.objects.count() == 1


def test_staff_see_a_participants_request_page_read_only(event, member, registered):
    letter = ask_for_letter(event, member)
    staff = StaffFactory()
    client = Client()
    client.force_login(staff)
    from django.test import override_settings

    with override_settings(WIITS_STAFF_REQUIRE_MFA=False):
        page = client.get(letter.get_absolute_url()).content.decode()
        assert "Save my request" not in page and "A12345678" in page
        assert client.post(letter.get_absolute_url(), request_data(event)).status_code == 403


def test_the_demo_conference_in_shanghai_asks_questions_and_offers_letters(staff, member):
    from devtools.demo.events import load_demo_events

    load_demo_events(staff=staff, members=[member])
    from events.models import Event

    conference = Event.objects.get(slug="green-manufacturing-matchmaking-conference-shanghai")
    assert conference.offers_visa_letter and conference.city == "Shanghai"
    diet, _other, access = conference.questions.all()
    assert (diet.kind, diet.required) == ("choice", True)
    assert diet.choice_list == ["None", "Vegetarian", "Vegan", "Halal", "Other"]
    assert diet.options("zh-hans")[1] == ("Vegetarian", "素食") and access.text_i18n_ar
    assert all(str(diet.pk) in r.answers for r in conference.registrations.all())
    assert sorted(
        VisaLetterRequest.objects.filter(registration__event=conference).values_list("status", flat=True)
    ) == [
        "approved",
        "requested",
    ]


def test_the_service_refuses_raw_values_from_any_door(member, event, registered):
    with pytest.raises(ValidationError) as raised:
        letters.visa_letter_request_save(
            registration=registered, by=member,
            data={"full_name": "", "nationality": "ZZ", "passport_number": "x", "arrival": "2031-01-01"},
        )  # fmt: skip
    assert set(raised.value.message_dict) == {
        "full_name", "nationality", "passport_number", "date_of_birth", "passport_expiry", "arrival", "departure",
    }  # fmt: skip
    assert not VisaLetterRequest.objects.exists()
