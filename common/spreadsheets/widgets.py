# ruff: noqa: RUF001 -- separators and names in six scripts
"""django-import-export's widgets for the portal's columns: numbers, yes or no, choices,
countries, sectors, goals, time zones, moments."""

import datetime
import re
import zoneinfo
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from import_export import widgets
from import_export.fields import Field

from common.spreadsheets.cells import (
    cell_text,
    country_code,
    fold,
    language_names,
    split_items,
)

# --- Widgets ------------------------------------------------------------------------------


class Widget(widgets.Widget):
    """A widget that takes whatever options import-export gives a model field's widget."""

    def __init__(self, *args, **kwargs):
        super().__init__()


class TextWidget(widgets.CharWidget):
    """Text as typed (never a formula), stripped."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value)


class WholeNumberWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            raise ValueError(gettext("Not a whole number: %(value)s") % {"value": value})
        text = cell_text(value)
        if not text:
            return None
        try:
            number = float(text.replace(" ", ""))
        except ValueError:
            number = None
        if number is None or not number.is_integer() or abs(number) > 2**31:
            raise ValueError(gettext("Not a whole number: %(value)s") % {"value": text})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class YesNoWidget(Widget):
    """Yes or no, in any of the six languages (or 1/0, true/false); empty is None."""

    YES = {"yes", "y", "true", "1", "x", "oui", "si", "sí", "да", "是", "نعم"}
    NO = {"no", "n", "false", "0", "non", "нет", "否", "لا"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = fold(cell_text(value))
        if not text:
            return None
        if text in {fold(word) for word in self.YES}:
            return True
        if text in {fold(word) for word in self.NO}:
            return False
        raise ValueError(gettext("Write yes or no, not %(value)s") % {"value": cell_text(value)})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "yes" if value else "no"


class ChoiceWidget(Widget):
    """One of `choices`, by its value or its label in any of the languages; exported as the value."""

    validates = True  # what it returns is one of the field's choices

    def __init__(self, choices, **kwargs):
        super().__init__()
        self.choices = [(value, label) for value, label in choices if value not in ("", None)]

    @cached_property
    def index(self) -> dict[str, str]:
        index = {}
        for value, _label in self.choices:
            index.setdefault(fold(value), value)
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for value, label in self.choices:
                    index.setdefault(fold(str(label)), value)
        return index

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return ""
        found = self.index.get(fold(text))
        if found is None:
            raise ValueError(
                gettext("Unknown value: %(value)s. Write one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(str(value) for value, _label in self.choices)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class LanguageWidget(ChoiceWidget):
    """The language of the original texts: a code (zh-hans, fr) or a name (中文, French,
    français); English when empty."""

    def __init__(self, **kwargs):
        super().__init__(settings.LANGUAGES)

    @cached_property
    def index(self) -> dict[str, str]:
        return language_names()

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return settings.LANGUAGE_CODE
        found = self.index.get(fold(text))
        if found is None:
            raise ValueError(
                gettext("Unknown language: %(value)s. Write one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(code for code, _name in settings.LANGUAGES)}
            )
        return found


class CountryWidget(Widget):
    """A country by ISO code or by name in any of the languages; exported as its code."""

    validates = True  # what it returns is one of the field's choices

    def clean(self, value, row=None, **kwargs):
        return country_code(value)

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class CountriesWidget(Widget):
    """Several countries ("CN; Kenya; Brésil"); exported as codes separated by "; "."""

    validates = True  # what it returns is one of the field's choices

    def clean(self, value, row=None, **kwargs):
        return split_items(value, country_code)

    def render(self, value, obj=None, **kwargs):
        return "; ".join(getattr(country, "code", country) for country in value or [])


class UrlWidget(TextWidget):
    """A web address; https:// is assumed when no scheme is written (as the admin's forms do)."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if text and not urlsplit(text).scheme and not text.startswith("//"):
            text = f"https://{text}"
        return text


class NamedWidget(Widget):
    """A row of reference data (a sector, a cooperation type) by its slug or its name in any
    of the languages (names are translated through the message catalogue); exported as the
    slug. The rows are read once per import."""

    def __init__(self, model, unknown, **kwargs):
        super().__init__()
        self.model = model
        self.unknown = unknown  # "Unknown sector: %(value)s"

    @cached_property
    def index(self) -> dict:
        rows = list(self.model._default_manager.all())
        index = {}
        for row in rows:
            index.setdefault(fold(row.slug), row)
            index.setdefault(fold(row.name), row)
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for row in rows:
                    index.setdefault(fold(gettext(row.name)), row)
        return index

    def find(self, text):
        found = self.index.get(fold(text))
        if found is None:
            raise ValueError(str(self.unknown) % {"value": text})
        return found

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        return self.find(text) if text else None

    def render(self, value, obj=None, **kwargs):
        return value.slug if value is not None else ""


