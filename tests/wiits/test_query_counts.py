"""Pages run a fixed number of queries whatever the number of rows behind them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from wiits.reference.models import Sector

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # ATOMIC_REQUESTS adds BEGIN/COMMIT on SQLite only; count the real queries.
    return sum(
        1 for query in queries if query["sql"].split()[0].upper() not in {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"}
    )


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


def test_home_for_the_anonymous_makes_no_query(client):
    UserFactory.create_batch(3)
    # Sessions are only read when a cookie is sent; the anonymous home page needs nothing.
    assert count_queries(client, reverse("home")) == 0


def test_dashboard_query_count_is_pinned(client):
    member = UserFactory()
    member.sectors.set(Sector.objects.all())
    client.force_login(member)
    # session, user, member with organisation, sectors
    assert count_queries(client, reverse("dashboard")) == 4
