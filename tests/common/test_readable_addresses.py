"""Readable, stable addresses for titles in any script (issue 20, part 3): Chinese in
pinyin, other scripts transliterated, never a bare technology-2; the address kept when
the title changes; former addresses redirect permanently."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from common.slugs import free_slug, readable
from needs import services as need_services
from technologies import services
from technologies.models import Need, NeedFormerSlug, Technology, TechnologyFormerSlug
from tests.factories import NeedFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("太阳能辅助隧道式干燥机", "tai-yang-neng-fu-zhu-sui-dao-shi-gan-zao-ji"),
        ("重庆生物质锅炉", "chong-qing-sheng-wu-zhi-guo-lu"),  # 重 read as in the word 重庆
        ("PM2.5 传感器", "pm25-chuan-gan-qi"),
        ("LoRa 传感器（第二代）", "lora-chuan-gan-qi-di-er-dai"),  # noqa: RUF001 (Chinese brackets)
        ("Биогазовая установка для ферм", "biogazovaya-ustanovka-dlya-ferm"),
        ("Ёмкость для воды", "emkost-dlya-vody"),
        ("مجفف شمسي نفقي", "mjff-shmsy-nfqy"),
        ("Séchoir solaire à tunnel", "sechoir-solaire-a-tunnel"),
        ("Secador de café – año 2", "secador-de-cafe-ano-2"),  # noqa: RUF001 (a real dash)
        ("🌞 Solar dryer", "solar-dryer"),  # a symbol is not spelled out
        ("🌞", "technology"),  # nothing to read: the fallback word
    ],
)
def test_a_title_in_any_script_gets_a_readable_address(title, slug):
    assert readable(title, "technology") == slug


def test_a_listing_titled_in_chinese_is_created_at_a_readable_address(innovator):
    fields = {"title": "太阳能干燥机", "original_language": "zh-hans"}
    first = services.technology_create(owner=innovator, fields=fields)
    second = services.technology_create(owner=innovator, fields=fields)
    assert (first.slug, second.slug) == ("tai-yang-neng-gan-zao-ji", "tai-yang-neng-gan-zao-ji-2")


def _need_fields(title: str, language: str) -> dict:
    return {"title": title, "problem": "…", "original_language": language, "country": "EG", "trl_min": 5,
            "valid_until": timezone.localdate() + datetime.timedelta(days=90)}  # fmt: skip


def test_a_need_titled_in_arabic_or_russian_is_created_at_a_readable_address(member):
    arabic = need_services.need_create(owner=member, fields=_need_fields("مجففات للتمور", "ar"))
    russian = need_services.need_create(owner=member, fields=_need_fields("Сушилка для зерна", "ru"))
    assert (arabic.slug, russian.slug) == ("mjfft-lltmwr", "sushilka-dlya-zerna")


def test_the_address_does_not_change_with_the_title(innovator):
    draft = services.technology_create(owner=innovator, fields={"title": "Séchoir solaire"})
    services.technology_update(technology=draft, by=innovator, fields={"title": "Séchoir solaire à tunnel"})
    draft.refresh_from_db()
    assert (draft.title, draft.slug) == ("Séchoir solaire à tunnel", "sechoir-solaire")


def test_the_brochure_is_named_after_the_readable_address(client):
    listing = TechnologyFactory(slug="tai-yang-neng-gan-zao-ji", title="太阳能干燥机", original_language="zh-hans")
    listing.brochure = SimpleUploadedFile("x.pdf", b"%PDF-1.4 brochure")
    listing.save()
    response = client.get(reverse("technologies:brochure", args=[listing.slug]))
    assert response["Content-Disposition"] == 'attachment; filename="tai-yang-neng-gan-zao-ji.pdf"'


def test_a_former_address_redirects_permanently_to_the_page_and_the_brochure(client):
    listing = TechnologyFactory(slug="tai-yang-neng-gan-zao-ji")
    TechnologyFormerSlug.objects.create(technology=listing, slug="technology-2")
    response = client.get("/technologies/technology-2/?original=1")
    assert (response.status_code, response["Location"]) == (301, "/technologies/tai-yang-neng-gan-zao-ji/?original=1")
    listing.brochure = SimpleUploadedFile("x.pdf", b"%PDF-1.4 brochure")
    listing.save()
    brochure = client.get("/technologies/technology-2/brochure/")
    assert (brochure.status_code, brochure["Location"]) == (301, "/technologies/tai-yang-neng-gan-zao-ji/brochure/")
    need = NeedFactory(status="published", slug="mjfft-lltmwr")
    NeedFormerSlug.objects.create(need=need, slug="need")
    moved = client.get("/needs/need/")
    assert (moved.status_code, moved["Location"]) == (301, "/needs/mjfft-lltmwr/")


def test_a_former_address_of_a_draft_reveals_nothing(client):
    draft = TechnologyFactory(slug="mi-mi-gan-zao-ji", status="draft")
    TechnologyFormerSlug.objects.create(technology=draft, slug="technology-3")
    assert client.get("/technologies/technology-3/").status_code == 404
    assert client.get("/technologies/no-such-listing/").status_code == 404


def test_a_new_listing_never_takes_a_former_address(innovator):
    old = TechnologyFactory(slug="tai-yang-neng-gan-zao-ji-2")
    TechnologyFormerSlug.objects.create(technology=old, slug="tai-yang-neng-gan-zao-ji")
    assert (
        free_slug(Technology, "tai-yang-neng-gan-zao-ji", former=TechnologyFormerSlug) == "tai-yang-neng-gan-zao-ji-3"
    )
    created = services.technology_create(owner=innovator, fields={"title": "太阳能干燥机"})
    assert created.slug == "tai-yang-neng-gan-zao-ji-3"


def test_the_migration_gives_fallback_addresses_readable_ones_and_keeps_the_old_ones():
    migration = importlib.import_module("technologies.migrations.0016_former_slugs")
    chinese = TechnologyFactory(slug="technology", title="太阳能干燥机")
    russian = TechnologyFactory(slug="technology-2", title="Биогазовая установка")
    latin = TechnologyFactory(slug="technology-review", title="Technology review")  # a real word: kept
    symbols = TechnologyFactory(slug="technology-3", title="🌞")  # nothing readable: kept
    taken = TechnologyFactory(slug="tai-yang-neng-gan-zao-ji", title="Solar dryer")
    need = NeedFactory(slug="need-4", title="مجففات للتمور")
    migration.readable_addresses(apps, None)
    for row in (chinese, russian, latin, symbols, taken, need):
        row.refresh_from_db()
    assert chinese.slug == "tai-yang-neng-gan-zao-ji-2"  # the readable one was taken
    assert (russian.slug, latin.slug, symbols.slug, taken.slug) == (
        "biogazovaya-ustanovka", "technology-review", "technology-3", "tai-yang-neng-gan-zao-ji",
    )  # fmt: skip
    assert need.slug == "mjfft-lltmwr"
    assert set(TechnologyFormerSlug.objects.values_list("slug", "technology__slug")) == {
        ("technology", "tai-yang-neng-gan-zao-ji-2"), ("technology-2", "biogazovaya-ustanovka"),
    }  # fmt: skip
    assert list(NeedFormerSlug.objects.values_list("slug", flat=True)) == ["need-4"]
    assert Need.objects.count() == 1
