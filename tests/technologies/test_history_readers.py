"""A listing's history names who acted (the reader, the owner, an adviser, WiiTs staff)
and writes the portal's own notes in the reader's language, not the actor's (issue 20,
part 7)."""

import datetime

import pytest
from django.utils import timezone, translation

from needs import services as need_services
from technologies import services
from technologies.models import TechnologyTransition
from tests.factories import AdviserFactory, NeedFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


def _history(client, obj, language: str) -> str:
    with translation.override(language):
        url = obj.get_absolute_url()
    page = client.get(url).content.decode()
    return page[page.index('id="history-title"') :]


def test_staff_read_the_owners_steps_as_the_owners_and_the_owner_reads_staffs(staff_client, staff, innovator):
    listing = TechnologyFactory(owner=innovator, status="draft")
    with translation.override("en"):
        services.technology_translate(technology=listing, by=innovator, language="es", values={"title": "Secador"})
    TechnologyTransition.objects.create(technology=listing, from_status="draft", to_status="draft", by=staff)
    as_staff = _history(staff_client, listing, "en")
    assert "(the owner)" in as_staff and "(you)" in as_staff and "WiiTs staff" not in as_staff
    staff_client.force_login(innovator)
    as_owner = _history(staff_client, listing, "en")
    assert "(you)" in as_owner and "(WiiTs staff)" in as_owner and "(the owner)" not in as_owner


def test_an_advisers_step_is_named_as_an_advisers(client, staff, innovator):
    listing = TechnologyFactory(owner=innovator, status="in_review")
    adviser = AdviserFactory().user
    TechnologyTransition.objects.create(technology=listing, from_status="in_review", to_status="in_review", by=adviser)
    client.force_login(innovator)
    assert "(an adviser)" in _history(client, listing, "en")


def test_the_portals_notes_are_written_in_the_readers_language(staff_client, innovator):
    listing = TechnologyFactory(owner=innovator, status="draft")
    with translation.override("zh-hans"):  # the owner acts in Chinese
        services.technology_translate(technology=listing, by=innovator, language="es", values={"title": "Secador"})
    assert "Traduction en espagnol enregistrée." in _history(staff_client, listing, "fr")
    assert "Translation into Spanish saved." in _history(staff_client, listing, "en")
    assert "已保存西班牙语译文。" in _history(staff_client, listing, "zh-hans")


def test_a_renewal_note_names_the_date_in_the_readers_format(client, innovator):
    listing = TechnologyFactory(owner=innovator, valid_until=datetime.date(2031, 3, 4))
    services.technology_renew(technology=listing, by=innovator)
    listing.refresh_from_db()
    client.force_login(innovator)
    with translation.override("fr"):
        from django.utils import formats

        until = formats.date_format(listing.valid_until, "DATE_FORMAT")
    history = _history(client, listing, "fr")
    assert f"Fiche renouvelée jusqu&#x27;au {until}." in history  # escaped by the template


def test_a_needs_history_names_who_acted_too(staff_client, member):
    need = NeedFactory(owner=member, status="draft", valid_until=timezone.localdate() + datetime.timedelta(days=30))
    need_services.need_translate(need=need, by=member, language="fr", values={"title": "Séchoirs"})
    assert "(the owner)" in _history(staff_client, need, "en")
