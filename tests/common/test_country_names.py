# ruff: noqa: RUF001, RUF003 -- country names in six scripts, with full-width Chinese brackets
"""Country names (common/countries.py): CLDR's names through Babel, the United Nations'
names for a few territories, in the reader's language wherever a country is shown or
chosen, sorted by the reader's collation."""

import datetime

import pytest
from babel import Locale
from django.urls import reverse
from django.utils import timezone, translation
from django_countries import countries
from django_countries.data import COUNTRIES
from django_countries.fields import Country

from accounts.forms import ProfileForm, SignupForm
from common.countries import UN_NAMES, collation_key, country_choices, country_names
from reports import figures
from technologies import digest
from technologies.forms import TechnologyForm
from tests.factories import AdviserFactory, EventFactory, NeedFactory, TechnologyFactory, UserFactory

LANGUAGES = ["en", "fr", "es", "ru", "ar", "zh-hans"]
BABEL_LOCALES = {"en": "en", "fr": "fr", "es": "es", "ru": "ru", "ar": "ar", "zh-hans": "zh_Hans"}


def cldr(language: str) -> dict[str, str]:
    return Locale.parse(BABEL_LOCALES[language]).territories


def names_in_order(language: str) -> list[str]:
    with translation.override(language):
        return [name for _code, name in country_choices()]


def in_order(listed: list[str], expected: list[str]) -> bool:
    """Whether `expected` appear in `listed` in this order (others may come between)."""
    return [name for name in listed if name in expected] == expected


# --- The names --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_country_is_named_as_cldr_or_the_un_table_says(language):
    with translation.override(language):
        shown = {code: Country(code).name for code in COUNTRIES}
        listed = dict(countries)
    expected = {code: UN_NAMES.get(code, {}).get(language) or cldr(language)[code] for code in COUNTRIES}
    assert shown == expected
    assert listed == expected
    assert len(expected) == 249


def test_the_names_the_issue_found_wrong_are_right_in_chinese():
    with translation.override("zh-hans"):
        assert Country("NP").name == "尼泊尔"
        assert Country("TJ").name == "塔吉克斯坦"
        assert Country("BA").name == "波斯尼亚和黑塞哥维那"
        assert (Country("WS").name, Country("AS").name) == ("萨摩亚", "美属萨摩亚")


@pytest.mark.parametrize(
    ("language", "taiwan", "hong_kong", "palestine"),
    [
        ("en", "Taiwan Province of China", "China, Hong Kong Special Administrative Region", "State of Palestine"),
        (
            "fr",
            "Province chinoise de Taiwan",
            "Chine, région administrative spéciale de Hong Kong",
            "État de Palestine",
        ),
        (
            "es",
            "Provincia china de Taiwán",
            "China, región administrativa especial de Hong Kong",
            "Estado de Palestina",
        ),
        (
            "ru",
            "Китайская провинция Тайвань",
            "Китай, Специальный административный район Гонконг",
            "Государство Палестина",
        ),
        ("ar", "مقاطعة تايوان الصينية", "الصين، منطقة هونغ كونغ الإدارية الخاصة", "دولة فلسطين"),
        ("zh-hans", "中国台湾省", "中国香港特别行政区", "巴勒斯坦国"),
    ],
)
def test_territories_carry_the_united_nations_names(language, taiwan, hong_kong, palestine):
    with translation.override(language):
        assert (Country("TW").name, Country("HK").name, Country("PS").name) == (taiwan, hong_kong, palestine)


def test_the_un_table_is_small_and_each_entry_changes_a_cldr_name():
    assert set(UN_NAMES) == {"TW", "HK", "MO", "PS", "FK", "MM", "TR", "CV", "CI", "TL"}
    for code, names in UN_NAMES.items():
        assert set(names) <= set(LANGUAGES), code
        assert any(name != cldr(language)[code] for language, name in names.items()), code
    # The State's own name: only where CLDR still shows the replaced one; the rest stays CLDR's.
    assert set(UN_NAMES["TR"]) == {"fr", "es"}
    with translation.override("ru"):
        assert Country("TR").name == cldr("ru")["TR"] == "Турция"
    # Formal names of Member States are left to CLDR's short names.
    with translation.override("en"):
        assert (Country("KR").name, Country("IR").name, Country("VN").name) == ("South Korea", "Iran", "Vietnam")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_countries_share_a_name(language):
    names = list(country_names(language).values())
    assert len(set(names)) == len(names) == len(COUNTRIES)


