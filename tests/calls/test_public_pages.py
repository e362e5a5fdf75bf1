"""The public pages of calls for solutions (issue 21, deliverable 1): the list in three
groups, a call's page with its rules, jury, timeline and results, the feed, the
deadline's calendar file, the sitemap, their query counts and accessibility."""

import datetime
import re
import xml.etree.ElementTree as ET  # the portal's own sitemap and feed, not untrusted XML
import zoneinfo

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from calls.models import Application, Call, CallCriterion, CallQuestion
from common.reference.models import Sector, SustainableDevelopmentGoal
from technologies.models import Technology
from tests.factories import AdviserFactory, ApplicationFactory, CallFactory, TechnologyFactory, UserFactory
from tests.wiits.test_findable import assert_headings_in_order

pytestmark = pytest.mark.django_db

SITE = "https://wiits.example.org"
LANGUAGES = [code for code, _name in django_settings.LANGUAGES]


def days(count: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=count)


def local(zone: str, *args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


def plain(page: str) -> str:
    """The page's text without its markup (a date's time is a <time> element)."""
    return re.sub(r"<[^>]+>", "", page)


def in_language(path: str, language: str) -> str:
    return path if language == "en" else f"/{language}{path}"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE  # not the test client's host: every absolute address must be on it
    return SITE


# --- The list -------------------------------------------------------------------------------


def test_the_list_groups_open_upcoming_and_closed_calls_in_their_orders(client):
    CallFactory(title="Open until later", slug="open-later", closes_at=days(40))
    CallFactory(title="Open until soon", slug="open-soon", closes_at=days(3))
    CallFactory(title="Opening next month", slug="next-month", opens_at=days(30), closes_at=days(90))
    CallFactory(title="Opening next week", slug="next-week", opens_at=days(7), closes_at=days(60))
    CallFactory(title="Closed long ago", slug="closed-long-ago", opens_at=days(-100), closes_at=days(-60))
    CallFactory(title="Closed just now", slug="closed-just-now", opens_at=days(-50), closes_at=days(-0.001))
    CallFactory(title="Unpublished call", slug="unpublished-call", is_published=False)

    response = client.get(reverse("calls:list"))

    assert response.status_code == 200
    titles = {
        group: [call.title for call in response.context[group]]
        for group in ("open_calls", "upcoming_calls", "closed_calls")
    }
    assert titles == {
        "open_calls": ["Open until soon", "Open until later"],
        "upcoming_calls": ["Opening next week", "Opening next month"],
        "closed_calls": ["Closed just now", "Closed long ago"],
    }
    page = response.content.decode()
    shown = ["Open calls", "Open until soon", "Open until later", "Upcoming calls", "Opening next week"]
    shown += ["Opening next month", "Closed calls", "Closed just now", "Closed long ago"]
    assert [page.index(text) for text in shown] == sorted(page.index(text) for text in shown)
    assert "Unpublished call" not in page and "unpublished-call" not in page
    assert_headings_in_order(page)


def test_only_open_calls_offer_their_deadline_calendar_and_the_list_names_its_feed(client):
    CallFactory(slug="open-call")
    CallFactory(slug="later-call", opens_at=days(5), closes_at=days(50))
    CallFactory(slug="past-call", opens_at=days(-50), closes_at=days(-5))
    page = client.get(reverse("calls:list")).content.decode()
    assert reverse("calls:deadline_ics", args=["open-call"]) in page
    assert reverse("calls:deadline_ics", args=["later-call"]) not in page
    assert reverse("calls:deadline_ics", args=["past-call"]) not in page
    feed = reverse("calls:feed")
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="RSS feed of calls for solutions" href="{feed}">'
        in page
    )
    assert f'href="{reverse("calls:feed")}">RSS feed of calls for solutions</a>' in page


def test_the_list_says_when_no_call_is_open(client):
    page = client.get(reverse("calls:list")).content.decode()
    assert "No call is open at the moment." in page


def test_a_card_shows_theme_sectors_sdgs_and_the_deadline_in_the_calls_zone(client):
    call = CallFactory(
        title="Clean cooling",
        theme="Cold chains without HFCs",
        time_zone="America/Mexico_City",
        closes_at=local("America/Mexico_City", 2027, 3, 31, 23, 59),
    )
    call.sectors.set(Sector.objects.filter(slug="agro-food-processing"))
    call.sdgs.set(SustainableDevelopmentGoal.objects.filter(number__in=[7, 13]))
    page = client.get(reverse("calls:list")).content.decode()
    assert "Cold chains without HFCs" in page
    assert str(Sector.objects.get(slug="agro-food-processing")) in page
    assert "SDG 7" in page and "SDG 13" in page
    assert 'datetime="2027-03-31T23:59:00-06:00"' in page
    assert "Deadline: March 31, 2027, 11:59 p.m. (America/Mexico_City)" in plain(page)


