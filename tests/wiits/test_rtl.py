"""Right to left: Arabic pages and emails mirror; other languages do not."""

import pytest

from technologies import services
from tests.factories import InquiryFactory, TechnologyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "direction", "stylesheet"),
    [
        ("/ar", "rtl", "bootstrap.rtl.min.css"),
        ("", "ltr", "bootstrap.min.css"),
        ("/zh-hans", "ltr", "bootstrap.min.css"),
    ],
)
def test_pages_declare_language_and_direction_and_load_the_right_stylesheet(client, prefix, direction, stylesheet):
    page = client.get(prefix + "/technologies/").content.decode()
    assert f'dir="{direction}"' in page
    assert stylesheet in page


def test_language_bar_in_the_un_order_on_every_page(client):
    page = client.get("/fr/events/").content.decode()
    bar = page[page.index('class="language-bar"') :]
    names = ["العربية", "中文", "English", "Français", "Русский", "Español"]
    positions = [bar.index(f">{name}</button>") for name in names]
    assert positions == sorted(positions)
    for code in ["ar", "zh-hans", "en", "fr", "ru", "es"]:
        assert f'lang="{code}"' in bar  # each name is marked with its own language


def test_hreflang_links_name_the_six_versions(client, settings):
    page = client.get("/es/needs/?sector=energy").content.decode()
    for tag, prefix in [
        ("ar", "/ar"),
        ("zh-Hans", "/zh-hans"),
        ("en", ""),
        ("fr", "/fr"),
        ("ru", "/ru"),
        ("es", "/es"),
    ]:
        assert f'hreflang="{tag}" href="{settings.SITE_URL}{prefix}/needs/?sector=energy"' in page
    assert f'hreflang="x-default" href="{settings.SITE_URL}/needs/?sector=energy"' in page


def test_an_email_to_an_arabic_reader_is_right_to_left(django_capture_on_commit_callbacks, mailoutbox):
    owner = UserFactory(preferred_language="ar")
    technology = TechnologyFactory(owner=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_create(
            technology=technology,
            sender=UserFactory(),
            cooperation=InquiryFactory.build().cooperation,
            organisation_name="Dakar Agro-Processing",
            message="We would like to license it.",
        )
    html = mailoutbox[0].alternatives[0][0]
    assert '<html lang="ar" dir="rtl">' in html
    assert "border-right:3px" in html and "border-left" not in html


def test_dates_follow_the_language(client):
    from django.utils import translation

    from tests.factories import EventFactory

    event = EventFactory()
    with translation.override("en"):
        path = event.get_absolute_url()
    english = client.get(path).content.decode()
    french = client.get("/fr" + path).content.decode()
    russian = client.get("/ru" + path).content.decode()
    month = event.local_starts_at.month
    assert event.local_starts_at.strftime("%B")[:3] in english
    french_months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                     "octobre", "novembre", "décembre"]  # fmt: skip
    assert french_months[month - 1] in french.lower()
    russian_months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                      "октября", "ноября", "декабря"]  # fmt: skip
    assert russian_months[month - 1] in russian.lower()


def test_arabic_dates_and_times_read_in_arabic_order():
    import datetime

    from django.utils import formats, translation

    moment = datetime.datetime(2026, 12, 12, 14, 0)
    with translation.override("ar"):
        text = formats.date_format(moment, "DATETIME_FORMAT")
    assert text.startswith("12 ديسمبر، 2026")
    assert "," not in text  # the Arabic comma, not the Latin one


def test_pages_with_one_version_name_no_alternates(rf):
    from django.urls import resolve

    from wiits.context_processors import site

    for path, expected in [("/admin/", 0), ("/events/", 6)]:
        request = rf.get(path)
        request.resolver_match = resolve(path)
        assert len(site(request)["language_alternates"]) == expected
