"""The text side of search (common/search.py), the same on every database: Chinese cut
into pairs, queries as phrases of pairs, folding, the words of a query, highlighting."""

import pytest
from django.template import Context, Template

from common import search


def test_han_runs_are_indexed_as_overlapping_pairs_and_other_scripts_are_kept():
    assert search.index_text("太阳能辅助隧道式干燥机").split() == [
        "太阳", "阳能", "能辅", "辅助", "助隧", "隧道", "道式", "式干", "干燥", "燥机",
    ]  # fmt: skip
    assert search.index_text("PM2.5传感器").split() == ["PM2.5", "传感", "感器"]
    assert search.index_text("LoRa 传感器 network").split() == ["LoRa", "传感", "感器", "network"]
    assert search.index_text("沼").split() == ["沼"]
    assert search.index_text("Séchoir solaire") == "Séchoir solaire"


def test_a_han_run_in_a_query_is_the_phrase_of_its_pairs():
    assert search.query_text("干燥机").split() == ['"干燥', '燥机"']
    assert search.query_text("LoRa 传感器") == 'LoRa  "传感 感器" '
    # Already in quotes: the quotes make the phrase.
    assert search.query_text('"隧道式 dryer"') == '" 隧道 道式  dryer"'
    assert search.query_text("solar -pump") == "solar -pump"


def test_fold_removes_accents_and_vowel_marks_in_every_script():
    assert search.fold("Énergía SÉCHOIR") == "energia sechoir"
    assert search.fold("Ёлка") == "елка"
    assert search.fold("مُجَفِّف") == "مجفف"
    assert search.fold("干燥机") == "干燥机"


def test_the_words_of_a_query_leave_out_its_syntax():
    assert search.words_of('"crop dryer" -pump or PM2.5 传感器') == ["crop", "dryer", "pump", "PM2.5", "传感器"]
    assert search.words_of("   ") == []


@pytest.mark.parametrize(
    "text, query, marked",
    [
        ("Granjas lecheras con estiércol", "granja lechera estiercol", ["Granjas", "lecheras", "estiércol"]),
        ("Биогазовый реактор для ферм", "биогаз", ["Биогазовый"]),
        ("المجفف الشمسي للحبوب", "مجففات", ["المجفف"]),
        ("Séchoir solaire pour céréales", "sechoir cereale", ["Séchoir", "céréales"]),
        ("Solar dryers for soldiers", "solar dryer", ["Solar", "dryers"]),
        ("太阳能辅助隧道式干燥机", "隧道式干燥", ["隧道式干燥"]),
        ("太阳能辅助隧道式干燥机", "干燥器", ["干燥"]),
        ("PM2.5 传感器网络", "PM2.5 传感器", ["PM2.5", "传感器"]),
    ],
)
def test_highlighting_marks_the_words_a_reader_searched_for(text, query, marked):
    spans = search.highlight_spans(text, query)
    assert "".join(piece for piece, _ in spans) == text
    assert [piece for piece, is_match in spans if is_match] == marked


def test_the_highlight_filter_escapes_and_marks():
    rendered = Template("{% load wiits_tags %}{{ text|highlight:q }}").render(
        Context({"text": "<b>Solar</b> dryer & more", "q": "dryer"})
    )
    assert rendered == "&lt;b&gt;Solar&lt;/b&gt; <mark>dryer</mark> &amp; more"
    assert Template("{% load wiits_tags %}{{ text|highlight:q }}").render(Context({"text": "<i>x</i>", "q": ""})) == (
        "&lt;i&gt;x&lt;/i&gt;"
    )
