"""Search on PostgreSQL: ranked full text, typo tolerance, filters combined."""

import pytest
from django.urls import reverse

from common.reference.models import Sector
from technologies.models import Technology
from technologies.services import technologies_update_search_vector
from tests.factories import TechnologyFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def index_all():
    technologies_update_search_vector(queryset=Technology.objects.all())


def titles(client, **params) -> list[str]:
    response = client.get(reverse("technologies:catalogue"), params)
    assert response.status_code == 200
    return [technology.title for technology in response.context["page"].object_list]


def test_a_title_match_ranks_above_a_description_match(client):
    TechnologyFactory(
        title="Modular water purification unit",
        slug="in-description",
        summary="Clean drinking water for villages.",
        description="Ceramic filters and a small pump. Suits desalination plants.",
    )
    TechnologyFactory(
        title="Solar desalination for islands",
        slug="in-title",
        summary="Fresh water from sea water.",
        description="Evaporation and condensation.",
    )
    TechnologyFactory(title="Brick kiln", slug="unrelated", summary="Bricks.", description="Kilns.")
    index_all()
    assert titles(client, q="desalination") == ["Solar desalination for islands", "Modular water purification unit"]


def test_a_misspelled_word_still_finds_its_technology(client):
    TechnologyFactory(title="Biogas digester for cassava peels", slug="biogas", summary="Cooking gas from waste.")
    TechnologyFactory(title="Electric three-wheeler", slug="ev", summary="Clean urban transport.")
    index_all()
    assert titles(client, q="biogass digestor") == ["Biogas digester for cassava peels"]


def test_websearch_syntax_works(client):
    TechnologyFactory(title="Solar crop dryer", slug="dryer", summary="Dries mangoes with sunlight.")
    TechnologyFactory(title="Solar water pump", slug="pump", summary="Irrigation with sunlight.")
    index_all()
    assert titles(client, q="solar -pump") == ["Solar crop dryer"]
    assert titles(client, q='"crop dryer"') == ["Solar crop dryer"]


def test_search_and_filters_combine(client):
    energy = Sector.objects.get(slug="renewable-energy")
    TechnologyFactory(title="Solar mill", slug="a", sector=energy, trl=8)
    TechnologyFactory(title="Solar mill prototype", slug="b", sector=energy, trl=4)
    TechnologyFactory(title="Solar mill for textiles", slug="c", trl=8)
    index_all()
    assert titles(client, q="solar mill", sector="renewable-energy", trl_min="6") == ["Solar mill"]


def test_the_organisation_name_is_searchable(client):
    technology = TechnologyFactory(title="Drip irrigation kit", slug="drip")
    technology.organisation.name = "Nile Delta Agritech"
    technology.organisation.save()
    index_all()
    assert titles(client, q="Nile Delta") == ["Drip irrigation kit"]


def test_tsquery_syntax_in_the_query_is_harmless(client):
    TechnologyFactory(title="Solar crop dryer", slug="dryer")
    index_all()
    for query in ["solar & | ! ( ) :* <->", "'", "\\", "solar:*", "))(("]:
        response = client.get(reverse("technologies:catalogue"), {"q": query})
        assert response.status_code == 200
