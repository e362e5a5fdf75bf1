"""The rules of the permissions modules at their edges, through the predicates and the
pages and services that use them (written against the survivors of a mutation run)."""

import datetime
import socket

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from mailer.models import Message

from accounts import permissions as accounts_permissions
from advisors import permissions as advisor_permissions
from advisors import services as advisor_services
from common.mail import tasks as mail_tasks
from common.mail.services import email_queue_to_user
from common.reference.models import CooperationType
from events import permissions as event_permissions
from events.models import Registration
from needs import permissions as need_permissions
from needs import services as need_services
from technologies import permissions as technology_permissions
from technologies import services as technology_services
from tests.factories import AdviserFactory, EventFactory, InquiryFactory, NeedFactory, TechnologyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _staff_with(*codenames, app="technologies"):
    """Staff who are not superusers, with only the given permissions of `app`."""
    user = UserFactory(is_staff=True)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))
    return type(user).objects.get(pk=user.pk)  # a fresh instance: no cached permissions


# --- technologies: confirming an agreement ------------------------------------------------------


def test_confirming_an_agreement_needs_staff_and_the_change_inquiry_permission():
    assert technology_permissions.can_confirm_agreement(_staff_with("change_inquiry"))
    assert not technology_permissions.can_confirm_agreement(_staff_with())
    assert not technology_permissions.can_confirm_agreement(_staff_with("view_inquiry"))
    member_with_permission = _staff_with("change_inquiry")
    member_with_permission.is_staff = False
    assert not technology_permissions.can_confirm_agreement(member_with_permission)


def test_staff_with_the_permission_confirm_an_agreement_staff_without_it_may_not():
    inquiry = InquiryFactory()
    technology_services.inquiry_record_outcome(
        inquiry=inquiry,
        by=inquiry.technology.owner,
        outcome="agreement",
        agreement_type=CooperationType.objects.get(slug="licensing"),
    )
    with pytest.raises(PermissionDenied):
        technology_services.inquiry_confirm_agreement(inquiry=inquiry, by=_staff_with("view_inquiry"))
    inquiry.refresh_from_db()
    assert inquiry.agreement_confirmed_at is None

    confirming = _staff_with("change_inquiry")
    technology_services.inquiry_confirm_agreement(inquiry=inquiry, by=confirming)
    inquiry.refresh_from_db()
    assert inquiry.agreement_confirmed_at is not None and inquiry.agreement_confirmed_by == confirming


# --- needs: closing and publishing ---------------------------------------------------------------


def test_only_the_owner_closes_and_only_a_published_need(member, other_member):
    published = NeedFactory(owner=member)
    assert need_permissions.can_close_need(member, published)
    assert not need_permissions.can_close_need(other_member, published)
    for status in ("draft", "submitted", "fulfilled", "withdrawn"):
        assert not need_permissions.can_close_need(member, NeedFactory(owner=member, status=status)), status


def test_the_close_buttons_show_to_the_owner_of_a_published_need_only(client, member, other_member):
    need = NeedFactory(owner=member)
    url = reverse("needs:detail", args=[need.slug])
    client.force_login(member)
    page = client.get(url).content.decode()
    assert "Mark as fulfilled" in page and reverse("needs:withdraw", args=[need.slug]) in page
    client.force_login(other_member)
    page = client.get(url).content.decode()
    assert "Mark as fulfilled" not in page and reverse("needs:withdraw", args=[need.slug]) not in page


def test_only_moderators_publish_and_only_a_submitted_need(member, staff):
    submitted = NeedFactory(owner=member, status="submitted")
    assert need_permissions.can_publish_need(staff, submitted)
    assert not need_permissions.can_publish_need(member, submitted)
    assert not need_permissions.can_publish_need(staff, NeedFactory(owner=member))


def test_the_owner_of_a_submitted_need_gets_no_moderation_form(client, member, staff_client):
    need = NeedFactory(owner=member, status="submitted")
    url = reverse("needs:detail", args=[need.slug])
    assert "Staff: publish or return" in staff_client.get(url).content.decode()
    client.force_login(member)
    page = client.get(url).content.decode()
    assert "Staff: publish or return" not in page and reverse("needs:publish", args=[need.slug]) not in page


