"""Findable and machine-readable in every language (issue 20, deliverable 8): the sitemap
lists every public page in the six languages with their alternates and true dates,
robots.txt keeps crawlers out of members' and staff's pages, listings and events carry
schema.org JSON-LD, and headings go down one level at a time."""

import datetime
import itertools
import json
import re
import urllib.robotparser
import xml.etree.ElementTree as ET  # the portal's own sitemaps, not untrusted XML
from html.parser import HTMLParser

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from advisors.models import Charter
from common.structured_data import json_ld
from common.text import render_markdown
from technologies.models import Need, Technology, TechnologyImage
from technologies.sitemaps import TechnologySitemap
from tests.factories import AdviserFactory, CallFactory, EventFactory, NeedFactory, TechnologyFactory

pytestmark = pytest.mark.django_db

SITE = "https://wiits.example.org"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LANGUAGES = [code for code, _name in django_settings.LANGUAGES]
HREFLANGS_ORDER = ["ar", "zh-Hans", "en", "fr", "ru", "es"]  # settings.LANGUAGES as BCP 47 tags
HREFLANGS = {*HREFLANGS_ORDER, "x-default"}
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE  # not the test client's host: every address must be on it


def in_language(path: str, language: str) -> str:
    """`path` (an English, unprefixed path) in `language` on the site."""
    return SITE + (path if language == "en" else f"/{language}{path}")


def sitemap_urls(client) -> dict[str, dict]:
    """Every <url> of every page the index lists: {loc: {"lastmod": ..., "alternates": {hreflang: href}}}."""
    index = client.get("/sitemap.xml", HTTP_HOST="localhost")
    assert index.status_code == 200
    urls: dict[str, dict] = {}
    for page in ET.fromstring(index.content).findall("s:sitemap/s:loc", NS):  # noqa: S314 (our own sitemap)
        assert page.text.startswith(f"{SITE}/sitemap-"), page.text
        response = client.get(page.text.removeprefix(SITE), HTTP_HOST="localhost")
        assert response.status_code == 200 and response["Content-Type"] == "application/xml"
        for url in ET.fromstring(response.content).findall("s:url", NS):  # noqa: S314 (our own sitemap)
            loc = url.find("s:loc", NS).text
            assert loc not in urls, f"{loc} listed twice"
            lastmod = url.find("s:lastmod", NS)
            urls[loc] = {
                "lastmod": lastmod.text if lastmod is not None else None,
                "alternates": {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)},
            }
    return urls


@pytest.fixture
def world():
    """One of each public thing, and one of each that must stay out of the sitemap."""
    return {
        "technology": TechnologyFactory(title="Solar crop dryer", slug="solar-crop-dryer"),
        # A slug that is a language code: x-default must still be this listing's address.
        "technology_en": TechnologyFactory(title="EN", slug="en"),
        "draft": TechnologyFactory(title="Draft kiln", slug="draft-kiln", status="draft"),
        "need": NeedFactory(title="Mango drying", slug="mango-drying"),
        "withdrawn_need": NeedFactory(title="Withdrawn need", slug="withdrawn-need", status="withdrawn"),
        "event": EventFactory(slug="solar-workshop"),
        "past_event": EventFactory(
            slug="past-workshop",
            starts_at=timezone.now() - datetime.timedelta(days=60),
            ends_at=timezone.now() - datetime.timedelta(days=59),
        ),
        "private_event": EventFactory(slug="closed-plenary", is_published=False),
        "adviser": AdviserFactory(slug="huang-feng"),
        "former_adviser": AdviserFactory(slug="former-adviser", is_active=False),
        "charter": Charter.objects.create(
            version=1,
            title="Charter of the National Advisory Group",
            body="## 1. Purpose\n\nAdvice.\n\n### 1.1 Scope\n\nTechnologies.\n\n## 2. Composition\n\nExperts.",
            approved_on=datetime.date(2020, 9, 18),
            approved_by="First Plenary, Wuzhen",
            effective_date=datetime.date(2020, 9, 18),
        ),
    }


# --- The sitemap ---------------------------------------------------------------------------


