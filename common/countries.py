# ruff: noqa: RUF001, RUF002, RUF003 -- names and letters in six scripts; dashes and quotes sorted as punctuation
"""Country names in the reader's language, sorted as the reader sorts them.

Where the names come from
    The Unicode CLDR territory names, read through Babel (pinned): `babel.Locale.parse(
    "zh_Hans").territories["NP"]` is 尼泊尔. CLDR is the one source that names every ISO 3166
    code in all six of the portal's languages, is reviewed by native speakers for each
    language, is versioned, and is what the readers' own systems (ICU: Android, iOS, the
    browsers) show them. django-countries' own gettext catalogues, which the portal used
    before, are volunteer translations of ISO's English names with errors no reviewer
    catches (尼珀尔 for Nepal, 塔吉克斯斯坦, one Chinese name for Samoa and American Samoa).
    The UN's M49 list (UNSD) names countries in the six languages too, but it is published
    as spreadsheets with no maintained package, uses the UN's formal short names
    ("Republic of Korea", sorted under R) and has no entry for Taiwan. So: CLDR for everything, and a small table
    of the UN's names where CLDR's name would put a United Nations portal at odds with the
    United Nations.

The United Nations' names (`UN_NAMES`), and why only these
    1. Status. CLDR's name takes a position the UN does not take:
       - TW: the UN counts Taiwan as part of China (General Assembly resolution 2758
         (XXVI), 1971; M49 has no entry for it) and writes "Taiwan Province of China",
         中国台湾省, "province chinoise de Taiwan", "provincia china de Taiwán",
         "китайская провинция Тайвань", "مقاطعة تايوان الصينية"; CLDR says "Taiwan".
       - HK, MO: M49 names them "China, Hong Kong/Macao Special Administrative Region" in
         the six languages; CLDR varies by language ("R.A.S. chinoise de Hong Kong",
         "Гонконг (САР)").
       - PS: "State of Palestine" (M49; the General Assembly's resolution 67/19, 2012);
         CLDR says "Palestinian Territories".
       - FK: the UN gives both names of a territory under a sovereignty dispute, "Falkland
         Islands (Malvinas)" (M49; resolution 2065 (XX)); CLDR gives one side's name per
         language (Falkland, Malouines, Malvinas).
    2. The State's own name. A State asked the UN to use its name, the UN did in all six
       languages (M49 shows it), and CLDR still shows the name it replaced in one of ours:
       MM (CLDR adds "(Burma)"), TR (CLDR French and Spanish: Turquie, Turquía; Türkiye
       since 2022), CV (Cape Verde, Cap-Vert, الرأس الأخضر; Cabo Verde since 2013), CI
       (Arabic ساحل العاج, a translation the State asked not to be made), TL (Timor
       oriental, Восточный Тимор; Timor-Leste since 2002). Only those languages are
       overridden.
    Checked and left to CLDR: the UN's formal names of Member States (Republic of Korea,
    Iran (Islamic Republic of), Bolivia (Plurinational State of), Venezuela (Bolivarian
    Republic of), Russian Federation, United Republic of Tanzania...): they name the same
    State with no difference of status, and CLDR's short names are the ones readers look
    for, sorted where they look (Korea under K, not under R); Viet Nam / Vietnam is a
    spelling; CLDR's English "St." and "&" and Russian "о-ва" are house style; Western
    Sahara is the same in both. Kosovo has no ISO 3166-1 code and is not in the list.
    Sources: the M49 names in six languages (unstats.un.org/unsd/methodology/m49/overview,
    as downloaded in github.com/datasets/country-codes, tmp/UNSD-*.csv at commit 25c1991);
    for Taiwan the forms of UN documents, capitalised as the first word of a list entry.

How every use gets them
    django-countries gives the names to every `Country.name`, `CountryField` choices and
    iteration of `countries` (models, forms, admin, templates, emails, reports). The
    settings give it, for every code, a lazy name that reads `country_names()` in the
    active language when shown (COUNTRIES_OVERRIDE = `django_countries_override()`), so
    no list is ever built in one language at import and no field or migration changes.
    django-countries sorts with its module's `sort_key` (a plain ASCII fold that leaves
    Chinese, Arabic and Russian unsorted) and has no setting for it: importing this
    module, which the settings do, puts `collation_key` in its place.

How they are sorted (`collation_key`)
    As CLDR's collation of each language sorts them: letters compared without accents or
    case first, then accents, then case; spaces and punctuation before letters. French
    and English need nothing more. Spanish: ñ is a letter after n. Russian: ё sorts with
    е; й is a letter of its own. Arabic: the letters carrying a hamza or a madda (آ أ ؤ
    إ ئ) are letters of their own before ا, ة sorts with ت and ى with ي. Chinese: by
    pinyin, character by character (syllable, tone, then the character's code point,
    which orders characters of one reading by radical), as a Chinese dictionary does;
    pypinyin reads each name as a word, so 秘鲁 (Bìlǔ) sorts under B where ICU, which
    reads characters one by one, puts it under mì; `_PINYIN` corrects the word it reads
    wrongly. Checked against Perl's Unicode::Collate::Locale (UCA 13 with the CLDR
    tailorings, non-ignorable) on every name: the same order in English, French,
    Spanish, Russian and Arabic; in Chinese the same but for 秘鲁 and two pairs of
    homophones (利比亚 before 立陶宛, 墨西哥 before 莫桑比克: ICU orders characters of one
    reading by its own table, not by radical). A small key rather than PyICU (no wheels)
    or pyuca (the untailored UCA: no pinyin, no Spanish ñ, unmaintained since 2017).

Speed
    django-countries translates and sorts its 250 names every time the list is read; the
    catalogue and the needs read it on every page. The names are built once per language
    per process (`country_names`), the sorted choices once per language (`_choices`), and
    the options' HTML once per language and list of choices (`_options`).
"""