# --- events: registering and cancelling ---------------------------------------------------------


def test_a_member_may_cancel_until_the_very_start(member, monkeypatch):
    event = EventFactory()
    registration = Registration.objects.create(event=event, user=member, status="registered")
    monkeypatch.setattr(timezone, "now", lambda: event.starts_at - datetime.timedelta(microseconds=1))
    assert event_permissions.can_cancel(registration, event)
    monkeypatch.setattr(timezone, "now", lambda: event.starts_at)
    assert not event_permissions.can_cancel(registration, event)


def test_the_register_button_is_offered_except_for_invitation_only_events(client, member):
    client.force_login(member)
    open_event = EventFactory()
    assert event_permissions.can_register(member, None, open_event)
    page = client.get(reverse("events:detail", args=[open_event.slug])).content.decode()
    assert reverse("events:register", args=[open_event.slug]) in page

    invitation_only = EventFactory(registration_mode="invitation")
    assert not event_permissions.can_register(member, None, invitation_only)
    page = client.get(reverse("events:detail", args=[invitation_only.slug])).content.decode()
    assert reverse("events:register", args=[invitation_only.slug]) not in page
    assert "by invitation only" in page


@pytest.mark.parametrize("status", ["registered", "waiting", "pending", "declined"])
def test_no_register_button_for_a_member_who_has_a_registration(client, member, status):
    event = EventFactory()
    registration = Registration.objects.create(event=event, user=member, status=status)
    assert not event_permissions.can_register(member, registration, event)
    client.force_login(member)
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert reverse("events:register", args=[event.slug]) not in page


def test_a_member_who_cancelled_may_register_again(client, member):
    event = EventFactory()
    registration = Registration.objects.create(event=event, user=member, status="cancelled")
    assert event_permissions.can_register(member, registration, event)
    client.force_login(member)
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert reverse("events:register", args=[event.slug]) in page


# --- technologies: withdrawing a listing ---------------------------------------------------------


def test_only_the_owner_withdraws_and_only_a_published_listing(innovator, published, member, staff):
    assert technology_permissions.can_withdraw_technology(innovator, published)
    assert not technology_permissions.can_withdraw_technology(member, published)
    assert not technology_permissions.can_withdraw_technology(staff, published)
    for status in ("draft", "submitted", "in_review", "changes_requested", "rejected", "withdrawn", "expired"):
        listing = TechnologyFactory(owner=innovator, status=status)
        assert not technology_permissions.can_withdraw_technology(innovator, listing), status


def test_the_withdraw_button_shows_on_the_owners_published_listing_only(client, innovator, published, draft):
    client.force_login(innovator)
    page = client.get(reverse("technologies:detail", args=[published.slug])).content.decode()
    assert reverse("technologies:withdraw", args=[published.slug]) in page
    page = client.get(reverse("technologies:detail", args=[draft.slug])).content.decode()
    assert reverse("technologies:withdraw", args=[draft.slug]) not in page


# --- moderating listings and needs: staff with the model's change permission ----------------------


def test_moderating_listings_needs_staff_and_the_change_technology_permission():
    assert technology_permissions.can_moderate_technologies(_staff_with("change_technology"))
    assert not technology_permissions.can_moderate_technologies(_staff_with("view_technology"))
    member_with_permission = _staff_with("change_technology")
    member_with_permission.is_staff = False
    assert not technology_permissions.can_moderate_technologies(member_with_permission)


def test_only_staff_with_the_change_permission_screen_a_submission(innovator):
    listing = TechnologyFactory(owner=innovator, status="submitted")
    with pytest.raises(PermissionDenied):
        technology_services.technology_screen(technology=listing, by=_staff_with("view_technology"))
    listing.refresh_from_db()
    assert listing.status == "submitted"
    technology_services.technology_screen(technology=listing, by=_staff_with("change_technology"))
    listing.refresh_from_db()
    assert listing.status == "in_review"


def test_moderating_needs_needs_staff_and_the_change_need_permission():
    assert need_permissions.can_moderate_needs(_staff_with("change_need"))
    assert not need_permissions.can_moderate_needs(_staff_with("view_need"))
    member_with_permission = _staff_with("change_need")
    member_with_permission.is_staff = False
    assert not need_permissions.can_moderate_needs(member_with_permission)


