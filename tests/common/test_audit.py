"""The audit trail (common/audit.py, django-auditlog): every door records who, when, from
which address and each field's old and new value; nothing secret; account deletion and
the data export handle the member's part; old entries are pruned; staff see and search it."""

import datetime

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from common import audit
from events.models import Registration
from technologies import services as technology_services
from technologies.models import Technology
from tests.factories import EventFactory, TechnologyFactory, UserFactory

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk")


def test_a_change_on_the_site_records_who_from_where_and_what(client, draft, innovator):
    client.force_login(innovator)
    response = client.post(
        reverse("technologies:submit", kwargs={"slug": draft.slug}),
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_REQUEST_ID="req-7f3a",
    )
    assert response.status_code == 302
    entry = entries_for(draft).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == innovator
    assert entry.remote_addr == "203.0.113.5"
    assert entry.changes["status"] == ["draft", "submitted"]
    assert entry.cid == "req-7f3a"  # the request's id, which its log lines carry


def test_a_client_cannot_write_its_own_address_unless_a_proxy_is_trusted(client, draft, innovator, settings):
    client.force_login(innovator)
    url = reverse("technologies:submit", kwargs={"slug": draft.slug})
    client.post(url, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert entries_for(draft).last().remote_addr == "203.0.113.5"


def test_behind_one_trusted_proxy_the_clients_address_is_recorded(client, published, innovator, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client.force_login(innovator)
    url = reverse("technologies:withdraw", kwargs={"slug": published.slug})
    client.post(url, {"confirmed": "1"}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.23")
    entry = entries_for(published).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.changes["status"] == ["published", "withdrawn"]
    assert entry.remote_addr == "198.51.100.23"


def test_an_admin_action_records_the_staff_member(staff_client, staff, innovator):
    submitted = TechnologyFactory(owner=innovator, status="submitted", published_at=None, slug="to-screen")
    staff_client.post(
        reverse("admin:technologies_technology_changelist"),
        {"action": "screen", "_selected_action": [submitted.pk], "index": 0},
    )
    entry = entries_for(submitted).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == staff
    assert entry.changes["status"] == ["submitted", "in_review"]


def test_translations_and_lists_are_recorded(innovator):
    technology = TechnologyFactory(owner=innovator, slug="translated")
    technology.title_i18n_zh_hans = "太阳能干燥机"
    technology.save()
    change = entries_for(technology).filter(action=LogEntry.Action.UPDATE).last()
    assert change.changes["title_i18n_zh_hans"][1] == "太阳能干燥机"
    assert "search_vector" not in change.changes and "search_words" not in change.changes


def test_members_flags_are_recorded_and_never_their_password(staff):
    member = UserFactory()
    with set_actor(staff):
        member.is_staff = True
        member.save()
        member.set_password("a new secret passphrase")
        member.save()
    changes = [entry.changes for entry in entries_for(member)]
    assert any([str(value) for value in change.get("is_staff", [])] == ["False", "True"] for change in changes), (
        changes
    )
    text = str(changes)
    assert "password" not in text and "pbkdf2" not in text and "md5$" not in text
    assert member.email not in text


def test_a_registrations_status_is_recorded_not_its_answers(innovator):
    event = EventFactory()
    registration = Registration.objects.create(
        event=event, user=innovator, status="waiting", answers={"diet": "vegetarian"}
    )
    registration.status = "registered"
    registration.answers = {"diet": "vegan"}
    registration.save()
    changes = str([entry.changes for entry in entries_for(registration)])
    assert "registered" in changes
    assert "vegan" not in changes and "vegetarian" not in changes


def test_deleting_an_account_forgets_the_member_in_the_trail(innovator, staff):
    own = TechnologyFactory(owner=innovator, slug="own-listing")
    others = TechnologyFactory(slug="someone-elses")
    with set_actor(innovator, remote_addr="203.0.113.9"):
        technology_services.technology_withdraw(technology=own, by=innovator)
    with set_actor(innovator, remote_addr="203.0.113.9"):  # e.g. a change made while they were staff
        others.title = "Renamed by the member"
        others.save()
    own_pk, user_pk = own.pk, innovator.pk
    before = LogEntry.objects.count()

    account_services.member_delete(user=innovator)

    technology_type = ContentType.objects.get_for_model(Technology)
    assert not LogEntry.objects.filter(content_type=technology_type, object_pk=str(own_pk)).exists()
    assert not LogEntry.objects.filter(content_type__model="user", object_pk=str(user_pk)).exists()
    kept = entries_for(others).filter(action=LogEntry.Action.UPDATE).last()
    assert kept.changes["title"][1] == "Renamed by the member"
    assert kept.actor is None and kept.actor_email is None and kept.remote_addr is None
    assert LogEntry.objects.count() < before  # and the deletion wrote no copies of the texts
    assert not LogEntry.objects.filter(action=LogEntry.Action.DELETE, object_pk=str(own_pk)).exists()


def test_the_data_export_holds_the_members_own_actions(client, draft, innovator):
    client.force_login(innovator)
    client.post(reverse("technologies:submit", kwargs={"slug": draft.slug}))
    exported = client.get(reverse("data_export")).json()
    actions = exported["audit_trail"]
    assert any(row["object"] == "technologies.technology" and row["changes"].get("status") for row in actions)


def test_old_entries_are_pruned(settings, published):
    settings.AUDIT_LOG_KEEP_DAYS = 30
    old = entries_for(published).first()
    LogEntry.objects.filter(pk=old.pk).update(timestamp=timezone.now() - datetime.timedelta(days=31))
    assert audit.prune() == 1
    assert entries_for(published).exists()  # the recent ones stay
    from wiits.tasks import prune_audit_log

    assert prune_audit_log() == 0


def test_staff_see_an_objects_trail_and_search_all_of_it(staff_client, innovator):
    technology = TechnologyFactory(owner=innovator, slug="solar-kiln", title="太阳能窑炉")
    change_page = staff_client.get(reverse("admin:technologies_technology_change", args=[technology.pk]))
    trail_url = reverse("admin:technologies_technology_auditlog", args=[technology.pk])
    assert trail_url in change_page.content.decode()
    trail = staff_client.get(trail_url)
    assert trail.status_code == 200
    assert "太阳能窑炉" in trail.content.decode()
    found = staff_client.get(reverse("admin:auditlog_logentry_changelist"), {"q": "太阳能窑炉"})
    assert found.status_code == 200 and "太阳能窑炉" in found.content.decode()


def test_members_cannot_read_the_trail(client, innovator, published):
    client.force_login(innovator)
    response = client.get(reverse("admin:technologies_technology_auditlog", args=[published.pk]))
    assert response.status_code == 302  # to the admin's sign-in
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 302


def test_nobody_edits_or_deletes_the_trail_in_the_admin(staff_client, published):
    entry = entries_for(published).first()
    change = staff_client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    staff_client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"})
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_the_trail_of_an_object_that_does_not_exist_is_a_404(staff_client):
    assert staff_client.get(reverse("admin:technologies_technology_auditlog", args=[999999])).status_code == 404
