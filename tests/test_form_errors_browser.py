"""Forms sent back with problems, in Chromium (issue 22, part 2): the error state of the main
forms passes axe in English and in Arabic; the focus lands on the error summary and its links
focus their fields; a long form asks before unsaved changes are lost, and never when it is
sent. (The same pages without problems are in tests/test_accessibility.py.)"""

import datetime

import pytest
from django.urls import reverse

from calls.models import CallQuestion
from tests.factories import CallFactory, TechnologyFactory, UserFactory
from tests.technologies.test_browser import signed_in_page
from tests.test_browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FOCUSED_SUMMARY = "() => document.activeElement && document.activeElement.matches('[data-error-summary]')"


@pytest.fixture
def cast(innovator, member):
    """The pages to send back, found before the browser starts (the ORM cannot run after)."""
    call = CallFactory(title="Clean cooling challenge", slug="clean-cooling")
    CallQuestion.objects.create(call=call, order=1, kind="yes_no", text="Is it patented?")
    CallQuestion.objects.create(call=call, order=2, kind="number", text="Tonnes of CO2 saved a year")
    TechnologyFactory(owner=innovator, title="Solar crop dryer", slug="solar-crop-dryer")
    UserFactory(email="taken@example.org")
    return {"apply": reverse("calls:apply", args=[call.slug])}


def _in(language: str, path: str) -> str:
    return path if language == "en" else f"/{language}{path}"


def _send(page, button: str) -> None:
    with page.expect_navigation():
        page.locator(f"main form button[type=submit]:has-text('{button}')").first.click()


def _assert_sent_back(page, language: str, *, fields: bool = True) -> None:
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("[data-error-summary]").count() == 1
    assert (page.locator("[aria-invalid=true]").count() >= 1) == fields
    assert page.evaluate(FOCUSED_SUMMARY), f"the focus is not on the error summary of {page.url}"
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_error_state_of_each_main_form_passes_axe(
    live_server, cast, innovator, member, password, language, request
):
    browser = request.getfixturevalue("browser")  # after the ORM work above
    base = live_server.url
    submit = "main form button[type=submit]"  # the same in both languages

    visitor = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}).new_page()
    visitor.set_default_timeout(15_000)
    # Sign-up: an address already taken, passwords that differ, no name.
    visitor.goto(base + _in(language, reverse("account_signup")))
    visitor.locator("#id_email").fill("taken@example.org")
    visitor.locator("#id_password1").fill("a-long-and-unusual-passphrase")
    visitor.locator("#id_password2").fill("another-long-passphrase")
    with visitor.expect_navigation():
        visitor.locator(submit).last.click()
    _assert_sent_back(visitor, language)
    assert visitor.locator("#id_email").input_value() == "taken@example.org"
    # Sign-in: a wrong password (a problem of no field: listed, not linked).
    visitor.goto(base + _in(language, reverse("account_login")))
    visitor.locator("#id_login").fill(member.email)
    visitor.locator("#id_password").fill("not-the-password")
    with visitor.expect_navigation():
        visitor.locator(submit).last.click()
    _assert_sent_back(visitor, language, fields=False)
    assert visitor.locator("[data-error-summary] a").count() == 0
    visitor.context.close()

    owner = signed_in_page(browser, base, innovator.email, password)
    # The listing form, empty; then the call application without a technology.
    owner.goto(base + _in(language, reverse("technologies:create")))
    with owner.expect_navigation():
        owner.locator(submit).first.click()
    _assert_sent_back(owner, language)
    owner.goto(base + _in(language, cast["apply"]))
    owner.locator("input[type=number]").fill("1" * 60)
    with owner.expect_navigation():
        owner.locator(submit).first.click()
    _assert_sent_back(owner, language)
    owner.context.close()

    needer = signed_in_page(browser, base, member.email, password)
    # The need form, with a title only; and the profile without a name.
    needer.goto(base + _in(language, reverse("needs:create")))
    needer.locator("#id_title").fill("Solar drying line for mangoes")
    with needer.expect_navigation():
        needer.locator(submit).first.click()
    _assert_sent_back(needer, language)
    assert needer.locator("#id_title").input_value() == "Solar drying line for mangoes"
    needer.goto(base + _in(language, reverse("accounts:profile")))
    needer.locator("#id_name").fill("")
    with needer.expect_navigation():
        needer.locator(submit).first.click()
    _assert_sent_back(needer, language)
    needer.context.close()


