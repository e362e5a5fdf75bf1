"""In Chromium, with axe on every page: a manufacturer posts a need, staff publish it, an
innovator answers with a technology, the manufacturer records an agreement, and the
staff report's funnel shows it."""

import datetime

import pytest
from django.utils import timezone

from tests.technologies.test_browser import signed_in_page
from tests.test_browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_need_answer_agreement_and_the_funnel(
    live_server, member, innovator, published, staff, password, settings, browser
):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    base = live_server.url
    valid_until = (timezone.localdate() + datetime.timedelta(days=120)).isoformat()

    # The manufacturer posts a need and submits it.
    manufacturer = signed_in_page(browser, base, member.email, password)
    manufacturer.get_by_role("link", name="Post a technology need").click()
    manufacturer.wait_for_url(base + "/needs/new/")
    assert_accessible(manufacturer)
    manufacturer.get_by_label("Title").fill("Solar drying line for mangoes")
    manufacturer.get_by_label("The problem to solve").fill(
        "We lose a third of our mangoes after harvest.\n\n- 2 tonnes a day\n- no diesel"
    )
    manufacturer.get_by_label("Sector").select_option(label="Agro-food processing")
    manufacturer.get_by_label("SDG 2: Zero hunger").check()
    manufacturer.get_by_label("Country where the technology would be used").select_option("SN")
    manufacturer.get_by_label("Minimum technology readiness level").select_option("6")
    manufacturer.get_by_label("Licensing").check()
    manufacturer.get_by_label("Valid until").fill(valid_until)
    manufacturer.get_by_role("button", name="Save the draft").click()
    manufacturer.wait_for_url(base + "/needs/solar-drying-line-for-mangoes/")
    assert_accessible(manufacturer)
    manufacturer.get_by_role("button", name="Submit for publication").click()
    manufacturer.wait_for_load_state()
    assert "Submitted. WiiTs staff will check your need." in manufacturer.content()

    # Staff find it on their dashboard and publish it.
    admin = signed_in_page(browser, base, staff.email, password)
    admin.get_by_role("link", name="Solar drying line for mangoes").click()
    admin.wait_for_url(base + "/needs/solar-drying-line-for-mangoes/")
    assert_accessible(admin)
    admin.get_by_role("button", name="Publish", exact=True).click()
    admin.wait_for_load_state()
    assert "Publish this need?" in admin.content()  # the confirmation (issue 22)
    admin.get_by_role("button", name="Yes, publish the need").click()
    admin.wait_for_load_state()
    assert "The need is published." in admin.content()
    assert "Solar crop dryer" in admin.content()  # staff see the suggestions

    # The innovator finds it in the list and proposes their dryer.
    owner = signed_in_page(browser, base, innovator.email, password)
    owner.goto(base + "/needs/")
    owner.get_by_label("Words").fill("mangoes")
    owner.get_by_role("button", name="Search").click()
    owner.wait_for_load_state()
    assert_accessible(owner)
    owner.get_by_role("link", name="Solar drying line for mangoes").click()
    owner.wait_for_url(base + "/needs/solar-drying-line-for-mangoes/")
    owner.get_by_role("combobox", name="Your technology").select_option(label="Solar crop dryer")
    owner.get_by_label("Kind of cooperation you propose").select_option(label="Licensing")
    owner.get_by_label("Message").fill("Our dryer handles 2 tonnes a day without fuel.")
    owner.get_by_role("button", name="Send my proposal").click()
    owner.wait_for_load_state()
    assert "Your technology has been proposed to the owner of this need." in owner.content()
    assert_accessible(owner)

    # The manufacturer records an agreement from the dashboard.
    manufacturer.goto(base + "/dashboard/")
    assert "Our dryer handles 2 tonnes a day without fuel." in manufacturer.content()
    assert_accessible(manufacturer)
    manufacturer.get_by_role("link", name="Record how it went — Solar crop dryer, Chen Jie").click()
    manufacturer.wait_for_load_state()
    assert_accessible(manufacturer)
    manufacturer.get_by_label("Agreement reached").check()
    manufacturer.get_by_label("If an agreement was reached, what kind?").select_option(label="Licensing")
    manufacturer.get_by_role("button", name="Save").click()
    manufacturer.wait_for_url(base + "/dashboard/")
    assert "the outcome has been recorded" in manufacturer.content()

    # Staff see it in the funnel of the reports page.
    admin.goto(base + "/reports/")
    assert_accessible(admin)
    month = timezone.localdate().strftime("%Y-%m")
    row = admin.locator("#report-funnel table tbody tr", has_text=month)
    cells = row.locator("td").all_inner_texts()
    assert cells[-3:] == ["1", "1", "1"], cells  # inquiries, discussions, agreements this month
