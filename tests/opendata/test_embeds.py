"""The embeddable lists for partner sites (/embed/technologies/, /embed/events/) and the page
that builds their code (/embed/): who may frame them, what they list, in which language,
how many queries and bytes."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from common.reference.models import Sector, SustainableDevelopmentGoal
from opendata import embed_forms
from opendata.embed_forms import embed_limit
from opendata.models import EmbedOrigin
from tests.factories import EventFactory, OrganisationFactory, TechnologyFactory

pytestmark = pytest.mark.django_db

TECHNOLOGIES = "/embed/technologies/"
EVENTS = "/embed/events/"


@pytest.fixture
def origins():
    EmbedOrigin.objects.create(origin="https://www.unido.org", name="UNIDO")
    EmbedOrigin.objects.create(origin="https://itpo-old.example.org", name="Former office", is_active=False)


def page(client, url, data=None) -> str:
    response = client.get(url, data)
    assert response.status_code == 200
    return response.content.decode()


def titles(html: str) -> list[str]:
    """The items' titles, in order."""
    return re.findall(r"<h2><a [^>]*><bdi [^>]*>([^<]*)</bdi>", html)


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors"))


# --- Who may frame them ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [TECHNOLOGIES, EVENTS, "/ar/embed/technologies/", "/zh-hans/embed/events/?past=1"])
def test_the_embeds_may_be_framed_by_the_site_and_the_active_partner_sites_only(client, origins, url):
    response = client.get(url)
    assert response.status_code == 200
    assert frame_ancestors(response) == "frame-ancestors 'self' https://www.unido.org"
    assert "itpo-old.example.org" not in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    # The rest of the policy is the site's.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/", "/technologies/", "/events/", "/embed/", "/ar/embed/"])
def test_every_other_page_may_be_framed_by_no_one(client, origins, url):
    response = client.get(url)
    assert response.status_code == 200
    assert frame_ancestors(response) == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_an_origin_changes_the_header_on_the_next_request(client, origins):
    EmbedOrigin.objects.filter(name="UNIDO").update(is_active=False)
    EmbedOrigin.objects.create(origin="https://www.sjtu.edu.cn", name="SJTU")
    assert frame_ancestors(client.get(TECHNOLOGIES)) == "frame-ancestors 'self' https://www.sjtu.edu.cn"


def test_an_origin_written_around_the_admin_cannot_change_the_policy(client):
    EmbedOrigin.objects.create(origin="https://partner.example.org/", name="Trailing slash")
    EmbedOrigin.objects.create(origin="https://HTTP.Example.COM:8443", name="Upper case and a port")
    EmbedOrigin.objects.create(origin="https://evil.example.org; script-src *", name="A directive")
    EmbedOrigin.objects.create(origin="javascript:alert(1)", name="Not a site")
    response = client.get(TECHNOLOGIES)
    assert frame_ancestors(response) == (
        "frame-ancestors 'self' https://http.example.com:8443 https://partner.example.org"
    )
    assert "evil" not in response["Content-Security-Policy"]
    assert "script-src 'self';" in response["Content-Security-Policy"] + ";"


def test_the_embeds_may_be_kept_briefly_by_browsers(client):
    assert "max-age=300" in client.get(TECHNOLOGIES)["Cache-Control"]
    assert "public" in client.get(EVENTS)["Cache-Control"]


# --- What the technologies' embed lists ----------------------------------------------------------


def test_published_technologies_only_newest_first(client, innovator):
    now = timezone.now()
    TechnologyFactory(title="Older dryer", published_at=now - datetime.timedelta(days=3))
    TechnologyFactory(title="Newest dryer", published_at=now)
    TechnologyFactory(title="Draft digester", status="draft")
    TechnologyFactory(title="Submitted digester", status="submitted")
    TechnologyFactory(title="Withdrawn kiln", status="withdrawn", published_at=now)
    html = page(client, TECHNOLOGIES)
    assert titles(html) == ["Newest dryer", "Older dryer"]
    assert "digester" not in html and "kiln" not in html


def test_items_link_to_the_portal_in_a_new_tab_in_the_lists_language(client, settings):
    technology = TechnologyFactory(title="Solar dryer", slug="solar-dryer")
    html = page(client, TECHNOLOGIES)
    assert f'<a href="{settings.SITE_URL}/technologies/solar-dryer/" target="_blank" rel="noopener">' in html
    assert "(opens in a new tab)" in html
    french = page(client, "/fr" + TECHNOLOGIES)
    assert f'href="{settings.SITE_URL}/fr/technologies/{technology.slug}/"' in french
    assert f'<a href="{settings.SITE_URL}/fr/technologies/" target="_blank" rel="noopener">' in french


