"""The "Filters (2)" button of the catalogue and the needs list on small screens (issue 22):
what it counts, and the page around it (the words box and a bad filter's warning stay in
view; the other filters fold). The layout itself is tested in Chromium: tests/test_layout.py."""

import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from needs.filters import NeedFilter
from technologies.filters import CatalogueFilter
from technologies.models import Technology
from tests.factories import NeedFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


def count(filterset_class, query: str) -> int:
    return filterset_class(QueryDict(query), queryset=Technology.objects.none()).active_filter_count


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 0),
        ("q=solar", 0),  # the words have their own box
        ("sort=trl", 0),  # an order narrows nothing
        ("page=2", 0),
        ("sector=agro-food-processing", 1),
        ("sector=agro-food-processing&sdg=7&trl_min=3&trl_max=8&country=KE", 5),
        ("cooperation=licensing&ip_status=patent_pending&nag=on&q=solar&sort=newest", 3),
        ("nag=", 0),  # the box unticked
        ("sector=", 0),  # "All sectors"
        ("sector=no-such-sector&trl_min=abc&sdg=7", 1),  # ignored values are not counted
    ],
)
def test_the_catalogue_counts_the_filters_in_use(query, expected):
    assert count(CatalogueFilter, query) == expected


def test_the_needs_list_counts_its_own_filters():
    assert count(NeedFilter, "q=mango&sort=closing") == 0
    assert count(NeedFilter, "country=SN&trl=5&cooperation=licensing") == 3


def test_an_unbound_filter_counts_nothing():
    assert CatalogueFilter(queryset=Technology.objects.none()).active_filter_count == 0


def _filters_button(page: str) -> str:
    return re.search(r'<summary class="btn btn-outline-primary filters-button">(.*?)</summary>', page, re.S)[1]


def test_the_catalogue_shows_the_count_on_the_button(client):
    TechnologyFactory(title="Solar crop dryer", slug="solar-crop-dryer")
    url = reverse("technologies:catalogue")
    button = _filters_button(client.get(url).content.decode())
    assert "Filters" in button and "filters-count" not in button

    page = client.get(url, {"q": "solar", "sector": "agro-food-processing", "nag": "on", "sort": "trl"})
    button = _filters_button(page.content.decode())
    assert '<span class="filters-count" aria-hidden="true">(2)</span>' in button
    assert "2 active filters" in button  # what a screen reader hears instead of "(2)"

    button = _filters_button(client.get(url, {"sector": "agro-food-processing"}).content.decode())
    assert "(1)" in button and "1 active filter<" in button


def test_the_words_box_and_a_bad_filters_warning_stay_out_of_the_folded_filters(client):
    TechnologyFactory()
    page = client.get(reverse("technologies:catalogue"), {"q": "dryer", "trl_min": "abc"}).content.decode()
    folded = page.index('<details class="filters-more">')
    assert page.index('id="id_q"') < folded
    assert page.index("Some filters were not understood and have been ignored") < folded
    assert folded < page.index('id="id_sector"') < page.index("</details>", folded)
    # The results follow the form, which ends with its buttons.
    assert page.index("filters-submit") < page.index('id="results-title"')


def test_the_needs_list_has_the_same_button(client):
    NeedFactory()
    page = client.get(reverse("needs:list"), {"country": "SN", "trl": "6"}).content.decode()
    assert "(2)" in _filters_button(page)
    assert page.index('id="id_q"') < page.index('<details class="filters-more">') < page.index('id="id_country"')
