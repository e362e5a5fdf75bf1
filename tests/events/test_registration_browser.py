"""Issue 22 in headless Chromium, checked by axe: registering with the event's questions (a
missing answer first), changing the answers, asking for a visa invitation letter, in English
and in Arabic. With WIITS_SCREENSHOTS=<folder>, the pages are saved there (wide and phone)."""

import datetime
import os
import zoneinfo
from pathlib import Path

import pytest
from django.utils import timezone

from events.models import Registration, RegistrationQuestion, VisaLetterRequest
from tests.factories import EventFactory
from tests.test_browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = os.environ.get("WIITS_SCREENSHOTS")


def shoot(page, name: str) -> None:
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"event-{name}.png"), full_page=True)
    wide = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(folder / f"event-{name}-phone.png"), full_page=True)
    page.set_viewport_size(wide)


def signed_in_page(browser, base, email, password):
    """Signed in; the dashboard opens in the member's language (/ar/dashboard/ in Arabic)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")
    return page


@pytest.fixture
def conference(db):
    starts = (timezone.now() + datetime.timedelta(days=40)).astimezone(zoneinfo.ZoneInfo("Asia/Shanghai"))
    starts = starts.replace(hour=9, minute=0, second=0, microsecond=0)
    event = EventFactory(
        title="WiiTs Green Manufacturing Matchmaking Conference", slug="green-conference", kind="conference",
        title_i18n_ar="مؤتمر WiiTs للتوفيق في مجال التصنيع الأخضر", starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=8, minutes=30), time_zone="Asia/Shanghai",
        venue="Huangpu Riverside Convention Hall", city="Shanghai", country="CN", capacity=200,
        offers_visa_letter=True,
    )  # fmt: skip
    RegistrationQuestion.objects.create(
        event=event, text="Dietary requirements", kind="choice", required=True, order=0,
        choices="None\nVegetarian\nVegan\nHalal\nOther", text_i18n_ar="المتطلبات الغذائية",
        choices_i18n_ar="لا يوجد\nنباتي\nنباتي صرف\nحلال\nغير ذلك",  # noqa: RUF001 (Arabic text)
    )  # fmt: skip
    RegistrationQuestion.objects.create(
        event=event, text="Accessibility needs", kind="text", order=1, text_i18n_ar="احتياجات الإتاحة"
    )
    RegistrationQuestion.objects.create(
        event=event, text="May we take your photo?", kind="yes_no", required=True, order=2,
        text_i18n_ar="هل نستطيع التقاط صورتك؟",
    )  # fmt: skip
    return event


@pytest.mark.parametrize("language", ["en", "ar"])
def test_register_with_questions_then_ask_for_a_visa_letter(
    live_server, conference, member, staff, password, settings, browser, language
):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    member.preferred_language = language
    member.save()
    base = live_server.url
    prefix = "" if language == "en" else f"/{language}"
    page = signed_in_page(browser, base, member.email, password)
    page.goto(f"{base}{prefix}/events/{conference.slug}/")
    assert_accessible(page)
    shoot(page, f"register-{language}")

    # A required answer missing: the page again, the error beside the question, nothing saved.
    page.locator("form[action$='/register/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count() == 2
    assert not Registration.objects.exists()
    assert_accessible(page)
    shoot(page, f"register-errors-{language}")

    page.locator("select[name^=q]").select_option("Halal")
    page.locator("textarea[name^=q]").fill("Step-free access")
    page.locator("input[type=radio][value=no]").check()
    page.locator("form[action$='/register/'] button[type=submit]").click()
    page.wait_for_load_state()
    registration = Registration.objects.get(user=member)
    assert sorted(registration.answers.values()) == ["Halal", "Step-free access", "no"]
    shoot(page, f"registered-{language}")

    page.goto(f"{base}{prefix}/events/{conference.slug}/answers/")
    assert_accessible(page)
    shoot(page, f"answers-{language}")

    page.goto(f"{base}{prefix}/events/{conference.slug}/visa-letter/")
    assert_accessible(page)
    day = conference.local_starts_at.date()
    page.locator("#id_full_name").fill("AMINA DIALLO")
    page.locator("#id_nationality").select_option("SN")
    page.locator("#id_passport_number").fill("A12345678")
    page.locator("#id_date_of_birth").fill("1990-05-17")
    page.locator("#id_passport_expiry").fill((day + datetime.timedelta(days=900)).isoformat())
    page.locator("#id_arrival").fill((day - datetime.timedelta(days=60)).isoformat())  # too early
    page.locator("#id_departure").fill((day + datetime.timedelta(days=1)).isoformat())
    page.locator("form.wiits-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_arrival_error").is_visible() and not VisaLetterRequest.objects.exists()
    assert_accessible(page)
    shoot(page, f"visa-form-errors-{language}")
    page.locator("#id_arrival").fill((day - datetime.timedelta(days=1)).isoformat())
    page.locator("form.wiits-form button[type=submit]").click()
    page.wait_for_load_state()
    assert VisaLetterRequest.objects.get().status == "requested"
    assert_accessible(page)
    shoot(page, f"visa-requested-{language}")

    # Staff approve it on the request's admin page; the participant then downloads the letter.
    letter = VisaLetterRequest.objects.get()
    admin = signed_in_page(browser, base, staff.email, password)
    admin.goto(f"{base}/admin/events/visaletterrequest/{letter.pk}/change/")
    shoot(admin, f"visa-admin-{language}")
    admin.locator("input[name=_approve]").click()
    admin.wait_for_load_state()
    admin.context.close()
    letter.refresh_from_db()
    assert letter.status == "approved"
    page.reload()
    assert page.locator(f"a[href$='/visa-letter/{letter.pk}/letter.pdf']").is_visible()
    assert_accessible(page)
    shoot(page, f"visa-approved-{language}")
    page.context.close()