def test_names_follow_the_language_active_when_shown_not_the_one_at_import():
    nepal = Country("NP")
    with translation.override("fr"):
        assert nepal.name == "Népal"
    with translation.override("ar"):
        assert nepal.name == "نيبال"
    # The forms' classes were built at import, in one language; their lists are not.
    for language, name in [("zh-hans", "尼泊尔"), ("ru", "Непал"), ("en", "Nepal")]:
        with translation.override(language):
            assert dict(SignupForm().fields["country"].choices)["NP"] == name
            assert dict(ProfileForm().fields["country"].choices)["NP"] == name
            assert dict(TechnologyForm().fields["countries_deployed"].choices)["NP"] == name


# --- The order ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # Accents and case count after the letters; spaces and punctuation before letters.
        ("en", ["Afghanistan", "Åland Islands", "Albania"]),
        ("en", ["Tunisia", "Türkiye", "Turkmenistan", "U.S. Outlying Islands", "Uganda"]),
        ("fr", ["Égypte", "Émirats arabes unis", "Équateur", "Érythrée", "Espagne", "État de Palestine", "Éthiopie"]),
        ("fr", ["Îles Falkland (Malvinas)", "Inde", "Province chinoise de Taiwan", "Qatar"]),
        ("es", ["Irak", "Irán", "Irlanda"]),
        ("es", ["Eslovenia", "España", "Estado de Palestina", "Estados Unidos"]),
        # ё sorts with е; й is a letter after и.
        ("ru", ["Танзания", "Тёркс и Кайкос", "Тимор-Лешти", "Турция"]),
        ("ru", ["Гаити", "Гайана", "Гамбия"]),
        (
            "ru",
            ["Казахстан", "Китай", "Китай, Специальный административный район Гонконг", "Китайская провинция Тайвань"],
        ),
        # Hamza and madda letters before ا; the article is not skipped.
        (
            "ar",
            [
                "آيسلندا",
                "أذربيجان",
                "أيرلندا",
                "إثيوبيا",
                "إيطاليا",
                "الأرجنتين",
                "الصين",
                "بلجيكا",
                "مقاطعة تايوان الصينية",
            ],
        ),
        # Pinyin, character by character; 秘鲁 read as a word (Bìlǔ).
        ("zh-hans", ["阿尔巴尼亚", "阿富汗", "比利时", "秘鲁", "冰岛", "朝鲜", "丹麦", "中国"]),
        ("zh-hans", ["中非共和国", "中国", "中国澳门特别行政区", "中国台湾省", "中国香港特别行政区"]),
    ],
)
def test_countries_are_listed_in_the_readers_order(language, expected):
    assert in_order(names_in_order(language), expected)


def test_chinese_starts_with_a_and_ends_with_zh():
    listed = names_in_order("zh-hans")
    assert listed[:3] == ["阿尔巴尼亚", "阿尔及利亚", "阿富汗"]
    assert listed[-1] == "中国香港特别行政区"


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [
        ("es", "Nzzz", "Ñandú"),  # ñ is a letter after n...
        ("es", "Ñandú", "Oaxaca"),  # ...and before o
        ("fr", "Ñandú", "Nzzz"),  # elsewhere it is n with a tilde
        ("ar", "تا", "ةب"),  # ة sorts as ت
        ("ar", "يا", "ىب"),  # ى sorts as ي
        ("ar", "عُمان", "عمانب"),  # vowel marks count after the letters
        ("ru", "Ёж", "Еще"),  # ё is е at the first level: ж before щ
        ("ru", "Ищи", "Йемен"),  # й is a letter of its own
    ],
)
def test_the_collation_rules_of_each_language(language, first, second):
    assert collation_key(first, language) < collation_key(second, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_list_of_countries_has_the_same_order(language):
    """django-countries' own list (model fields, admin) sorts as the filters' list does."""
    with translation.override(language):
        assert [tuple(pair) for pair in countries] == country_choices()
        deployed = [choice for choice in TechnologyForm().fields["countries_deployed"].choices if choice[0]]
        assert [(str(code), str(name)) for code, name in deployed] == country_choices()


def test_the_sorted_choices_are_built_once_per_language():
    from common.countries import _choices

    _choices.cache_clear()
    for _ in range(3):
        for language in LANGUAGES:
            with translation.override(language):
                country_choices()
    assert _choices.cache_info().misses == len(LANGUAGES)


# --- Pages, emails and reports ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "nepal", "not_shown"),
    [("zh-hans", "尼泊尔", "Nepal"), ("ar", "نيبال", "Nepal"), ("fr", "Népal", ">Nepal<"), ("en", "Nepal", "尼泊尔")],
)
def test_the_sign_up_page_lists_countries_in_the_requests_language(client, language, nepal, not_shown):
    with translation.override(language):
        url = reverse("account_signup")
    assert url.startswith("/accounts/" if language == "en" else f"/{language}/accounts/")
    page = client.get(url).content.decode()
    assert f'<option value="NP">{nepal}</option>' in page
    assert not_shown not in page
    listed = names_in_order(language)
    assert page.index(f">{listed[0]}</option>") < page.index(f">{listed[1]}</option>") < page.index(f">{listed[-1]}<")