def test_what_an_item_shows(client):
    TechnologyFactory(
        title="Solar dryer",
        summary="A dryer. " * 60,
        trl=6,
        organisation=OrganisationFactory(name="Kenya Industrial Research"),
        country_developed="KE",
        sdgs=SustainableDevelopmentGoal.objects.filter(number__in=[2, 7]),
    )
    html = page(client, TECHNOLOGIES)
    assert "Agro-food processing" in html
    assert "TRL 6" in html
    assert ">Kenya Industrial Research</bdi>" in html
    assert "<span>Kenya</span>" in html
    assert 'class="sdg-badge sdg-7"' in html
    summary = re.search(r'<p><bdi lang="en" dir="ltr">([^<]*)</bdi></p>', html)[1]
    assert len(summary) <= 220 and summary.endswith("…")
    # No image, no script, no site header.
    assert "<img" not in html and "<script" not in html and "<nav" not in html
    assert "<main>" in html and "<footer>" in html


def test_filters_by_sector_sdg_country_and_organisation(client):
    energy = Sector.objects.get(slug="renewable-energy")
    sjtu = OrganisationFactory(name="Shanghai Jiao Tong University")
    TechnologyFactory(title="Wind pump", sector=energy, sdgs=SustainableDevelopmentGoal.objects.filter(number=7))
    TechnologyFactory(title="Cassava grater", country_developed="NG", countries_deployed=["GH"])
    TechnologyFactory(title="Heat pump dryer", organisation=sjtu, country_developed="CN", countries_deployed=[])
    TechnologyFactory(title="Water filter", sdgs=SustainableDevelopmentGoal.objects.filter(number=6))
    assert titles(page(client, TECHNOLOGIES, {"sector": "renewable-energy"})) == ["Wind pump"]
    assert titles(page(client, TECHNOLOGIES, {"sdg": "6"})) == ["Water filter"]
    # A country where it was developed or where it is deployed, as in the catalogue.
    assert titles(page(client, TECHNOLOGIES, {"country": "GH"})) == ["Cassava grater"]
    assert titles(page(client, TECHNOLOGIES, {"organisation": str(sjtu.pk)})) == ["Heat pump dryer"]
    assert titles(page(client, TECHNOLOGIES, {"organisation": "shanghai jiao tong university"})) == ["Heat pump dryer"]
    both = page(client, TECHNOLOGIES, {"sector": "renewable-energy", "sdg": "7"})
    assert titles(both) == ["Wind pump"]
    # The filters are named under the heading.
    assert "<span>Renewable energy</span><span>SDG 7: Affordable and clean energy</span>" in both
    assert "<bdi>Shanghai Jiao Tong University</bdi>" in page(client, TECHNOLOGIES, {"organisation": str(sjtu.pk)})


def test_see_all_is_the_catalogue_with_the_same_filters(client, settings):
    TechnologyFactory()
    html = page(client, TECHNOLOGIES, {"sector": "renewable-energy", "sdg": "7", "country": "KE", "limit": "3"})
    see_all = f"{settings.SITE_URL}/technologies/?sector=renewable-energy&amp;sdg=7&amp;country=KE"
    assert f'<footer><a href="{see_all}" target="_blank" rel="noopener">See all on WiiTs' in html
    unfiltered = page(client, TECHNOLOGIES)
    assert f'<footer><a href="{settings.SITE_URL}/technologies/" target="_blank"' in unfiltered


@pytest.mark.parametrize(
    "query",
    [
        {"sector": "no-such-sector"},
        {"sector": "bad\x00slug"},
        {"sector": "x" * 5000},
        {"sdg": "99"},
        {"sdg": "abc"},
        {"sdg": "9" * 30},
        {"country": "XX"},
        {"country": "kenya"},
        {"organisation": "999999"},
        {"organisation": "9" * 40},
        {"organisation": "No such organisation"},
        {"organisation": "with\x00nul"},
    ],
)
def test_a_filter_that_names_nothing_lists_nothing_and_says_so(client, query):
    TechnologyFactory(title="Solar dryer")
    html = page(client, TECHNOLOGIES, query)
    assert titles(html) == []
    assert "The filters of this list were not understood, so it lists nothing." in html
    assert "Solar dryer" not in html


def test_an_inactive_sector_names_nothing(client):
    TechnologyFactory(title="Solar dryer")
    Sector.objects.filter(slug="agro-food-processing").update(is_active=False)
    assert "were not understood" in page(client, TECHNOLOGIES, {"sector": "agro-food-processing"})