import unicodedata
from functools import lru_cache

import django_countries
from babel import Locale
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise, lazy
from django_countries import countries
from django_countries.data import COUNTRIES

from common.widgets import PrewrittenSelect

# code -> {language: name}: the United Nations' names where CLDR's differ (see above).
UN_NAMES: dict[str, dict[str, str]] = {
    # 1. Status: all six languages.
    "TW": {
        "en": "Taiwan Province of China",
        "fr": "Province chinoise de Taiwan",
        "es": "Provincia china de Taiwán",
        "ru": "Китайская провинция Тайвань",
        "ar": "مقاطعة تايوان الصينية",
        "zh-hans": "中国台湾省",
    },
    "HK": {
        "en": "China, Hong Kong Special Administrative Region",
        "fr": "Chine, région administrative spéciale de Hong Kong",
        "es": "China, región administrativa especial de Hong Kong",
        "ru": "Китай, Специальный административный район Гонконг",
        "ar": "الصين، منطقة هونغ كونغ الإدارية الخاصة",
        "zh-hans": "中国香港特别行政区",
    },
    "MO": {
        "en": "China, Macao Special Administrative Region",
        "fr": "Chine, région administrative spéciale de Macao",
        "es": "China, región administrativa especial de Macao",
        "ru": "Китай, Специальный административный район Макао",
        "ar": "الصين، منطقة ماكاو الإدارية الخاصة",
        "zh-hans": "中国澳门特别行政区",
    },
    "PS": {
        "en": "State of Palestine",
        "fr": "État de Palestine",
        "es": "Estado de Palestina",
        "ru": "Государство Палестина",
        "ar": "دولة فلسطين",
        "zh-hans": "巴勒斯坦国",
    },
    "FK": {
        "en": "Falkland Islands (Malvinas)",
        "fr": "Îles Falkland (Malvinas)",
        "es": "Islas Malvinas (Falkland)",
        "ru": "Фолклендские (Мальвинские) острова",
        "ar": "جزر فوكلاند (مالفيناس)",
        "zh-hans": "福克兰群岛（马尔维纳斯）",
    },
    # 2. The State's own name: only the languages where CLDR shows the name it replaced.
    "MM": {"en": "Myanmar", "fr": "Myanmar", "es": "Myanmar", "ru": "Мьянма", "ar": "ميانمار"},
    "TR": {"fr": "Türkiye", "es": "Türkiye"},
    "CV": {"en": "Cabo Verde", "fr": "Cabo Verde", "ar": "كابو فيردي"},
    "CI": {"ar": "كوت ديفوار"},
    "TL": {"fr": "Timor-Leste", "ru": "Тимор-Лешти"},
}


def _language(language: str | None) -> str:
    """The portal language (a code of settings.LANGUAGES) that stands for `language`."""
    language = (language or settings.LANGUAGE_CODE).lower()
    if language in dict(settings.LANGUAGES):
        return language
    try:  # a variant ("fr-ca", "zh-cn"): Django knows which of ours stands for it
        return translation.get_supported_language_variant(language)
    except LookupError:
        return settings.LANGUAGE_CODE


@lru_cache(maxsize=16)
def country_names(language: str) -> dict[str, str]:
    """{code: name} of every country django-countries knows, in `language`: CLDR's name,
    or the United Nations' where `UN_NAMES` has one."""
    language = _language(language)
    cldr = Locale.parse(translation.to_locale(language)).territories
    english = Locale.parse("en").territories
    return {
        code: UN_NAMES.get(code, {}).get(language) or cldr.get(code) or english.get(code) or str(name)
        for code, name in COUNTRIES.items()
    }


def country_name(code: str) -> str:
    """The name of the country `code` in the active language ("" for an unknown code)."""
    return country_names(_language(translation.get_language())).get(str(code).upper(), "")


lazy_country_name = lazy(country_name, str)


def django_countries_override() -> dict[str, Promise]:
    """COUNTRIES_OVERRIDE: every code named lazily, in the language active when shown."""
    return {code: lazy_country_name(code) for code in COUNTRIES}


# --- Collation -------------------------------------------------------------------------------

