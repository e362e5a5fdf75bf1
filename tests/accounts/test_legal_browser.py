"""The privacy notice and terms in Chromium: the box at sign-up, and a member asked to
accept a new version who does so and goes on, in English and in Arabic, checked by axe."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Consent, LegalDocument
from accounts.services import consent_record
from tests.factories import PASSWORD, UserFactory
from tests.test_browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def behind():
    today = timezone.localdate()
    first = LegalDocument.objects.create(
        kind="terms", version=1, title="Terms of use", body="## 1. The portal\n\nFirst version.",
        effective_date=today - datetime.timedelta(days=200),
    )  # fmt: skip
    LegalDocument.objects.create(
        kind="terms", version=2, title="Terms of use", body="## 1. The portal\n\nSecond version.",
        changes="- Disputes are settled by arbitration.", effective_date=today,
        title_i18n_ar="شروط الاستخدام", changes_i18n_ar="- تُسوّى المنازعات بالتحكيم.",
    )  # fmt: skip
    member = UserFactory(email="nadia@example.org", name="Nadia Haddad", preferred_language="en")
    consent_record(user=member, documents=[first])
    return member


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_member_accepts_the_new_terms_and_goes_on(live_server, behind, language, request):
    prefix = "" if language == "en" else f"/{language}"
    browser = request.getfixturevalue("browser")
    page = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    page.goto(f"{base}{prefix}/accounts/login/")
    page.locator("#id_login").fill(behind.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}{prefix}/accounts/profile/consent/**")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert (
        "تُسوّى المنازعات بالتحكيم." if language == "ar" else "Disputes are settled by arbitration."
    ) in page.content()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}{prefix}/dashboard/")
    assert Consent.objects.filter(user=behind, document__version=2).exists()
    page.goto(f"{base}{prefix}/terms/?version=1")
    assert_accessible(page)
    page.context.close()


def test_sign_up_needs_the_box(live_server, request):
    LegalDocument.objects.create(
        kind="privacy", version=1, title="Privacy notice", body="Text.", effective_date=timezone.localdate()
    )
    browser = request.getfixturevalue("browser")
    page = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844}).new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/accounts/signup/")
    box = page.get_by_role("checkbox", name="I have read the privacy notice.")
    assert box.get_attribute("required") is not None
    assert page.get_by_role("link", name="privacy notice").first.get_attribute("href") == "/privacy/"
    assert_accessible(page)
    page.context.close()