def test_the_sitemap_lists_every_public_page_in_six_languages_with_alternates(client, world):
    pages = ["/", "/technologies/", "/needs/", "/events/", "/events/past/", "/advisory-group/"]
    pages += ["/advisory-group/charter/", "/calls/"]
    objects = [
        "/technologies/solar-crop-dryer/",
        "/technologies/en/",
        "/needs/mango-drying/",
        "/events/solar-workshop/",
        "/events/past-workshop/",
        "/advisory-group/huang-feng/",
    ]
    urls = sitemap_urls(client)
    expected = {in_language(path, language) for path in pages + objects for language in LANGUAGES}
    assert set(urls) == expected
    for path in pages + objects:
        alternates = {
            hreflang: in_language(path, code) for code, hreflang in zip(LANGUAGES, HREFLANGS_ORDER, strict=True)
        }
        alternates["x-default"] = in_language(path, "en")
        for language in LANGUAGES:
            assert urls[in_language(path, language)]["alternates"] == alternates, (path, language)
    # What the public may not see is not listed, in any language.
    listed = " ".join(urls)
    for hidden in ("draft-kiln", "withdrawn-need", "closed-plenary", "former-adviser"):
        assert hidden not in listed


def test_sitemap_addresses_stay_on_the_site_address_whatever_the_host(client, world):
    urls = sitemap_urls(client)  # asked of localhost
    for loc, url in urls.items():
        assert loc.startswith(SITE + "/")
        assert set(url["alternates"]) == HREFLANGS
        assert all(href.startswith(SITE + "/") for href in url["alternates"].values())


def test_lastmod_is_the_date_of_the_last_change_never_today(client, world):
    long_ago = timezone.make_aware(datetime.datetime(2024, 3, 5, 10, 0))
    later = timezone.make_aware(datetime.datetime(2024, 6, 1, 10, 0))
    Technology.objects.filter(pk=world["technology"].pk).update(updated_at=long_ago)
    Technology.objects.filter(pk=world["technology_en"].pk).update(updated_at=long_ago)
    Need.objects.filter(pk=world["need"].pk).update(updated_at=long_ago)
    Need.objects.filter(pk=world["withdrawn_need"].pk).update(updated_at=later)  # left the list then
    # A draft's change is not a change of the catalogue.
    Technology.objects.filter(pk=world["draft"].pk).update(updated_at=timezone.now())
    urls = sitemap_urls(client)
    for language in LANGUAGES:
        assert urls[in_language("/technologies/solar-crop-dryer/", language)]["lastmod"] == "2024-03-05"
        assert urls[in_language("/needs/mango-drying/", language)]["lastmod"] == "2024-03-05"
        assert urls[in_language("/technologies/", language)]["lastmod"] == "2024-03-05"
        assert urls[in_language("/needs/", language)]["lastmod"] == "2024-06-01"
        assert urls[in_language("/advisory-group/charter/", language)]["lastmod"] == "2020-09-18"
        # No true date: no lastmod rather than today's.
        for path in ("/", "/events/", "/events/past/", "/advisory-group/", "/events/solar-workshop/"):
            assert urls[in_language(path, language)]["lastmod"] is None, path
        assert urls[in_language("/advisory-group/huang-feng/", language)]["lastmod"] is None
    today = timezone.localdate().isoformat()
    assert today not in {url["lastmod"] for url in urls.values()}


def test_a_listings_lastmod_follows_its_change(client, world):
    technology = world["technology"]
    technology.summary = "Now with a heat store."
    technology.save()
    technology.refresh_from_db()
    urls = sitemap_urls(client)
    assert urls[in_language("/technologies/solar-crop-dryer/", "fr")]["lastmod"] == (
        timezone.localdate(technology.updated_at).isoformat()
    )


def _make_rows(count: int, start: int) -> None:
    for n in range(start, start + count):
        TechnologyFactory(slug=f"listing-{n}")
        NeedFactory(slug=f"need-{n}")
        EventFactory(slug=f"event-{n}")
        AdviserFactory(slug=f"adviser-{n}")
        CallFactory(slug=f"call-{n}")


# Each section's page: its COUNT and its page of rows; the pages' section: the latest
# change of the catalogue and of the needs, and the charter in force. The index: a COUNT
# per section of rows. Whatever the number of rows. Each request also opens and releases
# a savepoint (ATOMIC_REQUESTS inside the test's transaction): two more.
SECTION_QUERIES = {
    "pages": 3 + 2, "technologies": 2 + 2, "needs": 2 + 2, "events": 2 + 2, "advisers": 2 + 2, "calls": 2 + 2,
}  # fmt: skip
INDEX_QUERIES = 5 + 2


