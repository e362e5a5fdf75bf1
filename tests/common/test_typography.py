# ruff: noqa: RUF001 -- text in six languages: en dashes of ranges, Cyrillic and Arabic letters
"""Language-correct text in the six languages (issue 20): plural forms in every catalogue,
lists joined as each language joins them, date ranges that name the day once, counts
grouped per language, and members' Latin text isolated inside Arabic sentences."""

import datetime
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import translation

from common.templatetags.typography import format_list, format_number
from events.models import Registration
from technologies import services as technology_services
from technologies.models import Technology
from tests.factories import EventFactory, TechnologyFactory, UserFactory

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"

# The plural rules of gettext for each catalogue (the forms CLDR gives integers).
PLURAL_FORMS = {
    "ar": (
        6,
        "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5",
    ),
    "zh_Hans": (1, "0"),
    "fr": (2, "(n > 1)"),
    "ru": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "es": (2, "(n != 1)"),
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def render(source: str, context: dict | None = None, language: str = "en") -> str:
    with translation.override(language):
        return engines["django"].from_string("{% load i18n typography tz %}" + source).render(context or {})


def results_heading(page: str) -> str:
    return re.search(r'<h2 id="results-title"[^>]*>(.*?)</h2>', page, re.S).group(1).strip()


def visible(html: str) -> str:
    """The text a reader sees: tags removed."""
    return re.sub(r"<[^>]+>", "", html)


def make_technologies(count: int) -> None:
    """`count` published listings: one through the factory, the rest copied in one query."""
    if not count:
        return
    first = TechnologyFactory()
    fields = {f.attname: getattr(first, f.attname) for f in Technology._meta.concrete_fields if not f.primary_key}
    Technology.objects.bulk_create(
        Technology(**{**fields, "slug": f"{first.slug}-{n}", "title": f"{first.title} {n}"}) for n in range(1, count)
    )


# --- The catalogues ------------------------------------------------------------------------


@pytest.mark.parametrize("locale", sorted(PLURAL_FORMS))
def test_every_catalogue_has_the_plural_forms_of_its_language_and_fills_them(locale):
    po = polib.pofile(str(LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"))
    nplurals, formula = PLURAL_FORMS[locale]
    header = " ".join(po.metadata["Plural-Forms"].split())
    assert header == f"nplurals={nplurals}; plural={formula};"
    incomplete = [
        entry.msgid
        for entry in po
        if entry.msgid_plural
        and (sorted(entry.msgstr_plural) != list(range(nplurals)) or not all(entry.msgstr_plural.values()))
    ]
    assert incomplete == []
    assert sum(1 for entry in po if entry.msgid_plural) >= 30  # the counts of the site and of the admin


def test_arabic_says_one_and_two_in_words_without_a_numeral():
    """ "بقي 1 مقعد" and "عُثر على 2 تكنولوجيتين" were wrong: the singular and the dual
    name their number themselves (مقعد واحد، تكنولوجيتين)."""
    po = polib.pofile(str(LOCALE_DIR / "ar" / "LC_MESSAGES" / "django.po"))
    numbered = [
        (entry.msgid, form)
        for entry in po
        if entry.msgid_plural
        for form in (1, 2)
        if len(PLACEHOLDER.findall(entry.msgstr_plural[form])) >= len(PLACEHOLDER.findall(entry.msgid_plural))
    ]
    assert numbered == []


# --- Plural forms on the pages -------------------------------------------------------------

ARABIC_RESULTS = {
    0: "لم يُعثر على أي تكنولوجيا",
    1: "عُثر على تكنولوجيا واحدة",
    2: "عُثر على تكنولوجيتين",
    3: "عُثر على 3 تكنولوجيات",
    11: "عُثر على 11 تكنولوجيا",
    100: "عُثر على 100 تكنولوجيا",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("count", "heading"), ARABIC_RESULTS.items())
def test_the_catalogue_counts_its_results_in_arabic(client, count, heading):
    make_technologies(count)
    page = client.get("/ar" + reverse("technologies:catalogue")).content.decode()
    assert results_heading(page) == heading


RUSSIAN_RESULTS = {
    1: "Найдена 1 технология",
    2: "Найдены 2 технологии",
    5: "Найдено 5 технологий",
    21: "Найдена 21 технология",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("count", "heading"), RUSSIAN_RESULTS.items())
def test_the_catalogue_counts_its_results_in_russian(client, count, heading):
    make_technologies(count)
    page = client.get("/ru" + reverse("technologies:catalogue")).content.decode()
    assert results_heading(page) == heading


ARABIC_PLACES = {
    1: "بقي مقعد واحد",
    2: "بقي مقعدان",
    3: "بقيت 3 مقاعد",
    11: "بقي 11 مقعدًا",
    100: "بقي 100 مقعد",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("capacity", "text"), ARABIC_PLACES.items())
def test_an_event_page_counts_the_places_left_in_arabic(client, capacity, text):
    event = EventFactory(capacity=capacity)
    page = client.get("/ar" + event.get_absolute_url()).content.decode()
    assert f"<dd>{text}</dd>" in page


@pytest.mark.django_db
def test_an_event_page_without_places_left_says_it_is_full_in_arabic(client):
    event = EventFactory(capacity=1)
    Registration.objects.create(event=event, user=UserFactory(), status="registered")
    page = client.get("/ar" + event.get_absolute_url()).content.decode()
    assert "<dd>اكتمل العدد: تُدرج التسجيلات الجديدة في قائمة الانتظار.</dd>" in page
    assert "بقي 0" not in page


def test_admin_messages_count_with_plural_forms():
    from technologies.admin import ngettext_lazy  # the admin's messages are lazy plurals

    message = ngettext_lazy("%(count)d listing published.", "%(count)d listings published.", "count")
    with translation.override("ar"):
        assert [str(message % {"count": n}) for n in (1, 2, 5)] == [
            "نُشر عرض تكنولوجي واحد.",
            "نُشر عرضان تكنولوجيان.",
            "نُشرت 5 عروض تكنولوجية.",
        ]
    with translation.override("ru"):
        assert str(message % {"count": 22}) == "Опубликованы 22 карточки технологий."
    with translation.override("en"):
        assert str(message % {"count": 1}) == "1 listing published."


# --- Lists ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "plain", "sentence"),
    [
        ("en", "Kenya, China, Peru", "Kenya, China and Peru"),
        ("fr", "Kenya, China, Peru", "Kenya, China et Peru"),
        ("es", "Kenya, China, Peru", "Kenya, China y Peru"),
        ("ru", "Kenya, China, Peru", "Kenya, China и Peru"),
        ("zh-hans", "Kenya、China、Peru", "Kenya、China和Peru"),
        ("ar", "Kenya، China، Peru", "Kenya، China و Peru"),
    ],
)
def test_lists_are_joined_as_each_language_joins_them(language, plain, sentence):
    items = ["Kenya", "China", "Peru"]
    assert format_list(items, language=language) == plain
    assert format_list(items, "and", language=language) == sentence


def test_the_conjunction_follows_the_word_after_it():
    assert format_list(["كينيا", "الصين"], "and", language="ar") == "كينيا والصين"  # و joins an Arabic word
    assert format_list(["Chile", "Irlanda"], "and", language="es") == "Chile e Irlanda"
    assert format_list(["agua", "hielo"], "and", language="es") == "agua y hielo"
    assert format_list(["Kenya"], "and", language="en") == "Kenya"
    assert format_list([], language="zh-hans") == ""


def test_join_list_isolates_each_item_in_html_and_stays_plain_in_text():
    items = ["Kenya", "<b>China</b>"]
    assert (
        render("{{ items|join_list }}", {"items": items}, "ar")
        == "<bdi>Kenya</bdi>، <bdi>&lt;b&gt;China&lt;/b&gt;</bdi>"
    )
    text = render("{% autoescape off %}{{ items|join_list }}{% endautoescape %}", {"items": items}, "zh-hans")
    assert text == "Kenya、<b>China</b>"


@pytest.mark.django_db
def test_a_technology_page_lists_its_countries_with_the_chinese_enumeration_comma(client):
    technology = TechnologyFactory(countries_deployed=["KE", "TZ"])
    english = client.get(technology.get_absolute_url()).content.decode()
    assert "<bdi>Kenya</bdi>, <bdi>Tanzania</bdi>" in english
    page = client.get("/zh-hans" + technology.get_absolute_url()).content.decode()
    assert "<bdi>肯尼亚</bdi>、<bdi>坦桑尼亚</bdi>" in page


# --- Numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", "12,345"),
        ("fr", "12\u202f345"),
        ("es", "12.345"),
        ("ru", "12\xa0345"),
        ("ar", "12,345"),
        ("zh-hans", "12,345"),
    ],
)
def test_counts_are_grouped_per_language(language, written):
    assert format_number(12345, language) == written
    assert render("{{ n|number }}", {"n": 12345}, language) == written


