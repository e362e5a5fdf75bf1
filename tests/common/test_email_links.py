"""Links in emails lead to the recipient's language; their texts follow the fallback
chain (issue 20, part 6)."""

import datetime

import pytest
from django.utils import timezone

from common.reference.models import CooperationType, Sector
from events import services as event_services
from technologies import digest, services
from tests.factories import EventFactory, TechnologyFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _links(text: str) -> set[str]:
    return {word.rstrip(".,)") for word in text.split() if word.startswith(SITE)}


def test_a_chinese_owner_is_sent_to_their_dashboard_in_chinese(django_capture_on_commit_callbacks, mailoutbox):
    owner = UserFactory(preferred_language="zh-hans")
    listing = TechnologyFactory(owner=owner, slug="solar-dryer")
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_create(
            technology=listing,
            sender=UserFactory(preferred_language="fr"),
            cooperation=CooperationType.objects.get(slug="joint-venture"),
            organisation_name="Dakar Agro-Processing SA",
            message="Pouvons-nous les construire ensemble ?",
        )
    (email,) = [message for message in mailoutbox if owner.email in message.to]
    links = _links(email.body)
    assert f"{SITE}/zh-hans/dashboard/" in links
    assert all(link.startswith(f"{SITE}/zh-hans/") for link in links), links
    assert f'href="{SITE}/zh-hans/dashboard/"' in email.alternatives[0][0]
    assert f'href="{SITE}/zh-hans/"' in email.alternatives[0][0]  # the footer's link to the site


def test_the_digest_links_and_its_unsubscribe_page_are_in_the_readers_language(
    django_capture_on_commit_callbacks, mailoutbox
):
    agro = Sector.objects.get(slug="agro-food-processing")
    reader = UserFactory(preferred_language="ar", weekly_digest=True)
    reader.sectors.set([agro])
    TechnologyFactory(
        title="Solar tunnel dryer", title_i18n_ar="مجفف شمسي نفقي", slug="solar-tunnel-dryer", sector=agro
    )
    with django_capture_on_commit_callbacks(execute=True):
        digest.digest_send_weekly(now=timezone.now() + datetime.timedelta(minutes=1))
    (email,) = mailoutbox
    assert "مجفف شمسي نفقي" in email.body and "Solar tunnel dryer" not in email.body
    links = _links(email.body)
    assert f"{SITE}/ar/technologies/solar-tunnel-dryer/" in links
    assert any(link.startswith(f"{SITE}/ar/") and "unsubscribe" in link for link in links), links
    assert email.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/ar/")


def test_a_registration_confirmation_carries_the_event_in_the_members_language(
    django_capture_on_commit_callbacks, mailoutbox
):
    member = UserFactory(preferred_language="fr")
    event = EventFactory(
        slug="atelier",
        original_language="zh-hans",
        title="太阳能干燥研讨会",
        title_i18n_fr="Atelier de séchage solaire",
    )
    with django_capture_on_commit_callbacks(execute=True):
        event_services.registration_create(event=event, user=member)
    (email,) = mailoutbox
    assert "Atelier de séchage solaire" in email.subject and "太阳能" not in email.body
    (calendar,) = [content for name, content, _mimetype in email.attachments if name.endswith(".ics")]
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert "SUMMARY:Atelier de séchage solaire" in calendar
    assert f"URL:{SITE}/fr/events/atelier/" in calendar.replace("\r\n ", "")
