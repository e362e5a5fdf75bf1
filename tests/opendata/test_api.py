"""The public read-only API (/api/v1/, opendata/api.py): what it shows and to whom, in
which language, filters and pages, conditional answers, CORS, keys and limits."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common.reference.models import Sector
from events.models import AgendaItem, Speaker
from opendata.models import PartnerKey, hash_key
from opendata.throttling import AddressThrottle, PartnerKeyThrottle
from tests.factories import AdviserFactory, EventFactory, NeedFactory, TechnologyFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def get(client, path, **extra):
    return client.get(API + path, **extra)


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


def make_key(name="ITPO Beijing website") -> tuple[PartnerKey, str]:
    key, prefix = PartnerKey.new_secret()
    return PartnerKey.objects.create(name=name, prefix=prefix, key_hash=hash_key(key)), key


# --- What is shown -----------------------------------------------------------------------


def test_lists_published_technologies_only(client, published, draft):
    TechnologyFactory(status="withdrawn", slug="withdrawn-one", published_at=None)
    response = get(client, "technologies/")
    assert response.status_code == 200
    assert slugs(response) == ["solar-crop-dryer"]
    row = response.json()["results"][0]
    assert row["title"] == {"text": "Solar crop dryer", "language": "en", "is_translation": False}
    assert row["sector"] == {"slug": "agro-food-processing", "name": "Agro-food processing"}
    assert [goal["number"] for goal in row["sdgs"]] == [2, 7]
    assert row["country_developed"] == {"code": "KE", "name": "Kenya"}
    assert row["url"].endswith("/technologies/solar-crop-dryer/")
    assert row["api_url"].endswith("/api/v1/technologies/solar-crop-dryer/")
    assert "description" not in row  # a list shows no long texts


def test_a_technology_with_its_long_texts_as_html(client, published):
    response = get(client, "technologies/solar-crop-dryer/")
    assert response.status_code == 200
    description = response.json()["description"]
    assert description["text"].startswith("## How it works")
    assert "<h3>How it works</h3>" in description["html"]


@pytest.mark.parametrize("status", ["draft", "submitted", "in_review", "changes_requested", "rejected", "withdrawn"])
def test_an_unpublished_technology_is_not_found_even_for_its_owner_key(client, innovator, status):
    TechnologyFactory(owner=innovator, status=status, slug="hidden", published_at=None)
    _key, secret = make_key()
    assert get(client, "technologies/hidden/").status_code == 404
    assert get(client, "technologies/hidden/", HTTP_AUTHORIZATION=f"Api-Key {secret}").status_code == 404


def test_needs_events_advisers_and_reference_lists(client):
    NeedFactory(slug="mango-drying")
    NeedFactory(slug="draft-need", status="draft", published_at=None)
    upcoming = EventFactory(slug="nairobi-workshop")
    speaker = Speaker.objects.create(event=upcoming, name="Wang Hua", affiliation="SJTU", biography="**Solar** expert")
    item = AgendaItem.objects.create(event=upcoming, starts_at=upcoming.starts_at, title="Opening")
    item.speakers.add(speaker)
    EventFactory(
        slug="past-plenary",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        ends_at=timezone.now() - datetime.timedelta(days=29),
    )
    EventFactory(slug="unpublished", is_published=False)
    AdviserFactory(slug="current-adviser", expertise=["agro-food-processing"])
    AdviserFactory(slug="former-adviser", is_active=False)

    assert slugs(get(client, "needs/")) == ["mango-drying"]
    assert get(client, "needs/draft-need/").status_code == 404
    assert get(client, "needs/mango-drying/").json()["problem"]["text"].startswith("We lose a third")

    events = get(client, "events/")
    assert slugs(events) == ["nairobi-workshop"]
    event = events.json()["results"][0]
    assert event["agenda"][0]["title"]["text"] == "Opening"
    assert event["agenda"][0]["speakers"] == ["Wang Hua"]
    assert event["speakers"][0]["biography"]["html"] == "<p><strong>Solar</strong> expert</p>"
    assert event["calendar_url"].endswith("/events/nairobi-workshop.ics")
    assert slugs(get(client, "events/", data={"when": "past"})) == ["past-plenary"]
    assert get(client, "events/past-plenary/").status_code == 200
    assert get(client, "events/unpublished/").status_code == 404

    assert slugs(get(client, "advisers/")) == ["current-adviser"]
    assert slugs(get(client, "advisers/", data={"sector": "renewable-energy"})) == []
    assert get(client, "advisers/former-adviser/").status_code == 404

    sectors = get(client, "sectors/").json()
    assert {"slug": "agro-food-processing", "name": "Agro-food processing"} in sectors
    assert len(get(client, "sdgs/").json()) == 17
    assert "licensing" in [row["slug"] for row in get(client, "cooperation-types/").json()]


# --- Language ----------------------------------------------------------------------------


def test_texts_in_the_language_asked_each_marked_with_its_own(client, published):
    published.title_i18n_fr = "Séchoir solaire"
    published.save()
    by_parameter = get(client, "technologies/solar-crop-dryer/", data={"lang": "fr"})
    assert by_parameter["Content-Language"] == "fr"
    body = by_parameter.json()
    assert body["title"] == {"text": "Séchoir solaire", "language": "fr", "is_translation": True}
    # No French summary: the original (English), marked as such.
    assert body["summary"]["language"] == "en" and body["summary"]["is_translation"] is False
    assert body["sector"]["name"] == "Transformation agroalimentaire"
    assert body["url"].endswith("/fr/technologies/solar-crop-dryer/")

    by_header = get(client, "technologies/solar-crop-dryer/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    assert by_header["Content-Language"] == "zh-hans"
    assert by_header.json()["country_developed"]["name"] == "肯尼亚"
    assert "Accept-Language" in by_header["Vary"]

    wrong = get(client, "technologies/", data={"lang": "de"})
    assert wrong.status_code == 400
    assert "lang" in wrong.json()


# --- Filters and pages -------------------------------------------------------------------


def test_the_catalogue_filters(client):
    energy = Sector.objects.get(slug="renewable-energy")
    TechnologyFactory(slug="kenyan-dryer", trl=5)
    TechnologyFactory(slug="chinese-stove", sector=energy, country_developed="CN", countries_deployed=["CN"], trl=8)
    assert slugs(get(client, "technologies/", data={"sector": "renewable-energy"})) == ["chinese-stove"]
    assert slugs(get(client, "technologies/", data={"country": "CN"})) == ["chinese-stove"]
    assert slugs(get(client, "technologies/", data={"trl_min": 6})) == ["chinese-stove"]
    assert slugs(get(client, "technologies/", data={"sort": "trl"})) == ["chinese-stove", "kenyan-dryer"]


def test_a_search_finds_by_title(client):
    TechnologyFactory(slug="biogas", title="Anaerobic digester for dairy farms")
    TechnologyFactory(slug="dryer", title="Solar tunnel dryer")
    assert slugs(get(client, "technologies/", data={"q": "digester"})) == ["biogas"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("sdg", "99"), ("sector", "no-such-sector"), ("trl_min", "abc"), ("country", "XX"), ("sort", "price")],
)
def test_a_value_not_understood_is_a_400_naming_it(client, published, parameter, value):
    response = get(client, "technologies/", data={parameter: value})
    assert response.status_code == 400
    assert parameter in response.json()


def test_pages_are_capped_and_linked_on_the_site_address(client, settings, monkeypatch):
    from opendata.api import Pagination

    monkeypatch.setattr(Pagination, "max_page_size", 2)
    for number in range(3):
        TechnologyFactory(slug=f"listing-{number}")
    first = get(client, "technologies/", data={"page_size": 50}, HTTP_HOST="127.0.0.1")
    body = first.json()
    assert body["count"] == 3 and len(body["results"]) == 2
    assert body["next"].startswith(settings.SITE_URL + "/api/v1/technologies/?")
    assert "page=2" in body["next"]
    second = client.get(body["next"].removeprefix(settings.SITE_URL))
    assert len(second.json()["results"]) == 1
    assert second.json()["next"] is None
    assert get(client, "technologies/", data={"page": 9}).status_code == 404
    assert get(client, "technologies/", data={"page": "abc"}).status_code == 404


def test_order_is_stable_among_equal_dates(client):
    moment = timezone.now()
    for number in range(4):
        TechnologyFactory(slug=f"same-{number}", published_at=moment)
    once = slugs(get(client, "technologies/", data={"page_size": 2})) + slugs(
        get(client, "technologies/", data={"page_size": 2, "page": 2})
    )
    assert sorted(once) == [f"same-{number}" for number in range(4)]


# --- Conditional answers and CORS --------------------------------------------------------


def test_etag_and_last_modified_answer_304(client, published):
    first = get(client, "technologies/solar-crop-dryer/")
    etag, modified = first["ETag"], first["Last-Modified"]
    again = get(client, "technologies/solar-crop-dryer/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert get(client, "technologies/solar-crop-dryer/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    published.title = "Solar crop dryer, second model"
    published.save()
    assert get(client, "technologies/solar-crop-dryer/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    listing = get(client, "technologies/")
    assert get(client, "technologies/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    # Another language is another representation.
    assert get(client, "technologies/", data={"lang": "ar"}, HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 200


def test_browsers_on_any_site_may_read_without_credentials(client, published):
    response = get(client, "technologies/", HTTP_ORIGIN="https://www.unido.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        API + "technologies/",
        HTTP_ORIGIN="https://www.unido.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    # The site's own pages are not opened to other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/technologies/", HTTP_ORIGIN="https://www.unido.org")


def test_the_api_is_read_only(client, published):
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(API + "technologies/solar-crop-dryer/").status_code == 405


# --- Keys and limits ---------------------------------------------------------------------


def test_a_partner_key_is_accepted_and_its_use_recorded(client, published):
    partner, secret = make_key()
    assert secret.startswith("wiits_") and partner.key_hash != secret
    assert get(client, "technologies/", HTTP_AUTHORIZATION=f"Api-Key {secret}").status_code == 200
    partner.refresh_from_db()
    assert partner.last_used_at is not None
    assert get(client, "technologies/", HTTP_X_API_KEY=secret).status_code == 200


@pytest.mark.parametrize("header", ["Api-Key wiits_nope_123", "Bearer something", "Api-Key "])
def test_a_wrong_key_is_refused_clearly(client, published, header):
    response = get(client, "technologies/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["detail"]


def test_a_revoked_key_is_refused(client, published):
    partner, secret = make_key()
    partner.revoked_at = timezone.now()
    partner.save()
    assert get(client, "technologies/", HTTP_AUTHORIZATION=f"Api-Key {secret}").status_code == 401


def test_limits_per_address_and_per_key(client, published, monkeypatch):
    monkeypatch.setattr(AddressThrottle, "rate", "3/min", raising=False)
    monkeypatch.setattr(PartnerKeyThrottle, "rate", "5/min", raising=False)
    _partner, secret = make_key()
    for _ in range(3):
        assert get(client, "sdgs/", REMOTE_ADDR="203.0.113.7").status_code == 200
    over = get(client, "sdgs/", REMOTE_ADDR="203.0.113.7")
    assert over.status_code == 429
    assert int(over["Retry-After"]) > 0
    # Another address has its own count; a key its own, higher limit.
    assert get(client, "sdgs/", REMOTE_ADDR="198.51.100.9").status_code == 200
    keyed = [get(client, "sdgs/", REMOTE_ADDR="203.0.113.7", HTTP_X_API_KEY=secret).status_code for _ in range(6)]
    assert keyed == [200] * 5 + [429]


# --- Nothing private ---------------------------------------------------------------------

PRIVATE_KEYS = {"email", "owner", "status", "password", "key_hash", "online_url", "answers", "reviews", "comment"}


def _walk(value, path=""):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path + "." + key, key, inner
            yield from _walk(inner, path + "." + key)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _walk(inner, f"{path}[{index}]")


def test_no_response_holds_a_private_field(client, published, draft, innovator):
    from events.models import Registration

    event = EventFactory(slug="with-online-link", online_url="https://meet.example.org/secret-room")
    Speaker.objects.create(event=event, name="Li Wei", biography="Engineer")
    Registration.objects.create(event=event, user=innovator, status="registered")
    NeedFactory(slug="a-need", owner=innovator)
    adviser = AdviserFactory(slug="an-adviser")
    emails = {innovator.email, adviser.user.email, published.owner.email}
    paths = ["", "technologies/", "needs/", "events/", "advisers/", "sectors/", "sdgs/", "cooperation-types/"]
    paths += ["technologies/solar-crop-dryer/", "needs/a-need/", "events/with-online-link/", "advisers/an-adviser/"]
    for path in paths:
        response = get(client, path)
        assert response.status_code == 200, path
        text = response.content.decode()
        for secret in (*emails, "secret-room", draft.slug, "pbkdf2", "md5$"):
            assert secret not in text, (path, secret)
        for where, key, _value in _walk(response.json()):
            assert key not in PRIVATE_KEYS, (path, where)


# --- Queries, schema and documentation ---------------------------------------------------


def test_query_counts_do_not_grow_with_the_rows(client, django_assert_num_queries):
    for number in range(5):
        TechnologyFactory(slug=f"counted-{number}")
        event = EventFactory(slug=f"counted-event-{number}")
        AgendaItem.objects.create(event=event, starts_at=event.starts_at, title="Opening")
    get(client, "technologies/")  # warm: the per-process memos (search tables, languages)
    # The request's savepoint (ATOMIC_REQUESTS) and the address's counter in the database
    # cache (read, cull check, write in a savepoint): 8. The count, the page, its goals,
    # cooperation types and images: 5.
    with django_assert_num_queries(13):
        assert len(slugs(get(client, "technologies/"))) == 5
    # 8; the count, the page, sectors, goals, speakers, agenda and their speakers: 7.
    with django_assert_num_queries(15):
        assert len(slugs(get(client, "events/"))) == 5
    # 8; the listing, its goals, cooperation types and images: 4.
    with django_assert_num_queries(12):
        get(client, "technologies/counted-0/")


def test_the_openapi_description_and_its_page_need_no_cdn(client):
    schema = client.get(reverse("api:schema"), data={"format": "json"})
    assert schema.status_code == 200
    description = schema.json()
    assert description["openapi"].startswith("3.")
    assert "/api/v1/technologies/" in description["paths"]
    parameters = {p["name"] for p in description["paths"]["/api/v1/technologies/"]["get"]["parameters"]}
    assert {"q", "sector", "sdg", "trl_min", "country", "cooperation", "lang", "page", "page_size"} <= parameters
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    for cdn in ("cdn.", "unpkg", "jsdelivr", "googleapis"):
        assert cdn not in html
    assert "<style>" not in html  # the Content Security Policy refuses inline styles


# --- Every endpoint, for each kind of caller ---------------------------------------------

ENDPOINTS = [
    "",
    "technologies/",
    "technologies/solar-crop-dryer/",
    "needs/",
    "needs/a-need/",
    "events/",
    "events/an-event/",
    "advisers/",
    "advisers/an-adviser/",
    "sectors/",
    "sdgs/",
    "cooperation-types/",
]


@pytest.fixture
def one_of_each(published):
    NeedFactory(slug="a-need")
    EventFactory(slug="an-event")
    AdviserFactory(slug="an-adviser")


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_endpoint_for_the_anonymous_a_key_holder_and_one_over_the_limit(client, one_of_each, path, monkeypatch):
    monkeypatch.setattr(AddressThrottle, "rate", "2/min", raising=False)
    monkeypatch.setattr(PartnerKeyThrottle, "rate", "3/min", raising=False)
    _partner, secret = make_key()
    anonymous = [get(client, path).status_code for _ in range(3)]
    assert anonymous == [200, 200, 429]
    keyed = [get(client, path, HTTP_AUTHORIZATION=f"Api-Key {secret}").status_code for _ in range(4)]
    assert keyed == [200, 200, 200, 429]
    over = get(client, path, HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert over["Content-Type"] == "application/json"
    assert int(over["Retry-After"]) > 0 and "detail" in over.json()


@pytest.mark.postgres
def test_the_search_behind_the_api_is_the_sites_in_six_languages(client):
    TechnologyFactory(slug="tunnel-dryer", title="Solar tunnel dryer", title_i18n_zh_hans="太阳能隧道式干燥机")
    TechnologyFactory(slug="biogas", title="Биогазовая установка для ферм", original_language="ru")
    TechnologyFactory(slug="unrelated", title="Water filter for villages")
    assert slugs(get(client, "technologies/", data={"q": "干燥机"})) == ["tunnel-dryer"]
    assert slugs(get(client, "technologies/", data={"q": "биогаз"})) == ["biogas"]
    assert slugs(get(client, "technologies/", data={"q": "tunnels"})) == ["tunnel-dryer"]  # English stemming


def test_an_unknown_address_of_the_api_answers_json(client):
    for path in ("nothing/here/", "technologies/a.b/", "technologies/x/y/"):
        response = get(client, path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json" and response.json()["detail"], path
