"""The load-test generator's texts in the six languages of the portal: the word lists, the
language mix, the translations' columns, the slugs (devtools/bench/texts)."""

import random
import re
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from common.translated import i18n_field_name
from devtools.bench.texts import LANGUAGE_MODULES, draw_concept, en, render
from devtools.management.commands.bench import LANGUAGE_SEARCHES
from devtools.management.commands.generate_technologies import ORIGINAL_LANGUAGES, generate_rows
from technologies.models import Technology

SECTORS = list(en.SECTOR_WORDS)
COOPERATION = ["licensing", "investment", "distribution"]
LANGUAGES = [code for code, _name in settings.LANGUAGES]
SCRIPTS = {
    "zh-hans": re.compile(r"[\u4e00-\u9fff]"),
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
}
NON_LATIN = re.compile(r"[\u0400-\u04ff\u0600-\u06ff\u4e00-\u9fff]")
TEXT_FIELDS = ("title", "summary", "description", "advantages")


def _rows(count, seed=11):
    return list(generate_rows(random.Random(seed), count, SECTORS, COOPERATION))


def _in_its_script(text: str, language: str) -> bool:
    if language in SCRIPTS:
        return bool(SCRIPTS[language].search(text))
    return not NON_LATIN.search(text)  # English, French, Spanish: Latin letters only


def test_every_language_has_word_lists_parallel_to_the_english_ones():
    assert set(LANGUAGE_MODULES) == set(LANGUAGES) == set(ORIGINAL_LANGUAGES)
    assert sum(ORIGINAL_LANGUAGES.values()) == 100
    for code, module in LANGUAGE_MODULES.items():
        assert set(module.SECTOR_WORDS) == set(en.SECTOR_WORDS), code
        for sector, (things, uses) in en.SECTOR_WORDS.items():
            assert len(module.SECTOR_WORDS[sector][0]) == len(things), (code, sector)
            assert len(module.SECTOR_WORDS[sector][1]) == len(uses), (code, sector)
        assert [len(words) for words in module.GENERIC_WORDS] == [len(words) for words in en.GENERIC_WORDS], code
        for name in ("ADJECTIVES", "BENEFITS", "FEATURES"):
            assert len(getattr(module, name)) == len(getattr(en, name)), (code, name)


def test_every_concept_renders_in_every_language_without_a_left_over_placeholder():
    rng = random.Random(5)
    for _n in range(400):
        concept = draw_concept(rng, [*SECTORS, "a-sector-without-words"])
        for language in LANGUAGES:
            texts = render(concept, language)
            assert set(texts) == set(TEXT_FIELDS)
            for field, text in texts.items():
                assert text and not re.search(r"[{}|]|  ", text), (language, field, text)
                assert _in_its_script(text, language), (language, field, text)
            assert len(texts["title"]) <= 200 and len(texts["summary"]) <= 1000


def test_a_few_sentences_read_as_each_language_writes_them():
    rng = random.Random(1)
    concepts = [draw_concept(rng, ["agro-food-processing"]) for _n in range(200)]
    dryer = next(c for c in concepts if c.thing == 0 and en.ADJECTIVES[c.adjective] == "Modular")
    assert render(dryer, "fr")["title"].startswith("Séchoir solaire modulaire pour ")
    assert render(dryer, "es")["title"].startswith("Secador solar modular para ")
    assert render(dryer, "ru")["title"].startswith("Модульная солнечная сушилка для ")  # feminine
    assert render(dryer, "ar")["title"].startswith("مجفف شمسي معياري ل")
    assert "模块化太阳能干燥机" in render(dryer, "zh-hans")["title"]
    mango = next(c for c in concepts if c.use == 1)  # لـ joined to المانجو, as Arabic writes it
    assert "للمانجو" in render(mango, "ar")["title"]


def test_generated_rows_mix_the_languages_and_carry_translations_into_other_columns():
    rows = _rows(3000)
    shares = Counter(row["original_language"] for row in rows)
    assert 0.17 < shares["zh-hans"] / 3000 < 0.23
    for language in ("ar", "ru", "fr", "es"):
        assert 0.06 < shares[language] / 3000 < 0.10, language
    assert 0.44 < shares["en"] / 3000 < 0.52
    translated = [row for row in rows if row["translations"]]
    assert 0.30 < len(translated) / 3000 < 0.37
    for row in translated:
        assert 1 <= len(row["translations"]) <= 2
        assert row["original_language"] not in row["translations"]
        for language, texts in row["translations"].items():
            assert set(texts) == {"title", "summary", "description"}
            assert _in_its_script(texts["title"], language)
    for row in rows:
        assert _in_its_script(row["title"] + row["advantages"], row["original_language"])


def test_generated_rows_are_the_same_for_a_seed_and_differ_between_seeds():
    assert _rows(50, seed=3) == _rows(50, seed=3)
    assert [row["title"] for row in _rows(50, seed=3)] != [row["title"] for row in _rows(50, seed=4)]


def test_each_benchmark_search_word_is_common_in_the_texts_of_its_language():
    rows = _rows(2000)
    codes = {"English": "en", "Chinese": "zh-hans", "Arabic": "ar", "Russian": "ru"}
    for _key, language, word in LANGUAGE_SEARCHES:
        code = codes[language]
        texts = [
            " ".join(row[field] for field in TEXT_FIELDS) if row["original_language"] == code else None for row in rows
        ] + [" ".join(row["translations"][code].values()) for row in rows if code in row["translations"]]
        texts = [text for text in texts if text]
        share = sum(word in text for text in texts) / len(texts)
        assert 0.2 < share < 0.5, (word, share)
    # The Chinese word is written inside longer words, titles among them.
    titles = [row["title"] for row in rows if row["original_language"] == "zh-hans"]
    assert any("太阳能干燥机" in title for title in titles)


@pytest.mark.django_db
def test_generated_listings_keep_their_language_translations_and_ascii_slugs():
    call_command("generate_technologies", count=60, seed=9, batch_size=25, stdout=StringIO())

    technologies = list(Technology.objects.order_by("pk"))
    assert len(technologies) == 60
    languages = Counter(technology.original_language for technology in technologies)
    assert len(languages) >= 5 and 6 <= languages["zh-hans"] <= 20 and 20 <= languages["en"] <= 40
    translated = 0
    for technology in technologies:
        assert _in_its_script(technology.title, technology.original_language), technology.title
        columns = {language for language in LANGUAGES if getattr(technology, i18n_field_name("title", language), None)}
        assert technology.original_language not in columns  # the original's own column stays empty
        assert len(columns) <= 2
        translated += bool(columns)
        for language in columns:
            for field in ("title", "summary", "description"):
                text = getattr(technology, i18n_field_name(field, language))
                assert text and _in_its_script(text, language), (language, field, text)
    assert 10 <= translated <= 30

    slugs = [technology.slug for technology in technologies]
    assert len(set(slugs)) == len(slugs)
    assert all(slug.isascii() and re.fullmatch(r"[a-z0-9-]+-s9-\d+", slug) for slug in slugs)
    chinese = [technology for technology in technologies if technology.original_language == "zh-hans"]
    assert all(technology.slug.startswith("technology-s9-") for technology in chinese)