def test_the_header_links_to_the_calls_after_the_events(client):
    page = client.get(reverse("calls:list")).content.decode()
    nav = page[page.index('<nav class="site-nav') :]
    assert nav.index(reverse("events:upcoming")) < nav.index(
        f'href="{reverse("calls:list")}" aria-current="page">Calls<'
    )


# --- A call's page --------------------------------------------------------------------------


@pytest.fixture
def full_call():
    """An open call with every part its page shows."""
    call = CallFactory(
        title="Global Call for clean energy solutions",
        slug="global-call",
        theme="Clean energy for industry",
        description="## What we look for\n\nTechnologies ready to scale.",
        focus="Solar heat for industry\n\n  Green hydrogen  \n",
        eligibility_rules="Applicants must **own** the technology.",
        stakeholder_types=["innovator", "finance"],
        countries=["KE", "SN"],
        time_zone="Asia/Shanghai",
        opens_at=days(-7),
        closes_at=local("Asia/Shanghai", 2027, 3, 31, 23, 59),
    )
    call.sectors.set(Sector.objects.filter(slug="agro-food-processing"))
    call.sdgs.set(SustainableDevelopmentGoal.objects.filter(number__in=[7]))
    CallCriterion.objects.create(call=call, name="Innovation", weight=60, order=1)
    CallCriterion.objects.create(call=call, name="Impact on the SDGs", weight=40, order=2)
    CallQuestion.objects.create(call=call, text="How many jobs will it create?", kind="number", order=1)
    CallQuestion.objects.create(
        call=call, text="Which stage are you at?", kind="choice", choices="Pilot\nMarket", required=False, order=2
    )
    current = AdviserFactory(slug="huang-feng", user__name="Huang Feng")
    former = AdviserFactory(slug="former-juror", user__name="Former Juror", is_active=False)
    call.jury.set([current, former])
    return call