def test_the_sitemap_reads_the_same_few_queries_however_many_rows(client, world, django_assert_num_queries):
    for rows in (1, 8):
        _make_rows(rows, start=rows * 100)
        with django_assert_num_queries(INDEX_QUERIES):
            assert client.get("/sitemap.xml").status_code == 200
        for section, queries in SECTION_QUERIES.items():
            with django_assert_num_queries(queries) as context:
                response = client.get(f"/sitemap-{section}.xml")
            assert response.status_code == 200, section
            if section != "pages":  # rows are read a page at a time, never all of them
                reads = [
                    q["sql"]
                    for q in context.captured_queries
                    if q["sql"].startswith("SELECT") and "COUNT" not in q["sql"]
                ]
                assert len(reads) == 1 and "LIMIT" in reads[0], reads
    assert Technology.objects.published().count() == 2 + 1 + 8


def test_the_index_lists_every_page_of_a_long_section(client, monkeypatch):
    assert TechnologySitemap.limit == 5000  # addresses a page: 833 listings and a third
    monkeypatch.setattr(TechnologySitemap, "limit", 4)
    slugs = {TechnologyFactory(slug=f"dryer-{n}").slug for n in range(5)}
    index = client.get("/sitemap.xml").content.decode()
    pages = [loc for loc in re.findall(r"<loc>([^<]+)</loc>", index) if "sitemap-technologies.xml" in loc]
    # 5 listings in 6 languages = 30 addresses, 4 a page = 8 pages.
    assert pages == [f"{SITE}/sitemap-technologies.xml"] + [
        f"{SITE}/sitemap-technologies.xml?p={n}" for n in range(2, 9)
    ]
    seen = []
    for page in pages:
        body = client.get(page.removeprefix(SITE)).content
        locs = [url.find("s:loc", NS).text for url in ET.fromstring(body).findall("s:url", NS)]  # noqa: S314 (our own sitemap)
        assert 1 <= len(locs) <= 4
        seen += locs
    expected = {in_language(f"/technologies/{slug}/", language) for slug in slugs for language in LANGUAGES}
    assert len(seen) == 30 and set(seen) == expected
    assert client.get("/sitemap-technologies.xml?p=9").status_code == 404


# --- robots.txt ----------------------------------------------------------------------------


def test_robots_txt_lets_crawlers_read_public_pages_only_and_names_the_sitemap(client):
    response = client.get("/robots.txt", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    text = response.content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in text.splitlines()
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(text.splitlines())  # Python's reader takes the first rule that matches
    public = ["/", "/technologies/", "/technologies/solar-crop-dryer/", "/needs/", "/needs/x/", "/events/"]
    public += ["/events/past/", "/events/x/", "/advisory-group/", "/advisory-group/charter/", "/advisory-group/x/"]
    public += ["/technologies/x/images/3/", "/sitemap.xml", "/sitemap-technologies.xml"]
    private = ["/accounts/login/", "/accounts/profile/", "/dashboard/", "/dashboard/my-data.json", "/reports/"]
    private += ["/advisory-group/reviews/", "/advisory-group/staff/technologies/x/assign/", "/technologies/new/"]
    private += ["/technologies/inquiries/4/outcome/", "/needs/new/"]
    for language in LANGUAGES:
        for path in public:
            url = in_language(path, language) if not path.startswith("/sitemap") else SITE + path
            assert robots.can_fetch("*", url), url
        for path in private:
            assert not robots.can_fetch("*", in_language(path, language)), (path, language)
    for path in ("/admin/", "/admin/technologies/technology/", "/i18n/setlang/"):
        assert not robots.can_fetch("*", SITE + path)


def test_robots_txt_is_the_same_in_every_language(client):
    english = client.get("/robots.txt").content
    assert client.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="zh-hans").content == english
    assert client.post("/robots.txt").status_code == 405


# --- JSON-LD -------------------------------------------------------------------------------