def test_only_staff_with_the_change_permission_publish_a_need(member):
    need = NeedFactory(owner=member, status="submitted")
    with pytest.raises(PermissionDenied):
        need_services.need_publish(need=need, by=_staff_with("view_need"))
    need.refresh_from_db()
    assert need.status == "submitted"
    need_services.need_publish(need=need, by=_staff_with("change_need"))
    need.refresh_from_db()
    assert need.status == "published"


# --- advisers: who manages the review -----------------------------------------------------------


def test_managing_reviews_needs_staff_and_the_change_assignment_permission():
    assert advisor_permissions.can_manage_reviews(_staff_with("change_assignment", app="advisors"))
    assert not advisor_permissions.can_manage_reviews(_staff_with("view_assignment", app="advisors"))
    member_with_permission = _staff_with("change_assignment", app="advisors")
    member_with_permission.is_staff = False
    assert not advisor_permissions.can_manage_reviews(member_with_permission)


def test_only_staff_with_the_change_permission_assign_an_adviser(innovator):
    listing = TechnologyFactory(owner=innovator, status="in_review")
    adviser = AdviserFactory()
    due = timezone.localdate() + datetime.timedelta(days=14)
    with pytest.raises(PermissionDenied):
        advisor_services.assignment_create(
            technology=listing, adviser=adviser, due_date=due, by=_staff_with("view_assignment", app="advisors")
        )
    assert not listing.assignments.exists()
    assignment = advisor_services.assignment_create(
        technology=listing, adviser=adviser, due_date=due, by=_staff_with("change_assignment", app="advisors")
    )
    assert list(listing.assignments.all()) == [assignment]


# --- staff: active staff only ---------------------------------------------------------------------


def test_a_deactivated_staff_member_is_not_staff_and_may_not_use_the_admin(staff, member, draft):
    assert technology_permissions.is_staff(staff) and accounts_permissions.can_use_admin(staff)
    assert technology_permissions.can_view_technology(staff, draft)
    staff.is_active = False
    assert not technology_permissions.is_staff(staff)
    assert not technology_permissions.can_view_technology(staff, draft)
    assert not accounts_permissions.can_use_admin(staff)
    assert not technology_permissions.is_staff(member) and not accounts_permissions.can_use_admin(member)
    assert not technology_permissions.can_view_technology(member, draft)
    anonymous = AnonymousUser()
    assert not technology_permissions.is_staff(anonymous) and not accounts_permissions.can_use_admin(anonymous)


def test_the_header_links_to_the_reports_for_staff_only(client, staff, member, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    reports = f'href="{reverse("reports:index")}"'
    assert reports not in client.get(reverse("home")).content.decode()
    client.force_login(member)
    assert reports not in client.get(reverse("home")).content.decode()
    client.force_login(staff)
    assert reports in client.get(reverse("home")).content.decode()


# --- the mail queue: a broker that is down, the Message-ID's domain ------------------------------


def test_a_broker_down_at_commit_leaves_the_email_queued_and_the_change_done(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    def broker_down():
        raise OperationalError("Error 111 connecting to the broker. Connection refused.")

    monkeypatch.setattr(mail_tasks.send_mail_queue, "delay", broker_down)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        email_queue_to_user(user=user, template="account_deleted", context={})
    assert len(callbacks) == 1  # the dispatch ran at commit, failed, and was only logged
    assert Message.objects.count() == 1 and mailoutbox == []  # the sweep sends it later


def test_the_message_id_is_on_the_hosts_name_in_ascii_even_for_an_internationalised_name(monkeypatch):
    str(DNS_NAME)  # cached now, so that the cache is put back after the test
    monkeypatch.delattr(DNS_NAME, "_fqdn")
    monkeypatch.setattr(socket, "getfqdn", lambda name="": "mail.wiits-bücher.example")
    mail.EmailMessage("Subject", "Body", to=["a@example.org"]).send()
    message_id = Message.objects.get().email.extra_headers["Message-ID"]
    assert message_id.isascii() and message_id.endswith(
        "@" + "mail.wiits-bücher.example".encode("idna").decode() + ">"
    )