def test_a_call_page_shows_its_rules_questions_criteria_jury_and_timeline(client, full_call):
    response = client.get(full_call.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Global Call for clean energy solutions</bdi></h1>" in page
    assert "Clean energy for industry" in page
    assert "<h2>What we look for</h2>" in page  # the description's headings under the h1
    assert "<li>Solar heat for industry</li><li>Green hydrogen</li>" in page
    assert "<strong>own</strong>" in page
    assert "<bdi>Technology innovator</bdi>, <bdi>Finance service provider</bdi>" in page
    assert "Kenya" in page and "Senegal" in page
    assert "How many jobs will it create?" in page and "Which stage are you at?" in page
    assert "optional" in page and "Pilot" in page
    assert re.search(
        r"Innovation</span></td><td[^>]*>60%</td>.*Impact on the SDGs</span></td><td[^>]*>40%</td>", page, re.S
    )
    assert f'<a href="{reverse("advisors:detail", args=["huang-feng"])}"><bdi>Huang Feng</bdi></a>' in page
    assert "Former Juror" in page and reverse("advisors:detail", args=["former-juror"]) not in page
    assert 'datetime="2027-03-31T23:59:00+08:00"' in page and "March 31, 2027, 11:59 p.m." in plain(page)
    assert "Asia/Shanghai" in page
    assert "Eligibility check" in page and "Jury review" in page
    assert "SDG 7" in page
    assert reverse("calls:deadline_ics", args=["global-call"]) in page
    assert_headings_in_order(page)


def test_the_deadline_is_shown_in_the_calls_zone_not_the_servers(client):
    call = CallFactory(time_zone="America/Mexico_City", closes_at=local("America/Mexico_City", 2027, 3, 31, 23, 59))
    page = client.get(call.get_absolute_url()).content.decode()
    assert "March 31, 2027, 11:59 p.m." in plain(page) and "America/Mexico_City" in page
    assert "April 1, 2027" not in plain(page)  # the server's zone (Asia/Shanghai) would say so


def test_an_open_call_sends_the_anonymous_through_sign_in_to_apply(client, full_call):
    page = client.get(full_call.get_absolute_url()).content.decode()
    apply = reverse("calls:apply", args=["global-call"])
    assert f'href="{reverse("account_login")}?next={apply}"' in page
    assert "Sign in to apply" in page


def test_an_open_call_offers_a_member_to_apply(member_client, full_call):
    page = member_client.get(full_call.get_absolute_url()).content.decode()
    assert f'<a class="btn btn-primary" href="{reverse("calls:apply", args=["global-call"])}">Apply</a>' in page


def test_an_upcoming_call_says_when_it_opens_and_a_closed_one_that_it_is_closed(member_client):
    upcoming = CallFactory(
        time_zone="Europe/Paris",
        opens_at=local("Europe/Paris", 2027, 5, 4, 9, 0),
        closes_at=local("Europe/Paris", 2027, 6, 30, 18, 0),
    )
    closed = CallFactory(opens_at=days(-60), closes_at=days(-1))
    page = member_client.get(upcoming.get_absolute_url()).content.decode()
    assert "This call opens on May 4, 2027, 9 a.m. (Europe/Paris)." in plain(page)
    assert reverse("calls:apply", args=[upcoming.slug]) not in page
    page = member_client.get(closed.get_absolute_url()).content.decode()
    assert "This call is closed: the deadline has passed." in page
    assert reverse("calls:apply", args=[closed.slug]) not in page
    assert reverse("calls:deadline_ics", args=[closed.slug]) not in page


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_an_unpublished_call_is_not_found_but_by_staff(client, other_member, who):
    call = CallFactory(slug="in-preparation", is_published=False)
    if who == "outsider":
        client.force_login(other_member)
    assert client.get(call.get_absolute_url()).status_code == 404
    assert client.get(reverse("calls:deadline_ics", args=["in-preparation"])).status_code == 404
    assert client.get("/calls/no-such-call/").status_code == 404


def test_staff_see_an_unpublished_call_marked_so(staff_client):
    call = CallFactory(title="Call in preparation", is_published=False)
    page = staff_client.get(call.get_absolute_url()).content.decode()
    assert "Call in preparation" in page and "Not published: only staff can see this call." in page


def test_the_pages_answer_get_only(client, full_call):
    for url in (
        reverse("calls:list"),
        full_call.get_absolute_url(),
        reverse("calls:deadline_ics", args=["global-call"]),
    ):
        assert client.post(url).status_code == 405


# --- Translations ---------------------------------------------------------------------------


@pytest.fixture
def translated_call():
    return CallFactory(
        slug="clean-cooling",
        original_language="en",
        title="Clean cooling",
        title_i18n_fr="Froid propre",
        theme="Cold chains without HFCs",
        theme_i18n_fr="Chaînes du froid sans HFC",
        description="Cooling that saves energy.",
        title_i18n_zh_hans="清洁制冷",
    )


def test_a_french_reader_reads_the_french_translation_marked_french(client, translated_call):
    page = client.get("/fr/calls/clean-cooling/").content.decode()
    assert '<bdi lang="fr" dir="ltr">Froid propre</bdi></h1>' in page
    assert '<bdi lang="fr" dir="ltr">Chaînes du froid sans HFC</bdi>' in page
    # Not translated: the English original, marked English.
    assert '<div class="markdown" lang="en" dir="ltr"><p>Cooling that saves energy.</p>' in page
    assert "Translated from" not in page and "Traduit" in page
    original = client.get("/fr/calls/clean-cooling/?original=1").content.decode()
    assert '<bdi lang="en" dir="ltr">Clean cooling</bdi></h1>' in original
    listing = client.get("/fr/calls/").content.decode()
    assert "Froid propre" in listing and "Clean cooling" not in listing


def test_a_spanish_reader_without_spanish_reads_english(client, translated_call):
    page = client.get(in_language(translated_call.get_absolute_url(), "es")).content.decode()
    assert '<bdi lang="en" dir="ltr">Clean cooling</bdi></h1>' in page


def test_the_arabic_page_is_right_to_left_with_the_english_text_marked_left_to_right(client, translated_call):
    for path in (translated_call.get_absolute_url(), reverse("calls:list")):
        page = client.get(in_language(path, "ar")).content.decode()
        assert '<html lang="ar" dir="rtl">' in page
        assert '<bdi lang="en" dir="ltr">Clean cooling</bdi>' in page


# --- Results --------------------------------------------------------------------------------


@pytest.fixture
def decided_call():
    """A closed call whose applications have their outcomes, results not yet published."""
    call = CallFactory(slug="decided", opens_at=days(-90), closes_at=days(-30))
    ApplicationFactory(
        call=call,
        status="finalist",
        technology=TechnologyFactory(title="Finalist kiln", slug="finalist-kiln", title_i18n_fr="Four finaliste"),
        decision_reason="Strong but costly.",
    )
    ApplicationFactory(
        call=call, status="winner", technology=TechnologyFactory(title="Winning dryer", slug="winning-dryer")
    )
    ApplicationFactory(
        call=call, status="not_selected", technology=TechnologyFactory(title="Unlucky pump", slug="unlucky-pump")
    )
    ApplicationFactory(
        call=call, status="draft", technology=TechnologyFactory(title="Draft boiler", slug="draft-boiler")
    )
    ApplicationFactory(
        call=call, status="ineligible", technology=TechnologyFactory(title="Ineligible mill", slug="ineligible-mill")
    )
    return call


HIDDEN = ["Unlucky pump", "Draft boiler", "Ineligible mill", "Strong but costly."]


def test_results_stay_hidden_until_published(client, decided_call):
    page = client.get(decided_call.get_absolute_url()).content.decode()
    assert 'id="results-title"' not in page
    for title in ["Winning dryer", "Finalist kiln", *HIDDEN]:
        assert title not in page


def test_published_results_show_the_winner_then_the_finalist_and_nothing_else(client, decided_call):
    Call.objects.filter(pk=decided_call.pk).update(results_published_at=days(-1))
    page = client.get(decided_call.get_absolute_url()).content.decode()
    assert 'id="results-title"' in page
    winners, finalists = page.index(">Winners</h3>"), page.index(">Finalists</h3>")
    assert winners < page.index("Winning dryer") < finalists < page.index("Finalist kiln")
    assert f'<a href="{reverse("technologies:detail", args=["winning-dryer"])}">' in page
    winner = Application.objects.get(status="winner")
    assert winner.technology.organisation.name in page
    for hidden in [*HIDDEN, winner.applicant.email, winner.applicant.name]:
        assert hidden not in page
    french = client.get(in_language(decided_call.get_absolute_url(), "fr")).content.decode()
    assert '<bdi lang="fr" dir="ltr">Four finaliste</bdi>' in french


@pytest.mark.parametrize("status", ["draft", "submitted", "withdrawn"])
def test_a_result_whose_listing_is_not_in_the_catalogue_is_not_named(client, decided_call, status):
    """A draft, a listing in review or one withdrawn is its owner's: the results say a
    technology won, not its title, its organisation or its address."""
    Call.objects.filter(pk=decided_call.pk).update(results_published_at=days(-1))
    winner = Technology.objects.get(slug="winning-dryer")
    Technology.objects.filter(pk=winner.pk).update(status=status)
    page = client.get(decided_call.get_absolute_url()).content.decode()
    assert "A technology whose listing is not yet published on WiiTs" in page
    for hidden in ["Winning dryer", winner.organisation.name, reverse("technologies:detail", args=["winning-dryer"])]:
        assert hidden not in page
    assert "Finalist kiln" in page  # the published finalist is still named


# --- Feed, calendar, sitemap ----------------------------------------------------------------


def test_the_feed_lists_published_calls_with_absolute_addresses_on_the_site(client, site, translated_call):
    CallFactory(title="Secret call", slug="secret-call", is_published=False)
    response = client.get(reverse("calls:feed"), HTTP_HOST="localhost")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 (our own feed)
    assert channel.find("link").text == f"{SITE}/calls/"
    items = channel.findall("item")
    assert [(item.find("title").text, item.find("link").text) for item in items] == [
        ("Clean cooling", f"{SITE}/calls/clean-cooling/")
    ]
    assert items[0].find("description").text == "Cold chains without HFCs"
    assert "secret-call" not in response.content.decode()
    french = ET.fromstring(client.get("/fr/calls/feed/").content).find("channel")  # noqa: S314 (our own feed)
    assert [(item.find("title").text, item.find("link").text) for item in french.findall("item")] == [
        ("Froid propre", f"{SITE}/fr/calls/clean-cooling/")
    ]


def test_the_deadline_calendar_is_an_event_in_the_calls_time_zone(client, site, full_call):
    response = client.get(reverse("calls:deadline_ics", args=["global-call"]), HTTP_HOST="localhost")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="global-call-deadline.ics"'
    text = response.content.decode()
    assert "DTSTART;TZID=Asia/Shanghai:20270331T235900" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Asia/Shanghai" in text
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event["summary"] == "Deadline: Global Call for clean energy solutions"
    assert event["url"] == f"{SITE}/calls/global-call/"
    assert event.decoded("dtstart") == local("Asia/Shanghai", 2027, 3, 31, 23, 59)


def test_the_deadline_calendar_follows_the_readers_language(client, site, translated_call):
    response = client.get("/fr/calls/clean-cooling/deadline.ics")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert "Froid propre" in event["summary"]
    assert event["url"] == f"{SITE}/fr/calls/clean-cooling/"


def test_the_sitemap_lists_each_published_call_in_six_languages(client, site, translated_call):
    CallFactory(slug="not-yet-public", is_published=False)
    Call.objects.filter(pk=translated_call.pk).update(updated_at=local("UTC", 2026, 3, 5, 10, 0))
    body = client.get("/sitemap-calls.xml", HTTP_HOST="localhost").content
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {
        url.find("s:loc", ns).text: url.find("s:lastmod", ns).text
        for url in ET.fromstring(body).findall("s:url", ns)  # noqa: S314 (our own sitemap)
    }
    assert urls == {SITE + in_language("/calls/clean-cooling/", language): "2026-03-05" for language in LANGUAGES}
    assert "not-yet-public" not in body.decode()
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert all(f"<loc>{SITE}{in_language('/calls/', language)}</loc>" in pages for language in LANGUAGES)
    assert f"{SITE}/sitemap-calls.xml" in client.get("/sitemap.xml").content.decode()


# --- Query counts ---------------------------------------------------------------------------


def _applications(call: Call, count: int) -> None:
    """`count` applications to `call`, a few of them winners and finalists, the rest not
    selected or drafts: each with its own technology."""
    owner = UserFactory()
    technologies = Technology.objects.bulk_create(
        [
            TechnologyFactory.build(owner=owner, organisation=owner.organisation, slug=f"bulk-{call.pk}-{n}")
            for n in range(count)
        ]
    )
    statuses = ["winner", "finalist", "finalist"] + ["not_selected", "draft"] * count
    Application.objects.bulk_create(
        [
            Application(call=call, technology=technology, applicant=owner, status=statuses[n])
            for n, technology in enumerate(technologies)
        ]
    )


# A call's page: the call, its sectors, SDGs, criteria, questions and jury (with their
# accounts), and the winners and finalists; the request's savepoint, opened and released.
DETAIL_QUERIES = 1 + 5 + 1 + 2
# The list: the calls, their sectors and SDGs; the savepoint.
LIST_QUERIES = 1 + 2 + 2


@pytest.mark.parametrize("count", [1, 500])
def test_a_call_page_reads_the_same_queries_whatever_the_applications(
    client, full_call, count, django_assert_num_queries
):
    Call.objects.filter(pk=full_call.pk).update(results_published_at=days(-1))
    _applications(full_call, count)
    with django_assert_num_queries(DETAIL_QUERIES):
        page = client.get(full_call.get_absolute_url()).content.decode()
    assert page.count('<li><a href="/technologies/bulk-') == min(count, 3)


@pytest.mark.parametrize("count", [1, 500])
def test_the_list_reads_the_same_queries_whatever_the_calls_and_applications(client, count, django_assert_num_queries):
    for n in range(1 if count == 1 else 12):
        call = CallFactory(opens_at=days(n * 10 - 60), closes_at=days(n * 10 - 30))  # closed, open, upcoming
        call.sectors.set(Sector.objects.all()[:2])
        call.sdgs.set(SustainableDevelopmentGoal.objects.filter(number__in=[7, 9]))
    _applications(call, count)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("calls:list"))
    assert response.status_code == 200


# --- Accessibility --------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_calls_pages_pass_axe(live_server, full_call, language, request):
    from tests.test_browser import assert_accessible

    winner_call = CallFactory(
        slug="with-results", opens_at=days(-90), closes_at=days(-30), results_published_at=days(-1)
    )
    ApplicationFactory(call=winner_call, status="winner")
    ApplicationFactory(call=winner_call, status="finalist")
    CallFactory(slug="coming", opens_at=days(10), closes_at=days(40))
    paths = [reverse("calls:list"), full_call.get_absolute_url(), winner_call.get_absolute_url()]
    browser = request.getfixturevalue("browser")  # after the ORM work above
    page = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}).new_page()
    for path in paths:
        page.goto(live_server.url + in_language(path, language))
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    page.context.close()