class NamedListWidget(NamedWidget):
    """Several rows of reference data ("licensing; Joint venture")."""

    many = True

    def clean(self, value, row=None, **kwargs):
        return split_items(value, self.find)

    def render(self, value, obj=None, **kwargs):
        return "; ".join(item.slug for item in value.all()) if value is not None else ""


_GOAL = re.compile(r"^(?:sdg|odd|ods|цур|目标|الهدف)?\s*(\d+)(?:\.0)?$", re.IGNORECASE)


class GoalsWidget(Widget):
    """Sustainable Development Goals by number ("7; 9", "7, 9", "SDG 7")."""

    many = True

    def __init__(self, model, **kwargs):
        super().__init__()
        self.model = model

    @cached_property
    def goals(self) -> dict:
        return {goal.number: goal for goal in self.model._default_manager.all()}

    def find(self, text):
        match = _GOAL.match(text.strip())
        goal = self.goals.get(int(match[1])) if match else None
        if goal is None:
            raise ValueError(gettext("SDGs are numbers from 1 to 17, not %(value)s") % {"value": text})
        return goal

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if re.fullmatch(r"[\d\s,;，；、،؛]+", text):  # "7, 9" or "7 9": numbers hold no commas
            return list(dict.fromkeys(self.find(part) for part in re.split(r"[\s,;，；、،؛]+", text) if part))
        return split_items(text, self.find)

    def render(self, value, obj=None, **kwargs):
        return "; ".join(str(goal.number) for goal in value.all()) if value is not None else ""


@lru_cache(maxsize=1)
def _zone_index() -> dict[str, str]:
    return {fold(name.replace("_", " ")): name for name in zoneinfo.available_timezones()}


class TimeZoneWidget(Widget):
    """An IANA time zone (Asia/Shanghai), as the admin's list shows it or not (spaces for _)."""

    validates = True  # one of the zones the field's choices list

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        found = _zone_index().get(fold(text.replace("_", " ")))
        if found is None:
            raise ValueError(
                gettext("Unknown time zone: %(value)s. Write a name such as Asia/Shanghai or Europe/Paris.")
                % {"value": text}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return value or ""


def zone_of(name: str, default: str) -> zoneinfo.ZoneInfo:
    """The time zone `name` (as TimeZoneWidget reads it), or `default` if it is not one."""
    try:
        return zoneinfo.ZoneInfo(TimeZoneWidget().clean(name) or default)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return zoneinfo.ZoneInfo(default)


def parse_local_datetime(value, zone: zoneinfo.ZoneInfo, *, default_date: datetime.date | None = None):
    """A date and time written in `zone` (2025-06-10 09:30), or with its own offset
    (2025-06-10T09:30+08:00); a time alone (09:30) is on `default_date` when one is given."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.time) and default_date is not None:
        moment = datetime.datetime.combine(default_date, value)
    else:
        text = cell_text(value).replace("/", "-")
        if not text:
            return None
        moment = None
        if default_date is not None and re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", text):
            moment = datetime.datetime.combine(default_date, datetime.time.fromisoformat(text.zfill(5)))
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}.*", text):
            try:
                moment = datetime.datetime.fromisoformat(re.sub(r"[ T](\d):", r" 0\1:", text))
            except ValueError:
                moment = None
        if moment is None:
            raise ValueError(
                gettext("Not a date and time: %(value)s. Write it as 2025-06-10 09:30.") % {"value": cell_text(value)}
            )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def format_local_datetime(moment, zone) -> str:
    """`moment` as written in `zone`: 2025-06-10 09:30 (seconds only when there are some)."""
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    return local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")


class MomentField(Field):
    """A date and time exported as written in the time zone of its row (`zone(instance)`:
    an event's), so that the file shows what the event's page shows. Resources parse it
    on import with `parse_local_datetime`, knowing the zone."""

    def __init__(self, attribute, *, zone, **kwargs):
        super().__init__(attribute=attribute, column_name=attribute, widget=Widget(), **kwargs)
        self.zone = zone

    def export(self, instance, **kwargs):
        zone = self.zone(instance)
        return format_local_datetime(self.get_value(instance), zone) if zone else ""
