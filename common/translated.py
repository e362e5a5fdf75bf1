"""Translated content: what a page shows of a text that may carry translations.

A model keeps its text in its own fields, written in `original_language`, and may carry
translations in `<field>_i18n_<lang>` columns (django-modeltranslation registers a blank
`<field>_i18n` field per text; see each app's translation.py).

Every reader gets each text by the same chain (`fallback_chain`, used by pages, cards,
feeds, sitemaps, emails and staff pages): the reader's language, then English (the
language most readers of the portal read after their own), then the original. A French
reader of a listing written in Chinese with an English translation reads the English
text, not the Chinese. Each text is marked with the language it is in (`lang`) and its
direction (`dir`), so browsers, screen readers and search engines read it right.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

# The language a reader is given after their own: the portal's source language.
SECOND_LANGUAGE = "en"


def original_language_field():
    """The language a text was written in, chosen when it is created."""
    return models.CharField(
        _("language of the original text"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )


def i18n_field_name(field: str, language: str) -> str:
    """The column holding the translation of `field` into `language`: title_i18n_zh_hans."""
    return f"{field}_i18n_{language.replace('-', '_')}"


@dataclass(frozen=True)
class Translated:
    text: str
    language: str
    is_translation: bool

    def __str__(self) -> str:
        return self.text

    @property
    def direction(self) -> str:
        """ "rtl" or "ltr": the `dir` of the text's language (Arabic is right to left)."""
        return "rtl" if get_language_info(self.language)["bidi"] else "ltr"


def fallback_chain(reader: str, original: str) -> list[str]:
    """The languages a text is looked for in, best first: the reader's, English, the
    original (where the chain reaches the original, the original text is shown)."""
    chain: list[str] = []
    for language in (reader, SECOND_LANGUAGE, original):
        if language not in chain:
            chain.append(language)
        if language == original:
            break
    return chain


def translated(obj, field: str, language: str | None = None, *, original: bool = False) -> Translated:
    """`field` of `obj` for a reader of `language` (the active one by default), by the
    fallback chain; with `original`, the original text whatever the reader's language."""
    language = language or get_language() or settings.LANGUAGE_CODE
    original_language = getattr(obj, "original_language", None) or settings.LANGUAGE_CODE
    for candidate in () if original else fallback_chain(language, original_language):
        if candidate == original_language:
            break
        value = getattr(obj, i18n_field_name(field, candidate), None)
        if value:
            return Translated(value, candidate, True)
    return Translated(getattr(obj, field) or "", original_language, False)


@dataclass(frozen=True)
class Reading:
    """What a page shows of an object's texts: each text (`texts[field]`), and what the
    "translated from … / show the original" switch says."""

    texts: dict[str, Translated]
    original_language: str
    showing_original: bool
    # A translation is shown (or, showing the original, one could be).
    has_translation: bool

    @property
    def original_language_name(self) -> str:
        """The original's language in its own name (中文, العربية), as readers look for it."""
        return get_language_info(self.original_language)["name_local"]


def wants_original(request) -> bool:
    """The reader asked for the original texts ("Show the original": ?original=1)."""
    return request.GET.get("original") == "1"


def reading(obj, fields, *, language: str | None = None, original: bool = False) -> Reading:
    """Every text of `fields` of `obj` for a reader of `language`, or the originals."""
    language = language or get_language() or settings.LANGUAGE_CODE
    chosen = {field: translated(obj, field, language) for field in fields}
    has_translation = any(text.is_translation for text in chosen.values())
    if original:
        chosen = {field: translated(obj, field, original=True) for field in fields}
    return Reading(
        texts=chosen,
        original_language=getattr(obj, "original_language", None) or settings.LANGUAGE_CODE,
        showing_original=original and has_translation,
        has_translation=has_translation,
    )


def translations_of(obj, fields: list[str]) -> dict[str, dict[str, str]]:
    """{language: {field: text}} of the translations `obj` carries (for forms and exports)."""
    found: dict[str, dict[str, str]] = {}
    for language, _name in settings.LANGUAGES:
        values = {field: getattr(obj, i18n_field_name(field, language), "") or "" for field in fields}
        if any(values.values()):
            found[language] = values
    return found


def i18n_columns(*fields: str) -> list[str]:
    """The translation columns of `fields`, with `original_language`, for `.only()`."""
    return ["original_language"] + [
        i18n_field_name(field, language) for field in fields for language, _name in settings.LANGUAGES
    ]
