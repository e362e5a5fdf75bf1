"""The completeness gate: every language but English has a catalogue, and no message in
it is missing, fuzzy, or has placeholders or markup that differ from the source."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

PLACEHOLDER = re.compile(r"%\([a-zA-Z_][a-zA-Z0-9_]*\)[sdif]|%[sdif]")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b")
HREF = re.compile(r'href="([^"]*)"')


def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / to_locale(code) / "LC_MESSAGES" / "django.po"))


def _shape(text: str) -> tuple:
    """What must survive translation: placeholders (as a multiset), tags, link targets."""
    return (
        sorted(PLACEHOLDER.findall(text)),
        sorted(TAG.findall(text)),
        sorted(HREF.findall(text)),
        text[:1].isspace(),
        text[-1:] == "\n",
    )


def _label(entry: polib.POEntry) -> str:
    where = entry.occurrences[0] if entry.occurrences else ("?", "")
    return f"{entry.msgid[:60]!r} ({where[0]}:{where[1]})"


def test_every_language_is_offered_in_the_un_order():
    assert [code for code, _name in settings.LANGUAGES] == ["ar", "zh-hans", "en", "fr", "ru", "es"]
    assert settings.UN_LANGUAGE_ORDER == ["ar", "zh-hans", "en", "fr", "ru", "es"]


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_message_is_missing_or_fuzzy(code):
    po = catalogue(code)
    missing = [_label(entry) for entry in po if not entry.obsolete and not entry.translated()]
    fuzzy = [_label(entry) for entry in po if "fuzzy" in entry.flags and not entry.obsolete]
    assert missing == [], f"{code}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert fuzzy == [], f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_and_markup_are_those_of_the_source(code):
    po = catalogue(code)
    wrong = []
    for entry in po:
        if entry.obsolete or not entry.translated():
            continue
        if entry.msgid_plural:
            forms = list(entry.msgstr_plural.values())
            expected = _shape(entry.msgid_plural)
            # A form for "one" may say the number in words; every other form names it.
            wrong += [_label(entry) for form in forms[1:] if _shape(form)[1:] != expected[1:]]
            wrong += [_label(entry) for form in forms if set(PLACEHOLDER.findall(form)) - set(expected[0])]
        elif _shape(entry.msgstr) != _shape(entry.msgid):
            wrong.append(_label(entry))
    assert wrong == [], f"{code}: placeholders or markup differ in {len(wrong)} messages, e.g. {wrong[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_plural_messages_fill_every_form_the_language_has(code):
    po = catalogue(code)
    header = po.metadata.get("Plural-Forms", "")
    forms = int(re.search(r"nplurals\s*=\s*(\d+)", header).group(1))
    incomplete = [
        _label(entry)
        for entry in po
        if entry.msgid_plural and (len(entry.msgstr_plural) != forms or not all(entry.msgstr_plural.values()))
    ]
    assert incomplete == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_catalogue_is_up_to_date(code):
    """`make translations` compiles what is committed; a stale .mo would show old text."""
    po_path = LOCALE_DIR / to_locale(code) / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        pytest.fail(f"{mo_path} is missing: run `make translations`")
    compiled = polib.mofile(str(mo_path))
    source = catalogue(code)
    assert {(e.msgctxt, e.msgid) for e in compiled} >= {
        (e.msgctxt, e.msgid) for e in source if e.translated() and not e.obsolete
    }
