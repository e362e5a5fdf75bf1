"""A new member who confirms their address in the browser they signed up in is signed in
(ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION); a link opened anywhere else confirms the address
and asks for the password (allauth's rule: the link alone never signs anyone in)."""

import time

import pytest
from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.test_signup import CONFIRM_LINK, signup_data
from tests.factories import PASSWORD, TechnologyFactory, UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "chen.jie@example.org"


def sign_up(client, django_capture_on_commit_callbacks, mailoutbox, url=None, **data) -> str:
    """Sign up with `client` and return the path of the confirmation link emailed."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url or reverse("account_signup"), signup_data(**data))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    (email,) = mailoutbox
    assert email.to == [EMAIL]
    return CONFIRM_LINK.search(email.body)["path"]


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_confirming_in_the_sign_up_browser_signs_in_and_welcomes(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    confirm_path = sign_up(client, django_capture_on_commit_callbacks, mailoutbox)
    user = User.objects.get(email=EMAIL)

    # Opening the link (GET) shows the confirmation page and changes nothing.
    response = client.get(confirm_path)
    assert response.status_code == 200
    assert EMAIL in response.content.decode()
    assert signed_in_user_id(client) is None
    assert EmailAddress.objects.get(email=EMAIL).verified is False

    response = client.post(confirm_path)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert signed_in_user_id(client) == str(user.pk)
    assert EmailAddress.objects.get(email=EMAIL).verified is True

    dashboard = client.get(response["Location"])
    assert dashboard.status_code == 200
    assert messages_of(dashboard) == [
        f"You have confirmed {EMAIL}.",
        "Welcome to WiiTs, Chen. Your account is ready and you are signed in.",
    ]
    page = dashboard.content.decode()
    assert "Welcome to WiiTs, Chen. Your account is ready and you are signed in." in page
    assert "Welcome, <bdi>Chen</bdi>" in page


def test_confirming_in_the_sign_up_browser_returns_to_the_page_the_member_came_from(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    technology = TechnologyFactory()
    url = f"{reverse('account_signup')}?next={technology.get_absolute_url()}"
    confirm_path = sign_up(client, django_capture_on_commit_callbacks, mailoutbox, url=url)

    response = client.post(confirm_path)
    assert response.status_code == 302
    assert response["Location"] == technology.get_absolute_url()
    assert signed_in_user_id(client) == str(User.objects.get(email=EMAIL).pk)
    page = client.get(response["Location"]).content.decode()
    assert "Welcome to WiiTs, Chen." in page
    assert "Send my inquiry" in page  # signed in: the inquiry form, not "Sign in to ask"


def test_a_next_page_on_another_site_is_ignored(client, django_capture_on_commit_callbacks, mailoutbox):
    url = f"{reverse('account_signup')}?next=https://evil.example.org/"
    confirm_path = sign_up(client, django_capture_on_commit_callbacks, mailoutbox, url=url)
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_confirming_from_another_browser_confirms_but_does_not_sign_in(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    confirm_path = sign_up(client, django_capture_on_commit_callbacks, mailoutbox)
    elsewhere = Client()

    page = elsewhere.get(confirm_path)
    assert page.status_code == 200 and EMAIL in page.content.decode()
    response = elsewhere.post(confirm_path, follow=True)
    assert response.redirect_chain == [(reverse("account_login"), 302)]
    assert EmailAddress.objects.get(email=EMAIL).verified is True
    assert signed_in_user_id(elsewhere) is None
    # The sign-in page says the address is confirmed and asks for the password.
    assert messages_of(response) == [f"You have confirmed {EMAIL}."]
    page = response.content.decode()
    assert f"You have confirmed {EMAIL}." in page
    assert 'name="password"' in page

    response = elsewhere.post(reverse("account_login"), {"login": EMAIL, "password": signup_data()["password1"]})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert signed_in_user_id(elsewhere) == str(User.objects.get(email=EMAIL).pk)
    # The sign-up browser was not signed in by someone else's click either.
    assert signed_in_user_id(client) is None


def test_confirming_while_signed_in_as_someone_else_signs_them_out_and_nobody_in(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    confirm_path = sign_up(client, django_capture_on_commit_callbacks, mailoutbox)
    other = UserFactory()
    shared = Client()
    shared.force_login(other)

    response = shared.post(confirm_path)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert EmailAddress.objects.get(email=EMAIL).verified is True
    assert signed_in_user_id(shared) is None  # allauth signs the other member out
    assert shared.post(reverse("account_login"), {"login": other.email, "password": PASSWORD}).status_code == 302


def test_a_sign_up_left_pending_too_long_confirms_but_asks_to_sign_in(
    client, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    confirm_path = sign_up(client, django_capture_on_commit_callbacks, mailoutbox)
    later = time.time() + allauth_settings.LOGIN_TIMEOUT + 60
    monkeypatch.setattr("allauth.account.internal.stagekit.time.time", lambda: later)

    response = client.post(confirm_path)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert EmailAddress.objects.get(email=EMAIL).verified is True
    assert signed_in_user_id(client) is None


def test_a_used_link_does_not_sign_in_again(client, django_capture_on_commit_callbacks, mailoutbox):
    confirm_path = sign_up(client, django_capture_on_commit_callbacks, mailoutbox)
    assert client.post(confirm_path)["Location"] == reverse("dashboard")
    client.logout()

    # The sign-up it belonged to is over: the link now neither confirms nor signs in.
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "This email confirmation link expired or is invalid." in page.content.decode()
    assert client.post(confirm_path).status_code == 404
    assert signed_in_user_id(client) is None