def test_unknown_parameters_and_empty_filters_are_ignored(client):
    TechnologyFactory(title="Solar dryer")
    html = page(client, TECHNOLOGIES, {"q": "nothing", "sort": "trl", "sector": "", "page": "9", "utm_source": "x"})
    assert titles(html) == ["Solar dryer"]


def test_empty_lists_say_so(client):
    assert "No technology has been published yet." in page(client, TECHNOLOGIES)
    assert "No published technology matches these filters yet." in page(client, TECHNOLOGIES, {"sdg": "14"})


@pytest.mark.parametrize(
    ("limit", "shown"), [(None, 10), ("3", 3), ("0", 1), ("50", 12), ("5000", 12), ("abc", 10), ("-2", 10)]
)
def test_limit(client, limit, shown):
    TechnologyFactory.create_batch(12)
    query = {"limit": limit} if limit is not None else {}
    assert len(titles(page(client, TECHNOLOGIES, query))) == shown


@pytest.mark.parametrize(
    ("given", "limit"),
    [(None, 10), ("", 10), ("7", 7), ("50", 50), ("51", 50), ("0", 1), ("9" * 5000, 50), ("²", 10), ("1.5", 10)],
)
def test_the_limit_is_capped(given, limit):
    assert embed_limit(given) == limit


def test_the_limit_caps_the_list(client, monkeypatch):
    monkeypatch.setattr(embed_forms, "MAX_LIMIT", 3)
    TechnologyFactory.create_batch(4)
    assert len(titles(page(client, TECHNOLOGIES, {"limit": "50"}))) == 3


# --- Languages -------------------------------------------------------------------------------


def test_texts_in_the_visitors_language_where_translated_each_marked(client):
    TechnologyFactory(
        title="Solar crop dryer",
        summary="Halves post-harvest losses.",
        title_i18n_zh_hans="太阳能作物干燥机",
        summary_i18n_zh_hans="减少一半的收获后损失。",
        published_at=timezone.now(),
    )
    TechnologyFactory(title="Wind pump", published_at=timezone.now() - datetime.timedelta(days=1))
    html = page(client, "/zh-hans" + TECHNOLOGIES)
    assert '<html lang="zh-hans" dir="ltr">' in html
    assert '<bdi lang="zh-hans" dir="ltr">太阳能作物干燥机</bdi>' in html
    assert '<p><bdi lang="zh-hans" dir="ltr">减少一半的收获后损失。</bdi></p>' in html
    # Not translated: the English original, marked as English.
    assert '<bdi lang="en" dir="ltr">Wind pump</bdi>' in html
    english = page(client, TECHNOLOGIES)
    assert '<html lang="en" dir="ltr">' in english
    assert '<bdi lang="en" dir="ltr">Solar crop dryer</bdi>' in english
    assert "太阳能" not in english


def test_arabic_is_right_to_left_and_marks_texts_in_other_scripts(client):
    TechnologyFactory(title="Solar crop dryer", title_i18n_ar="مجفف المحاصيل بالطاقة الشمسية")
    TechnologyFactory(title="Wind pump")
    html = page(client, "/ar" + TECHNOLOGIES)
    assert '<html lang="ar" dir="rtl">' in html
    assert '<bdi lang="ar" dir="rtl">مجفف المحاصيل بالطاقة الشمسية</bdi>' in html
    assert '<bdi lang="en" dir="ltr">Wind pump</bdi>' in html


def test_the_language_of_the_address_wins_over_the_browsers(client):
    TechnologyFactory(title="Solar crop dryer", title_i18n_fr="Séchoir solaire")
    html = client.get(TECHNOLOGIES, headers={"accept-language": "fr"}).content.decode()
    assert '<html lang="en"' in html and "Solar crop dryer" in html


# --- The events' embed --------------------------------------------------------------------------


def test_events_upcoming_by_default_published_only(client):
    now = timezone.now()
    EventFactory(title="Later workshop", starts_at=now + datetime.timedelta(days=40))
    EventFactory(title="Next webinar", kind="webinar", starts_at=now + datetime.timedelta(days=2))
    EventFactory(title="Hidden plenary", starts_at=now + datetime.timedelta(days=5), is_published=False)
    EventFactory(title="Last year's roadshow", starts_at=now - datetime.timedelta(days=300))
    html = page(client, EVENTS)
    assert titles(html) == ["Next webinar", "Later workshop"]
    assert "<h1>Upcoming events on WiiTs</h1>" in html
    assert "Hidden" not in html and "roadshow" not in html


