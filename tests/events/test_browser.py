"""In Chromium, with axe: staff create an event with agenda and speakers in the admin, a
member registers, another lands on the waiting list, the first cancels, the second is
promoted and emailed."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import UserFactory
from tests.technologies.test_browser import signed_in_page
from tests.test_browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def people(db):
    return UserFactory(name="Ada First", email="ada@example.org"), UserFactory(
        name="Bo Second", email="bo@example.org"
    )


def test_create_register_wait_cancel_promote(live_server, staff, people, password, settings, browser):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    base = live_server.url
    ada, bo = people
    day = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()

    admin = signed_in_page(browser, base, staff.email, password)
    admin.goto(base + "/admin/events/event/add/")
    admin.locator("#id_kind").select_option("workshop")
    admin.locator("#id_title").fill("Biogas hands-on day")
    # The slug is filled from the title by the admin's own script.
    admin.locator("#id_summary").fill("Build and run a small digester.")
    admin.locator("#id_starts_at_0").fill(day)
    admin.locator("#id_starts_at_1").fill("09:00:00")
    admin.locator("#id_ends_at_0").fill(day)
    admin.locator("#id_ends_at_1").fill("17:00:00")
    admin.locator("#id_time_zone").select_option("Africa/Nairobi")
    admin.locator("#id_venue").fill("Demonstration farm")
    admin.locator("#id_city").fill("Nakuru")
    admin.locator("#id_capacity").fill("1")
    admin.locator("#id_is_published").check()
    admin.get_by_text("Add another Speaker").click()
    admin.locator("#id_speakers-0-name").fill("Wanjiru Mwangi")
    admin.get_by_text("Add another Agenda item").click()
    admin.locator("#id_agenda-0-starts_at_0").fill(day)
    admin.locator("#id_agenda-0-starts_at_1").fill("09:30:00")
    admin.locator("#id_agenda-0-title").fill("Welcome and safety briefing")
    admin.locator("input[name=_save]").click()
    admin.wait_for_load_state()
    assert "was added successfully" in admin.content()

    first = signed_in_page(browser, base, ada.email, password)
    first.goto(base + "/events/biogas-hands-on-day/")
    content = first.content()
    assert "Welcome and safety briefing" in content and "Wanjiru Mwangi" in content
    assert_accessible(first)
    first.get_by_role("button", name="Register").click()
    first.wait_for_load_state()
    assert "You are registered." in first.content()

    second = signed_in_page(browser, base, bo.email, password)
    second.goto(base + "/events/biogas-hands-on-day/")
    second.get_by_role("button", name="Join the waiting list").click()
    second.wait_for_load_state()
    assert "You are number 1 on the waiting list." in second.content()
    assert_accessible(second)

    first.get_by_role("button", name="Cancel my registration").click()
    first.wait_for_load_state()
    assert "Your place goes at once to the first person on the waiting list" in first.content()  # issue 22
    assert_accessible(first)
    first.get_by_role("button", name="Yes, cancel my registration").click()
    first.wait_for_load_state()
    assert "Your registration has been cancelled." in first.content()

    second.reload()
    assert "You are registered." in second.content()
    promoted = [m for m in mail.outbox if m.to == [bo.email] and m.subject.startswith("[WiiTs] A place became free")]
    assert len(promoted) == 1 and promoted[0].attachments[0][0] == "biogas-hands-on-day.ics"

    visitor = browser.new_context(bypass_csp=True).new_page()
    visitor.goto(base + "/events/")
    assert "Biogas hands-on day" in visitor.content()
    assert_accessible(visitor)