def test_short_numbers_and_what_is_not_a_number_are_left_alone():
    assert format_number(2027, "es") == "2027"  # Spanish groups from five digits
    assert format_number(999, "fr") == "999"
    assert format_number("", "en") == ""
    assert format_number(None, "en") is None


@pytest.mark.django_db
def test_the_catalogue_count_is_grouped_but_not_the_page_links(client, monkeypatch):
    from common.pagination import BoundedPaginator

    monkeypatch.setattr(BoundedPaginator, "count", property(lambda self: 12345))
    make_technologies(1)
    page = client.get("/fr" + reverse("technologies:catalogue")).content.decode()
    assert results_heading(page) == "12\u202f345 technologies trouvées"
    assert "12\u202f345" not in re.sub(r'<h2 id="results-title".*?</h2>', "", page, flags=re.S)


# --- Date and time ranges ------------------------------------------------------------------

# 07:00-10:00 UTC on 4 March 2031 is 10:00-13:00 in Nairobi (UTC+3).
ONE_DAY = {
    "en": ("March 4, 2031", "March 4, 2031, 10 a.m.–1 p.m."),
    "fr": ("4 mars 2031", "4 mars 2031, 10:00–13:00"),
    "zh-hans": ("2031年3月4日", "2031年3月4日 10:00–13:00"),
    "ar": ("4 مارس، 2031", "4 مارس، 2031، 10:00 ص–1:00 م"),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), ONE_DAY.items())
