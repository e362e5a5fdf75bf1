"""Suggestions: a hand-built set where the right order is known."""

import pytest
from django.urls import reverse

from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from needs import matching
from tests.factories import NeedFactory, TechnologyFactory, UserFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def goals(*numbers):
    return SustainableDevelopmentGoal.objects.filter(number__in=numbers)


def kinds(*slugs):
    return CooperationType.objects.filter(slug__in=slugs)


@pytest.fixture
def cast():
    """A need for a solar dryer in Senegal (agro-food, SDGs 2, 7, 12; TRL 6 or more;
    licensing) and technologies from a perfect match down to ones that must not appear."""
    agro = Sector.objects.get(slug="agro-food-processing")
    energy = Sector.objects.get(slug="renewable-energy")
    need = NeedFactory(
        title="Solar drying of mangoes",
        problem="We need a solar dryer for mango slices at a cooperative near Thiès.",
        sector=agro,
        sdgs=goals(2, 7, 12),
        country="SN",
        trl_min=6,
        cooperation=kinds("licensing"),
    )
    other = UserFactory()
    return {
        "need": need,
        # Same sector, three shared goals, deployed in Senegal, licensing: the best.
        "best": TechnologyFactory(
            title="Solar tunnel dryer", owner=other, sector=agro, sdgs=goals(2, 7, 12), trl=7,
            countries_deployed=["SN", "GH"], cooperation=kinds("licensing"),
        ),
        # Same sector and one goal, elsewhere, another kind of cooperation.
        "second": TechnologyFactory(
            title="Cassava peeler", sector=agro, sdgs=goals(2), trl=8, country_developed="NG",
            countries_deployed=["NG"], cooperation=kinds("joint-venture"),
        ),
        # Another sector, one shared goal only.
        "third": TechnologyFactory(
            title="Mini-grid controller", sector=energy, sdgs=goals(7), trl=9, country_developed="KE",
            countries_deployed=["KE"], cooperation=kinds("investment"),
        ),
        # Must not appear: nothing in common.
        "unrelated": TechnologyFactory(
            title="Textile dye recovery", sector=Sector.objects.get(slug="waste-circular-economy"),
            summary="Membranes recover indigo from denim effluent.", description="Nanofiltration.", advantages="",
            sdgs=goals(14), trl=9, country_developed="VN", countries_deployed=["VN"],
        ),
        # Must not appear: TRL too low, however good the match.
        "too_early": TechnologyFactory(
            title="Solar dryer prototype", sector=agro, sdgs=goals(2, 7, 12), trl=5, countries_deployed=["SN"],
        ),
        # Must not appear: not published.
        "draft": TechnologyFactory(
            title="Solar dryer draft", sector=agro, sdgs=goals(2, 7, 12), trl=8, status="draft",
        ),
        "withdrawn": TechnologyFactory(
            title="Solar dryer withdrawn", sector=agro, sdgs=goals(2, 7, 12), trl=8, status="withdrawn",
        ),
        # Must not appear: the need's owner's own technology.
        "own": TechnologyFactory(title="Own dryer", owner=need.owner, sector=agro, sdgs=goals(2, 7), trl=8),
        # No TRL stated: cannot be shown to meet a minimum.
        "no_trl": TechnologyFactory(title="Dryer of unknown maturity", sector=agro, sdgs=goals(2), trl=None),
    }  # fmt: skip


def test_technologies_for_a_need_come_in_the_known_order(cast):
    suggestions = matching.technologies_for_need(need=cast["need"])
    assert [s.item.title for s in suggestions] == ["Solar tunnel dryer", "Cassava peeler", "Mini-grid controller"]
    assert suggestions[0].score > suggestions[1].score > suggestions[2].score


def test_each_suggestion_says_why(cast):
    best, second, third = matching.technologies_for_need(need=cast["need"])
    assert best.reasons[:4] == [
        "Same sector: Agro-food processing",
        "Shares the goals: SDG 2, SDG 7, SDG 12",
        "Developed or deployed in Senegal",
        "Ready enough: TRL 7, at least 6 asked",
    ]
    assert "Cooperation both sides want: Licensing" in best.reasons
    assert second.reasons[:2] == ["Same sector: Agro-food processing", "Shares the goals: SDG 2"]
    assert not any(reason.startswith("Developed or deployed") for reason in second.reasons)
    assert third.reasons[0] == "Shares the goals: SDG 7"