@pytest.mark.django_db
def test_the_profile_form_lists_countries_in_the_requests_language_with_the_members_chosen(client):
    member = UserFactory(country="TW")
    client.force_login(member)
    with translation.override("zh-hans"):
        url = reverse("accounts:profile")
    page = client.get(url).content.decode()
    assert '<option value="TW" selected>中国台湾省</option>' in page
    assert '<option value="NP">尼泊尔</option>' in page
    assert page.index(">阿尔巴尼亚<") < page.index(">中国<")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "kenya", "taiwan"),
    [
        ("en", "Kenya", "Taiwan Province of China"),
        ("fr", "Kenya", "Province chinoise de Taiwan"),
        ("es", "Kenia", "Provincia china de Taiwán"),
        ("ru", "Кения", "Китайская провинция Тайвань"),
        ("ar", "كينيا", "مقاطعة تايوان الصينية"),
        ("zh-hans", "肯尼亚", "中国台湾省"),
    ],
)
def test_the_catalogue_and_needs_filters_list_countries_in_each_language(client, language, kenya, taiwan):
    TechnologyFactory()
    NeedFactory()
    with translation.override(language):
        urls = [reverse("technologies:catalogue"), reverse("needs:list")]
    for url in urls:
        page = client.get(url, {"country": "KE"}).content.decode()
        assert f'<option value="KE" selected>{kenya}</option>' in page, url
        assert f'<option value="TW">{taiwan}</option>' in page, url
        listed = names_in_order(language)
        assert page.index(f">{listed[0]}</option>") < page.index(f">{listed[-1]}</option>"), url


@pytest.mark.django_db
def test_a_listing_shows_where_it_is_deployed_in_french(client):
    technology = TechnologyFactory(country_developed="TR", countries_deployed=["CI", "SN", "TW"])
    with translation.override("fr"):
        url = reverse("technologies:detail", kwargs={"slug": technology.slug})
    page = client.get(url).content.decode()
    assert "<bdi>Türkiye</bdi>" in page  # developed in
    for name in ("Côte d’Ivoire", "Sénégal", "Province chinoise de Taiwan"):
        assert f"<bdi>{name}</bdi>" in page
    assert "Turquie" not in page and "Taïwan" not in page


@pytest.mark.django_db
def test_a_need_shows_its_country_in_arabic(client):
    need = NeedFactory(country="PS")
    with translation.override("ar"):
        detail = client.get(reverse("needs:detail", kwargs={"slug": need.slug})).content.decode()
        listing = client.get(reverse("needs:list")).content.decode()
    assert "<bdi>دولة فلسطين</bdi>" in detail
    assert "دولة فلسطين" in listing
    assert "الأراضي الفلسطينية" not in detail + listing  # CLDR's name


@pytest.mark.django_db
def test_an_event_and_an_adviser_show_their_country_in_the_readers_language(client):
    event = EventFactory(country="HK")
    AdviserFactory(country="CV")
    with translation.override("es"):
        page = client.get(reverse("events:detail", kwargs={"slug": event.slug})).content.decode()
    assert "China, región administrativa especial de Hong Kong" in page
    with translation.override("zh-hans"):
        advisers = client.get(reverse("advisors:group")).content.decode()
    assert "佛得角" in advisers


@pytest.mark.django_db
def test_the_advisers_filter_lists_countries_in_the_readers_language(client):
    AdviserFactory()
    for language, nepal in [("zh-hans", "尼泊尔"), ("fr", "Népal")]:
        with translation.override(language):
            page = client.get(reverse("advisors:group")).content.decode()
        assert f'<option value="NP">{nepal}</option>' in page, language


@pytest.mark.django_db
def test_the_weekly_digest_names_countries_in_the_members_language(django_capture_on_commit_callbacks, mailoutbox):
    member = UserFactory(weekly_digest=True, preferred_language="zh-hans")
    NeedFactory(country="NP", published_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digest_send_to_member(user=member)
    (email,) = mailoutbox
    assert "尼泊尔" in email.body and "尼泊尔" in email.alternatives[0][0]
    assert "Nepal" not in email.body


@pytest.mark.django_db
def test_the_report_by_country_names_countries_in_the_readers_language():
    TechnologyFactory(country_developed="CV")
    TechnologyFactory(country_developed="CV")
    TechnologyFactory(country_developed="RU")
    with translation.override("ar"):
        report = figures.technologies_by_country()
    assert report.rows[:2] == [["كابو فيردي", 2], ["روسيا", 1]]
