"""Files live and die with their rows (common/files.py): deleting an account, a listing, an
image, an adviser or an event, and replacing or removing a brochure or a photo, deletes the
stored files after the commit, never before; and `clean_orphan_files` finds the rest."""

import io
import logging
import os
from datetime import timedelta

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import User
from accounts.services import member_delete
from advisors.models import Adviser
from common.files import delete_files_on_commit
from events.admin import SpeakerInline
from events.models import Event, Speaker
from events.services import event_duplicate
from technologies.admin import TechnologyImageInline
from technologies.models import Technology, TechnologyImage
from technologies.services import technology_image_delete, technology_update
from tests.factories import AdviserFactory, EventFactory, TechnologyFactory

pytestmark = pytest.mark.django_db

# --- Each test's own storages ---------------------------------------------------------------


@pytest.fixture
def stores(settings, tmp_path, monkeypatch):
    """Empty folders of this test's own for MEDIA_ROOT (advisers' and speakers' photos,
    events' covers) and for the private storage of listings' images and brochures."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    use_private_storage(monkeypatch, storages["private"])
    return tmp_path


def use_private_storage(monkeypatch, storage):
    # The fields took their storage when the models were built: point them at this one.
    monkeypatch.setattr(Technology._meta.get_field("brochure"), "storage", storage)
    monkeypatch.setattr(TechnologyImage._meta.get_field("image"), "storage", storage)


def png(colour=(200, 120, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf(text: str = "brochure") -> SimpleUploadedFile:
    return SimpleUploadedFile("brochure.pdf", f"%PDF-1.4 {text}".encode(), content_type="application/pdf")


def picture(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png(), content_type="image/png")


def stored(fieldfile_or_pair) -> bool:
    storage, name = (
        fieldfile_or_pair
        if isinstance(fieldfile_or_pair, tuple)
        else (fieldfile_or_pair.storage, fieldfile_or_pair.name)
    )
    assert name, "no file to look for"
    return storage.exists(name)


def listing_with_files(owner=None, images: int = 2) -> tuple[Technology, list[tuple]]:
    """A listing with a brochure and images; returns it and its files as (storage, name)."""
    technology = TechnologyFactory(**({"owner": owner} if owner else {}))
    technology.brochure = pdf()
    technology.save()
    for order in range(images):
        TechnologyImage.objects.create(technology=technology, image=picture(f"{order}.png"), order=order)
    files = [(technology.brochure.storage, technology.brochure.name)]
    files += [(image.image.storage, image.image.name) for image in technology.images.all()]
    return technology, files


def admin_request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


# --- Account deletion -------------------------------------------------------------------------


def test_deleting_an_account_deletes_the_files_of_its_listings_after_commit(
    stores, innovator, other_member, django_capture_on_commit_callbacks
):
    _first, first_files = listing_with_files(innovator, images=2)
    _second, second_files = listing_with_files(innovator, images=1)
    _others, others_files = listing_with_files(other_member, images=1)
    with django_capture_on_commit_callbacks(execute=True):
        member_delete(user=innovator)
        # Not before the commit: a failure after this point would keep row and file.
        assert all(stored(pair) for pair in first_files + second_files)
    assert not Technology.objects.filter(owner_id=innovator.pk).exists()
    assert not any(stored(pair) for pair in first_files + second_files)
    assert all(stored(pair) for pair in others_files)  # someone else's listing is untouched


def test_a_rolled_back_account_deletion_keeps_rows_and_files(stores, innovator, django_capture_on_commit_callbacks):
    technology, files = listing_with_files(innovator)
    user_pk, technology_pk = innovator.pk, technology.pk
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        member_delete(user=innovator)
        raise RuntimeError("something later in the request fails")
    assert callbacks == []
    assert User.objects.filter(pk=user_pk).exists() and Technology.objects.filter(pk=technology_pk).exists()
    assert all(stored(pair) for pair in files)


def test_an_account_that_cannot_be_deleted_keeps_its_files(stores, django_capture_on_commit_callbacks):
    adviser = AdviserFactory(photo=picture())  # advisers' accounts are protected (their reviews stay)
    _technology, files = listing_with_files(adviser.user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        member_delete(user=adviser.user)
    assert callbacks == []
    assert stored(adviser.photo) and all(stored(pair) for pair in files)


# --- The brochure and the images of a listing ------------------------------------------------


def edit(technology, **changes):
    return technology_update(technology=technology, by=technology.owner, fields={"title": technology.title}, **changes)


def test_replacing_the_brochure_deletes_the_old_one_after_commit(stores, draft, django_capture_on_commit_callbacks):
    draft.brochure = pdf("old")
    draft.save()
    old = (draft.brochure.storage, draft.brochure.name)
    with django_capture_on_commit_callbacks(execute=True):
        updated = edit(draft, brochure=pdf("new"))
        assert stored(old)
    assert not stored(old)
    assert stored(updated.brochure) and updated.brochure.read() == b"%PDF-1.4 new"


def test_removing_the_brochure_deletes_it_after_commit(stores, draft, django_capture_on_commit_callbacks):
    draft.brochure = pdf()
    draft.save()
    old = (draft.brochure.storage, draft.brochure.name)
    with django_capture_on_commit_callbacks(execute=True):
        updated = edit(draft, remove_brochure=True)
    assert not updated.brochure and not stored(old)


def test_an_edit_that_keeps_the_brochure_keeps_its_file(stores, draft, django_capture_on_commit_callbacks):
    draft.brochure = pdf()
    draft.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        edit(draft)
    assert callbacks == [] and stored(draft.brochure)


def test_a_rolled_back_brochure_replacement_keeps_the_old_file(stores, draft, django_capture_on_commit_callbacks):
    draft.brochure = pdf("old")
    draft.save()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        edit(draft, brochure=pdf("new"))
        raise RuntimeError
    draft.refresh_from_db()
    assert callbacks == [] and stored(draft.brochure) and draft.brochure.read() == b"%PDF-1.4 old"


def test_the_owner_deleting_an_image_deletes_its_file_after_commit(
    stores, client, draft, django_capture_on_commit_callbacks
):
    image = TechnologyImage.objects.create(technology=draft, image=picture())
    kept = TechnologyImage.objects.create(technology=draft, image=picture("kept.png"))
    client.force_login(draft.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("technologies:image_delete", args=[draft.slug, image.pk]), {"confirmed": "1"})
        assert stored(image.image)
    assert response.status_code == 302
    assert not stored(image.image) and stored(kept.image)


def test_a_rolled_back_image_deletion_keeps_the_file(stores, draft, django_capture_on_commit_callbacks):
    image = TechnologyImage.objects.create(technology=draft, image=picture())
    image_pk = image.pk
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        technology_image_delete(image=image, by=draft.owner)
        raise RuntimeError
    assert callbacks == [] and TechnologyImage.objects.filter(pk=image_pk).exists() and stored(image.image)


# --- The admin ---------------------------------------------------------------------------------


def test_deleting_a_listing_in_the_admin_deletes_its_files(stores, staff_client, django_capture_on_commit_callbacks):
    technology, files = listing_with_files()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:technologies_technology_delete", args=[technology.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Technology.objects.filter(pk=technology.pk).exists()
    assert not any(stored(pair) for pair in files)


def test_deleting_listings_with_the_admin_action_deletes_their_files(
    stores, staff_client, django_capture_on_commit_callbacks
):
    first, first_files = listing_with_files()
    second, second_files = listing_with_files(images=1)
    kept, kept_files = listing_with_files(images=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:technologies_technology_changelist"),
            {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert list(Technology.objects.all()) == [kept]
    assert not any(stored(pair) for pair in first_files + second_files)
    assert all(stored(pair) for pair in kept_files)


def test_deleting_an_image_in_the_admins_inline_deletes_its_file(stores, staff, django_capture_on_commit_callbacks):
    technology, _files = listing_with_files(images=2)
    doomed, kept = technology.images.order_by("order")
    request = admin_request(staff)
    formset_class = TechnologyImageInline(Technology, admin.site).get_formset(request, technology)
    data = {"images-TOTAL_FORMS": "2", "images-INITIAL_FORMS": "2"}
    for index, image in enumerate([doomed, kept]):
        data |= {
            f"images-{index}-id": image.pk,
            f"images-{index}-technology": technology.pk,
            f"images-{index}-alt_text": "",
            f"images-{index}-order": index,
        }
    data["images-0-DELETE"] = "on"
    formset = formset_class(data, instance=technology, prefix="images")
    assert formset.is_valid(), formset.errors
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        admin.site._registry[Technology].save_formset(request, None, formset, change=True)
    assert list(technology.images.all()) == [kept]
    assert not stored(doomed.image) and stored(kept.image) and stored(technology.brochure)


def change_page_data(response) -> dict:
    """What an admin change page posts back when nothing is changed: the form and the inlines."""
    data = {}
    forms_ = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        data |= {field.html_name: field.value() for field in inline.formset.management_form}
        forms_ += inline.formset.forms
    for form in forms_:
        for field in form:
            value = field.value()
            if isinstance(field.field, forms.FileField) or value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


def test_replacing_an_advisers_photo_in_the_admin_deletes_the_old_one(
    stores, staff_client, django_capture_on_commit_callbacks
):
    adviser = AdviserFactory(photo=picture("old.png"))
    old = (adviser.photo.storage, adviser.photo.name)
    url = reverse("admin:advisors_adviser_change", args=[adviser.pk])
    data = change_page_data(staff_client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {**data, "photo": picture("new.png")})
        assert stored(old)
    assert response.status_code == 302, response.content.decode()[:2000]
    adviser.refresh_from_db()
    assert adviser.photo.name != old[1] and stored(adviser.photo)
    assert not stored(old)
    # Saving again without a new photo keeps it; clearing it deletes it.
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, data)
    assert stored(adviser.photo)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {**data, "photo-clear": "on"})
    assert not Adviser.objects.get(pk=adviser.pk).photo and not stored(adviser.photo)


def test_deleting_an_adviser_in_the_admin_deletes_the_photo(stores, staff_client, django_capture_on_commit_callbacks):
    adviser = AdviserFactory(photo=picture())
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:advisors_adviser_delete", args=[adviser.pk]), {"post": "yes"})
    assert not Adviser.objects.filter(pk=adviser.pk).exists() and not stored(adviser.photo)


def event_with_files() -> tuple[Event, list[tuple]]:
    event = EventFactory(cover_image=picture("cover.png"))
    speakers = [Speaker.objects.create(event=event, name=f"Speaker {n}", photo=picture()) for n in range(2)]
    return event, [(event.cover_image.storage, event.cover_image.name)] + [
        (speaker.photo.storage, speaker.photo.name) for speaker in speakers
    ]


def test_deleting_an_event_in_the_admin_deletes_its_cover_and_speakers_photos(
    stores, staff_client, django_capture_on_commit_callbacks
):
    event, files = event_with_files()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    assert not any(stored(pair) for pair in files)


def test_a_file_shared_with_a_duplicated_event_stays_until_its_last_row_goes(
    stores, staff, staff_client, django_capture_on_commit_callbacks
):
    event, files = event_with_files()
    copy = event_duplicate(event=event, by=staff)  # the copy names the same cover and photos
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"})
    assert all(stored(pair) for pair in files)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:events_event_changelist"),
            {"action": "delete_selected", "_selected_action": [copy.pk], "post": "yes"},
        )
    assert not Event.objects.exists() and not any(stored(pair) for pair in files)


def test_replacing_an_events_cover_and_a_speakers_photo_in_the_admin(
    stores, staff, django_capture_on_commit_callbacks
):
    event, (cover, first_photo, second_photo) = event_with_files()
    first, second = event.speakers.order_by("pk")
    event_admin = admin.site._registry[Event]
    request = admin_request(staff)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event.cover_image = picture("new-cover.png")
        event_admin.save_model(request, event, None, change=True)
        formset_class = SpeakerInline(Event, admin.site).get_formset(request, event)
        data = {"speakers-TOTAL_FORMS": "2", "speakers-INITIAL_FORMS": "2"}
        for index, speaker in enumerate([first, second]):
            data |= {
                f"speakers-{index}-id": speaker.pk,
                f"speakers-{index}-event": event.pk,
                f"speakers-{index}-name": speaker.name,
                f"speakers-{index}-order": index,
            }
        data["speakers-1-DELETE"] = "on"
        formset = formset_class(data, {"speakers-0-photo": picture("new.png")}, instance=event, prefix="speakers")
        assert formset.is_valid(), formset.errors
        event_admin.save_formset(request, None, formset, change=True)
        assert all(stored(pair) for pair in (cover, first_photo, second_photo))
    first.refresh_from_db()
    event.refresh_from_db()
    assert stored(event.cover_image) and stored(first.photo)
    assert not any(stored(pair) for pair in (cover, first_photo, second_photo))
    assert list(event.speakers.all()) == [first]


# --- The helper itself ----------------------------------------------------------------------------


def test_a_missing_file_or_a_storage_error_after_commit_is_no_error(
    stores, draft, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    image = TechnologyImage.objects.create(technology=draft, image=picture())
    storage = image.image.storage

    def refuse(name):
        raise PermissionError(f"read-only: {name}")

    monkeypatch.setattr(storage, "delete", refuse)
    with caplog.at_level(logging.ERROR, logger="common.files"), django_capture_on_commit_callbacks(execute=True):
        technology_image_delete(image=image, by=draft.owner)
        delete_files_on_commit((default_storage, "events/never-stored.png"))
    assert "Could not delete the stored file" in caplog.text and image.image.name in caplog.text
    assert stored(image.image)  # left for clean_orphan_files


def test_a_file_that_a_row_still_names_is_kept(stores, draft, django_capture_on_commit_callbacks):
    image = TechnologyImage.objects.create(technology=draft, image=picture())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delete_files_on_commit(image.image)  # but the row stays
    assert len(callbacks) == 1 and stored(image.image)


# --- clean_orphan_files ------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("clean_orphan_files", *args, stdout=out, stderr=out)
    return out.getvalue()


def make_old(storage, name, hours=2):
    moment = (timezone.now() - timedelta(hours=hours)).timestamp()
    os.utime(storage.path(name), (moment, moment))


def test_the_orphan_command_lists_only_files_no_row_names_and_removes_them_with_delete(stores, published):
    published.brochure = pdf()
    published.save()
    image = TechnologyImage.objects.create(technology=published, image=picture())
    adviser = AdviserFactory(photo=picture())
    private = storages["private"]
    orphan = private.save("technologies/images/orphan.jpg", ContentFile(b"x" * 2048))
    public_orphan = default_storage.save("events/left-behind.png", ContentFile(b"y" * 10))
    young = private.save("technologies/brochures/uploading.pdf", ContentFile(b"z"))
    for storage, name in [
        (private, orphan),
        (default_storage, public_orphan),
        (private, published.brochure.name),
        (private, image.image.name),
        (default_storage, adviser.photo.name),
    ]:
        make_old(storage, name)

    output = run()
    assert f"would remove {orphan} (2.0 KB)" in output
    assert f"would remove {public_orphan} (10 bytes)" in output
    for referenced in (published.brochure.name, image.image.name, adviser.photo.name, young):
        assert referenced not in output
    assert "[private] 4 file(s), 2 named by rows" in output
    assert "[default] 2 file(s), 1 named by rows" in output
    assert (
        "Dry run: 2 orphan file(s), 2.0 KB (2,058 bytes); 1 younger than 60 minute(s) left alone. "
        "Nothing was removed" in output
    )
    assert private.exists(orphan) and default_storage.exists(public_orphan)

    output = run("--delete")
    assert f"removed {orphan}" in output and "Removed 2 orphan file(s)" in output
    assert not private.exists(orphan) and not default_storage.exists(public_orphan)
    assert private.exists(young)
    assert stored(published.brochure) and stored(image.image) and stored(adviser.photo)

    assert "uploading.pdf" in run("--min-age", "0")  # the young one, once it may be old enough
    assert "Dry run: 0 orphan file(s)" in run()


def test_the_orphan_command_works_on_object_storage(stores, published, monkeypatch):
    """Only the Storage API: a storage without local paths (as S3) is listed and cleaned alike."""
    memory = InMemoryStorage()
    use_private_storage(monkeypatch, memory)
    published.brochure = pdf()
    published.save()
    orphan = memory.save("technologies/images/orphan.jpg", ContentFile(b"x" * 5))
    output = run("--min-age", "0")
    assert "[InMemoryStorage] 2 file(s), 1 named by rows" in output
    assert f"would remove {orphan} (5 bytes)" in output and published.brochure.name not in output
    run("--delete", "--min-age", "0")
    assert not memory.exists(orphan) and memory.exists(published.brochure.name)


def test_a_private_folder_inside_media_root_is_not_taken_for_orphans(stores, settings, published, monkeypatch):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": os.path.join(settings.MEDIA_ROOT, "private"), "base_url": None},
        },
    }
    use_private_storage(monkeypatch, storages["private"])
    published.brochure = pdf()
    published.save()
    output = run("--delete", "--min-age", "0")
    assert "Removed 0 orphan file(s)" in output
    assert stored(published.brochure)


def test_an_old_file_is_old_enough_and_a_new_one_is_not(stores):
    storage = storages["private"]
    name = storage.save("technologies/images/a.jpg", ContentFile(b"a"))
    assert "1 younger than 60 minute(s) left alone" in run()
    assert "would remove" not in run("--min-age", "60")
    make_old(storage, name, hours=0.5)
    assert f"would remove {name}" in run("--min-age", "20")
