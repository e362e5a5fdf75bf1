"""The admin of translated content: one tab per language, jQuery UI from the portal's own
static files (no CDN: the portal must work in China), the original language marked, and
the search box finds a listing by any translation's title (issue 20, part 7)."""

import re

import pytest
from django.urls import reverse

from tests.factories import EventFactory, NeedFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "url_name", "field"),
    [
        (lambda: TechnologyFactory(original_language="zh-hans"), "admin:technologies_technology_change", "advantages"),
        (lambda: NeedFactory(original_language="ar"), "admin:technologies_need_change", "problem"),
        (lambda: EventFactory(original_language="ru"), "admin:events_event_change", "description"),
    ],
)
def test_translated_fields_are_tabbed_with_the_portals_own_jquery_ui(staff_client, factory, url_name, field):
    obj = factory()
    page = staff_client.get(reverse(url_name, args=[obj.pk])).content.decode()
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', page)
    assert any(src.endswith("vendor/jquery-ui/jquery-ui.min.js") for src in scripts)
    assert any(src.endswith("modeltranslation/js/tabbed_translation_fields.js") for src in scripts)
    assert any(src.endswith("js/admin-original-language.js") for src in scripts)
    assert not [src for src in scripts if src.startswith(("http:", "https:", "//"))], "no script from a CDN"
    for language in ("ar", "en", "es", "fr", "ru", "zh_hans"):  # one field per language, grouped into tabs
        assert f"mt-field-{field}_i18n-{language}" in page
    assert re.search(r'<select name="original_language"[^>]*data-original-label="original: the text above"', page)


def test_an_events_agenda_and_speakers_are_translated_in_tabs_too(staff_client):
    event = EventFactory(original_language="fr")
    event.agenda.create(starts_at=event.starts_at, title="Ouverture")
    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert "mt-field-title_i18n-en" in page and 'name="agenda-0-title_i18n_en"' in page
    assert 'name="speakers-__prefix__-biography_i18n_zh_hans"' in page


def test_the_admin_search_finds_a_listing_and_a_need_by_a_translations_title(staff_client):
    listing = TechnologyFactory(
        original_language="zh-hans", title="太阳能海水淡化装置", title_i18n_en="Solar desalination"
    )
    need = NeedFactory(original_language="ar", title="مجففات للتمور", title_i18n_fr="Séchoirs à dattes")
    found = staff_client.get(reverse("admin:technologies_technology_changelist"), {"q": "desalination"})
    assert list(found.context["cl"].result_list) == [listing]
    found = staff_client.get(reverse("admin:technologies_need_changelist"), {"q": "Séchoirs"})
    assert list(found.context["cl"].result_list) == [need]
