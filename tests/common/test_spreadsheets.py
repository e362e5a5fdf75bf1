# ruff: noqa: RUF001 -- names in six scripts
"""How spreadsheet cells are read and written (common/spreadsheets/); the admin's imports
and exports themselves are tested in tests/<app>/test_import_export.py."""

import datetime
import zoneinfo

import pytest

from common.exports import csv_safe
from common.reference.models import CooperationType, SustainableDevelopmentGoal
from common.spreadsheets.cells import cell_text, country_code, neutralise
from common.spreadsheets.widgets import (
    CountriesWidget,
    GoalsWidget,
    LanguageWidget,
    NamedListWidget,
    UrlWidget,
    WholeNumberWidget,
    YesNoWidget,
    format_local_datetime,
    parse_local_datetime,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("CN", "CN"),
        ("chn", "CN"),
        ("China", "CN"),
        ("中国", "CN"),
        ("Chine", "CN"),
        ("الصين", "CN"),
        ("Китай", "CN"),
        ("  côte d'ivoire ", "CI"),  # straight quote for CLDR's curly one
        ("Cote d’Ivoire", "CI"),
        ("كوت ديفوار", "CI"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Turquie", "TR"),  # CLDR's French name, which the portal shows as Türkiye
        ("Taiwan", "TW"),
        ("中国台湾省", "TW"),
        ("UK", "GB"),
        ("Royaume-Uni", "GB"),
        ("Korea (the Republic of)", "KR"),  # ISO's English name
        ("Estados Unidos", "US"),
        ("", ""),
    ],
)
def test_countries_by_code_or_name_in_any_language(written, code):
    assert country_code(written) == code


def test_an_unknown_country_says_which():
    with pytest.raises(ValueError, match=r"^Unknown country: Atlantis$"):
        country_code("Atlantis")


def test_country_lists_split_on_semicolons_or_commas_but_keep_names_with_commas():
    widget = CountriesWidget()
    assert widget.clean("Kenya; CN; Kenya") == ["KE", "CN"]
    assert widget.clean("Kenya, Tanzania") == ["KE", "TZ"]
    assert widget.clean("中国香港特别行政区；越南、老挝") == ["HK", "VN", "LA"]
    assert widget.clean("China, Hong Kong Special Administrative Region") == ["HK"]
    assert widget.clean("مصر؛ المغرب") == ["EG", "MA"]
    with pytest.raises(ValueError, match="Atlantis"):
        widget.clean("Kenya, Atlantis")


def test_cells_are_text_as_typed():
    assert cell_text(None) == ""
    assert cell_text(7.0) == "7"
    assert cell_text(7.5) == "7.5"
    assert cell_text("  Solar dryer \n") == "Solar dryer"
    assert cell_text(datetime.datetime(2030, 9, 18, 19, 0)) == "2030-09-18 19:00"
    # The quote an export put before a formula comes off; other quotes stay.
    assert cell_text("'=1+1") == "=1+1"
    assert cell_text("'-5") == "-5"
    assert cell_text("'Tis the season") == "'Tis the season"


@pytest.mark.parametrize("text", ["=1+1", "+1 555", "-x", "@SUM(A1)", "\t=1", "\r=1", " =1", "plain", "", "l'eau"])
def test_export_then_import_gives_the_text_back(text):
    assert cell_text(neutralise(text)) == text.strip()
    assert neutralise(text) == csv_safe(text)


def test_exported_cells_hold_no_control_characters():
    assert neutralise("Solar\x00 dryer\x1b") == "Solar dryer"
    assert neutralise("two\nlines\tand tab") == "two\nlines\tand tab"
    assert neutralise(7) == 7


