"""A request is one transaction (ATOMIC_REQUESTS in wiits/settings.py): when a view fails
after a service has saved its change and queued its email, neither stays."""

import pytest
from django.urls import reverse
from mailer.models import Message

from events.models import Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


class ViewFailedAfterTheService(Exception):
    pass


def test_a_request_that_fails_after_queueing_an_email_leaves_neither_the_change_nor_the_email(
    member_client, member, monkeypatch
):
    from events import views

    event = EventFactory(capacity=5)
    seen = []

    def fail(*args, **kwargs):
        # The service has returned: its registration is saved and its email queued.
        seen.append((Registration.objects.filter(event=event, user=member).count(), Message.objects.count()))
        raise ViewFailedAfterTheService

    monkeypatch.setattr(views, "redirect", fail)
    with pytest.raises(ViewFailedAfterTheService):
        member_client.post(reverse("events:register", args=[event.slug]))
    assert seen == [(1, 1)]
    assert not Registration.objects.exists()
    assert not Message.objects.exists()
