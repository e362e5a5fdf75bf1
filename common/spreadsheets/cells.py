# ruff: noqa: RUF001 -- separators and names in six scripts
"""Cells as people type them: text, lists, languages and countries in six languages."""

import datetime
import unicodedata
from functools import lru_cache

from babel import Locale
from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language_info, gettext
from django_countries import countries
from django_countries.data import COUNTRIES

from common.countries import country_names
from common.exports import FORMULA_PREFIXES, csv_safe
from common.spreadsheets._constants import _COMMAS, _ILLEGAL, _LIST_SEPARATORS

# --- Cells --------------------------------------------------------------------------------


def unquote_formula(text: str) -> str:
    """`text` without the quote `csv_safe` put before a formula character."""
    rest = text[1:]
    if text.startswith("'") and (rest.startswith(FORMULA_PREFIXES) or rest.lstrip().startswith(FORMULA_PREFIXES)):
        return rest
    return text


def cell_text(value) -> str:
    """A cell as text: empty for nothing, 7 for the number 7.0 a spreadsheet stores, the
    date and time of a date cell in ISO form; without the formula quote; stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    return unquote_formula(str(value)).strip()


def neutralise(value):
    """An exported cell: text that no spreadsheet runs as a formula and that XLSX can hold."""
    if isinstance(value, str):
        return csv_safe(_ILLEGAL.sub("", value))
    return value


_FOLDED = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "‐": "-", "‑": "-", "–": "-", "—": "-"})


def fold(text) -> str:
    """`text` compared as people mean it: no case, no accents, straight quotes, single spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_FOLDED))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def split_items(value, resolve) -> list:
    """The items of a list cell, each resolved (`resolve` raises ValueError for an unknown
    one): separated by ";" or a line break, or by commas where the whole is not one item."""
    found = []
    for part in (part.strip() for part in _LIST_SEPARATORS.split(cell_text(value))):
        if not part:
            continue
        try:
            items = [resolve(part)]
        except ValueError:
            pieces = [piece.strip() for piece in _COMMAS.split(part) if piece.strip()]
            if len(pieces) < 2:
                raise
            items = [resolve(piece) for piece in pieces]
        found += [item for item in items if item not in found]
    return found


def language_names() -> dict[str, str]:
    """{folded name or code: language code} of the portal's languages, as staff may write them."""
    index = {}
    for code, name in settings.LANGUAGES:
        info = get_language_info(code)
        for spelling in (code, code.replace("-", "_"), name, info["name"], info["name_local"]):
            index.setdefault(fold(spelling), code)
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                index.setdefault(fold(gettext(info["name"])), code)
    for spelling, code in {"zh": "zh-hans", "zh-cn": "zh-hans", "chinese": "zh-hans", "中文": "zh-hans"}.items():
        index.setdefault(fold(spelling), code)
    return index


# --- Countries ----------------------------------------------------------------------------

# Names people write that no list above holds (a few; ISO's and CLDR's cover the rest).
COUNTRY_ALIASES = {
    "UK": "GB",
    "Great Britain": "GB",
    "USA": "US",
    "United States of America": "US",
    "Turkey": "TR",
    "Viet Nam": "VN",
    "Czech Republic": "CZ",
    "Russian Federation": "RU",
    "Republic of Korea": "KR",
    "Iran (Islamic Republic of)": "IR",
    "Ivory Coast": "CI",
    "Cape Verde": "CV",
    "Swaziland": "SZ",
    "Burma": "MM",
    "Macau": "MO",
    "Palestine": "PS",
}


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}

    def add(name, code):
        if name:
            index.setdefault(fold(name), code)

    for code in COUNTRIES:
        add(code, code)
        add(countries.alpha3(code), code)
    for language, _name in settings.LANGUAGES:
        cldr = Locale.parse(translation.to_locale(language)).territories
        for code, name in country_names(language).items():
            add(name, code)
            add(cldr.get(code), code)
    for code, name in COUNTRIES.items():
        add(str(name), code)
    for name, code in COUNTRY_ALIASES.items():
        add(name, code)
    return index


def country_code(value) -> str:
    """The ISO code of the country `value` names or codes ("" for an empty cell)."""
    text = cell_text(value)
    if not text:
        return ""
    code = _country_index().get(fold(text))
    if code is None:
        raise ValueError(gettext("Unknown country: %(name)s") % {"name": text})
    return code
