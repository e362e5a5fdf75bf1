"""In Chromium, with axe on every page: an innovator lists and submits a technology with
an image and a brochure, staff publish it in the admin, a member finds it by a word and
a filter and sends an inquiry, and the owner sees it on the dashboard."""

import io

import pytest
from PIL import Image

from tests.test_browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def signed_in_page(browser, base, email, password):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(base + "/dashboard/")
    return page


def test_list_publish_find_and_inquire(live_server, innovator, staff, member, password, settings, tmp_path, browser):
    settings.WIITS_STAFF_REQUIRE_MFA = False  # tested in tests/wiits/test_pages.py
    # The mark's review rule is tested at every door in tests/advisors/test_review_rules_at_every_door.py.
    settings.WIITS_REVIEWERS_PER_TECHNOLOGY = 0
    base = live_server.url
    image_path = tmp_path / "kiln.png"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (180, 80, 40)).save(buffer, format="PNG")
    image_path.write_bytes(buffer.getvalue())
    brochure_path = tmp_path / "kiln.pdf"
    brochure_path.write_bytes(b"%PDF-1.4\n% WiiTs test brochure\n")

    # The innovator lists and submits.
    owner = signed_in_page(browser, base, innovator.email, password)
    owner.get_by_role("link", name="List a technology").click()
    owner.wait_for_url(base + "/technologies/new/")
    assert_accessible(owner)
    owner.get_by_label("Title").fill("Zig-zag brick kiln")
    owner.get_by_label("Non-confidential summary").fill("A retrofit that halves the coal a brick kiln burns.")
    owner.get_by_label("Description").fill("## How\n\nAir travels in a zig-zag path through the bricks.")
    owner.get_by_label("Advantages over existing solutions").fill("Less coal, less soot, better bricks.")
    owner.get_by_label("Sector").select_option(label="Energy efficiency")
    owner.get_by_label("SDG 13: Climate action").check()
    owner.get_by_label("Technology readiness level").select_option("8")
    owner.get_by_label("Intellectual property").select_option(label="Open or none")
    owner.get_by_label("Country where developed").select_option("IN")
    owner.get_by_label("Licensing").check()
    owner.get_by_label("Add images").set_input_files(str(image_path))
    owner.get_by_label("Brochure (PDF)").set_input_files(str(brochure_path))
    owner.get_by_role("button", name="Save the draft").click()
    owner.wait_for_url(base + "/technologies/zig-zag-brick-kiln/")
    assert "only you and WiiTs staff can see it" in owner.content()
    assert owner.locator("img[alt='Zig-zag brick kiln']").evaluate("img => img.naturalWidth") == 320
    assert_accessible(owner)
    owner.get_by_role("button", name="Submit for review").click()
    owner.wait_for_load_state()
    assert "Submitted. WiiTs staff will screen your listing." in owner.content()

    # Staff screen and publish it in the admin.
    admin = signed_in_page(browser, base, staff.email, password)
    admin.goto(base + "/admin/technologies/technology/?status__exact=submitted")
    for action in ["screen", "publish_nag"]:
        admin.get_by_role("checkbox", name="Select this object for an action - Zig-zag brick kiln").check()
        admin.locator("select[name=action]").select_option(action)
        admin.get_by_role("button", name="Go").click()
        admin.wait_for_load_state()
        admin.goto(base + "/admin/technologies/technology/")
    assert "Published" in admin.content()

    # A member finds it by a word and a filter, and asks for cooperation.
    visitor = signed_in_page(browser, base, member.email, password)
    visitor.goto(base + "/technologies/")
    visitor.get_by_label("Words").fill("kiln")
    visitor.get_by_label("Sector").select_option(label="Energy efficiency")
    visitor.get_by_role("button", name="Search").click()
    visitor.wait_for_load_state()
    assert "1 technology found" in visitor.content()
    assert "sector=energy-efficiency" in visitor.url and "q=kiln" in visitor.url
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Zig-zag brick kiln").click()
    visitor.wait_for_url(base + "/technologies/zig-zag-brick-kiln/")
    assert "NAG-evaluated" in visitor.content()
    assert_accessible(visitor)
    visitor.get_by_label("Kind of cooperation you seek").select_option(label="Licensing")
    visitor.get_by_label("Your organisation").fill("Dakar Bricks SA")
    visitor.get_by_label("Message").fill("We run twelve kilns near Thiès and would like to license this.")
    visitor.get_by_role("button", name="Send my inquiry").click()
    visitor.wait_for_load_state()
    assert "Your inquiry has been sent" in visitor.content()

    # The owner sees it.
    owner.goto(base + "/dashboard/")
    assert "Dakar Bricks SA" in owner.content()
    assert "twelve kilns near Thi" in owner.content()
    assert_accessible(owner)
