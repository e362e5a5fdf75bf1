"""Partner keys and embedding origins in the admin (opendata/admin.py): a key is shown
once, stored hashed, works at once and stops when revoked; only staff with the
permissions manage them."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from opendata.models import EmbedOrigin, PartnerKey, hash_key
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_create_a_key_shown_once_and_stored_hashed(staff_client, staff):
    response = staff_client.post(
        reverse("admin:opendata_partnerkey_add"),
        {"name": "ITPO Beijing website", "contact_email": "web@itpo-beijing.example.org"},
        follow=True,
    )
    assert response.status_code == 200
    shown = re.search(r"wiits_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}", response.content.decode())
    assert shown, "the new key is shown to the staff member who created it"
    key = shown.group(0)
    partner = PartnerKey.objects.get()
    assert partner.key_hash == hash_key(key) and key not in (partner.key_hash, partner.prefix)
    assert key.startswith(f"wiits_{partner.prefix}_")
    assert partner.created_by == staff
    # Not shown again: the change page names the prefix only.
    page = staff_client.get(reverse("admin:opendata_partnerkey_change", args=[partner.pk])).content.decode()
    assert key not in page and f"wiits_{partner.prefix}_" in page
    assert staff_client.get("/api/v1/sdgs/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 200

    staff_client.post(
        reverse("admin:opendata_partnerkey_changelist"),
        {"action": "revoke", "_selected_action": [partner.pk], "index": 0},
    )
    partner.refresh_from_db()
    assert partner.revoked_at is not None
    assert staff_client.get("/api/v1/sdgs/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 401


def test_members_and_staff_without_permission_cannot_manage_keys(client, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    member = UserFactory()
    client.force_login(member)
    assert client.get(reverse("admin:opendata_partnerkey_add")).status_code == 302  # to the admin's sign-in
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_partnerkey"))
    client.force_login(viewer)
    assert client.get(reverse("admin:opendata_partnerkey_add")).status_code == 403
    client.post(reverse("admin:opendata_partnerkey_add"), {"name": "Sneaky"})
    assert not PartnerKey.objects.exists()


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("https://www.UNIDO.org/", "https://www.unido.org"), ("http://localhost:8080", "http://localhost:8080")],
)
def test_an_origin_is_kept_as_scheme_and_host(typed, kept):
    origin = EmbedOrigin(origin=typed, name="UNIDO")
    origin.full_clean()
    assert origin.origin == kept


@pytest.mark.parametrize("typed", ["https://www.unido.org/about/", "ftp://files.unido.org", "https://x.org/?a=1"])
def test_an_origin_with_a_path_or_another_scheme_is_refused(typed):
    with pytest.raises(ValidationError) as error:
        EmbedOrigin(origin=typed, name="UNIDO").full_clean()
    assert "origin" in error.value.message_dict
