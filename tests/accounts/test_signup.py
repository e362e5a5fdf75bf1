"""Sign-up -> verification email from the mail queue -> confirm -> sign in -> dashboard."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from mailer.models import Message

from accounts.models import Organisation, StakeholderType, User
from common.reference.models import Sector

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"http://127\.0\.0\.1:8000(?P<path>/(?:zh-hans/)?accounts/confirm-email/[^/\s]+/)")


def signup_data(**overrides):
    data = {
        "email": "chen.jie@example.org",
        "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
        "name": "Chen Jie",
        "organisation": "Suzhou Green Materials",
        "stakeholder_type": StakeholderType.TECHNOLOGY_INNOVATOR,
        "country": "CN",
        "sectors": [s.pk for s in Sector.objects.filter(slug__in=["advanced-materials", "renewable-energy"])],
    }
    data.update(overrides)
    return data


def test_signup_verify_signin_reaches_dashboard(client, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    # The email is a row in the queue, committed with the new account, not yet sent.
    assert Message.objects.count() == 1
    assert mailoutbox == []
    for callback in callbacks:  # what happens after commit: the Celery task sends the queue
        callback()
    assert Message.objects.count() == 0
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["chen.jie@example.org"]
    assert email.subject == "[WiiTs] Please Confirm Your Email Address"
    assert "Hello from WiiTs!" in email.body
    html = {mimetype: content for content, mimetype in email.alternatives}["text/html"]
    assert '<html lang="en"' in html

    user = User.objects.get(email="chen.jie@example.org")
    assert user.name == "Chen Jie"
    assert user.organisation.name == "Suzhou Green Materials"
    assert user.stakeholder_type == StakeholderType.TECHNOLOGY_INNOVATOR
    assert user.country.code == "CN"
    assert sorted(user.sectors.values_list("slug", flat=True)) == ["advanced-materials", "renewable-energy"]
    assert user.preferred_language == "en"

    # Unverified: signing in is refused and sends the member back to verification.
    response = client.post(
        reverse("account_login"), {"login": "chen.jie@example.org", "password": "a-long-and-unusual-passphrase"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirm_path = CONFIRM_LINK.search(email.body)["path"]
    response = client.get(confirm_path)
    assert response.status_code == 200
    assert b"chen.jie@example.org" in response.content
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="chen.jie@example.org").verified is True

    response = client.post(
        reverse("account_login"), {"login": "chen.jie@example.org", "password": "a-long-and-unusual-passphrase"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Welcome, <bdi>Chen</bdi>" in page  # the name isolated from the sentence (issue 20)
    assert "Suzhou Green Materials" in page
    assert "You have not listed a technology yet." in page


def test_signup_reuses_organisation_regardless_of_case(client):
    Organisation.objects.create(name="Shanghai Jiao Tong University")
    client.post(reverse("account_signup"), signup_data(organisation="  shanghai jiao  tong university "))
    user = User.objects.get(email="chen.jie@example.org")
    assert Organisation.objects.count() == 1
    assert user.organisation.name == "Shanghai Jiao Tong University"


def test_signup_in_chinese_sends_email_in_chinese(client, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/zh-hans/accounts/signup/", signup_data())
    assert response.status_code == 302
    assert User.objects.get(email="chen.jie@example.org").preferred_language == "zh-hans"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "[WiiTs] 请确认您的Email地址"  # allauth's own Chinese catalogue
    assert "/zh-hans/accounts/confirm-email/" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "Chen\x00Jie", "Null characters are not allowed."),
        ("name", "x" * 10_000, "Ensure this value has at most 150 characters"),
        ("organisation", "o" * 10_000, "Ensure this value has at most 200 characters"),
        ("email", "chen\x00@example.org", "Null characters are not allowed."),
        ("stakeholder_type", "emperor", "Select a valid choice."),
        ("country", "XX", "Select a valid choice."),
        ("name", "   ", "This field is required."),
    ],
)
def test_signup_rejects_bad_input_with_a_form_error(client, field, value, message, mailoutbox):
    response = client.post(reverse("account_signup"), signup_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not Message.objects.exists()
