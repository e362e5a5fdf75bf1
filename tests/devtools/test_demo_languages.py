"""The demo in the six languages of the portal: listings, needs and events written in Arabic,
Chinese, English, French, Russian and Spanish, some translated and some not, so that the
quick start shows the fallback chain (the reader's language, then English, then the
original), readable addresses and search in every language."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.html import escape

from common.slugs import readable
from common.translated import translations_of
from devtools.demo.technologies import DEMO_TECHNOLOGIES, translation_columns
from events.models import Event
from technologies.models import Need, NeedStatus, Technology
from technologies.services import TECHNOLOGY_TRANSLATED_FIELDS

pytestmark = pytest.mark.django_db

LANGUAGES = {code for code, _name in settings.LANGUAGES}
NEED_FIELDS = ["title", "problem"]
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # load_demo refuses to run otherwise
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False


def _by_language(rows, fields) -> dict[str, dict[str, list]]:
    """{original language: {"translated": [...], "untranslated": [...]}} of `rows`."""
    found: dict[str, dict[str, list]] = {}
    for row in rows:
        kind = "translated" if translations_of(row, fields) else "untranslated"
        found.setdefault(row.original_language, {"translated": [], "untranslated": []})[kind].append(row)
    return found


def _listing(title: str) -> Technology:
    return Technology.objects.get(title=title)


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _heading(page: str) -> str:
    return re.search(r"<h1\b.*?</h1>", page, re.S).group(0)


# --- The data ---------------------------------------------------------------------------------


def test_translation_columns_refuse_the_original_language_and_unknown_languages():
    assert translation_columns({"en": {"title": "Biogas"}, "zh-hans": {"title": "沼气"}}, original_language="fr") == {
        "title_i18n_en": "Biogas",
        "title_i18n_zh_hans": "沼气",
    }
    assert translation_columns(None, original_language="ru") == {}
    with pytest.raises(ValueError, match="'fr'"):
        translation_columns({"fr": {"title": "Biogaz"}}, original_language="fr")
    with pytest.raises(ValueError, match="'zh'"):
        translation_columns({"zh": {"title": "沼气"}}, original_language="fr")
    with pytest.raises(ValueError, match="unknown original_language 'cn'"):
        translation_columns({}, original_language="cn")


def test_demo_entries_in_other_languages_are_at_least_two_per_language_and_published():
    written = {}
    for entry in DEMO_TECHNOLOGIES:
        language = entry.get("original_language", "en")
        written.setdefault(language, []).append(entry)
        assert language in LANGUAGES, entry["title"]
        assert language not in entry.get("translations", {}), entry["title"]
    assert set(written) == LANGUAGES
    for language, entries in written.items():
        published = [entry for entry in entries if entry["workflow"].startswith("published")]
        assert len(published) >= 2, language


# --- What is loaded ---------------------------------------------------------------------------


def test_published_listings_in_every_language_some_translated_some_not(demo):
    published = _by_language(Technology.objects.published(), TECHNOLOGY_TRANSLATED_FIELDS)
    assert set(published) == LANGUAGES
    for language, kinds in published.items():
        assert kinds["translated"] and kinds["untranslated"], language
    assert sum(len(kinds["translated"]) + len(kinds["untranslated"]) for kinds in published.values()) == 22

    # The cases the fallback chain is shown with: Chinese with an English translation only,
    # Arabic with French and English, Russian with none.
    chinese = _listing("纳滤回收纺织印染废水中的活性染料和盐")
    assert set(translations_of(chinese, TECHNOLOGY_TRANSLATED_FIELDS)) == {"en"}
    arabic = _listing("معالجة مياه صرف المدابغ بالتخثير الكهربائي")
    assert set(translations_of(arabic, TECHNOLOGY_TRANSLATED_FIELDS)) == {"fr", "en"}
    russian = _listing("Очистка биогаза до биометана для заправки грузовиков и автобусов")
    assert russian.original_language == "ru" and translations_of(russian, TECHNOLOGY_TRANSLATED_FIELDS) == {}
    # Every translated text is whole: a translated title comes with its summary and description.
    for technology in Technology.objects.all():
        for language, texts in translations_of(technology, TECHNOLOGY_TRANSLATED_FIELDS).items():
            assert language != technology.original_language
            assert texts["title"] and texts["summary"], (technology.title, language)


def test_needs_and_events_in_other_languages(demo):
    public = Need.objects.filter(status__in=[NeedStatus.PUBLISHED, NeedStatus.FULFILLED])
    needs = _by_language(public, NEED_FIELDS)
    assert set(needs) == LANGUAGES
    assert any(kinds["translated"] for kinds in needs.values())
    assert any(kinds["untranslated"] for kinds in needs.values())
    spanish = needs["es"]["translated"][0]
    assert translations_of(spanish, NEED_FIELDS)["en"]["title"].startswith("Recovering copper")
    assert needs["ru"]["untranslated"]
    assert Need.objects.get(status=NeedStatus.DRAFT, original_language="fr").owner.email == "member@wiits.example"

    events = Event.objects.published()
    assert {event.original_language for event in events} >= {"en", "es", "fr", "zh-hans"}
    # The French workshop: its agenda items and its speakers' titles are translated into English.
    french = events.get(original_language="fr")
    assert french.title_i18n_en and french.summary_i18n_en and french.description_i18n_en
    assert french.agenda.count() >= 3 and all(item.title_i18n_en for item in french.agenda.all())
    assert all(speaker.title_i18n_en for speaker in french.speakers.all())
    assert any(speaker.biography_i18n_en for speaker in french.speakers.all())
    # The Spanish webinar has no translation: every reader reads Spanish.
    spanish_event = events.get(original_language="es")
    assert not spanish_event.title_i18n_en and not any(item.title_i18n_en for item in spanish_event.agenda.all())
    # The real event of the press release is as it was: in English, untranslated.
    wuzhen = events.get(slug="unido-night-wiits-workshop-wuzhen-2020")
    assert wuzhen.original_language == "en"
    assert not any(
        getattr(wuzhen, f"{field}_i18n_{code.replace('-', '_')}")
        for field in ("title", "summary", "description")
        for code in LANGUAGES
    )


def test_every_address_is_ascii_and_read_from_the_title(demo):
    rows = [(technology, "technology") for technology in Technology.objects.all()]
    rows += [(need, "need") for need in Need.objects.all()]
    assert len(rows) == 40
    for row, fallback in rows:
        assert row.slug.isascii() and SLUG.fullmatch(row.slug), row.slug
        # Titles in Chinese, Arabic and Russian get a transliterated address, not the fallback.
        assert row.slug.startswith(readable(row.title, fallback)[:60]), (row.title, row.slug)
    assert _listing("纳滤回收纺织印染废水中的活性染料和盐").slug.startswith("na-lv-hui-shou")
    assert _listing("Очистка биогаза до биометана для заправки грузовиков и автобусов").slug.startswith(
        "ochistka-biogaza"
    )


# --- What readers see -------------------------------------------------------------------------


def test_each_reader_gets_their_language_then_english_then_the_original(demo, client):
    chinese = _listing("纳滤回收纺织印染废水中的活性染料和盐")
    heading = _heading(_page(client, f"/fr/technologies/{chinese.slug}/"))
    assert escape(chinese.title_i18n_en) in heading and 'lang="en"' in heading  # no French: English
    assert chinese.title in _heading(_page(client, f"/zh-hans/technologies/{chinese.slug}/"))

    arabic = _listing("معالجة مياه صرف المدابغ بالتخثير الكهربائي")
    assert escape(arabic.title_i18n_fr) in _heading(_page(client, f"/fr/technologies/{arabic.slug}/"))
    assert escape(arabic.title_i18n_en) in _heading(_page(client, f"/ru/technologies/{arabic.slug}/"))
    assert arabic.title in _heading(_page(client, f"/ar/technologies/{arabic.slug}/"))

    russian = _listing("Очистка биогаза до биометана для заправки грузовиков и автобусов")
    for language in ("en", "fr", "es"):
        prefix = "" if language == "en" else f"/{language}"
        assert russian.title in _heading(_page(client, f"{prefix}/technologies/{russian.slug}/")), language

    copper = Need.objects.get(original_language="es")
    assert escape(copper.title_i18n_en) in _heading(_page(client, f"/fr/needs/{copper.slug}/"))
    assert escape(copper.title) in _heading(_page(client, f"/es/needs/{copper.slug}/"))

    workshop = Event.objects.get(original_language="fr")
    english = _page(client, f"/events/{workshop.slug}/")
    french = _page(client, f"/fr/events/{workshop.slug}/")
    for item in workshop.agenda.all():
        assert escape(item.title_i18n_en) in english and escape(item.title) in french
    for speaker in workshop.speakers.all():
        assert escape(speaker.title_i18n_en) in english and escape(speaker.title) in french


@pytest.mark.postgres
def test_search_in_every_language_finds_the_demo_listings_and_needs(demo, client):
    listings = {
        "干燥": "Solar-assisted tunnel dryer for fruit and cassava",  # its Chinese translation
        "沼气": "Biogaz à partir des résidus de transformation de la noix de cajou et de l'arachide",
        "光伏组件": "退役晶硅光伏组件中银和硅的回收",
        "مجفف": "Solar-assisted tunnel dryer for fruit and cassava",  # its Arabic translation
        "التخثير الكهربائي": "معالجة مياه صرف المدابغ بالتخثير الكهربائي",
        "биогаз": "Очистка биогаза до биометана для заправки грузовиков и автобусов",
        "датчики вибрации": "Беспроводные датчики вибрации для предиктивного обслуживания насосов и электродвигателей",
        "atrapanieblas": "Atrapanieblas de malla para lomas costeras áridas",
        "biogaz": "Biogaz à partir des résidus de transformation de la noix de cajou et de l'arachide",
        "nanofiltration": "纳滤回收纺织印染废水中的活性染料和盐",  # its English translation
    }
    for query, title in listings.items():
        assert _listing(title).get_absolute_url() in _page(client, f"/technologies/?q={query}"), query
    # The page lists what was found, not the whole catalogue.
    dryer = _listing("Solar-assisted tunnel dryer for fruit and cassava").get_absolute_url()
    assert dryer not in _page(client, "/technologies/?q=биогаз")
    needs = {
        "relaves": "es",
        "可堆肥": "zh-hans",
        "الحرارة": "ar",
        "красителями": "ru",
        "tannerie": "fr",
    }
    for query, language in needs.items():
        need = Need.objects.get(original_language=language, status=NeedStatus.PUBLISHED)
        assert need.get_absolute_url() in _page(client, f"/needs/?q={query}"), query
