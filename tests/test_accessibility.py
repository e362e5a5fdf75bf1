"""The accessibility gate: every public page type and the main member, adviser and staff
pages, in English and in Arabic (right to left), checked by axe-core against WCAG 2.1 A
and AA, on the demo data a newcomer sees. And a keyboard-only path through sign-in, a
catalogue search with a filter, an event registration and a review submission."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from django.urls import reverse

from tests.technologies.test_browser import signed_in_page
from tests.test_browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEMO_PASSWORD = "wiits-demo-2020"


@pytest.fixture
def demo(settings):
    """The demo data, and the pages to visit (found before the browser starts)."""
    from advisors.models import Adviser, Assignment
    from events.models import Event
    from technologies.models import Inquiry, Need, Technology

    settings.DEBUG = True  # load_demo refuses to run otherwise
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False
    settings.WIITS_STAFF_REQUIRE_MFA = False  # tested in tests/wiits/test_pages.py
    technology = Technology.objects.nag_evaluated().first()
    need = Need.objects.filter(status="published", owner__email="member@wiits.example").first()
    waiting = Assignment.objects.open().filter(adviser__user__email="adviser@wiits.example")
    submitted_need = Need.objects.filter(status="submitted").first()
    in_review = Technology.objects.filter(status__in=["submitted", "in_review"]).first()
    # Calls: the open one (a submitted application taken to the jury, the chair assigned to
    # score it) and the closed one with its results and the demo innovator's application.
    from calls import jury
    from calls import services as call_services
    from calls.models import Application, Call

    staff = get_user_model().objects.get(email="staff@wiits.example")
    open_call = next(call for call in Call.objects.published() if call.is_open())
    closed_call = Call.objects.published().exclude(pk=open_call.pk).first()
    judged = open_call.applications.filter(status="submitted").first()
    for status in ("eligible", "shortlisted", "jury_review"):
        call_services.application_move(application=judged, to=status, by=staff)
    chair = Adviser.objects.get(user__email="adviser@wiits.example")
    open_call.jury.add(chair)
    scoring = jury.jury_assign(application=judged, adviser=chair, by=staff)
    mine = Application.objects.filter(call=closed_call, applicant__email="innovator@wiits.example").first()
    return {
        "public": [
            reverse("home"),
            reverse("technologies:catalogue"),
            reverse("technologies:catalogue") + "?q=solar&sector=renewable-energy&sort=trl",
            technology.get_absolute_url(),
            reverse("needs:list"),
            need.get_absolute_url(),
            reverse("advisors:group"),
            reverse("advisors:charter"),
            Adviser.objects.filter(is_active=True).first().get_absolute_url(),
            reverse("events:upcoming"),
            reverse("events:past"),
            Event.objects.published().upcoming().first().get_absolute_url(),
            reverse("account_login"),
            reverse("account_signup"),
            reverse("account_reset_password"),
            "/technologies/no-such-listing/",  # the 404 page
            reverse("calls:list"),
            open_call.get_absolute_url(),
            closed_call.get_absolute_url(),  # with its results
            reverse("privacy"),
            reverse("terms"),
            reverse("contact"),
            reverse("embed:builder"),
            reverse("embed:technologies"),
            reverse("embed:events"),
        ],
        "innovator@wiits.example": [
            reverse("calls:apply", args=[open_call.slug]),
            mine.get_absolute_url(),
        ],
        "member@wiits.example": [
            reverse("dashboard"),
            reverse("accounts:profile"),
            reverse("technologies:create"),
            reverse("needs:create"),
            need.get_absolute_url(),  # the owner's view, with suggestions and answers
            reverse("needs:translate", args=[need.slug, "es"]),
            reverse("technologies:outcome", args=[Inquiry.objects.filter(need=need).first().pk]),
        ],
        "adviser@wiits.example": [
            reverse("advisors:review_queue"),
            waiting.first().get_absolute_url(),
            scoring.get_absolute_url(),  # the declaration first
        ],
        "staff@wiits.example": [
            reverse("dashboard"),
            reverse("reports:index"),
            submitted_need.get_absolute_url(),
            reverse("advisors:assign", args=[in_review.slug]),
            reverse("admin:index"),
            reverse("calls:ranking", args=[open_call.slug]),
        ],
    }


def _in(language: str, path: str) -> str:
    return path if language == "en" else f"/{language}{path}"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_type_passes_axe(live_server, demo, language, request):
    browser = request.getfixturevalue("browser")  # after the ORM work above
    base = live_server.url
    visited = []
    for who, paths in demo.items():
        if who == "public":
            page = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}).new_page()
        else:
            page = signed_in_page(browser, base, who, DEMO_PASSWORD)
        for path in paths:
            page.goto(base + _in(language, path))
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
            assert_accessible(page)
            visited.append(path)
        page.context.close()
    assert len(visited) == sum(len(paths) for paths in demo.values())


# --- Keyboard only ------------------------------------------------------------------------


def tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the focused element matches `selector`; it must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            outline = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
            )
            assert outline[0] != "none" or outline[2] != "none", f"{selector} has no visible focus: {outline}"
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def keyboard_sign_in(browser, base, email):
    page = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    tab_to(page, "#id_login")
    page.keyboard.type(email)
    tab_to(page, "#id_password")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/dashboard/")
    return page


@pytest.fixture
def keyboard_demo(settings):
    from advisors.models import Assignment
    from events.models import Event, RegistrationMode

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False
    event = next(
        event
        for event in Event.objects.published().upcoming()
        if event.registration_mode == RegistrationMode.OPEN and not event.registrations.filter(
            user__email="member@wiits.example"
        ).exists() and event.registration_is_open()
    )  # fmt: skip
    assignment = Assignment.objects.open().get(adviser__user__email="adviser@wiits.example")
    return {"event": event.get_absolute_url(), "event_pk": event.pk, "assignment": assignment}


def test_keyboard_only_sign_in_search_register_and_review(live_server, keyboard_demo, request):
    from advisors.models import Assignment, AssignmentState
    from events.models import Registration

    browser = request.getfixturevalue("browser")
    base = live_server.url

    # Sign in, then reach the catalogue from the main navigation.
    member = keyboard_sign_in(browser, base, "member@wiits.example")
    tab_to(member, "nav a[href='/technologies/']")
    member.keyboard.press("Enter")
    member.wait_for_url(base + "/technologies/")
    # Search with a filter: words, then a sector chosen by typing its name.
    tab_to(member, "#id_q")
    member.keyboard.type("solar")
    tab_to(member, "#id_sector")
    member.keyboard.type("Renewable")
    tab_to(member, "form[role=search] button[type=submit]")
    member.keyboard.press("Enter")
    member.wait_for_url("**/technologies/?*")
    assert "q=solar" in member.url and "sector=renewable-energy" in member.url
    assert "technology found" in member.content() or "technologies found" in member.content()

    # Register for an event with the keyboard.
    member.goto(base + keyboard_demo["event"])
    tab_to(member, "form[action$='/register/'] button[type=submit]")
    with member.expect_navigation():
        member.keyboard.press("Enter")
    member.context.close()

    # An adviser declares no conflict and submits a review, keyboard only.
    adviser = keyboard_sign_in(browser, base, "adviser@wiits.example")
    adviser.goto(base + keyboard_demo["assignment"].get_absolute_url())
    if adviser.locator("input[name=declaration]").count():
        tab_to(adviser, "input[name=declaration][value=none]")
        adviser.keyboard.press("Space")
        tab_to(adviser, "form[action$='/declare/'] button[type=submit]")
        with adviser.expect_navigation():
            adviser.keyboard.press("Enter")
    for name in adviser.eval_on_selector_all(
        "input[type=radio][name^=score_]", "radios => [...new Set(radios.map(r => r.name))]"
    ):
        tab_to(adviser, f"input[name={name}]")
        for _ in range(3):  # from 1 to 4 with the arrow keys, as in any radio group
            adviser.keyboard.press("ArrowRight")
    tab_to(adviser, "#id_recommendation")
    adviser.keyboard.type("Publish")
    tab_to(adviser, "#id_comments_for_innovator")
    adviser.keyboard.type("Convincing field results; scale-up costs need more detail.")
    tab_to(adviser, "button[name=submit]")
    with adviser.expect_navigation():
        adviser.keyboard.press("Enter")
    # The summary to confirm (issue 22), keyboard only too.
    assert "Submit your review?" in adviser.content()
    tab_to(adviser, "form:has(input[name=confirmed]) button[type=submit]")
    with adviser.expect_navigation():
        adviser.keyboard.press("Enter")
    assert "Your review has been submitted" in adviser.content()
    adviser.context.close()

    # While Playwright's loop runs, the ORM works on a connection of this context's own:
    # close it, or it outlives the test and the test database cannot be dropped.
    try:
        registered = Registration.objects.filter(
            event_id=keyboard_demo["event_pk"], user__email="member@wiits.example"
        ).exists()
        assignment = Assignment.objects.get(pk=keyboard_demo["assignment"].pk)
        scores = {score.score for score in assignment.review.scores.all()}
    finally:
        connections.close_all()
    assert registered
    assert assignment.state == AssignmentState.SUBMITTED
    assert scores == {4}