def test_needs_for_a_technology_the_other_way(cast):
    other_need = NeedFactory(
        title="Cold chain for fish", sector=Sector.objects.get(slug="renewable-energy"), sdgs=goals(14),
        country="GH", trl_min=4, problem="Fish spoils before it reaches the market; we need cold storage.",
    )  # fmt: skip
    demanding = NeedFactory(title="Proven dryers only", sdgs=goals(2), trl_min=9)
    NeedFactory(title="Draft need", status="draft", sdgs=goals(2, 7, 12))
    suggestions = matching.needs_for_technology(technology=cast["best"])
    titles = [s.item.title for s in suggestions]
    assert titles == ["Solar drying of mangoes"]
    assert other_need.title not in titles and demanding.title not in titles
    assert "Asks for TRL 6 or more; this one is at 7" in suggestions[0].reasons
    assert matching.needs_for_technology(technology=cast["no_trl"]) == []


@pytest.mark.postgres
def test_on_postgresql_words_of_the_need_find_a_technology_with_nothing_else_in_common(cast):
    from technologies.models import Technology
    from technologies.services import technologies_update_search_vector

    words_only = TechnologyFactory(
        title="Mango slice dehydrator", summary="Dries mango slices with sunlight at cooperatives.",
        sector=Sector.objects.get(slug="advanced-materials"), sdgs=goals(9), trl=7, country_developed="IN",
        countries_deployed=["IN"],
    )  # fmt: skip
    technologies_update_search_vector(queryset=Technology.objects.all())
    suggestions = matching.technologies_for_need(need=cast["need"], limit=10)
    by_title = {s.item.title: s for s in suggestions}
    assert "Mango slice dehydrator" in by_title
    assert "Similar words in the descriptions" in by_title["Mango slice dehydrator"].reasons
    assert words_only.title != suggestions[0].item.title  # shared sector and goals still weigh more
    assert {"Textile dye recovery", "Solar dryer prototype", "Solar dryer draft", "Own dryer"}.isdisjoint(by_title)


def test_owner_and_staff_see_suggestions_others_do_not(client, cast, staff, other_member, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False  # the two-factor rule: tests/test_url_access.py
    need = cast["need"]
    for user, sees in [(need.owner, True), (staff, True), (other_member, False), (cast["best"].owner, False)]:
        client.force_login(user)
        page = client.get(need.get_absolute_url()).content.decode()
        assert ("Technologies that could meet this need" in page) is sees
        assert ("Why:" in page) is sees


def test_the_technology_owner_sees_matching_needs_on_their_listing(client, cast, other_member):
    technology = cast["best"]
    client.force_login(technology.owner)
    page = client.get(technology.get_absolute_url()).content.decode()
    assert "Needs your technology could meet" in page and "Solar drying of mangoes" in page
    client.force_login(other_member)
    assert "Needs your technology could meet" not in client.get(technology.get_absolute_url()).content.decode()


def test_need_page_query_count_does_not_grow_with_the_catalogue(client, cast, staff):
    need = cast["need"]
    client.force_login(need.owner)
    # Two same-sector suggestions: the other sectors are scored too (their own query and
    # prefetches). Once the sector fills the list, only it is scored, however large the
    # catalogue grows.
    two_tiers = count_queries(client, need.get_absolute_url())
    TechnologyFactory.create_batch(6, sector=need.sector, sdgs=goals(2, 7), trl=8)
    one_tier = count_queries(client, need.get_absolute_url())
    assert one_tier == two_tiers - 3
    TechnologyFactory.create_batch(6, sector=need.sector, sdgs=goals(2, 7), trl=8)
    TechnologyFactory.create_batch(6, sdgs=goals(2, 7), trl=8, sector=Sector.objects.get(slug="renewable-energy"))
    assert count_queries(client, need.get_absolute_url()) == one_tier


def test_a_full_sector_comes_before_other_sectors(cast):
    TechnologyFactory.create_batch(
        5, sector=cast["need"].sector, sdgs=goals(14), trl=8, country_developed="VN", countries_deployed=["VN"],
        title="Brick kiln retrofit",
        summary="Unrelated.", description="", advantages="", cooperation=kinds("investment"),
    )  # fmt: skip
    titles = [s.item.title for s in matching.technologies_for_need(need=cast["need"])]
    assert titles[:2] == ["Solar tunnel dryer", "Cassava peeler"]
    assert "Mini-grid controller" not in titles  # another sector: only when the sector has too few


def test_dashboard_shows_what_is_new_in_the_members_sectors(client, member):
    agro = Sector.objects.get(slug="agro-food-processing")
    member.sectors.set([agro])
    TechnologyFactory(title="Solar tunnel dryer", sector=agro)
    TechnologyFactory(title="Textile dye recovery", sector=Sector.objects.get(slug="waste-circular-economy"))
    NeedFactory(title="Solar drying of mangoes", sector=agro)
    TechnologyFactory(title="My own dryer", sector=agro, owner=member)
    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    section = page[page.index("New in my sectors") :]
    assert "Solar tunnel dryer" in section and "Solar drying of mangoes" in section
    assert "Textile dye recovery" not in section and "My own dryer" not in section.split("My technology needs")[0]