def json_ld_of(page: str) -> dict:
    blocks = JSON_LD.findall(page)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def test_a_technology_is_a_product_in_the_pages_language(client):
    technology = TechnologyFactory(
        title="Solar crop dryer",
        slug="solar-crop-dryer",
        summary="Halves post-harvest losses.",
        title_i18n_fr="Séchoir solaire",
        summary_i18n_fr="Divise par deux les pertes après récolte.",
    )
    technology.organisation.website = "https://dryers.example.org"
    technology.organisation.save()
    image = TechnologyImage.objects.create(technology=technology, image=SimpleUploadedFile("a.jpg", _png()))
    english = json_ld_of(client.get("/technologies/solar-crop-dryer/").content.decode())
    organisation = {"@type": "Organization", "name": technology.organisation.name, "url": "https://dryers.example.org"}
    with translation.override("en"):
        sector_en = str(technology.sector)
    assert english == {
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": f"{SITE}/technologies/solar-crop-dryer/#product",
        "name": "Solar crop dryer",
        "url": f"{SITE}/technologies/solar-crop-dryer/",
        "description": "Halves post-harvest losses.",
        "category": sector_en,
        "image": [f"{SITE}/technologies/solar-crop-dryer/images/{image.pk}/"],
        "brand": organisation,
        "manufacturer": organisation,
        "countryOfOrigin": "Kenya",
    }
    page = client.get("/fr/technologies/solar-crop-dryer/").content.decode()
    french = json_ld_of(page)
    with translation.override("fr"):
        sector_fr, kenya_fr = str(technology.sector), technology.country_developed.name
    assert french["name"] == "Séchoir solaire"
    assert french["description"] == "Divise par deux les pertes après récolte."
    assert french["url"] == f"{SITE}/fr/technologies/solar-crop-dryer/"
    assert (french["category"], french["countryOfOrigin"]) == (sector_fr, kenya_fr)
    # The page's microdata describes the same item, not a second product.
    assert f'itemid="{SITE}/fr/technologies/solar-crop-dryer/#product"' in page
    # Asked for the original, the page and its JSON-LD show the original.
    original = json_ld_of(client.get("/fr/technologies/solar-crop-dryer/?original=1").content.decode())
    assert original["name"] == "Solar crop dryer"


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 20)).save(buffer, format="PNG")
    return buffer.getvalue()


ORGANIZER = {
    "@type": "Organization",
    "name": "UNIDO ITPO Shanghai / WiiTs",
    "alternateName": "World Industrial Innovative Technology Cooperations",
}