def test_past_events_newest_first(client, settings):
    now = timezone.now()
    EventFactory(title="Old roadshow", kind="roadshow", starts_at=now - datetime.timedelta(days=300))
    EventFactory(title="Recent plenary", kind="plenary", starts_at=now - datetime.timedelta(days=10))
    EventFactory(title="Hidden past", starts_at=now - datetime.timedelta(days=20), is_published=False)
    EventFactory(title="Coming workshop")
    html = page(client, EVENTS, {"past": "1"})
    assert titles(html) == ["Recent plenary", "Old roadshow"]
    assert "<h1>Past events on WiiTs</h1>" in html
    assert f'<footer><a href="{settings.SITE_URL}/events/past/" target="_blank"' in html


def test_events_of_one_kind(client, settings):
    EventFactory(title="Solar webinar", kind="webinar")
    EventFactory(title="Solar workshop", kind="workshop")
    html = page(client, EVENTS, {"kind": "webinar", "limit": "5"})
    assert titles(html) == ["Solar webinar"]
    assert '<p class="meta"><span>Webinar</span></p>' in html
    assert f'href="{settings.SITE_URL}/events/?kind=webinar"' in html


def test_what_an_event_shows(client, settings):
    event = EventFactory(
        title="Solar drying workshop",
        summary="Hands-on training.",
        starts_at=datetime.datetime(2099, 3, 10, 6, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2099, 3, 10, 9, 0, tzinfo=datetime.UTC),
        time_zone="Africa/Nairobi",
        city="Nairobi",
        country="KE",
    )
    EventFactory(title="Online webinar", kind="webinar", city="", country="", online_url="https://meet.example.org/x")
    html = page(client, EVENTS)
    assert f'<a href="{settings.SITE_URL}/events/{event.slug}/" target="_blank" rel="noopener">' in html
    assert "<span>Workshop</span>" in html
    assert '<time datetime="2099-03-10T09:00:00+03:00" data-local-time>9 a.m.</time>' in html
    assert "(<bdi>Africa/Nairobi</bdi>)" in html
    assert "<span><bdi>Nairobi</bdi>, Kenya</span>" in html
    assert "<span>Online</span>" in html
    assert "meet.example.org" not in html  # only for registered participants
    assert '<p><bdi lang="en" dir="ltr">Hands-on training.</bdi></p>' in html


@pytest.mark.parametrize("query", [{"kind": "party"}, {"kind": "x\x00"}, {"kind": "w" * 1000}])
def test_an_unknown_kind_lists_nothing_and_says_so(client, query):
    EventFactory(title="Solar webinar", kind="webinar")
    html = page(client, EVENTS, query)
    assert titles(html) == []
    assert "were not understood" in html


def test_events_limit_and_languages(client):
    for day in range(1, 5):
        EventFactory(starts_at=timezone.now() + datetime.timedelta(days=day))
    EventFactory(title="Solar drying workshop", title_i18n_zh_hans="太阳能干燥研讨会")
    assert len(titles(page(client, EVENTS, {"limit": "2"}))) == 2
    chinese = page(client, "/zh-hans" + EVENTS)
    assert '<bdi lang="zh-hans" dir="ltr">太阳能干燥研讨会</bdi>' in chinese
    arabic = page(client, "/ar" + EVENTS)
    assert '<html lang="ar" dir="rtl">' in arabic


def test_an_empty_events_list_says_so(client):
    assert "No upcoming event has been announced yet." in page(client, EVENTS)
    assert "No past event matches." in page(client, EVENTS, {"past": "1"})


# --- Queries and size ---------------------------------------------------------------------------


# The request's savepoint and its release (ATOMIC_REQUESTS).
SAVEPOINT = 2


def test_the_technologies_embed_reads_a_fixed_number_of_queries(client, origins, django_assert_num_queries):
    TechnologyFactory.create_batch(3)
    sjtu = OrganisationFactory(name="SJTU")
    TechnologyFactory.create_batch(2, organisation=sjtu)
    # The origins, the listings (sector and organisation joined), their goals.
    with django_assert_num_queries(SAVEPOINT + 3):
        assert len(titles(page(client, TECHNOLOGIES))) == 5
    TechnologyFactory.create_batch(6)
    with django_assert_num_queries(SAVEPOINT + 3):
        assert len(titles(page(client, TECHNOLOGIES + "?country=KE&limit=50"))) == 11
    # And one query for each filter naming a row: the sector, the goal, the organisation.
    with django_assert_num_queries(SAVEPOINT + 3 + 3):
        assert len(titles(page(client, TECHNOLOGIES + "?sector=agro-food-processing&sdg=7&organisation=sjtu"))) == 2
    with django_assert_num_queries(SAVEPOINT + 3 + 1):
        assert len(titles(page(client, "/ar" + TECHNOLOGIES + f"?organisation={sjtu.pk}"))) == 2


