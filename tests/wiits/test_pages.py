import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from common.reference.models import Sector, SustainableDevelopmentGoal

pytestmark = pytest.mark.django_db


def test_home_explains_wiits_with_honest_empty_states(client):
    page = client.get(reverse("home")).content.decode()
    assert "18 September 2020" in page and "Wuzhen" in page
    assert "No technology has been published after evaluation by the National Advisory Group yet." in page
    assert "No upcoming event has been announced yet." in page
    assert 'href="/accounts/signup/"' in page


def test_home_for_a_member_links_to_the_dashboard(member_client):
    page = member_client.get(reverse("home")).content.decode()
    assert 'href="/dashboard/"' in page
    assert 'href="/accounts/signup/"' not in page
    assert 'href="/admin/"' not in page


def test_staff_see_the_administration_link(staff_client):
    assert 'href="/admin/"' in staff_client.get(reverse("home")).content.decode()


def test_pages_carry_a_content_security_policy_without_inline_code(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    page = response.content.decode()
    # Scripts only as files of the site itself (static/js/forms.js on every page), none inline.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/forms.js" defer>']
    assert "</script>" not in page.replace('<script src="/static/js/forms.js" defer></script>', "")
    assert "<style" not in page
    assert " style=" not in page


def test_404_page_shows_no_internals(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "Traceback" not in page and "urlpatterns" not in page


def test_404_in_chinese(client):
    response = client.get("/zh-hans/no/such/page/")
    assert response.status_code == 404
    assert "页面未找到" in response.content.decode()


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_500_page_shows_no_internals(monkeypatch):
    from wiits import views

    def broken(request):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(views, "render", lambda *args, **kwargs: broken(None))
    client = Client(raise_request_exception=False)
    response = client.get(reverse("home"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "secret internal detail" not in page


def test_400_page_for_a_bad_host():
    response = Client(HTTP_HOST="evil.example").get(reverse("home"))
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_reference_data_is_loaded():
    goals = list(SustainableDevelopmentGoal.objects.values_list("number", "colour"))
    assert len(goals) == 17
    assert goals[0] == (1, "#E5243B")
    assert goals[16] == (17, "#19486A")
    assert Sector.objects.active().count() == 16
    assert str(SustainableDevelopmentGoal.objects.get(number=13)) == "SDG 13: Climate action"


def test_staff_without_two_factor_are_sent_to_set_it_up(client, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = True
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_every_page_of_the_site_needs_two_factor_too(client, staff, settings, password):
    from technologies.models import NeedStatus
    from tests.factories import NeedFactory

    settings.WIITS_STAFF_REQUIRE_MFA = True
    need = NeedFactory(status=NeedStatus.SUBMITTED)
    client.post(reverse("account_login"), {"login": staff.email, "password": password})
    activate_totp(staff)
    response = client.get(reverse("reports:index"))
    assert response["Location"] == reverse("mfa_reauthenticate") + "?next=%2Freports%2F"
    assert client.get(reverse("reports:csv", args=["funnel"]))["Location"].startswith(reverse("mfa_reauthenticate"))
    response = client.post(reverse("needs:publish", args=[need.slug]), HTTP_REFERER="http://testserver/needs/x/")
    assert response["Location"] == reverse("mfa_reauthenticate") + "?next=http%3A%2F%2Ftestserver%2Fneeds%2Fx%2F"
    need.refresh_from_db()
    assert need.status == NeedStatus.SUBMITTED
    # Not only the staff pages: the unpublished need's page and the dashboard ask too
    # (every URL is walked in tests/test_url_access.py).
    for url in (need.get_absolute_url(), reverse("dashboard")):
        assert client.get(url)["Location"].startswith(reverse("mfa_reauthenticate") + "?next=")


def test_staff_signed_in_with_a_password_alone_are_asked_for_a_code(client, staff, settings, password):
    settings.WIITS_STAFF_REQUIRE_MFA = True
    # Someone signs in with the password alone before the staff member sets up two-factor
    # authentication; the account having an authenticator later must not let that session in.
    response = client.post(reverse("account_login"), {"login": staff.email, "password": password})
    assert response["Location"] == reverse("dashboard")
    activate_totp(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_reauthenticate") + "?next=%2Fadmin%2F"


def test_staff_who_signed_in_with_two_factor_reach_the_admin(client, staff, settings, password):
    settings.WIITS_STAFF_REQUIRE_MFA = True
    secret = activate_totp(staff)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": password})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def activate_totp(user) -> str:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_admin_lists_members_with_search(staff_client, member, other_member):
    response = staff_client.get(reverse("admin:accounts_user_changelist") + "?q=Amina")
    page = response.content.decode()
    assert member.email in page
    assert other_member.email not in page


@pytest.mark.django_db
def test_every_admin_list_and_form_opens_for_staff(client, staff, settings):
    """Every model in the admin: its list, its add form (when adding is allowed) and the
    change form of one row of the demo data open without an error."""
    from django.contrib import admin
    from django.core.management import call_command
    from django.test import RequestFactory

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False
    settings.WIITS_STAFF_REQUIRE_MFA = False
    client.force_login(staff)
    request = RequestFactory().get("/admin/")
    request.user = staff
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200, info
        if model_admin.has_add_permission(request):
            assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, info
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            assert client.get(reverse("admin:{}_{}_change".format(*info), args=[row.pk])).status_code == 200, info
