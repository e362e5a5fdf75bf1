"""Typography that follows the reader's language: lists, counts, date ranges and members'
text inside translated sentences. Load with `{% load typography %}`.

Every helper reads the active language, so a page in Chinese joins its lists with 、 and an
email rendered in its recipient's language (common/mail) follows theirs. In HTML (autoescape
on) the helpers escape what they are given and add markup (<bdi>, <time>); in the plain-text
emails (autoescape off) they give plain text.

- `{{ items|join_list }}`: a plain list, as in a "Deployed in" cell or under a heading;
  `{{ items|join_list:"and" }}`: a list inside a sentence, the last item after the
  language's "and".
- `{{ count|number }}`: a count with the digit grouping of the language (12,345; 12 345).
- `{% datetime_range start end %}`: an event's start and end that names the day once.
- `{{ member_text|isolate }}`: a member's name or title inside a translated sentence.
"""

import re
from collections.abc import Iterable
from datetime import datetime

from babel.numbers import format_decimal
from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext
from django_countries.fields import Country

from common.translated import Translated

register = template.Library()

# --- Lists -------------------------------------------------------------------------------

# The enumeration comma: Chinese separates the items of a list with the dun comma 、,
# Arabic with its own comma ، (U+060C); the other four languages with ", ".
LIST_SEPARATORS = {"zh": "、", "ar": "، "}
DEFAULT_LIST_SEPARATOR = ", "
# The word before the last item of a list in a sentence (CLDR's "standard" list patterns).
# English follows the United Nations' editorial style: no comma before "and".
AND_WORDS = {"en": " and ", "fr": " et ", "es": " y ", "ru": " и ", "zh": "和", "ar": " و"}
# Spanish writes "e" for "y" before a word that starts with the sound /i/ (Irlanda, Hidalgo),
# but not before a diphthong (hielo, hierro).
_SPANISH_E = re.compile(r"h?[iíIÍ](?![aeiouáéíóúAEIOUÁÉÍÓÚ])")
# Arabic letters: the conjunction و is written joined to an Arabic word (وكينيا) and apart
# from a Latin name or a number (و Kenya).
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def language_key(language: str | None = None) -> str:
    """The language whose rules apply: "zh" for zh-hans, else the primary subtag ("ar")."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    return code.split("-")[0].split("_")[0]


def _item_text(item) -> str:
    # django-countries' Country prints its code; a list shows its name.
    if isinstance(item, Country):
        return str(item.name)
    return str(item)


def _conjunction(language: str, last: str) -> str:
    word = AND_WORDS.get(language, AND_WORDS["en"])
    if language == "es" and _SPANISH_E.match(last):
        return " e "
    if language == "ar" and not _ARABIC_LETTER.match(last):
        return " و "
    return word


def _join(texts: list[str], pieces: list[str], style: str, language: str) -> str:
    """`pieces` (the items as they are written out) joined by the rules of `language`;
    `texts` are the items as plain text, to choose the conjunction."""
    separator = LIST_SEPARATORS.get(language, DEFAULT_LIST_SEPARATOR)
    if style != "and" or len(pieces) < 2:
        return separator.join(pieces)
    return separator.join(pieces[:-1]) + _conjunction(language, texts[-1]) + pieces[-1]


def format_list(items: Iterable, style: str = "", language: str | None = None) -> str:
    """`items` as plain text, joined as `language` (by default the active one) writes a list.

    style "" is a plain list: "A, B, C", "A、B、C", "A، B، C". style "and" is a list inside
    a sentence: "A, B and C", "A, B et C", "A、B和C", "A، B وC". Empty items are left out.
    """
    texts = [text for text in (_item_text(item) for item in items if item is not None) if text]
    return _join(texts, texts, style, language_key(language))


@register.filter(needs_autoescape=True)
def join_list(items, style: str = "", autoescape: bool = True) -> str:
    """The items of a list (strings, objects, countries) joined in the reader's language
    (see `format_list`); `{{ sectors|join_list }}`, `{{ names|join_list:"and" }}`.

    In HTML each item is escaped and isolated in a <bdi>: a list of Latin names then keeps
    its order and its commas in an Arabic page instead of running left to right as one.
    """
    if not items:
        return ""
    texts = [text for text in (_item_text(item) for item in items if item is not None) if text]
    language = language_key()
    if not autoescape:
        return _join(texts, texts, style, language)
    pieces = [format_html("<bdi>{}</bdi>", text) for text in texts]
    return mark_safe(_join(texts, pieces, style, language))  # noqa: S308 (every item escaped above)


# --- Numbers -----------------------------------------------------------------------------

# Spanish groups the digits of numbers of five digits or more only: 1000, 12 345
# (CLDR's minimumGroupingDigits; the RAE's rule).
_GROUP_FROM = {"es": 10_000}


def format_number(value, language: str | None = None) -> str:
    """`value` written with the digit grouping and separators the Unicode CLDR gives the
    language: 12,345 (en, zh-hans, ar with Latin digits), 12 345 (fr, with a narrow
    no-break space), 12 345 (ru, no-break space), 12.345 (es). A value that is not a
    number is given back unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = int(str(value))
        except (TypeError, ValueError):
            return value
    key = language_key(language)
    if abs(value) < _GROUP_FROM.get(key, 0):
        return str(value)
    locale = translation.to_locale(language or translation.get_language() or settings.LANGUAGE_CODE)
    return format_decimal(value, locale=locale)