def test_the_events_embed_reads_two_queries(client, origins, django_assert_num_queries):
    for kind in ("workshop", "webinar", "plenary"):
        EventFactory(kind=kind)
    with django_assert_num_queries(SAVEPOINT + 2):  # the origins, the events
        assert len(titles(page(client, EVENTS))) == 3
    EventFactory.create_batch(10, kind="webinar")
    with django_assert_num_queries(SAVEPOINT + 2):
        assert len(titles(page(client, "/zh-hans" + EVENTS + "?kind=webinar&limit=50"))) == 11


def test_ten_items_and_the_stylesheet_weigh_well_under_30_kb(client, origins):
    long_summary = "Sustainable industrial technology with measured results in the field. " * 14
    for number in range(10):
        TechnologyFactory(
            title=f"A long title for a technology listed on the portal, number {number}"[:200],
            summary=long_summary[:1000],
            sdgs=SustainableDevelopmentGoal.objects.filter(number__in=[6, 7, 9, 12, 13]),
        )
        EventFactory(summary="Hands-on training on solar dryers for cooperatives, with field visits and demos.")
    stylesheet = Path(finders.find("css/embed.css")).stat().st_size
    for url in (TECHNOLOGIES, "/ar" + TECHNOLOGIES, EVENTS, "/zh-hans" + EVENTS):
        response = client.get(url)
        assert len(titles(response.content.decode())) == 10
        assert len(response.content) + stylesheet < 20_000, (url, len(response.content))


# --- The page that builds the code ----------------------------------------------------------------


def test_the_builder_shows_the_newest_technologies_first(client, settings):
    html = page(client, reverse("embed:builder"))
    assert '<iframe class="w-100 border" src="/embed/technologies/" title="Newest technologies on WiiTs"' in html
    snippet = (
        f"&lt;iframe src=&quot;{settings.SITE_URL}/embed/technologies/&quot; "
        "title=&quot;Newest technologies on WiiTs&quot; width=&quot;100%&quot; height=&quot;600&quot; "
        "loading=&quot;lazy&quot;&gt;&lt;/iframe&gt;"
    )
    assert snippet in html
    assert "registered" in html  # the partner's site must be registered by staff
    assert 'class="site-header' in html  # a page of the site, with its header


def test_the_builder_writes_the_address_of_the_chosen_list(client, settings):
    sjtu = Organisation.objects.create(name="SJTU")
    query = {
        "show": "technologies",
        "language": "zh-hans",
        "limit": "5",
        "sector": "renewable-energy",
        "sdg": "7",
        "country": "CN",
        "organisation": sjtu.name,
        "kind": "webinar",  # an events' filter: not part of a technologies' list
    }
    html = page(client, reverse("embed:builder"), query)
    path = (
        "/zh-hans/embed/technologies/"
        "?sector=renewable-energy&amp;sdg=7&amp;country=CN&amp;organisation=SJTU&amp;limit=5"
    )
    assert f'src="{path}"' in html
    assert f"{settings.SITE_URL}{path.replace('&amp;', '&amp;amp;')}" in html
    events = page(
        client, reverse("embed:builder"), {"show": "events", "language": "ar", "past": "on", "kind": "webinar"}
    )
    assert 'src="/ar/embed/events/?past=1&amp;kind=webinar"' in events


def test_the_builders_previews_open(client):
    TechnologyFactory(title="Solar dryer")
    html = page(client, reverse("embed:builder"), {"show": "technologies", "language": "fr", "sdg": "2"})
    preview = re.search(r'<iframe class="w-100 border" src="([^"]*)"', html)[1].replace("&amp;", "&")
    assert titles(page(client, preview)) == ["Solar dryer"]


@pytest.mark.parametrize(
    "query",
    [
        {"limit": "0"},
        {"limit": "500"},
        {"sector": "nope"},
        {"language": "xx"},
        {"show": "needs"},
        {"sdg": "abc"},
        {"organisation": "No such organisation"},
        {"kind": "party"},
    ],
)
def test_the_builder_names_what_it_cannot_use(client, query):
    html = page(client, reverse("embed:builder"), query)
    assert "There is a problem" in html
    assert "<iframe" not in html


def test_the_frame_keeps_the_language_of_its_address_whatever_the_visitors_cookie(client, settings):
    """A browser that sends the portal's language cookie into a partner's frame still shows
    the language the partner chose; the portal's own pages still follow the cookie."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get("/embed/technologies/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert client.get("/technologies/").status_code == 302
