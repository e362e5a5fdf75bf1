"""What keeps the catalogue and the needs fast with 100 000 listings (measured by
`make bench`, docs/BENCHMARKS.md): bounded counting and paging, search ranking among the
newest matches, and the per-process cache of rendered results."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from common.pagination import BoundedPaginator
from common.templatetags.wiits_tags import select_options
from technologies import views
from technologies.filters import CatalogueFilter
from technologies.models import Technology, TechnologyStatus
from tests.factories import NeedFactory, TechnologyFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(monkeypatch):
    monkeypatch.setattr(views, "RESULT_LIMIT", 5)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    return 5


# --- Bounded counting and paging ----------------------------------------------------------------


def test_the_paginator_counts_up_to_its_limit_and_says_there_is_more():
    TechnologyFactory.create_batch(7)
    paginator = BoundedPaginator(Technology.objects.order_by("pk"), 2, limit=5)
    assert (paginator.count, paginator.more, paginator.num_pages) == (5, True, 3)
    assert [t.pk for t in paginator.get_page(99).object_list] == [t.pk for t in Technology.objects.order_by("pk")[4:5]]


def test_the_paginator_below_its_limit_is_an_ordinary_paginator():
    TechnologyFactory.create_batch(3)
    bounded = BoundedPaginator(Technology.objects.order_by("pk"), 2, limit=5)
    plain = Paginator(Technology.objects.order_by("pk"), 2)
    assert (bounded.count, bounded.more, bounded.num_pages) == (plain.count, False, plain.num_pages)


def test_the_catalogue_says_when_only_the_first_results_are_listed(client, limit):
    TechnologyFactory.create_batch(limit + 2)
    page = client.get(reverse("technologies:catalogue")).content.decode()
    assert "More than 5 technologies found" in page
    assert "Only the first 5 are listed" in page
    assert "Page 1 of 3" in page
    deep = client.get(reverse("technologies:catalogue"), {"page": 5000}).content.decode()
    assert "Page 3 of 3" in deep


def test_a_search_ranked_by_relevance_says_when_only_the_first_results_are_listed(client, limit):
    TechnologyFactory.create_batch(limit + 2, title="Solar dryer")
    page = client.get(reverse("technologies:catalogue"), {"q": "dryer"}).content.decode()
    assert "More than 5 technologies found" in page


def test_the_needs_say_when_only_the_first_results_are_listed(client, limit):
    NeedFactory.create_batch(limit + 1, status="published", published_at=timezone.now())
    page = client.get(reverse("needs:list")).content.decode()
    assert "More than 5 needs found" in page


def test_a_list_at_its_limit_shows_the_exact_count(client, limit):
    TechnologyFactory.create_batch(limit)
    page = client.get(reverse("technologies:catalogue")).content.decode()
    assert "5 technologies found" in page and "More than" not in page


# --- Search ranking ------------------------------------------------------------------------------


@pytest.mark.postgres
def test_search_ranks_only_the_newest_matches():
    now = timezone.now()
    best_but_oldest = TechnologyFactory(
        title="Kiln kiln kiln heat recovery", summary="Kiln kiln kiln.", published_at=now - timedelta(days=400)
    )
    newer = [TechnologyFactory(title=f"Brick kiln {n}", published_at=now - timedelta(days=n)) for n in range(3)]
    from technologies.services import technologies_update_search_vector

    technologies_update_search_vector(queryset=Technology.objects.all())
    queryset = Technology.objects.published()
    unbounded = list(CatalogueFilter({"q": "kiln"}, queryset=queryset).qs)
    bounded = list(CatalogueFilter({"q": "kiln"}, queryset=queryset, result_limit=2).qs)  # ranks 2 + 1
    assert unbounded[0] == best_but_oldest  # ranked first when every match is ranked
    assert best_but_oldest not in bounded and set(bounded) == set(newer)


@pytest.mark.postgres
def test_the_listings_search_index_returns_matches_newest_first():
    """The RUM index of technologies/migrations/0014 is in place where the extension is
    available (CI: Debian's postgresql-NN-rum), and the newest matches come from it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')")
        if not cursor.fetchone()[0]:
            pytest.skip("needs the RUM extension: apt-get install postgresql-$MAJOR-rum, then migrate")
    from common import search

    assert search.has_rum_index(Technology)
    TechnologyFactory(title="Brick kiln")
    queryset = search.ranked_search(Technology.objects.published(), "kiln", text_fields=["title"])
    sql = str(search.newest_first(queryset).values("pk").query)
    assert "<=>" in sql and "ORDER BY" in sql
    typo = search.ranked_search(Technology.objects.published(), "kilm", text_fields=["title"])
    assert "<=>" not in str(search.newest_first(typo).values("pk").query)  # near matches: by date


