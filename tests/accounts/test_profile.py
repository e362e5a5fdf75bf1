import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from mailer.models import Message

from accounts.models import StakeholderType, User
from common.reference.models import Sector

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    data = {
        "name": "Amina Diallo-Sow",
        "organisation": "Dakar Agro-Processing SA",
        "job_title": "Head of engineering",
        "stakeholder_type": StakeholderType.GLOBALISATION_USER,
        "country": "SN",
        "sectors": [Sector.objects.get(slug="water-wastewater").pk],
        "preferred_language": "zh-hans",
    }
    data.update(overrides)
    return data


def test_profile_requires_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=" + reverse("accounts:profile")


def test_profile_shows_the_members_details(member_client, member):
    response = member_client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Amina Diallo"' in page
    assert f'value="{member.organisation.name}"' in page


def test_profile_update_saves_every_field(member_client, member):
    response = member_client.post(reverse("accounts:profile"), profile_data())
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name == "Amina Diallo-Sow"
    assert member.organisation.name == "Dakar Agro-Processing SA"
    assert member.job_title == "Head of engineering"
    assert member.stakeholder_type == StakeholderType.GLOBALISATION_USER
    assert member.country.code == "SN"
    assert list(member.sectors.values_list("slug", flat=True)) == ["water-wastewater"]
    assert member.preferred_language == "zh-hans"


def test_profile_update_rejects_bad_input_and_saves_nothing(member_client, member):
    response = member_client.post(reverse("accounts:profile"), profile_data(name="A\x00B", job_title="j" * 151))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Null characters are not allowed." in page
    assert "Ensure this value has at most 150 characters" in page
    member.refresh_from_db()
    assert member.name == "Amina Diallo"
    assert member.preferred_language == "en"


def test_profile_is_405_for_other_methods(member_client):
    assert member_client.put(reverse("accounts:profile")).status_code == 405


def test_data_export_contains_only_the_members_own_data(member_client, member, other_member):
    from events.services import registration_create
    from tests.factories import EventFactory, InquiryFactory, NeedFactory, TechnologyFactory

    member.sectors.set(Sector.objects.filter(slug="renewable-energy"))
    # Both members have data of every kind: the export must hold the member's, never the other's.
    for owner, prefix in ((member, "Own"), (other_member, "Leaked")):
        TechnologyFactory(owner=owner, title=f"{prefix} dryer")
        InquiryFactory(sender=owner, message=f"{prefix} inquiry message")
        NeedFactory(owner=owner, title=f"{prefix} need")
        registration_create(event=EventFactory(title=f"{prefix} workshop"), user=owner)
    response = member_client.get(reverse("data_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="wiits-my-data.json"'
    data = json.loads(response.content)
    account = data["account"]
    assert account["email"] == member.email
    assert account["name"] == "Amina Diallo"
    assert account["sectors_of_interest"] == ["renewable-energy"]
    assert account["email_addresses"] == [{"email": member.email, "verified": True, "primary": True}]
    assert account["two_factor_methods"] == []
    assert account["weekly_digest"] is False
    assert [row["title"] for row in data["technologies"]] == ["Own dryer"]
    assert [row["message"] for row in data["inquiries_sent"]] == ["Own inquiry message"]
    assert [row["title"] for row in data["needs"]] == ["Own need"]
    assert [row["event"] for row in data["event_registrations"]] == ["Own workshop"]
    page = response.content.decode()
    assert "Leaked" not in page
    assert other_member.email not in page


def test_data_export_has_the_members_needs_and_recorded_outcomes(member_client, member, other_member):
    from technologies.services import inquiry_record_outcome
    from tests.factories import InquiryFactory, NeedFactory, TechnologyFactory

    need = NeedFactory(owner=member, title="Cold room for mangoes")
    NeedFactory(owner=other_member, title="Someone else's need")
    answer = InquiryFactory(need=need, technology=TechnologyFactory(), sender=other_member)
    inquiry_record_outcome(inquiry=answer, by=member, outcome="declined", decline_reason="too_early", note="Later.")
    data = json.loads(member_client.get(reverse("data_export")).content)
    assert [row["title"] for row in data["needs"]] == ["Cold room for mangoes"]
    assert data["outcomes_recorded"] == [
        {
            "technology": answer.technology.title,
            "need": "Cold room for mangoes",
            "outcome": "declined",
            "agreement_type": None,
            "decline_reason": "too_early",
            "note": "Later.",
            "feature_consent": False,
            "story": "",
        }
    ]


def test_data_export_requires_sign_in(client):
    response = client.get(reverse("data_export"))
    assert response.status_code == 302


def test_delete_account_asks_to_reauthenticate_first(client, member):
    client.force_login(member)
    # force_login records no recent authentication, so allauth asks for the password.
    response = client.post(reverse("accounts:delete"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=member.pk).exists()


def test_delete_account_after_reauthentication_deletes_and_emails(
    client, member, password, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(member)
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 200
    assert "Delete my account permanently" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:delete"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not User.objects.filter(pk=member.pk).exists()
    assert not EmailAddress.objects.filter(email=member.email).exists()
    assert "_auth_user_id" not in client.session
    assert Message.objects.count() == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.email]
    assert mailoutbox[0].subject == "[WiiTs] Your account has been deleted"
    assert "Dear Amina Diallo," in mailoutbox[0].body


def test_delete_account_requires_sign_in(client, member):
    response = client.post(reverse("accounts:delete"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert User.objects.filter(pk=member.pk).exists()


def test_email_addresses_are_unique_whatever_their_case(staff_client, member):
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": member.email.upper(),
            "name": "Copy",
            "password1": "x-long-passphrase-1",
            "password2": "x-long-passphrase-1",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact=member.email).count() == 1


def test_staff_add_a_member_in_the_admin(staff_client):
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Member@Example.org",
            "name": "New Member",
            "usable_password": "true",
            "password1": "x-long-passphrase-1",
            "password2": "x-long-passphrase-1",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(name="New Member")
    assert user.email == "new.member@example.org"
    assert user.check_password("x-long-passphrase-1")
