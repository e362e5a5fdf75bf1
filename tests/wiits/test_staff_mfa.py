"""The staff two-factor rule (common/middleware.py, StaffMFAMiddleware): a staff session
without a second factor opens only the pages that set one up or ask for it, sign in and
out, switch the language and check health. Every URL is walked in tests/test_url_access.py;
here, that the exempt pages are enough to get through, and the switch."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import RequestFactory
from django.urls import reverse

from common.middleware import MFA_EXEMPT_VIEWS, StaffMFAMiddleware
from tests.factories import UserFactory
from tests.wiits.test_pages import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def require_mfa(settings):
    settings.WIITS_STAFF_REQUIRE_MFA = True


def test_a_staff_member_sets_up_two_factor_through_the_exempt_pages_alone(client, staff, password, require_mfa):
    assert client.post(reverse("account_login"), {"login": staff.email, "password": password})["Location"] == (
        reverse("dashboard")
    )
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before adding an authenticator.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": password})
    assert response["Location"] == reverse("mfa_activate_totp")
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(response.context["form"].secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    # The authenticator is set up, but this session has not used it yet: a code first.
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response["Location"] == reverse("mfa_reauthenticate") + "?next=%2Faccounts%2F2fa%2Frecovery-codes%2F"
    recovery = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    response = client.post(response["Location"], {"code": recovery.wrap().get_unused_codes()[0]})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    for name in ("mfa_view_recovery_codes", "dashboard", "admin:index", "reports:index"):
        assert client.get(reverse(name)).status_code == 200, name
    client.post(reverse("account_logout"))
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))


def test_the_exempt_pages_open_without_a_second_factor(client, staff, require_mfa):
    client.force_login(staff)
    mfa_setup = reverse("mfa_activate_totp")
    assert client.get(reverse("dashboard"))["Location"] == mfa_setup
    assert client.get(reverse("healthz")).json()["status"] == "ok"
    assert client.get(reverse("account_logout")).status_code == 200
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    switched = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert switched.status_code == 302 and switched["Location"] != mfa_setup
    # Static files (WhiteNoise serves them before any view in production).
    static = RequestFactory().get("/static/css/site.css")
    static.resolver_match = None
    assert StaffMFAMiddleware(lambda request: None)._exempt(static)
    assert {"account_logout", "mfa_activate_totp", "mfa_reauthenticate"} <= MFA_EXEMPT_VIEWS
    assert not {"dashboard", "accounts:profile", "mfa_index", "mfa_view_recovery_codes"} & MFA_EXEMPT_VIEWS


def test_a_superuser_without_the_staff_flag_is_held_too(client, require_mfa):
    client.force_login(UserFactory(is_superuser=True, is_staff=False))
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_activate_totp")


def test_members_are_not_asked(member_client, require_mfa):
    assert member_client.get(reverse("dashboard")).status_code == 200


def test_the_switch_turns_the_rule_off(client, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    client.force_login(staff)
    for name in ("dashboard", "admin:index", "reports:index"):
        assert client.get(reverse(name)).status_code == 200, name