@pytest.mark.postgres
@pytest.mark.parametrize("rum", [True, False], ids=["by the RUM index", "by date"])
def test_the_newest_matches_are_the_same_with_or_without_the_rum_index(monkeypatch, rum):
    from common import search

    if not rum:
        monkeypatch.setattr(search, "has_rum_index", lambda model: False)
    now = timezone.now()
    kilns = [TechnologyFactory(title=f"Brick kiln {n}", published_at=now - timedelta(days=n)) for n in range(6)]
    TechnologyFactory(title="Solar dryer", published_at=now)
    TechnologyFactory(title="Kiln draft", status=TechnologyStatus.DRAFT, published_at=None)
    queryset = Technology.objects.published()
    filterset = CatalogueFilter({"q": "kiln"}, queryset=queryset, result_limit=3)
    ranked = list(filterset.qs)
    assert filterset.counted == 4  # the newest 3 + 1, read once: the list does not count again
    assert ranked == kilns[:4]  # equal ranks: the newest first
    newest = search.newest_first(search.ranked_search(queryset, "kiln", text_fields=["title"]))
    assert list(newest.values_list("pk", flat=True)) == [kiln.pk for kiln in kilns]


@pytest.mark.postgres
def test_a_new_search_makes_a_fixed_number_of_queries(client, limit):
    TechnologyFactory(title="Brick kiln")
    url = reverse("technologies:catalogue") + "?q=kiln&page=2"
    with_one = count_queries(client, url + "&n=1")
    TechnologyFactory.create_batch(12, title="Brick kiln")
    # the query's readings, whether all its words match, the newest matches with their
    # ranks (the count), the page's rows, their SDGs and images; the reference lists of
    # the three filters; the latest change (before: 11, counting the matches again)
    assert count_queries(client, url + "&n=2") == with_one == 10


