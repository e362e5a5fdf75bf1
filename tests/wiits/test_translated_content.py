"""Translated content: listings, needs, events, biographies and the charter carry
translations; a page shows the visitor's language where one exists, otherwise the
original marked with its own language; search finds words of any translation."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from advisors.models import Adviser, Charter
from common.translated import translated
from events.models import Event
from technologies import services
from technologies.models import Need, Technology, TechnologyTransition
from tests.factories import AdviserFactory, EventFactory, NeedFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


def _charter(**fields) -> Charter:
    import datetime

    return Charter.objects.create(
        version=(Charter.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1,
        title="Charter of the National Advisory Group", body="## Responsibilities",
        approved_on=datetime.date(2020, 9, 18), approved_by="the First Plenary, Wuzhen",
        effective_date=datetime.date(2020, 9, 18), **fields,
    )  # fmt: skip


def _path(obj) -> str:
    with translation.override("en"):
        return obj.get_absolute_url()


@pytest.fixture
def listing(innovator):
    technology = TechnologyFactory(
        owner=innovator, title="Solar crop dryer", slug="solar-crop-dryer", summary="Dries crops with the sun.",
        status="draft", published_at=None,
    )  # fmt: skip
    services.technology_translate(
        technology=technology,
        by=innovator,
        language="fr",
        values={"title": "Séchoir solaire", "summary": "Sèche les récoltes au soleil.", "description": "## Principe"},
    )
    Technology.objects.filter(pk=technology.pk).update(status="published", published_at=technology.created_at)
    technology.refresh_from_db()
    return technology


def test_translated_returns_the_translation_or_the_original_with_its_language(listing):
    assert translated(listing, "title", "fr").text == "Séchoir solaire"
    assert translated(listing, "title", "fr").language == "fr"
    original = translated(listing, "title", "ru")
    assert (original.text, original.language, original.is_translation) == ("Solar crop dryer", "en", False)


def test_a_page_in_french_shows_the_translation_marked_french(client, listing):
    page = client.get("/fr" + _path(listing)).content.decode()
    assert '<bdi lang="fr" dir="ltr">Séchoir solaire</bdi>' in page
    assert "Sèche les récoltes au soleil." in page
    assert "<title>Séchoir solaire · WiiTs</title>" in page


def test_a_page_without_a_translation_shows_the_original_marked_with_its_language(client, listing):
    page = client.get("/ru" + _path(listing)).content.decode()
    assert '<bdi lang="en" dir="ltr">Solar crop dryer</bdi>' in page
    assert re.search(r'<div class="markdown" lang="en" dir="ltr">', page)
    # The catalogue's cards too.
    cards = client.get("/fr/technologies/").content.decode()
    assert '<bdi lang="fr">Séchoir solaire</bdi>' in cards


def test_an_original_written_in_chinese_is_marked_chinese(client, innovator):
    technology = TechnologyFactory(owner=innovator, title="太阳能干燥机", original_language="zh-hans")
    page = client.get(_path(technology)).content.decode()
    assert '<bdi lang="zh-hans" dir="ltr">太阳能干燥机</bdi>' in page


def test_search_finds_a_listing_by_a_word_of_its_translation(client, listing):
    TechnologyFactory(title="Brick kiln", summary="Fires bricks.", description="Kiln.")
    services.technologies_update_search_vector(queryset=Technology.objects.all())  # PostgreSQL only
    found = client.get("/technologies/", {"q": "séchoir"}).context["page"].object_list
    assert [technology.title for technology in found] == ["Solar crop dryer"]


@pytest.mark.postgres
def test_search_on_postgresql_finds_inflected_words_of_a_translation(client, innovator):
    technology = TechnologyFactory(owner=innovator, status="draft", published_at=None, title="Crop dryer")
    services.technology_translate(
        technology=technology, by=innovator, language="fr",
        values={"title": "Séchoirs solaires pour récoltes", "summary": "", "description": ""},
    )  # fmt: skip
    Technology.objects.filter(pk=technology.pk).update(status="published", published_at=technology.created_at)
    services.technologies_update_search_vector(queryset=Technology.objects.all())
    for words in ["séchoirs", "solaires récoltes", "Crop dryers"]:
        found = client.get("/technologies/", {"q": words}).context["page"].object_list
        assert [t.title for t in found] == ["Crop dryer"], words


def test_a_translation_leaves_the_staff_request_on_the_dashboard(client, innovator, staff):
    technology = TechnologyFactory(owner=innovator, status="draft", published_at=None)
    services.technology_submit(technology=technology, by=innovator)
    services.technology_request_changes(technology=technology, by=staff, message="Add the TRL evidence.")
    services.technology_translate(
        technology=technology,
        by=innovator,
        language="fr",
        values={"title": "Séchoir", "summary": "", "description": ""},
    )
    client.force_login(innovator)
    assert "Add the TRL evidence." in client.get(reverse("dashboard")).content.decode()


def test_an_edit_keeps_the_language_of_the_original(client, innovator):
    technology = TechnologyFactory(owner=innovator, status="draft", published_at=None, original_language="en")
    client.force_login(innovator)
    data = {"title": "Still English", "original_language": "", "summary": "S", "trl": "5"}
    client.post("/ar" + reverse("technologies:edit", args=[technology.slug]), data)
    technology.refresh_from_db()
    assert (technology.title, technology.original_language) == ("Still English", "en")


def test_advisers_read_every_translation_of_the_listing_they_review(client, listing):
    from advisors.models import Assignment
    from tests.factories import AdviserFactory

    adviser = AdviserFactory()
    Technology.objects.filter(pk=listing.pk).update(status="in_review")  # advisers read a listing in review
    listing.refresh_from_db()
    assignment = Assignment.objects.create(technology=listing, adviser=adviser, due_date=listing.created_at.date())
    client.force_login(adviser.user)
    page = client.get("/fr" + reverse("advisors:review_technology", args=[assignment.pk])).content.decode()
    assert '<bdi lang="en">Solar crop dryer</bdi>' in page  # the original, as it is reviewed
    assert "Séchoir solaire" in page and 'lang="fr"' in page  # and the translation, marked


def test_the_owner_translates_from_the_listing_page(client, innovator, listing, other_member):
    Technology.objects.filter(pk=listing.pk).update(status="draft")
    listing.refresh_from_db()
    url = reverse("technologies:translate", args=[listing.slug, "es"])
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(innovator)
    detail = client.get(_path(listing)).content.decode()
    assert url in detail and reverse("technologies:translate", args=[listing.slug, "en"]) not in detail
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert re.search(r'<input[^>]*name="title"[^>]*lang="es"[^>]*dir="auto"', form_page.content.decode())
    response = client.post(url, {"title": "Secador solar", "summary": "Seca cosechas.", "description": ""})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.title_i18n_es == "Secador solar"
    assert TechnologyTransition.objects.filter(
        technology=listing, note="translation_saved", note_values={"language": "es"}
    ).exists()
    # Into its own language, or a language the portal does not offer: no such page.
    assert client.get(reverse("technologies:translate", args=[listing.slug, "en"])).status_code == 404
    assert client.get(reverse("technologies:translate", args=[listing.slug, "de"])).status_code == 404
    # Too long: an error, nothing saved.
    response = client.post(url, {"title": "x" * 201, "summary": "", "description": ""})
    assert response.status_code == 400
    listing.refresh_from_db()
    assert listing.title_i18n_es == "Secador solar"
    # Emptied: the translation is gone and Spanish readers see the original.
    client.post(url, {"title": "", "summary": "", "description": ""})
    listing.refresh_from_db()
    assert listing.title_i18n_es == ""


@pytest.mark.parametrize("status", ["submitted", "in_review", "published", "withdrawn", "rejected"])
def test_the_owner_translates_only_what_they_may_edit(client, innovator, status):
    """Translations are reviewed with the listing; a published one is translated by staff."""
    technology = TechnologyFactory(owner=innovator, status=status)
    client.force_login(innovator)
    assert client.get(reverse("technologies:translate", args=[technology.slug, "fr"])).status_code == 403


def test_the_owner_of_a_need_translates_it(client, member):
    need = NeedFactory(owner=member, title="Cold room for fish", status="draft", published_at=None)
    client.force_login(member)
    response = client.post(
        reverse("needs:translate", args=[need.slug, "ar"]), {"title": "غرفة تبريد للأسماك", "problem": "نفقد الأسماك."}
    )
    assert response.status_code == 302
    Need.objects.filter(pk=need.pk).update(status="published", published_at=need.created_at)
    page = client.get("/ar" + _path(need)).content.decode()
    assert '<bdi lang="ar" dir="rtl">غرفة تبريد للأسماك</bdi>' in page
    listed = client.get("/ar/needs/", {"q": "تبريد"}).context["page"].object_list
    if listed:  # SQLite matches the Arabic word; PostgreSQL's simple configuration too
        assert [n.title for n in listed] == ["Cold room for fish"]
    assert Need.objects.get(pk=need.pk).title == "Cold room for fish"  # the original is untouched


def test_events_biographies_and_the_charter_show_their_translations(client):
    event = EventFactory(title="Solar drying workshop", title_i18n_zh_hans="太阳能干燥研讨会")
    adviser = AdviserFactory(biography="Engineer.", biography_i18n_fr="Ingénieure.")
    page = client.get("/zh-hans" + _path(event)).content.decode()
    assert '<bdi lang="zh-hans" dir="ltr">太阳能干燥研讨会</bdi>' in page
    assert 'lang="fr">' in client.get("/fr" + _path(adviser)).content.decode()
    _charter(title_i18n_es="Estatuto")
    assert '<bdi lang="es">Estatuto</bdi>' in client.get("/es/advisory-group/charter/").content.decode()


@pytest.mark.parametrize("model", [Technology, Need, Event, Adviser, Charter])
def test_staff_edit_translations_in_the_admin(staff_client, model, innovator):
    if model is Technology:
        obj = TechnologyFactory(owner=innovator)
    elif model is Need:
        obj = NeedFactory()
    elif model is Adviser:
        obj = AdviserFactory()
    elif model is Event:
        obj = EventFactory()
    else:
        obj = _charter()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    page = staff_client.get(url).content.decode()
    first_field = next(name for name in ("title_i18n", "biography_i18n") if hasattr(obj, f"{name}_fr"))
    assert f'name="{first_field}_fr"' in page and f'name="{first_field}_ar"' in page
    assert 'name="original_language"' in page
