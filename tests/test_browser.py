"""Sign-up to dashboard in headless Chromium, with axe-core checking every page visited
for WCAG 2.1 A/AA violations."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from accounts.models import StakeholderType
from tests.conftest import AXE_PATH, CHROMIUM_PATH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS)
        # axe is injected as an inline script, which the portal's CSP rightly forbids.
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def assert_accessible(page) -> None:
    page.add_script_tag(path=str(AXE_PATH))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]
    assert violations == [], f"axe found WCAG 2.1 A/AA violations on {page.url}:\n" + "\n".join(violations)


def test_signup_confirm_signin_dashboard_in_chromium(page, live_server):
    base = live_server.url
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "World Industrial Innovative Technology Cooperations"
    assert_accessible(page)

    page.goto(base + "/zh-hans/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert_accessible(page)

    page.goto(base + "/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("Email").fill("helen.wang@example.org")
    page.locator("#id_password1").fill("a-long-and-unusual-passphrase")
    page.locator("#id_password2").fill("a-long-and-unusual-passphrase")
    page.get_by_label("Full name").fill("Helen Wang")
    page.get_by_label("Organisation").fill("BGTA International Accelerator")
    page.get_by_label("I am a").select_option(StakeholderType.FINANCE_PROVIDER.value)
    page.get_by_label("Country").select_option("GB")
    page.get_by_label("Renewable energy").check()
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(base + "/accounts/confirm-email/")
    assert "Verify Your Email Address" in page.content()
    assert_accessible(page)

    (email,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", email.body)[0]
    page.goto(base + urlsplit(link).path)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    # Confirmed in the browser that signed up: signed in at once, and welcomed
    # (tests/accounts/test_login_on_confirmation.py has the other paths).
    page.wait_for_url(base + "/dashboard/")
    assert page.locator("h1").inner_text() == "Welcome, Helen"
    assert "Welcome to WiiTs, Helen. Your account is ready and you are signed in." in page.content()
    assert_accessible(page)

    page.goto(base + "/accounts/profile/")
    assert_accessible(page)
    page.goto(base + "/accounts/2fa/")
    assert_accessible(page)

    page.goto(base + "/no/such/page/")
    assert_accessible(page)


def test_home_fits_a_phone(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, f"the page scrolls sideways on a phone ({scroll_width}px wide)"
    assert_accessible(page)


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.fixture
def strict_page():
    """A page that keeps the portal's Content-Security-Policy and records its violations."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.csp_violations = []
        page.on(
            "console",
            lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text),
        )
        yield page
        context.close()
        browser.close()


def test_pages_and_admin_work_under_the_content_security_policy(live_server, staff, password, settings, strict_page):
    # `staff` comes before `strict_page`: ORM work done while Playwright's event loop runs
    # would use a connection of its own that the test teardown never closes.
    settings.WIITS_STAFF_REQUIRE_MFA = False  # the two-factor step is tested in tests/wiits/test_pages.py
    page, base = strict_page, live_server.url
    for path in ["/", "/zh-hans/", "/accounts/signup/", "/accounts/login/"]:
        page.goto(base + path)
    page.locator("#id_login").fill(staff.email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(base + "/dashboard/")
    for path in ["/accounts/profile/", "/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{staff.pk}/change/"]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")  # let every request finish (and close its connection)
        assert page.url == base + path
    # The admin's own scripts ran: the sectors widget was turned into two filterable lists.
    assert page.locator("#id_sectors_from").count() == 1
    assert page.csp_violations == []