@pytest.mark.postgres
@pytest.mark.parametrize("url_name", ["technologies:catalogue", "needs:list"])
def test_the_filters_reference_lists_are_read_in_one_query_each(client, url_name):
    """Sectors, goals and cooperation types for the selects: one plain query each, not
    Django's server-side cursor (DECLARE, FETCH, CLOSE) on every list page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name) + "?q=kiln&sector=energy")
    assert response.status_code == 200
    statements = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in statements if sql.lstrip().upper().startswith("DECLARE")]
    reads = [sql for sql in statements if 'FROM "reference_sector"' in sql and "ORDER BY" in sql]
    assert len(reads) == 1  # the choices (a chosen sector is looked up on its own, by slug)


def test_ranked_rows_read_only_the_page_they_are_asked_for():
    from common.pagination import RankedRows

    first, second, third = TechnologyFactory.create_batch(3)
    rows = RankedRows(Technology.objects.all(), [third.pk, first.pk, second.pk])
    with CaptureQueriesContext(connection) as queries:
        assert rows[1:3] == [first, second]
    assert len(queries) == 1 and str(first.pk) in queries[0]["sql"] and str(third.pk) not in queries[0]["sql"]
    assert (len(rows), rows[0], list(rows)) == (3, third, [third, first, second])
    second.delete()  # gone since it was ranked: the page shows the others
    assert rows[1:3] == [first]
    with CaptureQueriesContext(connection) as queries:
        assert rows[5:7] == []
    assert len(queries) == 0


def test_a_paginator_told_its_count_does_not_count_again():
    TechnologyFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        paginator = BoundedPaginator(Technology.objects.order_by("pk"), 2, limit=5, counted=7)
        assert (paginator.count, paginator.more, paginator.num_pages) == (5, True, 3)
    assert len(queries) == 0


# --- Cached results ------------------------------------------------------------------------------


def _queries(client, url) -> int:
    return count_queries(client, url)


def test_the_same_page_again_comes_from_the_cache(client):
    TechnologyFactory.create_batch(3)
    url = reverse("technologies:catalogue") + "?sector=agro-food-processing"
    first = _queries(client, url)
    again = _queries(client, url)
    assert again == 1 < first  # only the latest change, to know the cached page is current (tests read it each time)


def test_the_latest_change_is_read_at_most_once_a_second(client, settings):
    settings.FRAGMENTS_VERSION_SECONDS = 1
    TechnologyFactory(title="Solar kiln")
    url = reverse("technologies:catalogue")
    first = count_queries(client, url)
    assert count_queries(client, url) == 0 < first  # the cached page, the change read a moment ago
    settings.FRAGMENTS_VERSION_SECONDS = 0  # a second later
    TechnologyFactory(title="Wind pump")
    assert "Wind pump" in client.get(url).content.decode()


def test_a_change_to_a_listing_shows_at_once(client):
    technology = TechnologyFactory(title="Solar kiln")
    url = reverse("technologies:catalogue")
    assert "Solar kiln" in client.get(url).content.decode()
    technology.title = "Biomass kiln"
    technology.save()
    page = client.get(url).content.decode()
    assert "Biomass kiln" in page and "Solar kiln" not in page
    technology.status = TechnologyStatus.WITHDRAWN
    technology.save()
    assert "Biomass kiln" not in client.get(url).content.decode()


def test_a_new_listing_shows_at_once(client):
    TechnologyFactory(title="First dryer")
    url = reverse("technologies:catalogue")
    client.get(url)
    TechnologyFactory(title="Second dryer")
    assert "Second dryer" in client.get(url).content.decode()


def test_each_language_query_and_kind_of_visitor_has_its_own_page(client, member):
    TechnologyFactory(title="Solar kiln")
    url = reverse("technologies:catalogue")
    english = client.get(url).content.decode()
    french = client.get("/fr" + url).content.decode()
    assert "1 technology found" in english and "technologie trouvée" in french
    empty = client.get(url, {"q": "zeppelin"}).content.decode()
    assert "Solar kiln" not in empty and "No published technology matches this search." in empty
    client.force_login(member)
    signed_in = client.get(url, {"q": "zeppelin"}).content.decode()
    assert "List your own technology" in signed_in and "List your own technology" not in empty


def test_a_renamed_organisation_shows_within_the_cache_lifetime(client, settings):
    """A change that does not touch the listing (an organisation's new name) waits for
    the cached page to expire (settings.CACHES['fragments']['TIMEOUT'])."""
    technology = TechnologyFactory()
    url = reverse("technologies:catalogue")
    client.get(url)
    Organisation.objects.filter(pk=technology.organisation_id).update(name="Renamed works")
    assert "Renamed works" not in client.get(url).content.decode()
    from django.core.cache import caches

    caches["fragments"].clear()  # what the timeout does
    assert "Renamed works" in client.get(url).content.decode()
    assert settings.CACHES["fragments"]["TIMEOUT"] <= 60


def test_the_cache_key_never_holds_the_raw_query(client):
    TechnologyFactory()
    response = client.get(reverse("technologies:catalogue"), {"q": "x" * 200 + " \n\x7f"})
    assert response.status_code == 200


# --- Select options rendered in Python -------------------------------------------------------------


def test_select_options_mark_the_choice_and_escape_labels():
    html = select_options(
        [
            (None, [{"value": "", "label": "All", "attrs": {}}], 0),
            (None, [{"value": "KE", "label": "Kenya", "attrs": {"selected": True}}], 1),
            ("Group <b>", [{"value": 'a"b', "label": "<script>", "attrs": {"data-x": "1"}}], 2),
        ]
    )
    assert '<option value="">All</option>' in html
    assert '<option value="KE" selected>Kenya</option>' in html
    assert '<optgroup label="Group &lt;b&gt;">' in html
    assert '<option value="a&quot;b" data-x="1">&lt;script&gt;</option>' in html


def test_the_catalogue_country_filter_keeps_the_chosen_country(client):
    TechnologyFactory()
    page = client.get(reverse("technologies:catalogue"), {"country": "KE"}).content.decode()
    assert '<option value="KE" selected>Kenya</option>' in page


def test_the_catalogue_makes_few_queries_whatever_the_number_of_listings(client, limit):
    TechnologyFactory()
    url = reverse("technologies:catalogue") + "?page=3"
    with_one = count_queries(client, url)
    TechnologyFactory.create_batch(12)
    with CaptureQueriesContext(connection):
        assert count_queries(client, url) == with_one
