"""The error pages when something breaks: a database that cannot be reached says so with
503 and Retry-After (what `make faults` saw as 500s during a PostgreSQL restart); any
other error stays Django's 500. Neither page needs the database."""

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import reverse

from technologies import views as technology_views
from technologies.models import Technology

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_catalogue(monkeypatch):
    reverse("technologies:catalogue")  # import every view first: some import render_filtered_list by name

    def break_with(error):
        def view(*args, **kwargs):
            Technology.objects.filter(pk=0).update(title="never")  # a write in the request's transaction
            raise error

        monkeypatch.setattr(technology_views, "render_filtered_list", view)

    return break_with


@pytest.mark.parametrize(
    "error",
    [OperationalError("server closed the connection unexpectedly"), InterfaceError("connection already closed")],
)
def test_a_database_that_cannot_be_reached_is_a_503_to_try_again(client, broken_catalogue, error):
    broken_catalogue(error)
    client.raise_request_exception = False
    response = client.get(reverse("technologies:catalogue"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Back in a moment" in page and "nothing was saved" in page
    assert "server closed the connection" not in page  # no detail of the error leaks


def test_any_other_error_is_still_a_500(client, broken_catalogue):
    broken_catalogue(ValueError("a bug"))
    client.raise_request_exception = False
    response = client.get(reverse("technologies:catalogue"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "Retry-After" not in response