# CLDR's root order of the punctuation found in country names (all of it sorts before digits
# and letters, spaces first); any other symbol sorts after these.
_PUNCTUATION = "_-‐‑‒–—―,;:!¡?¿.…·'‘’‚‛\"“”„«»()[]{}@*/\\&#%`^+<=>|~$"
# Letters that sort as two (CLDR root expansions).
_EXPANSIONS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i"}
# Letters of their own, not their base letter with a mark (CLDR root): Cyrillic й (after и);
# the Arabic letters carrying a hamza or a madda (after ء, before ا, in code point order).
_OWN_LETTERS = set("йآأؤإئ")
# Letters a language places right after a base letter (CLDR tailorings): Spanish ñ after n.
_AFTER = {"es": {"ñ": "n"}}
# Letters that sort as another one at the first level (CLDR tailorings): Arabic.
_SAME_AS = {"ar": {"ة": "ت", "ى": "ي"}}
# Words of the names pypinyin reads wrongly: 佛得角 is Fódéjiǎo (佛 as in 佛教, not 仿佛).
_PINYIN = {"佛得角": ["fo2", "de2", "jiao3"]}


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"


def _pinyin(name: str) -> list[str]:
    """The tone-numbered pinyin of each character of `name` ("" for a character that is not Han)."""
    from pypinyin import Style, lazy_pinyin  # its dictionaries load on first use, not at start-up

    readings = lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda text: [""] * len(text))
    if len(readings) != len(name):  # never seen; keep the key aligned with the characters
        readings = [lazy_pinyin(char, style=Style.TONE3, neutral_tone_with_five=True)[0] for char in name]
    for word, fixed in _PINYIN.items():
        start = name.find(word)
        while start != -1:
            readings[start : start + len(word)] = fixed
            start = name.find(word, start + len(word))
    return [reading if _is_han(char) else "" for char, reading in zip(name, readings, strict=True)]


def collation_key(name: str, language: str) -> tuple:
    """A sort key that orders country names in `language` as CLDR's collation does: first
    the letters (no accents, no case), then the accents, then the case."""
    language = _language(language)
    after = _AFTER.get(language, {})
    same_as = _SAME_AS.get(language, {})
    name = unicodedata.normalize("NFC", name)
    readings = _pinyin(name) if language == "zh-hans" else [""] * len(name)
    primary, secondary, tertiary = [], [], []
    for char, reading in zip(name, readings, strict=True):
        lower = char.lower()
        if reading:  # Han in Chinese: by pinyin syllable, then tone, then character
            primary.append((5, reading.rstrip("12345"), int(reading[-1]) if reading[-1].isdigit() else 5, ord(char)))
            continue
        if _is_han(char):
            primary.append((5, "", 0, ord(char)))
            continue
        lower = same_as.get(lower, lower)
        if lower in after or lower in _OWN_LETTERS:
            primary.append((4, 2 * ord(after[lower]) + 1 if lower in after else 2 * ord(lower)))
            tertiary.append(char != char.lower())
            continue
        for part in unicodedata.normalize("NFKD", _EXPANSIONS.get(lower, lower)):
            category = unicodedata.category(part)
            if category in ("Mn", "Me"):
                secondary.append(ord(part))
            elif category == "Cf" or part == "\u0640":  # direction marks, Arabic tatweel
                continue
            elif category.startswith("Z"):
                primary.append((1, 0))
            elif category.startswith(("P", "S")):
                position = _PUNCTUATION.find(part)
                primary.append((2, position if position >= 0 else len(_PUNCTUATION) + ord(part)))
            elif category == "Nd":
                primary.append((3, unicodedata.digit(part)))
            else:
                primary.append((4, 2 * ord(part)))
        tertiary.append(char != char.lower())
    return (tuple(primary), tuple(secondary), tuple(tertiary), name)


def _django_countries_sort_key(item: tuple[str, str]) -> tuple:
    """django-countries' `sort_key((code, name))`, called while it sorts in the active language."""
    return collation_key(item[1], translation.get_language())


if not callable(getattr(django_countries, "sort_key", None)):  # pragma: no cover
    raise ImportError("django-countries no longer sorts with django_countries.sort_key: see common/countries.py")
django_countries.sort_key = _django_countries_sort_key


# --- The country lists of the forms -------------------------------------------------------------


@lru_cache(maxsize=16)
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        return tuple((code, str(name)) for code, name in countries)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) of every country, in the active language's order; for `choices=`."""
    return list(_choices(_language(translation.get_language())))


class CountrySelect(PrewrittenSelect):
    """The countries' select: its 250 options written once per language (common.widgets),
    taken from the list sorted once per language rather than through the field's
    choices, which re-read all 250 on every page. Only for fields whose choices are
    `country_choices`; the empty option is the field's `empty_label` (django-filter's)."""

    def option_pairs(self) -> tuple[tuple[str, str], ...]:
        empty_label = getattr(getattr(self.choices, "field", None), "empty_label", None)
        first = (("", str(empty_label)),) if empty_label is not None else ()
        return first + _choices(_language(translation.get_language()))
