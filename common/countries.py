"""The country list of the filter forms, translated and sorted once per language.

django-countries translates and sorts its 250 names every time the list is read; the
catalogue and the needs read it on every page (an eighth of an uncached catalogue page's
time, measured by `make bench`)."""

from functools import lru_cache

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django_countries import countries


@lru_cache(maxsize=len(settings.LANGUAGES) + 1)
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        return tuple((code, str(name)) for code, name in countries)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) of every country, in the active language's order; for `choices=`."""
    return list(_choices(translation.get_language() or settings.LANGUAGE_CODE))


class CountrySelect(forms.Select):
    """A select of the countries whose options are written once per language and list of
    choices, then reused with the chosen one marked: the options are the same on every
    page, only `selected` moves."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = tuple((str(code), str(label)) for code, label in self.choices)
        options = _options(choices)
        if value not in (None, ""):
            chosen = format_html('<option value="{}">', str(value))
            options = mark_safe(options.replace(chosen, chosen[:-1] + " selected>", 1))  # noqa: S308 (escaped above)
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["class"] = " ".join(filter(None, ["form-select", final_attrs.get("class")]))
        return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(final_attrs), options)


@lru_cache(maxsize=4 * len(settings.LANGUAGES))
def _options(choices: tuple[tuple[str, str], ...]) -> SafeString:
    return format_html_join("\n", '<option value="{}">{}</option>', choices)
