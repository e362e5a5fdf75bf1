"""Translated content: what a page shows of a text that may carry translations.

A model keeps its text in its own fields, written in `original_language`, and may carry
translations in `<field>_i18n_<lang>` columns (django-modeltranslation registers a blank
`<field>_i18n` field per text; see each app's translation.py). A page shows the
translation into the visitor's language when there is one, else the original, and marks
either with its language so browsers, screen readers and search engines read it right.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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


def translated(obj, field: str, language: str | None = None) -> Translated:
    """`field` of `obj` in `language` (the active one by default), else the original."""
    language = language or get_language() or settings.LANGUAGE_CODE
    original_language = getattr(obj, "original_language", settings.LANGUAGE_CODE)
    if language != original_language:
        value = getattr(obj, i18n_field_name(field, language), None)
        if value:
            return Translated(value, language, True)
    return Translated(getattr(obj, field) or "", original_language, False)


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
