"""Pages run a fixed number of queries whatever the number of rows behind them."""

import pytest
from django.urls import reverse

from common.reference.models import Sector
from tests.factories import ApplicationFactory, InquiryFactory, NeedFactory, TechnologyFactory, UserFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["dashboard", "accounts:profile", "data_export", "home"])
def test_member_pages_do_not_grow_with_the_members_sectors(client, url_name):
    few = UserFactory()
    few.sectors.set(Sector.objects.all()[:1])
    many = UserFactory()
    many.sectors.set(Sector.objects.all())
    client.force_login(few)
    with_one = count_queries(client, reverse(url_name))
    client.force_login(many)
    with_all = count_queries(client, reverse(url_name))
    assert with_one == with_all


def test_home_query_count_does_not_grow_with_technologies(client):
    TechnologyFactory(nag_evaluated=True)
    with_one = count_queries(client, reverse("home"))
    TechnologyFactory.create_batch(5, nag_evaluated=True)
    # listings, their SDGs, images; events; success stories
    assert count_queries(client, reverse("home")) == with_one == 5


def test_dashboard_query_count_is_pinned(client):
    member = UserFactory()
    member.sectors.set(Sector.objects.all())
    client.force_login(member)
    # session, user, member with organisation, sectors, adviser profile; technologies,
    # needs, technologies and needs in the member's sectors, inquiries received,
    # inquiries sent, applications to calls with their calls and technologies (the change
    # requests query runs only when a listing waits for changes)
    assert count_queries(client, reverse("dashboard")) == 13


def test_dashboard_does_not_grow_with_technologies_and_inquiries(client):
    member = UserFactory()
    client.force_login(member)
    member.sectors.set(Sector.objects.all()[:1])
    sector = member.sectors.get()

    def add(count):
        TechnologyFactory.create_batch(count, owner=member, status="changes_requested")
        InquiryFactory.create_batch(count, technology__owner=member)
        InquiryFactory.create_batch(count, sender=member)
        NeedFactory.create_batch(count, owner=member)
        TechnologyFactory.create_batch(count, sector=sector)
        NeedFactory.create_batch(count, sector=sector)
        for need in NeedFactory.create_batch(count, owner=member):
            InquiryFactory(need=need, technology=TechnologyFactory())
        for technology in TechnologyFactory.create_batch(count, owner=member):
            ApplicationFactory(technology=technology)

    add(1)
    with_one = count_queries(client, reverse("dashboard"))
    add(5)
    assert count_queries(client, reverse("dashboard")) == with_one