def test_an_event_in_person_is_an_offline_event_at_a_place(client):
    start = timezone.make_aware(datetime.datetime(2031, 5, 6, 9, 30), datetime.UTC)
    event = EventFactory(
        slug="solar-workshop",
        title="Solar drying workshop",
        summary="Hands-on training.",
        title_i18n_fr="Atelier de séchage solaire",
        summary_i18n_fr="Formation pratique.",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    data = json_ld_of(client.get(event.get_absolute_url()).content.decode())
    assert data == {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": f"{SITE}/events/solar-workshop/#event",
        "name": "Solar drying workshop",
        "description": "Hands-on training.",
        "inLanguage": "en",
        "url": f"{SITE}/events/solar-workshop/",
        "startDate": "2031-05-06T12:30:00+03:00",  # Nairobi, the event's own time zone
        "endDate": "2031-05-06T15:30:00+03:00",
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "organizer": ORGANIZER | {"url": f"{SITE}/"},
        "location": {
            "@type": "Place",
            "name": "KIRDI Conference Hall",
            "address": {"@type": "PostalAddress", "addressLocality": "Nairobi", "addressCountry": "KE"},
        },
    }
    french = json_ld_of(client.get("/fr/events/solar-workshop/").content.decode())
    assert (french["name"], french["description"], french["inLanguage"]) == (
        "Atelier de séchage solaire",
        "Formation pratique.",
        "fr",
    )
    assert french["url"] == f"{SITE}/fr/events/solar-workshop/"
    assert french["organizer"]["url"] == f"{SITE}/fr/"
    # Russian has no translation: the English text, said to be English.
    russian = json_ld_of(client.get("/ru/events/solar-workshop/").content.decode())
    assert (russian["name"], russian["inLanguage"]) == ("Solar drying workshop", "en")


def test_an_online_event_is_at_its_page_and_never_tells_its_link(client):
    event = EventFactory(
        slug="webinar",
        kind="webinar",
        venue="",
        city="",
        country="",
        online_url="https://meet.example.org/secret-room",
    )
    page = client.get(event.get_absolute_url()).content.decode()
    data = json_ld_of(page)
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": f"{SITE}/events/webinar/"}
    assert "secret-room" not in page  # the link is for registered participants only


def test_a_hybrid_event_is_mixed_with_both_locations(client):
    event = EventFactory(slug="hybrid", online_url="https://meet.example.org/secret-room")
    data = json_ld_of(client.get(event.get_absolute_url()).content.decode())
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["location"] == [
        {
            "@type": "Place",
            "name": "KIRDI Conference Hall",
            "address": {"@type": "PostalAddress", "addressLocality": "Nairobi", "addressCountry": "KE"},
        },
        {"@type": "VirtualLocation", "url": f"{SITE}/events/hybrid/"},
    ]
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert "secret-room" not in json.dumps(data)


def test_the_event_page_describes_the_event_once(client):
    """The JSON-LD replaced the page's microdata: one Event, not two that disagree."""
    page = client.get(EventFactory().get_absolute_url()).content.decode()
    assert "itemscope" not in page and "itemprop" not in page
    assert json_ld_of(page)["@type"] == "Event"


HOSTILE = 'Dryer </script><script>alert("x")</script><!-- & more'


@pytest.mark.parametrize("kind", ["technology", "event"])
def test_a_title_cannot_break_out_of_the_json_ld(client, kind):
    thing = (
        TechnologyFactory(title=HOSTILE, summary=HOSTILE)
        if kind == "technology"
        else EventFactory(title=HOSTILE, summary=HOSTILE)
    )
    page = client.get(thing.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and '</script><script>alert("x")' not in page
    data = json_ld_of(page)
    assert data["name"] == HOSTILE and data["description"] == HOSTILE


def test_json_ld_escapes_what_would_end_or_change_the_script_element():
    html = str(json_ld({"name": "</script><!-- &"}))
    assert html == '<script type="application/ld+json">{"name":"\\u003C/script\\u003E\\u003C!-- \\u0026"}</script>'
    assert json.loads(JSON_LD.findall(html)[0]) == {"name": "</script><!-- &"}


# --- Headings ------------------------------------------------------------------------------


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def heading_levels(page: str) -> list[int]:
    parser = _Headings()
    parser.feed(page)
    return parser.levels


def assert_headings_in_order(page: str) -> list[int]:
    levels = heading_levels(page)
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    for previous, level in itertools.pairwise(levels):
        assert level <= previous + 1, levels
    return levels


def test_the_charters_headings_sit_under_the_pages_h1(client, world):
    page = client.get("/advisory-group/charter/").content.decode()
    assert assert_headings_in_order(page) == [1, 2, 3, 2]
    assert "<h2>1. Purpose</h2>" in page and "<h3>1.1 Scope</h3>" in page


def test_a_technology_pages_headings_are_in_order(client):
    technology = TechnologyFactory(description="# Overview\n\nA dryer.\n\n## Parts\n\nTrays.\n\n### Trays\n\nMesh.")
    levels = assert_headings_in_order(client.get(technology.get_absolute_url()).content.decode())
    assert levels[:5] == [1, 2, 3, 3, 4]  # the title, "Description", the member's headings


@pytest.mark.parametrize("path", ["/technologies/", "/needs/", "/events/", "/events/past/", "/", "/advisory-group/"])
def test_list_pages_headings_are_in_order(client, world, path):
    AdviserFactory(role="chair")
    assert_headings_in_order(client.get(path).content.decode())


def test_an_events_description_sits_under_the_pages_h1(client):
    event = EventFactory(description="# Programme\n\nTalks.\n\n## Morning\n\nPanels.")
    assert assert_headings_in_order(client.get(event.get_absolute_url()).content.decode())[:3] == [1, 2, 2]


def test_markdown_headings_start_where_the_text_sits():
    text = "# A\n\n## B\n\n### C"
    assert render_markdown(text) == "<h3>A</h3>\n<h3>B</h3>\n<h4>C</h4>"  # by default, under an h2
    assert render_markdown(text, top=2) == "<h2>A</h2>\n<h2>B</h2>\n<h3>C</h3>"
    assert render_markdown(text, top=4) == "<h4>A</h4>\n<h4>B</h4>\n<h5>C</h5>"
    assert "<h1" not in render_markdown(text, top=1)
