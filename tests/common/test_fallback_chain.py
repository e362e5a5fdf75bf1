"""The fallback chain of members' texts (common.translated): the reader's language, then
English, then the original; the same on pages, cards, feeds and emails, each text marked
with its language and direction, and a switch to the original (issue 20, part 1)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from common.translated import fallback_chain, reading, translated
from technologies import services
from technologies.models import Technology
from tests.factories import EventFactory, NeedFactory, TechnologyFactory, UserFactory

# (original language, translations present, reader) -> the language shown.
CASES = [
    ("zh-hans", {"en"}, "fr", "en"),  # no French: English before the Chinese original
    ("zh-hans", {"en", "fr"}, "fr", "fr"),
    ("zh-hans", {"en"}, "zh-hans", "zh-hans"),  # the reader reads the original
    ("zh-hans", set(), "ar", "zh-hans"),  # nothing else: the original
    ("zh-hans", {"ru"}, "ar", "zh-hans"),  # a Russian translation is no better for an Arabic reader
    ("ar", {"en", "fr"}, "es", "en"),
    ("ar", {"fr"}, "es", "ar"),
    ("ru", {"en"}, "en", "en"),
    ("en", {"fr"}, "es", "en"),  # English is the original: the chain stops there
    ("en", {"fr", "es"}, "es", "es"),
    ("fr", {"zh-hans"}, "zh-hans", "zh-hans"),
    ("es", {"en"}, "ru", "en"),
    ("fr", set(), "en", "fr"),
]

TITLES = {
    "en": "Solar tunnel dryer",
    "fr": "Séchoir solaire à tunnel",
    "es": "Secador solar de túnel",
    "ru": "Солнечная туннельная сушилка",
    "ar": "مجفف شمسي نفقي",
    "zh-hans": "太阳能隧道式干燥机",
}


def _field(language: str) -> str:
    return f"title_i18n_{language.replace('-', '_')}"


@pytest.mark.parametrize(("original", "present", "reader", "shown"), CASES)
def test_the_chain_shows_the_readers_language_then_english_then_the_original(original, present, reader, shown):
    technology = Technology(original_language=original, title=TITLES[original])
    for language in present:
        setattr(technology, _field(language), TITLES[language])
    text = translated(technology, "title", reader)
    assert (text.text, text.language, text.is_translation) == (TITLES[shown], shown, shown != original)
    with translation.override(reader):
        assert translated(technology, "title") == text  # the active language by default
    assert translated(technology, "title", reader, original=True).text == TITLES[original]


def test_the_chain_itself():
    assert fallback_chain("fr", "zh-hans") == ["fr", "en", "zh-hans"]
    assert fallback_chain("fr", "en") == ["fr", "en"]
    assert fallback_chain("en", "ar") == ["en", "ar"]
    assert fallback_chain("ar", "ar") == ["ar"]


def test_each_text_knows_its_direction():
    technology = Technology(original_language="ar", title=TITLES["ar"], title_i18n_en=TITLES["en"])
    assert translated(technology, "title", "ar").direction == "rtl"
    assert translated(technology, "title", "fr").direction == "ltr"


def test_a_reading_says_what_the_switch_shows():
    technology = Technology(original_language="zh-hans", title=TITLES["zh-hans"], title_i18n_en=TITLES["en"])
    shown = reading(technology, ["title", "summary"], language="fr")
    assert (shown.texts["title"].text, shown.has_translation, shown.showing_original) == (TITLES["en"], True, False)
    assert shown.original_language_name == "简体中文"
    original = reading(technology, ["title"], language="fr", original=True)
    assert (original.texts["title"].text, original.showing_original) == (TITLES["zh-hans"], True)
    untranslated = reading(Technology(original_language="fr", title="Séchoir"), ["title"], language="es")
    assert (untranslated.has_translation, untranslated.showing_original) == (False, False)


# --- Pages ----------------------------------------------------------------------------------------


@pytest.fixture
def chinese_listing(db):
    return TechnologyFactory(
        original_language="zh-hans",
        title="太阳能海水淡化装置",
        summary="用太阳能把海水变成饮用水。",
        advantages="不需要电网。",
        title_i18n_en="Solar desalination unit",
        summary_i18n_en="Turns seawater into drinking water with the sun.",
        advantages_i18n_en="No grid needed.",
    )


def _url(obj, language: str) -> str:
    with translation.override(language):
        return obj.get_absolute_url()


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_french_reader_gets_the_english_translation_of_a_chinese_listing(client, chinese_listing):
    page = _page(client, _url(chinese_listing, "fr"))
    assert '<bdi lang="en" dir="ltr">Solar desalination unit</bdi>' in page
    assert '<div class="markdown" lang="en" dir="ltr"><p>No grid needed.</p>' in page  # advantages translated too
    assert "太阳能海水淡化装置" not in page
    assert 'Traduit de l’original en <span lang="zh-hans">简体中文</span>.' in page  # noqa: RUF001 (French apostrophe)
    assert f'href="{_url(chinese_listing, "fr")}?original=1"' in page


@pytest.mark.django_db
def test_show_the_original_shows_the_original_and_says_so(client, chinese_listing):
    page = _page(client, _url(chinese_listing, "fr") + "?original=1")
    assert '<bdi lang="zh-hans" dir="ltr">太阳能海水淡化装置</bdi>' in page
    assert "Solar desalination unit" not in page
    assert f'<link rel="canonical" href="{_url(chinese_listing, "fr")}">' in page
    assert f'<a href="{_url(chinese_listing, "fr")}">Afficher la traduction</a>' in page  # back to the translation
    assert 'Le texte original, en <span lang="zh-hans">简体中文</span>.' in page


@pytest.mark.django_db
def test_a_listing_without_translations_has_no_switch(client):
    listing = TechnologyFactory(original_language="fr", title="Séchoir solaire")
    page = _page(client, _url(listing, "es"))
    assert "?original=1" not in page and '<bdi lang="fr" dir="ltr">Séchoir solaire</bdi>' in page


@pytest.mark.django_db
def test_an_arabic_text_on_an_english_page_is_marked_right_to_left(client):
    listing = TechnologyFactory(original_language="ar", title="مجفف شمسي نفقي")
    page = _page(client, _url(listing, "en"))
    assert '<bdi lang="ar" dir="rtl">مجفف شمسي نفقي</bdi>' in page


@pytest.mark.django_db
def test_the_french_card_of_a_chinese_listing_is_in_english(client, chinese_listing):
    page = _page(client, "/fr/technologies/")
    card = page[page.index(_url(chinese_listing, "fr")) :][:600]
    assert '<bdi lang="en">Solar desalination unit</bdi>' in card or '<bdi lang="en" dir="ltr">Solar' in card
    assert "太阳能" not in card


@pytest.mark.django_db
def test_a_need_and_an_event_follow_the_same_chain(client):
    need = NeedFactory(status="published", original_language="ar", title="مجففات للتمور", title_i18n_en="Date dryers")
    assert '<bdi lang="en" dir="ltr">Date dryers</bdi>' in _page(client, _url(need, "ru"))
    event = EventFactory(original_language="ru", title="Семинар по энергии", title_i18n_en="Energy workshop")
    agenda = event.agenda.create(starts_at=event.starts_at, title="Открытие", title_i18n_en="Opening")
    page = _page(client, _url(event, "es"))
    assert '<bdi lang="en" dir="ltr">Energy workshop</bdi>' in page
    assert '<bdi lang="en" dir="ltr">Opening</bdi>' in page
    original = _page(client, _url(event, "es") + "?original=1")
    assert '<bdi lang="ru" dir="ltr">Открытие</bdi>' in original and agenda.pk


@pytest.mark.django_db
def test_the_feed_in_english_uses_the_english_translation(client, chinese_listing):
    feed = _page(client, reverse("technologies:feed"))
    assert "<title>Solar desalination unit</title>" in feed and "太阳能海水淡化装置" not in feed


@pytest.mark.django_db
def test_emails_follow_the_recipients_language_by_the_same_chain(django_capture_on_commit_callbacks, mailoutbox):
    owner = UserFactory(preferred_language="fr")
    listing = TechnologyFactory(
        owner=owner, status="draft", original_language="zh-hans", title="太阳能干燥机", title_i18n_en="Solar dryer"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.technology_submit(technology=listing, by=owner)
    sent = [message for message in mailoutbox if owner.email in message.to]
    assert sent, "the owner is told their listing was received"
    assert re.search(r"Solar dryer", sent[0].subject) and "太阳能" not in sent[0].subject
