"""The catalogue and listing pages: visibility, owners' forms, uploads, inquiries."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from technologies.models import Technology, TechnologyImage, TechnologyStatus
from tests.factories import InquiryFactory, TechnologyFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db
S = TechnologyStatus
HIDDEN = [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.REJECTED, S.WITHDRAWN, S.EXPIRED]


def png_bytes(size=(40, 30), colour=(200, 120, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def form_data(**overrides):
    data = {
        "title": "Cassava peel biogas digester",
        "summary": "Turns cassava peels into cooking gas and fertiliser.",
        "description": "## Process\n\nPeels are fed daily into a sealed digester.",
        "advantages": "Cheaper than LPG.",
        "sector": Sector.objects.get(slug="renewable-energy").pk,
        "sdgs": [SustainableDevelopmentGoal.objects.get(number=7).pk],
        "trl": "6",
        "ip_status": "open",
        "country_developed": "NG",
        "countries_deployed": ["NG", "GH"],
        "cooperation": [CooperationType.objects.get(slug="licensing").pk],
    }
    data.update(overrides)
    return data


# --- Visibility -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", HIDDEN)
def test_unpublished_listing_is_404_for_everyone_but_owner_and_staff(status, client, other_member, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False  # the two-factor rule: tests/test_url_access.py
    technology = TechnologyFactory(status=status, title="Secret kiln", slug="secret-kiln")
    url = technology.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(technology.owner)
    owner_page = client.get(url)
    assert owner_page.status_code == 200
    assert "only you and WiiTs staff can see it" in owner_page.content.decode()
    client.force_login(staff)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("status", HIDDEN)
def test_unpublished_listing_is_absent_from_catalogue_search_feed_and_sitemap(status, client):
    TechnologyFactory(status=status, title="Hidden kiln", slug="hidden-kiln")
    TechnologyFactory(title="Visible dryer", slug="visible-dryer")
    for url in [
        reverse("technologies:catalogue"),
        reverse("technologies:catalogue") + "?q=kiln",
        reverse("technologies:feed"),
        reverse("sitemap_section", kwargs={"section": "technologies"}),
    ]:
        page = client.get(url).content.decode()
        assert "hidden-kiln" not in page and "Hidden kiln" not in page, url
    assert "Visible dryer" in client.get(reverse("technologies:catalogue")).content.decode()


def test_published_listing_detail_shows_everything_but_email_addresses(client, published):
    published.brochure = SimpleUploadedFile("b.pdf", b"%PDF-1.4 brochure")
    published.save()
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Solar crop dryer" in page
    assert "SDG 2" in page and "SDG 7" in page
    assert 'itemtype="https://schema.org/Product"' in page
    assert "Kenya" in page
    assert published.organisation.name in page
    assert reverse("technologies:brochure", args=[published.slug]) in page
    assert published.owner.email not in page
    assert "@" not in re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S).replace("&#x27;", "")


def test_no_email_address_on_public_pages_even_with_inquiries(client, published):
    inquiry = InquiryFactory(technology=published)
    for url in [reverse("technologies:catalogue"), published.get_absolute_url(), reverse("home")]:
        page = client.get(url).content.decode()
        assert inquiry.sender.email not in page and published.owner.email not in page


# --- Owners' pages --------------------------------------------------------------------------


def test_create_a_draft_with_an_image_and_a_brochure(client, innovator):
    client.force_login(innovator)
    image = SimpleUploadedFile("../../etc/passwd.png", png_bytes(), content_type="image/png")
    brochure = SimpleUploadedFile("brochure.pdf", b"%PDF-1.7\n% a real pdf header", content_type="application/pdf")
    response = client.post(
        reverse("technologies:create"), {**form_data(), "new_images": [image], "brochure": brochure}
    )
    technology = Technology.objects.get(title="Cassava peel biogas digester")
    assert response.status_code == 302
    assert response["Location"] == technology.get_absolute_url()
    assert technology.status == S.DRAFT
    assert technology.owner == innovator
    assert technology.organisation == innovator.organisation
    assert [country.code for country in technology.countries_deployed] == ["GH", "NG"]
    (stored,) = technology.images.all()
    assert re.fullmatch(r"technologies/images/[0-9a-f]{32}\.jpg", stored.image.name)
    assert (stored.width, stored.height) == (40, 30)
    with stored.image.open("rb") as handle:
        assert Image.open(handle).format == "JPEG"
    assert re.fullmatch(r"technologies/brochures/[0-9a-f]{32}\.pdf", technology.brochure.name)


def test_owner_cannot_set_status_owner_or_nag_mark_by_posting_extra_fields(client, draft, other_member):
    client.force_login(draft.owner)
    client.post(
        reverse("technologies:edit", args=[draft.slug]),
        form_data(title="Edited", status="published", owner=other_member.pk, nag_evaluated="on", slug="x"),
    )
    draft.refresh_from_db()
    assert draft.title == "Edited"
    assert (draft.status, draft.owner, draft.nag_evaluated, draft.slug) == (
        S.DRAFT,
        draft.owner,
        False,
        "biogas-from-cassava-peels",
    )


def test_someone_elses_listing_cannot_be_edited(client, draft, other_member, published):
    client.force_login(other_member)
    assert client.get(reverse("technologies:edit", args=[draft.slug])).status_code == 404
    assert client.post(reverse("technologies:edit", args=[draft.slug]), form_data(title="Hijacked")).status_code == 404
    draft.refresh_from_db()
    assert draft.title == "Biogas from cassava peels"
    # The owner of a published listing cannot edit it in place either.
    client.force_login(published.owner)
    assert client.get(reverse("technologies:edit", args=[published.slug])).status_code == 403


def test_submit_from_the_listing_page(client, draft, staff, django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(draft.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("technologies:submit", args=[draft.slug]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Submitted. WiiTs staff will screen your listing." in page
    assert len(mailoutbox) == 2


def test_submit_of_an_incomplete_draft_says_what_is_missing(client, innovator):
    technology = TechnologyFactory(owner=innovator, status="draft", summary="", sector=None)
    client.force_login(innovator)
    response = client.post(reverse("technologies:submit", args=[technology.slug]), follow=True)
    page = response.content.decode()
    assert "Complete these before submitting: non-confidential summary, sector." in page
    technology.refresh_from_db()
    assert technology.status == S.DRAFT


# Withdrawing has a confirmation page on GET (issue 22): tests/test_confirmations.py.
@pytest.mark.parametrize("name", ["technologies:submit", "technologies:renew"])
def test_workflow_actions_are_post_only_and_for_the_owner(client, published, other_member, name):
    url = reverse(name, args=[published.slug])
    client.force_login(published.owner)
    assert client.get(url).status_code == 405
    client.force_login(other_member)
    assert client.post(url).status_code == 404
    published.refresh_from_db()
    assert published.status == S.PUBLISHED


def test_withdraw_takes_the_listing_off_the_catalogue(client, published):
    client.force_login(published.owner)
    client.post(reverse("technologies:withdraw", args=[published.slug]), {"confirmed": "1"})
    published.refresh_from_db()
    assert published.status == S.WITHDRAWN
    assert Client().get(published.get_absolute_url()).status_code == 404


def test_owner_sees_the_history_and_what_staff_asked(client, draft, staff):
    from technologies import services

    services.technology_submit(technology=draft, by=draft.owner)
    services.technology_request_changes(technology=draft, by=staff, message="Add <b>field data</b> from 2024.")
    client.force_login(draft.owner)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Add &lt;b&gt;field data&lt;/b&gt; from 2024." in page
    assert "WiiTs staff" in page and staff.name not in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Staff ask:" in dashboard and "field data" in dashboard


# --- Uploads ------------------------------------------------------------------------------


def upload_image(client, draft, content: bytes, name: str, content_type="image/png"):
    client.force_login(draft.owner)
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("technologies:edit", args=[draft.slug]), {**form_data(), "new_images": [upload]})


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg"),
        (b"<html><script>alert(1)</script></html>", "photo.png"),
        (b"GIF89a" + b"\x00" * 40, "anim.gif"),
        (b"", "empty.png"),
    ],
)
def test_files_that_are_not_accepted_images_get_a_form_error(client, draft, content, name):
    response = upload_image(client, draft, content, name)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Upload a JPEG, PNG or WebP image." in page or "The submitted file is empty." in page
    assert not TechnologyImage.objects.exists()


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "TIFF", "ICO"])
def test_real_images_in_other_formats_are_refused_whatever_their_name(client, draft, image_format):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 20)).save(buffer, format=image_format)
    content = buffer.getvalue()
    with Image.open(io.BytesIO(content)) as probe:
        assert probe.format == image_format  # Pillow reads it: only the list of formats refuses it
    response = upload_image(client, draft, content, "photo.png")
    assert response.status_code == 200
    assert "Upload a JPEG, PNG or WebP image." in response.content.decode()
    assert not TechnologyImage.objects.exists()


def test_png_hiding_html_is_stored_re_encoded_without_it(client, draft):
    polyglot = png_bytes() + b"<html><script>alert(document.cookie)</script></html>"
    response = upload_image(client, draft, polyglot, "innocent.png")
    assert response.status_code == 302
    (stored,) = TechnologyImage.objects.all()
    with stored.image.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"\xff\xd8") and b"<script" not in data and b"<html" not in data


def test_oversized_image_is_refused(client, draft):
    big = png_bytes() + b"\x00" * (5 * 1024 * 1024)
    response = upload_image(client, draft, big, "huge.png")
    assert "The image is too large" in response.content.decode()
    assert not TechnologyImage.objects.exists()


def test_decompression_bomb_is_refused(client, draft):
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, format="PNG")  # tiny file, 144 megapixels
    response = upload_image(client, draft, buffer.getvalue(), "bomb.png")
    page = response.content.decode()
    assert "The image has too many pixels." in page or "Upload a JPEG, PNG or WebP image." in page
    assert not TechnologyImage.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html>not a pdf</html>", "The brochure must be a PDF file."),
        (b"%PDF-" + b"0" * (10 * 1024 * 1024), "The brochure is too large"),
    ],
)
def test_brochure_must_be_a_real_small_pdf(client, draft, content, message):
    client.force_login(draft.owner)
    brochure = SimpleUploadedFile("brochure.pdf", content, content_type="application/pdf")
    response = client.post(reverse("technologies:edit", args=[draft.slug]), {**form_data(), "brochure": brochure})
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert not draft.brochure


def test_brochure_is_served_as_an_attachment_with_nosniff(client, published):
    published.brochure = SimpleUploadedFile("x.pdf", b"%PDF-1.4 brochure")
    published.save()
    response = client.get(reverse("technologies:brochure", args=[published.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="solar-crop-dryer.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 brochure"


def test_a_drafts_files_are_not_reachable_by_url(client, draft, other_member):
    draft.brochure = SimpleUploadedFile("x.pdf", b"%PDF-1.4 secret")
    draft.save()
    image = TechnologyImage.objects.create(
        technology=draft, image=SimpleUploadedFile("a.jpg", png_bytes()), alt_text="a"
    )
    urls = [reverse("technologies:brochure", args=[draft.slug]), image.get_absolute_url()]
    for who in [None, other_member]:
        if who:
            client.force_login(who)
        for url in urls:
            assert client.get(url).status_code == 404
    # Nor through MEDIA_URL: the files are outside MEDIA_ROOT.
    from django.conf import settings

    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.MEDIA_ROOT))
    client.force_login(draft.owner)
    response = client.get(image.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_owner_removes_an_image(client, draft, other_member):
    image = TechnologyImage.objects.create(
        technology=draft, image=SimpleUploadedFile("a.jpg", png_bytes()), alt_text="a"
    )
    url = reverse("technologies:image_delete", args=[draft.slug, image.pk])
    client.force_login(other_member)
    assert client.post(url).status_code == 404
    client.force_login(draft.owner)
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not TechnologyImage.objects.exists()


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_with_scripts_and_handlers_renders_inert(client):
    technology = TechnologyFactory(
        description=(
            "Hello <script>alert(1)</script>\n\n"
            '<img src=x onerror="alert(2)">\n\n'
            "[click](javascript:alert(3)) and [ok](https://example.org)\n\n"
            '<a href="https://example.org" onclick="alert(4)">x</a>\n\n'
            "# Big heading"
        )
    )
    page = client.get(technology.get_absolute_url()).content.decode()
    body = page[page.index('class="markdown"') :]
    assert "<script>alert" not in body
    assert "onerror" not in body and "onclick" not in body
    assert "javascript:" not in body
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">ok</a>' in body
    assert "<h3>Big heading</h3>" in body  # under the page's h1 and the section's h2


# --- Catalogue ----------------------------------------------------------------------------


def test_catalogue_filters_combine_and_stay_in_the_pagination_links(client):
    energy = Sector.objects.get(slug="renewable-energy")
    TechnologyFactory(title="Match", slug="match", sector=energy, trl=8, country_developed="IN", nag_evaluated=True)
    TechnologyFactory(title="Wrong sector", slug="wrong-sector", trl=8, country_developed="IN", nag_evaluated=True)
    TechnologyFactory(title="Too early", slug="too-early", sector=energy, trl=3, country_developed="IN")
    TechnologyFactory(
        title="Elsewhere", slug="elsewhere", sector=energy, trl=8, country_developed="BR", countries_deployed=[]
    )
    response = client.get(
        reverse("technologies:catalogue"), {"sector": "renewable-energy", "trl_min": "5", "country": "IN", "nag": "on"}
    )
    page = response.content.decode()
    assert "1 technology found" in page
    assert ">Match<" in page
    for other in ["Wrong sector", "Too early", "Elsewhere"]:
        assert other not in page


def test_country_filter_matches_where_it_is_deployed_too(client):
    TechnologyFactory(title="Built in Kenya", slug="built-ke", country_developed="KE", countries_deployed=["UG", "TZ"])
    page = client.get(reverse("technologies:catalogue"), {"country": "TZ"}).content.decode()
    assert "Built in Kenya" in page


def test_catalogue_sorts_by_trl(client):
    TechnologyFactory(title="Level three", slug="l3", trl=3)
    TechnologyFactory(title="Level nine", slug="l9", trl=9)
    page = client.get(reverse("technologies:catalogue"), {"sort": "trl"}).content.decode()
    assert page.index("Level nine") < page.index("Level three")


@pytest.mark.parametrize(
    "params",
    [
        {"trl_min": "abc"},
        {"sector": "999999"},
        {"sdg": "99"},
        {"page": "999999"},
        {"page": "-1"},
        {"page": "abc"},
        {"q": "x" * 10_000},
        {"q": "solar & | ! ( ) :* <-> 'quote"},
        {"q": "\x00"},
        {"sort": "drop table"},
        {"country": "ZZ"},
        {"nag": "maybe"},
    ],
)
def test_nonsense_parameters_give_a_normal_page(client, params):
    TechnologyFactory()
    response = client.get(reverse("technologies:catalogue"), params)
    assert response.status_code in (200, 400)
    assert "Technology catalogue" in response.content.decode()


def test_a_bad_filter_is_explained(client):
    page = client.get(reverse("technologies:catalogue"), {"trl_min": "abc"}).content.decode()
    assert "Some filters were not understood and have been ignored" in page


def test_empty_search_helps(client):
    TechnologyFactory()
    page = client.get(reverse("technologies:catalogue"), {"q": "zeppelin"}).content.decode()
    assert "0 technologies found" in page
    assert "See every published technology" in page


def test_catalogue_makes_the_same_queries_with_1_and_50_listings(client):
    TechnologyFactory()
    url = reverse("technologies:catalogue") + "?sector=agro-food-processing"
    with_one = count_queries(client, url)
    TechnologyFactory.create_batch(49)
    assert count_queries(client, url) == with_one
    assert with_one <= 10


def test_detail_makes_the_same_queries_whatever_the_number_of_images(client, published):
    for _ in range(1):
        TechnologyImage.objects.create(technology=published, image=SimpleUploadedFile("a.jpg", png_bytes()))
    with_one = count_queries(client, published.get_absolute_url())
    for _ in range(5):
        TechnologyImage.objects.create(technology=published, image=SimpleUploadedFile("a.jpg", png_bytes()))
    assert count_queries(client, published.get_absolute_url()) == with_one


def test_feed_and_sitemap_list_published_technologies(client, published):
    feed = client.get(reverse("technologies:feed"))
    assert feed["Content-Type"].startswith("application/rss+xml")
    assert "Solar crop dryer" in feed.content.decode()
    sitemap = client.get(reverse("sitemap_section", kwargs={"section": "technologies"})).content.decode()
    assert f"/technologies/{published.slug}/" in sitemap


def test_home_shows_the_latest_nag_evaluated(client):
    TechnologyFactory(title="Evaluated kiln", slug="evaluated-kiln", nag_evaluated=True)
    TechnologyFactory(title="Plain dryer", slug="plain-dryer")
    page = client.get(reverse("home")).content.decode()
    assert "Evaluated kiln" in page and "Plain dryer" not in page


# --- Inquiries ----------------------------------------------------------------------------


def test_inquiry_form_needs_sign_in(client, published):
    page = client.get(published.get_absolute_url()).content.decode()
    assert "to ask the owner for cooperation" in page
    response = client.post(reverse("technologies:inquire", args=[published.slug]), {})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_member_sends_an_inquiry_and_the_owner_sees_it(
    client, published, member, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("technologies:inquire", args=[published.slug]),
            {
                "cooperation": CooperationType.objects.get(slug="investment").pk,
                "organisation_name": "Sahel Impact Fund",
                "message": "We invest in post-harvest technologies.",
            },
        )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[published.owner.email]]
    client.force_login(published.owner)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Sahel Impact Fund" in dashboard and "We invest in post-harvest technologies." in dashboard


def test_inquiry_with_bad_input_is_a_form_error_and_saves_nothing(client, published, member):
    client.force_login(member)
    response = client.post(
        reverse("technologies:inquire", args=[published.slug]),
        {"cooperation": "999", "organisation_name": "x" * 300, "message": ""},
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not published.inquiries.exists()


def test_owner_cannot_inquire_about_their_own_technology(client, published):
    client.force_login(published.owner)
    assert "Ask for cooperation" not in client.get(published.get_absolute_url()).content.decode()
    response = client.post(reverse("technologies:inquire", args=[published.slug]), {"message": "me"})
    assert response.status_code == 403


def test_staff_see_inquiries_in_the_admin(staff_client, published):
    InquiryFactory(technology=published, organisation_name="Visible Org")
    page = staff_client.get(reverse("admin:technologies_inquiry_changelist")).content.decode()
    assert "Visible Org" in page


def test_staff_publish_from_the_admin_with_the_services(staff_client, staff, draft, mailoutbox, settings):
    from technologies import services

    # The mark's review rule holds in the admin too (tests/advisors/test_review_rules_at_every_door.py).
    settings.WIITS_REVIEWERS_PER_TECHNOLOGY = 0
    services.technology_submit(technology=draft, by=draft.owner)
    url = reverse("admin:technologies_technology_changelist")
    staff_client.post(url, {"action": "screen", "_selected_action": [draft.pk], "message": ""})
    staff_client.post(url, {"action": "publish_nag", "_selected_action": [draft.pk], "message": "Well done."})
    draft.refresh_from_db()
    assert (draft.status, draft.nag_evaluated) == (S.PUBLISHED, True)
    assert draft.transitions.last().message == "Well done."


def test_admin_request_changes_without_a_message_is_refused(staff_client, draft):
    from technologies import services

    services.technology_submit(technology=draft, by=draft.owner)
    url = reverse("admin:technologies_technology_changelist")
    response = staff_client.post(
        url, {"action": "request_changes", "_selected_action": [draft.pk], "message": ""}, follow=True
    )
    assert "Write a message for the owner" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
