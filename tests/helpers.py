"""Helpers shared by the tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Transaction control that ATOMIC_REQUESTS adds on SQLite only: not queries of the page.
_CONTROL = {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"}


def count_queries(client, url) -> int:
    """The SQL queries one GET of `url` makes (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return sum(1 for query in queries if query["sql"].split()[0].upper() not in _CONTROL)
