"""In Chromium, with axe: staff assign two advisers, both review, staff publish the
technology as NAG-evaluated, the innovator reads the decision and the catalogue shows
the NAG mark."""

import pytest

from advisors.models import Criterion
from tests.factories import AdviserFactory, TechnologyFactory
from tests.technologies.test_browser import signed_in_page
from tests.test_browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def review_setup(innovator):
    """Everything the ORM must create before Playwright's event loop starts."""
    technology = TechnologyFactory(
        owner=innovator, status="submitted", title="Zig-zag brick kiln", slug="zig-zag-brick-kiln"
    )
    advisers = [
        AdviserFactory(user__name="Ada Adviser", user__email="ada@example.org", expertise=["agro-food-processing"]),
        AdviserFactory(user__name="Bo Reviewer", user__email="bo@example.org"),
    ]
    criteria = list(Criterion.objects.active().values_list("pk", flat=True))
    return technology, advisers, criteria


def test_assign_review_decide_in_the_browser(live_server, staff, innovator, password, settings, review_setup, browser):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    technology, advisers, criteria = review_setup
    base = live_server.url

    page = browser.new_context(bypass_csp=True).new_page()
    page.goto(base + "/advisory-group/")
    assert "Ada Adviser" in page.content()
    assert_accessible(page)

    admin = signed_in_page(browser, base, staff.email, password)
    assign_url = f"{base}/advisory-group/staff/technologies/{technology.slug}/assign/"
    admin.goto(base + "/dashboard/")
    admin.get_by_role("link", name="Zig-zag brick kiln").first.click()
    admin.wait_for_url(assign_url)
    assert_accessible(admin)
    for adviser in advisers:
        admin.locator("#id_adviser").select_option(label=adviser.name)
        admin.get_by_role("button", name="Assign and email the adviser").click()
        admin.wait_for_url(assign_url)
    assert admin.content().count("Awaiting conflict declaration") == 2

    for number, adviser in enumerate(advisers):
        reviewer = signed_in_page(browser, base, adviser.user.email, password)
        reviewer.get_by_role("link", name="Zig-zag brick kiln").click()
        assert_accessible(reviewer)
        reviewer.get_by_label("I have no conflict of interest with this technology or its organisation.").check()
        reviewer.get_by_role("button", name="Send my declaration").click()
        reviewer.wait_for_load_state()
        for pk in criteria:
            reviewer.locator(f"input[name=score_{pk}][value='{5 - number}']").check()
        reviewer.get_by_label("Recommendation").select_option("nag_evaluated")
        reviewer.get_by_label("Comments for the innovator").fill(f"Public comment from reviewer {number + 1}.")
        reviewer.get_by_label("Confidential comments for staff").fill(f"Secret note {number + 1}.")
        assert_accessible(reviewer)
        reviewer.get_by_role("button", name="Submit my review").click()
        reviewer.wait_for_load_state()
        assert "Submit your review?" in reviewer.content()  # the summary to confirm (issue 22)
        assert_accessible(reviewer)
        reviewer.get_by_role("button", name="Submit my review").click()
        reviewer.wait_for_load_state()
        assert "Your review has been submitted." in reviewer.content()
        reviewer.context.close()

    admin.goto(f"{base}/advisory-group/staff/technologies/{technology.slug}/decision/")
    assert "Mean weighted score:" in admin.content() and "87.5" in admin.content()
    assert_accessible(admin)
    admin.get_by_label("Publish as NAG-evaluated").check()
    admin.get_by_label("Message to the innovator").fill("Congratulations: the advisers recommend it.")
    admin.get_by_role("button", name="Record the decision and email the innovator").click()
    admin.wait_for_load_state()
    assert "Record this decision?" in admin.content()  # the confirmation (issue 22)
    assert_accessible(admin)
    admin.get_by_role("button", name="Record the decision and email the innovator").click()
    admin.wait_for_url(f"{base}/technologies/{technology.slug}/")

    owner = signed_in_page(browser, base, innovator.email, password)
    owner.goto(f"{base}/technologies/{technology.slug}/")
    content = owner.content()
    assert "Public comment from reviewer 1." in content and "Public comment from reviewer 2." in content
    assert "Secret note" not in content and "Ada Adviser" not in content and "Bo Reviewer" not in content
    assert "NAG-evaluated" in content
    assert_accessible(owner)
    owner.goto(f"{base}/technologies/?nag=on")
    assert "Zig-zag brick kiln" in owner.content()
