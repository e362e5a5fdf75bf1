"""In Chromium: the admin's translation tabs work with the portal's own jQuery UI and mark
the original language's tab, under the admin's Content-Security-Policy (no bypass)."""

import pytest

from tests.factories import TechnologyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_translation_tabs_in_the_admin(live_server, staff, password, settings, browser):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    listing = TechnologyFactory(original_language="zh-hans", title="太阳能干燥机", title_i18n_en="Solar dryer")
    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()  # the real CSP: no bypass
    admin.set_default_timeout(15_000)
    admin.goto(live_server.url + "/accounts/login/")
    admin.locator("#id_login").fill(staff.email)
    admin.locator("#id_password").fill(password)
    admin.get_by_role("button", name="Sign In").click()
    admin.wait_for_url(live_server.url + "/dashboard/")
    errors = []
    admin.on("pageerror", lambda error: errors.append(str(error)))
    admin.goto(f"{live_server.url}/admin/technologies/technology/{listing.pk}/change/")
    tabs = admin.locator(".ui-tabs-nav").first.locator("li a")
    assert tabs.count() == 6
    labels = [tabs.nth(index).inner_text() for index in range(6)]  # in the order of settings.LANGUAGES
    assert labels == ["ar", "zh-hans (original: the text above)", "en", "fr", "ru", "es"]
    tabs.nth(labels.index("en")).click()
    assert admin.locator("#id_title_i18n_en").input_value() == "Solar dryer"
    assert admin.locator("#id_title_i18n_en").is_visible() and not admin.locator("#id_title_i18n_fr").is_visible()
    admin.locator("select[name=original_language]").select_option("en")
    assert [tabs.nth(index).inner_text() for index in range(3)] == ["ar", "zh-hans", "en (original: the text above)"]
    admin.screenshot(path="var/admin-translation-tabs.png", full_page=True)
    assert errors == []