@register.filter(is_safe=True)
def number(value) -> str:
    """A count grouped as the reader's language writes it: `{{ paginator.count|number }}`.

    For counts shown to people only. Django's USE_THOUSAND_SEPARATOR stays off: it would
    group every number a template prints, ids in URLs and sizes in attributes included.
    """
    return format_number(value)


# --- Date and time ranges ----------------------------------------------------------------


def _local(value: datetime) -> datetime:
    # In the current time zone, as the `date` filter does: {% timezone event.time_zone %}.
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _time_tag(value: datetime, text: str, *, html: bool, local_time: bool = False) -> str:
    if not html:
        return text
    if local_time:
        # static/js/local-time.js shows the start in the visitor's own zone too.
        return format_html('<time datetime="{}" data-local-time>{}</time>', value.isoformat(), text)
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), text)


@register.simple_tag(takes_context=True)
def datetime_range(context, start: datetime, end: datetime, compact: bool = False) -> str:
    """When an event happens, in the reader's language, naming the day once.

    On one day: "Feb. 10, 2027, 9 a.m.–1 p.m.", "10 février 2027, 09:00–13:00",
    "2027年2月10日 09:00–13:00". Over several days: both dates with their times, or with
    `compact=True` (cards) the dates alone. Dates and times use Django's formats of the
    language (DATE_FORMAT, TIME_FORMAT, DATETIME_FORMAT; Arabic's in wiits/formats/ar), in
    the current time zone (wrap it in {% timezone event.time_zone %}). In HTML the times are
    <time> elements; the start carries data-local-time for static/js/local-time.js.
    """  # noqa: RUF002 (the en dash is the range's own punctuation)
    if not start:
        return ""
    html = context.autoescape
    start = _local(start)
    end = _local(end) if end else start
    if start.date() == end.date():
        date_text = date_format(start, "DATE_FORMAT")
        if start == end:
            pattern = pgettext("an event's date and time", "%(date)s, %(start)s")
        else:
            pattern = pgettext(
                "an event within one day: its date, start and end times",
                "%(date)s, %(start)s–%(end)s",  # noqa: RUF001 (an en dash joins the times of a range)
            )
        pieces = {
            "date": conditional_escape(date_text) if html else date_text,
            "start": _time_tag(start, time_format(start, "TIME_FORMAT"), html=html, local_time=True),
            "end": _time_tag(end, time_format(end, "TIME_FORMAT"), html=html),
        }
    else:
        pattern = pgettext(
            "an event over several days: its start and its end",
            "%(start)s – %(end)s",  # noqa: RUF001 (a spaced en dash joins two dates)
        )
        shown = "DATE_FORMAT" if compact else "DATETIME_FORMAT"
        pieces = {
            "start": _time_tag(start, date_format(start, shown), html=html, local_time=True),
            "end": _time_tag(end, date_format(end, shown), html=html),
        }
    if not html:
        return pattern % pieces
    return mark_safe(conditional_escape(pattern) % pieces)  # noqa: S308 (the pattern and every piece escaped)


# --- Members' text inside translated sentences -------------------------------------------


@register.filter(needs_autoescape=True)
def isolate(value, autoescape: bool = True) -> str | SafeString:
    """A member's text (a name, a title, an organisation) isolated from the sentence around
    it: `{% blocktranslate with name=sender.name|isolate %}`.

    In an Arabic sentence a Latin name would otherwise take the punctuation next to it into
    its own left-to-right run: "عزيزي Amina Diallo،" shows its comma on the wrong side. In
    HTML the text is escaped and put in a <bdi>; in plain text (emails' text part, subjects)
    it is given back unchanged.
    """
    if value is None or value == "":
        return value
    if not autoescape:
        return value
    if isinstance(value, Translated):
        # A translated field (the `translated` filter) says which language it is in.
        return format_html('<bdi lang="{}">{}</bdi>', value.language, value.text)
    return format_html("<bdi>{}</bdi>", value)