def test_yes_and_no_in_six_languages():
    widget = YesNoWidget()
    assert [widget.clean(word) for word in ("yes", "OUI", "sí", "да", "是", "نعم", "1", True)] == [True] * 8
    assert [widget.clean(word) for word in ("no", "Non", "нет", "否", "لا", "0", False)] == [False] * 7
    assert widget.clean("") is None
    with pytest.raises(ValueError, match="Write yes or no, not maybe"):
        widget.clean("maybe")


def test_whole_numbers():
    widget = WholeNumberWidget()
    assert [widget.clean(value) for value in ("7", 7.0, " 1 000 ", "")] == [7, 7, 1000, None]
    for value in ("7.5", "seven", True, "1e40"):
        with pytest.raises(ValueError, match="Not a whole number"):
            widget.clean(value)


@pytest.mark.django_db
def test_goals_by_number():
    widget = GoalsWidget(SustainableDevelopmentGoal)
    numbers = lambda value: [goal.number for goal in widget.clean(value)]  # noqa: E731
    assert numbers("7; 9") == [7, 9]
    assert numbers("7,9") == [7, 9]
    assert numbers(7.0) == [7]
    assert numbers("SDG 7, SDG 13") == [7, 13]
    assert numbers("٧؛ ١٣") == [7, 13]
    assert numbers("7, 7") == [7]
    assert numbers("") == []
    for value in ("18", "0", "7; 99", "seven"):
        with pytest.raises(ValueError, match="SDGs are numbers from 1 to 17"):
            widget.clean(value)


@pytest.mark.django_db
def test_reference_data_by_slug_or_name_in_any_language():
    widget = NamedListWidget(CooperationType, "Unknown cooperation type: %(value)s")
    slugs = [item.slug for item in widget.clean("licensing; Joint venture; Coentreprise; 投资; التعاون التقني")]
    assert slugs == ["licensing", "joint-venture", "investment", "technical-cooperation"]
    with pytest.raises(ValueError, match=r"^Unknown cooperation type: friendship$"):
        widget.clean("friendship")


def test_languages_by_code_or_name():
    widget = LanguageWidget()
    written = ["", "en", "zh-hans", "zh_Hans", "中文", "Chinese", "français", "French", "العربية", "Русский", "es"]
    assert [widget.clean(value) for value in written] == ["en", "en", *["zh-hans"] * 4, "fr", "fr", "ar", "ru", "es"]
    with pytest.raises(ValueError, match="Unknown language: Klingon"):
        widget.clean("Klingon")


def test_web_addresses_get_https():
    assert UrlWidget().clean("www.sjtu.edu.cn") == "https://www.sjtu.edu.cn"
    assert UrlWidget().clean("http://example.org") == "http://example.org"
    assert UrlWidget().clean("") == ""


def test_dates_and_times_in_a_time_zone():
    expected = datetime.datetime(2030, 9, 18, 11, 0, tzinfo=datetime.UTC)
    assert parse_local_datetime("2030-09-18 19:00", SHANGHAI) == expected
    assert parse_local_datetime("2030/09/18 7:00", SHANGHAI) == expected - datetime.timedelta(hours=12)
    assert parse_local_datetime("2030-09-18T14:00+03:00", SHANGHAI) == expected
    assert parse_local_datetime(datetime.datetime(2030, 9, 18, 19, 0), SHANGHAI) == expected
    assert parse_local_datetime("19:00", SHANGHAI, default_date=datetime.date(2030, 9, 18)) == expected
    assert parse_local_datetime(datetime.time(19, 0), SHANGHAI, default_date=datetime.date(2030, 9, 18)) == expected
    assert parse_local_datetime("", SHANGHAI) is None
    for value in ("2030-09-18", "19:00", "tomorrow", "2030-13-40 10:00"):
        with pytest.raises(ValueError, match="Not a date and time"):
            parse_local_datetime(value, SHANGHAI)
    assert format_local_datetime(expected, SHANGHAI) == "2030-09-18 19:00"
    assert format_local_datetime(expected.replace(second=30), SHANGHAI) == "2030-09-18 19:00:30"