def test_the_summary_links_focus_their_fields(live_server, cast, innovator, password, request):
    browser = request.getfixturevalue("browser")
    base = live_server.url
    page = signed_in_page(browser, base, innovator.email, password)
    page.goto(base + cast["apply"])
    page.locator("input[type=number]").fill("1" * 60)
    # A choice the form does not offer, as a tampered request would send it.
    page.locator("input[type=radio]").first.evaluate("radio => { radio.value = 'maybe'; radio.checked = true; }")
    _send(page, "Save the draft")
    assert page.evaluate(FOCUSED_SUMMARY)
    links = page.locator("[data-error-summary] a")
    assert links.count() == 3  # the technology, the yes-or-no question, the number
    # A single control's link focuses it and scrolls its label into view.
    page.locator("[data-error-summary] a[href='#id_technology']").click()
    assert page.evaluate("() => document.activeElement.id") == "id_technology"
    assert page.locator("label[for=id_technology]").is_visible()
    number = links.filter(has_text="Tonnes of CO2")
    number.click()
    assert page.evaluate("() => document.activeElement.type") == "number"
    # A group of choices' link names the group's container; its first choice gets the focus.
    group = links.filter(has_text="Is it patented?")
    container = group.get_attribute("href")
    assert page.locator(container).evaluate("element => element.tagName") == "DIV"
    group.click()
    assert page.evaluate("() => [document.activeElement.type, document.activeElement.id]") == [
        "radio",
        f"{container[1:]}_0",
    ]
    # Without JavaScript the links are anchors to elements of the page.
    for index in range(links.count()):
        assert page.locator(links.nth(index).get_attribute("href")).count() == 1
    page.context.close()


def test_a_long_form_asks_before_unsaved_changes_are_lost_and_never_when_sent(live_server, member, password, request):
    browser = request.getfixturevalue("browser")
    base = live_server.url
    page = signed_in_page(browser, base, member.email, password)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    create = base + reverse("needs:create")

    # Nothing changed: leaving does not ask.
    page.goto(create)
    with page.expect_navigation():
        page.get_by_role("link", name="Cancel").click()
    assert dialogs == [] and page.url == base + reverse("dashboard")

    # Something typed: leaving asks; dismissed, the page and its text stay.
    page.goto(create)
    page.locator("#id_title").click()
    page.keyboard.type("Solar drying line for mangoes")
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url == create
    assert page.locator("#id_title").input_value() == "Solar drying line for mangoes"

    # Sending the form never asks, whether it comes back with problems or is saved.
    _send(page, "Save the draft")
    assert dialogs == ["beforeunload"]
    assert page.locator("[data-error-summary]").count() == 1
    # Sent back with problems, nothing is saved yet: leaving now asks, untouched or not.
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload", "beforeunload"]
    page.locator("#id_problem").fill("We lose a third of our mangoes after harvest.")
    page.locator("#id_sector").select_option(index=1)
    page.locator("#id_country").select_option("SN")
    page.locator("#id_trl_min").select_option("6")
    page.locator("#id_valid_until").fill((datetime.date.today() + datetime.timedelta(days=60)).isoformat())
    _send(page, "Save the draft")
    assert page.locator("[data-error-summary]").count() == 0, page.locator("main").inner_text()[:500]
    assert page.url.startswith(base + "/needs/") and page.url != create
    assert dialogs == ["beforeunload", "beforeunload"]
    page.context.close()
