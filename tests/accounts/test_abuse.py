"""Abuse of the account pages: brute force, open redirects, enumeration, CSRF."""

import pytest
from django.test import Client
from django.urls import reverse
from mailer.models import Message

from accounts.models import User
from tests.accounts.test_signup import signup_data

pytestmark = pytest.mark.django_db


def test_wrong_password_burst_is_rate_limited_even_for_the_right_password(client, member, password):
    for _attempt in range(5):
        response = client.post(reverse("account_login"), {"login": member.email, "password": "wrong-password"})
        assert response.status_code == 200
        assert "The email address and/or password you specified are not correct." in response.content.decode()

    response = client.post(reverse("account_login"), {"login": member.email, "password": password})
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_burst_gets_429(client, member):
    statuses = [client.post(reverse("account_reset_password"), {"email": member.email}).status_code for _ in range(6)]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert "Too many attempts" in response.content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "http://evil.example/dashboard/", "/\\evil.example"]
)
def test_sign_in_refuses_to_redirect_to_another_site(client, member, password, next_url):
    response = client.post(
        reverse("account_login") + "?next=" + next_url, {"login": member.email, "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_sign_in_follows_a_local_next(client, member, password):
    response = client.post(
        reverse("account_login") + "?next=/accounts/profile/", {"login": member.email, "password": password}
    )
    assert response["Location"] == "/accounts/profile/"


def test_signup_with_a_taken_email_looks_the_same_as_a_new_one(
    client, member, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(reverse("account_signup"), signup_data(email=member.email))
    fresh = Client().post(reverse("account_signup"), signup_data(email="someone.new@example.org"))
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email=member.email).count() == 1
    # The owner of the address is told, privately, that someone tried to use it.
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "already" in mailoutbox[0].body.lower()


def test_password_reset_for_unknown_email_looks_the_same(
    client, member, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account_reset_password"), {"email": member.email})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    # Each address gets one email: a reset link for the member, a "no account" notice otherwise.
    assert [m.to for m in mailoutbox] == [[member.email], ["nobody@example.org"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert "/accounts/password/reset/key/" not in mailoutbox[1].body


def test_form_without_csrf_token_is_refused(member, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": member.email, "password": password})
    assert response.status_code == 403
    assert "security token was missing or out of date" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signup_without_csrf_token_creates_nothing():
    response = Client(enforce_csrf_checks=True).post(reverse("account_signup"), signup_data())
    assert response.status_code == 403
    assert not User.objects.exists()
    assert not Message.objects.exists()