def test_an_event_on_one_day_names_the_day_once(client, language, expected):
    date, when = expected
    start = datetime.datetime(2031, 3, 4, 7, 0, tzinfo=datetime.UTC)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    prefix = "" if language == "en" else f"/{language}"
    page = client.get(prefix + event.get_absolute_url()).content.decode()
    assert f"{when} (Africa/Nairobi)" in visible(page)
    assert visible(page).count(date) == 1
    assert '<time datetime="2031-03-04T10:00:00+03:00" data-local-time>' in page
    assert '<time datetime="2031-03-04T13:00:00+03:00">' in page


@pytest.mark.django_db
def test_an_event_over_several_days_names_both_days(client):
    start = datetime.datetime(2031, 3, 4, 7, 0, tzinfo=datetime.UTC)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(days=2, hours=7))
    page = visible(client.get(event.get_absolute_url()).content.decode())
    assert "March 4, 2031, 10 a.m. – March 6, 2031, 5 p.m. (Africa/Nairobi)" in page
    chinese = visible(client.get("/zh-hans" + event.get_absolute_url()).content.decode())
    assert "2031年3月4日 10:00 至 2031年3月6日 17:00" in chinese


@pytest.mark.django_db
def test_event_cards_show_the_range_compactly(client):
    start = datetime.datetime(2031, 3, 4, 7, 0, tzinfo=datetime.UTC)
    EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    EventFactory(starts_at=start, ends_at=start + datetime.timedelta(days=2))
    page = visible(client.get(reverse("events:upcoming")).content.decode())
    assert "March 4, 2031, 10 a.m.–1 p.m. (Africa/Nairobi)" in page
    assert "March 4, 2031 – March 6, 2031 (Africa/Nairobi)" in page


def test_a_range_in_plain_text_has_no_markup():
    start = datetime.datetime(2031, 3, 4, 7, 0, tzinfo=datetime.UTC)
    source = '{% autoescape off %}{% timezone "Africa/Nairobi" %}{% datetime_range start end %}{% endtimezone %}'
    text = render(source + "{% endautoescape %}", {"start": start, "end": start + datetime.timedelta(hours=3)}, "ru")
    assert text == "4 марта 2031 г., 10:00–13:00"


# --- Members' text inside translated sentences ----------------------------------------------


@pytest.mark.django_db
def test_a_latin_organisation_name_in_an_arabic_email_is_isolated(mailoutbox, django_capture_on_commit_callbacks):
    technology = TechnologyFactory(owner=UserFactory(preferred_language="ar"))
    sender = UserFactory(name="Amina Diallo")
    with django_capture_on_commit_callbacks(execute=True):
        technology_services.inquiry_create(
            technology=technology,
            sender=sender,
            cooperation=technology.cooperation.first(),
            organisation_name="Dakar Agro-Processing SA",
            message="We would like to license this dryer.",
        )
    (email,) = mailoutbox
    html = email.alternatives[0][0]
    assert "<bdi>Amina Diallo</bdi> (<bdi>Dakar Agro-Processing SA</bdi>)" in html
    assert f'<bdi lang="en">{technology.title}</bdi>' in html
    assert "<bdi>" not in email.body  # the text part stays plain text
    assert "Amina Diallo (Dakar Agro-Processing SA)" in email.body


def test_isolate_escapes_in_html_and_leaves_text_alone():
    assert render("{{ name|isolate }}", {"name": "<Acme & Co>"}, "ar") == "<bdi>&lt;Acme &amp; Co&gt;</bdi>"
    assert render("{% autoescape off %}{{ name|isolate }}{% endautoescape %}", {"name": "Acme"}, "ar") == "Acme"
    assert render("{{ name|isolate }}", {"name": ""}, "ar") == ""
