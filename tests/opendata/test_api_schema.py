"""The API against its own OpenAPI description (schemathesis): generated requests to every
operation, valid and not, never get a server error, and every answer (status, media type,
headers, body) is one the description declares."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from events.models import AgendaItem, Speaker
from opendata.throttling import AddressThrottle
from tests.factories import AdviserFactory, EventFactory, NeedFactory, TechnologyFactory

# The description as /api/v1/schema/ serves it (JSON, so that its types are plain).
DESCRIPTION = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
schema = schemathesis.openapi.from_dict(DESCRIPTION)
schema.app = get_wsgi_application()

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def in_process():
    """Requests through the WSGI handler inside the test's transaction: as Django's test
    client does, the handler must not close the database connection after each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def published_data(db, in_process, monkeypatch):
    """Something behind every operation."""
    monkeypatch.setattr(AddressThrottle, "rate", "100000/min", raising=False)
    TechnologyFactory(slug="solar-dryer", title="Solar tunnel dryer", title_i18n_zh_hans="太阳能隧道式干燥机")
    NeedFactory(slug="mango-drying")
    event = EventFactory(slug="nairobi-workshop", description="## Programme\n\nDrying *in practice*.")
    speaker = Speaker.objects.create(event=event, name="Wang Hua", biography="Engineer")
    AgendaItem.objects.create(event=event, starts_at=event.starts_at, title="Opening").speakers.add(speaker)
    AdviserFactory(slug="an-adviser", expertise=["agro-food-processing"])


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_keeps_its_description(case, published_data):
    case.call_and_validate(checks=CHECKS)
