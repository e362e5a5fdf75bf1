"""A need's owner (and staff) see the technologies that could meet it while it is a draft,
waits for staff or is returned for changes, not only once published; nobody else does, and
only published listings are ever suggested."""

import pytest
from django.test import Client
from django.utils import timezone

from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from technologies.models import Need, NeedStatus, TechnologyStatus
from tests.factories import NeedFactory, TechnologyFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

HEADING = "Technologies that could meet this need"
NOT_PUBLISHED_NOTE = "Your need is not published yet, so the owners of these technologies cannot see it."
PREPARING = [NeedStatus.DRAFT, NeedStatus.SUBMITTED, NeedStatus.RETURNED]
CLOSED = [NeedStatus.FULFILLED, NeedStatus.WITHDRAWN, NeedStatus.EXPIRED]


def goals(*numbers):
    return SustainableDevelopmentGoal.objects.filter(number__in=numbers)


def agro():
    return Sector.objects.get(slug="agro-food-processing")


def a_need(status: str, **fields) -> Need:
    return NeedFactory(
        title="Solar drying of mangoes",
        problem="We need a solar dryer for mango slices at a cooperative near Thiès.",
        sector=agro(),
        sdgs=goals(2, 7, 12),
        country="SN",
        trl_min=6,
        cooperation=CooperationType.objects.filter(slug="licensing"),
        status=status,
        **fields,
    )


@pytest.fixture
def catalogue():
    """A published listing that suits the need, and as good matches that are not published."""
    published = TechnologyFactory(title="Solar tunnel dryer", sector=agro(), sdgs=goals(2, 7, 12), trl=7)
    for status in [S for S in TechnologyStatus if S != TechnologyStatus.PUBLISHED]:
        TechnologyFactory(title=f"Hidden dryer ({status})", sector=agro(), sdgs=goals(2, 7, 12), trl=8, status=status)
    return published


@pytest.fixture
def clients(staff, other_member, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False  # the two-factor rule: tests/test_url_access.py

    def client_of(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return client_of


@pytest.mark.parametrize("status", PREPARING)
def test_the_owner_sees_suggestions_before_the_need_is_published(clients, catalogue, status):
    need = a_need(status)
    response = clients(need.owner).get(need.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert HEADING in page and "Why:" in page
    assert "Solar tunnel dryer" in page and catalogue.get_absolute_url() in page
    assert "only you and WiiTs staff see this list" in page
    assert NOT_PUBLISHED_NOTE in page
    # Only published listings, however well the others match.
    assert "Hidden dryer" not in page


@pytest.mark.parametrize("status", PREPARING)
def test_staff_see_the_suggestions_of_a_need_waiting_for_them(clients, catalogue, staff, status):
    need = a_need(status)
    page = clients(staff).get(need.get_absolute_url()).content.decode()
    assert HEADING in page and "Solar tunnel dryer" in page and "Hidden dryer" not in page
    assert "only the owner and WiiTs staff see this list" in page
    assert NOT_PUBLISHED_NOTE not in page  # addressed to the owner


@pytest.mark.parametrize("status", PREPARING)
def test_others_cannot_see_a_need_that_is_not_published(clients, catalogue, other_member, status):
    need = a_need(status)
    for client in (clients(other_member), clients(catalogue.owner), clients(None)):
        response = client.get(need.get_absolute_url())
        assert response.status_code == 404
        assert "Solar tunnel dryer" not in response.content.decode()


def test_a_published_need_shows_suggestions_to_its_owner_only(clients, catalogue, other_member, staff):
    need = a_need(NeedStatus.PUBLISHED)
    owner_page = clients(need.owner).get(need.get_absolute_url()).content.decode()
    assert HEADING in owner_page and "Solar tunnel dryer" in owner_page
    assert NOT_PUBLISHED_NOTE not in owner_page
    assert HEADING in clients(staff).get(need.get_absolute_url()).content.decode()
    for client in (clients(other_member), clients(catalogue.owner), clients(None)):
        response = client.get(need.get_absolute_url())
        assert response.status_code == 200
        assert HEADING not in response.content.decode() and "Why:" not in response.content.decode()


@pytest.mark.parametrize("status", CLOSED)
def test_a_closed_need_shows_no_suggestions(clients, catalogue, staff, status):
    need = a_need(status)
    for client in (clients(need.owner), clients(staff)):
        response = client.get(need.get_absolute_url())
        assert response.status_code == 200
        assert HEADING not in response.content.decode()


def test_a_draft_without_a_sector_is_matched_by_its_goals(clients, catalogue):
    energy = TechnologyFactory(
        title="Solar pump", sector=Sector.objects.get(slug="renewable-energy"), sdgs=goals(7), trl=8
    )
    need = a_need(NeedStatus.DRAFT)
    Need.objects.filter(pk=need.pk).update(sector=None)
    page = clients(need.owner).get(need.get_absolute_url()).content.decode()
    assert "Solar tunnel dryer" in page and energy.title in page
    assert "Same sector" not in page  # no sector to share


def test_a_draft_with_no_match_says_so(clients):
    need = a_need(NeedStatus.DRAFT)
    page = clients(need.owner).get(need.get_absolute_url()).content.decode()
    assert HEADING in page and "No published technology matches this need yet." in page


def test_the_draft_page_query_count_does_not_grow_with_the_catalogue(clients, catalogue):
    need = a_need(NeedStatus.DRAFT)
    client = clients(need.owner)
    TechnologyFactory.create_batch(5, sector=agro(), sdgs=goals(2, 7), trl=8)
    full_sector = count_queries(client, need.get_absolute_url())
    TechnologyFactory.create_batch(10, sector=agro(), sdgs=goals(2, 7), trl=8)
    TechnologyFactory.create_batch(5, sector=Sector.objects.get(slug="renewable-energy"), sdgs=goals(7), trl=8)
    assert count_queries(client, need.get_absolute_url()) == full_sector
    # The same page once published costs the same (the suggestions were already counted).
    Need.objects.filter(pk=need.pk).update(
        status=NeedStatus.PUBLISHED, submitted_at=timezone.now(), published_at=timezone.now()
    )
    assert count_queries(client, need.get_absolute_url()) == full_sector


def test_looking_at_suggestions_changes_nothing(clients, catalogue):
    need = a_need(NeedStatus.SUBMITTED)
    before = Need.objects.values("status", "updated_at", "submitted_at").get(pk=need.pk)
    clients(need.owner).get(need.get_absolute_url())
    assert Need.objects.values("status", "updated_at", "submitted_at").get(pk=need.pk) == before
