"""The listing workflow: every move, who may make it, the history and the emails."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from technologies import services
from technologies.models import Inquiry, Technology, TechnologyStatus, TechnologyTransition
from tests.factories import TechnologyFactory, UserFactory

pytestmark = pytest.mark.django_db
S = TechnologyStatus

# Each service, the status it moves to, and who makes the move.
MOVES = {
    "submit": (services.technology_submit, S.SUBMITTED, "owner", {}),
    "screen": (services.technology_screen, S.IN_REVIEW, "staff", {}),
    "publish": (services.technology_publish, S.PUBLISHED, "staff", {}),
    "request_changes": (services.technology_request_changes, S.CHANGES_REQUESTED, "staff", {"message": "Add data."}),
    "reject": (services.technology_reject, S.REJECTED, "staff", {"message": "Out of scope."}),
    "withdraw": (services.technology_withdraw, S.WITHDRAWN, "owner", {}),
}
EXPECTED_ALLOWED = {
    (S.DRAFT, "submit"),
    (S.CHANGES_REQUESTED, "submit"),
    (S.SUBMITTED, "screen"),
    (S.SUBMITTED, "request_changes"),
    (S.SUBMITTED, "reject"),
    (S.IN_REVIEW, "publish"),
    (S.IN_REVIEW, "request_changes"),
    (S.IN_REVIEW, "reject"),
    (S.PUBLISHED, "withdraw"),
}


def listing(status, owner=None):
    technology = TechnologyFactory(status=status, owner=owner or UserFactory())
    if status == S.PUBLISHED:
        assert technology.published_at
    return technology


@pytest.mark.parametrize("from_status", list(S))
@pytest.mark.parametrize("move", list(MOVES))
def test_every_move_is_allowed_exactly_as_the_table_says(from_status, move, staff, mailoutbox):
    service, to_status, actor, kwargs = MOVES[move]
    technology = listing(from_status)
    by = technology.owner if actor == "owner" else staff
    if (from_status, move) in EXPECTED_ALLOWED:
        service(technology=technology, by=by, **kwargs)
        technology.refresh_from_db()
        assert technology.status == to_status
        step = TechnologyTransition.objects.get(technology=technology)
        assert (step.from_status, step.to_status, step.by) == (from_status, to_status, by)
        assert step.message == kwargs.get("message", "")
    else:
        with pytest.raises(services.TransitionNotAllowed):
            service(technology=technology, by=by, **kwargs)
        technology.refresh_from_db()
        assert technology.status == from_status
        assert not TechnologyTransition.objects.filter(technology=technology).exists()


def test_the_table_in_services_is_the_one_tested():
    allowed = {(from_status, to) for from_status, targets in services.ALLOWED.items() for to in targets}
    tested = {(from_status, MOVES[move][1]) for from_status, move in EXPECTED_ALLOWED} | {(S.PUBLISHED, S.EXPIRED)}
    assert allowed == tested


@pytest.mark.parametrize(
    ("move", "status", "who"),
    [
        ("submit", S.DRAFT, "staff"),
        ("submit", S.DRAFT, "outsider"),
        ("withdraw", S.PUBLISHED, "outsider"),
        ("withdraw", S.PUBLISHED, "staff"),
        ("screen", S.SUBMITTED, "owner"),
        ("publish", S.IN_REVIEW, "owner"),
        ("publish", S.IN_REVIEW, "outsider"),
        ("request_changes", S.SUBMITTED, "owner"),
        ("reject", S.IN_REVIEW, "outsider"),
    ],
)
def test_only_the_right_person_may_move_a_listing(move, status, who, staff, other_member):
    service, _to, _actor, kwargs = MOVES[move]
    technology = listing(status)
    by = {"staff": staff, "outsider": other_member, "owner": technology.owner}[who]
    with pytest.raises(services.TransitionNotAllowed):
        service(technology=technology, by=by, **kwargs)
    technology.refresh_from_db()
    assert technology.status == status


def test_submit_refuses_an_incomplete_draft_and_names_what_is_missing(innovator):
    technology = services.technology_create(owner=innovator, fields={"title": "Half-written idea"})
    with pytest.raises(services.IncompleteListing) as error:
        services.technology_submit(technology=technology, by=innovator)
    assert error.value.missing == [
        "non-confidential summary",
        "description",
        "advantages over existing solutions",
        "sector",
        "technology readiness level",
        "intellectual property",
        "country where developed",
        "Sustainable Development Goals",
        "cooperation sought",
    ]
    technology.refresh_from_db()
    assert technology.status == S.DRAFT


def test_submit_emails_the_owner_and_every_staff_member(draft, staff, django_capture_on_commit_callbacks, mailoutbox):
    inactive_staff = UserFactory(is_staff=True, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.technology_submit(technology=draft, by=draft.owner)
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([draft.owner.email, staff.email])
    assert inactive_staff.email not in recipients
    owner_email = next(m for m in mailoutbox if m.to == [draft.owner.email])
    assert owner_email.subject == '[WiiTs] We received your technology "Biogas from cassava peels"'
    draft.refresh_from_db()
    assert draft.submitted_at is not None


def test_request_changes_needs_a_message_and_sends_it(draft, staff, django_capture_on_commit_callbacks, mailoutbox):
    services.technology_submit(technology=draft, by=draft.owner)
    with pytest.raises(ValidationError):
        services.technology_request_changes(technology=draft, by=staff, message="   ")
    with django_capture_on_commit_callbacks(execute=True):
        services.technology_request_changes(technology=draft, by=staff, message="Please add field results.")
    (email,) = [m for m in mailoutbox if "now Changes requested" in m.subject]
    assert email.to == [draft.owner.email]
    assert "Please add field results." in email.body
    assert "<script" not in email.alternatives[0][0]


def test_publish_as_nag_evaluated_sets_dates_and_tells_the_owner(
    draft, staff, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.WIITS_TECHNOLOGY_VALIDITY_DAYS = 365
    # The mark's review rule is the advisory group's (tests/advisors/test_review_rules_at_every_door.py).
    settings.WIITS_REVIEWERS_PER_TECHNOLOGY = 0
    services.technology_submit(technology=draft, by=draft.owner)
    services.technology_screen(technology=draft, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.technology_publish(technology=draft, by=staff, nag_evaluated=True)
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED and draft.nag_evaluated
    assert draft.valid_until == timezone.localdate() + datetime.timedelta(days=365)
    (email,) = [m for m in mailoutbox if m.subject == '[WiiTs] "Biogas from cassava peels" is now Published']
    assert email.to == [draft.owner.email]
    assert "as evaluated by the National Advisory Group" in email.body
    history = list(draft.transitions.values_list("to_status", flat=True))
    assert history == [S.SUBMITTED, S.IN_REVIEW, S.PUBLISHED]


def test_renew_extends_the_validity_and_resets_the_reminder(published, settings):
    settings.WIITS_TECHNOLOGY_VALIDITY_DAYS = 365
    Technology.objects.filter(pk=published.pk).update(
        valid_until=timezone.localdate() + datetime.timedelta(days=10), expiry_reminder_sent_at=timezone.now()
    )
    published.refresh_from_db()
    services.technology_renew(technology=published, by=published.owner)
    published.refresh_from_db()
    assert published.valid_until == timezone.localdate() + datetime.timedelta(days=375)
    assert published.expiry_reminder_sent_at is None
    step = published.transitions.get()
    assert (step.note, step.note_values, step.message) == ("renewed", {"until": published.valid_until.isoformat()}, "")


def test_renew_is_for_the_owner_of_a_published_listing(published, draft, other_member):
    with pytest.raises(services.TransitionNotAllowed):
        services.technology_renew(technology=published, by=other_member)
    with pytest.raises(services.TransitionNotAllowed):
        services.technology_renew(technology=draft, by=draft.owner)


def test_daily_task_reminds_once_and_expires_once(django_capture_on_commit_callbacks, mailoutbox):
    today = timezone.localdate()
    soon = TechnologyFactory(valid_until=today + datetime.timedelta(days=20), title="Soon", slug="soon")
    later = TechnologyFactory(valid_until=today + datetime.timedelta(days=90), title="Later", slug="later")
    past = TechnologyFactory(valid_until=today - datetime.timedelta(days=1), title="Past", slug="past")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.technologies_expire_and_remind(today=today) == {"expired": 1, "reminded": 1}
        assert services.technologies_expire_and_remind(today=today) == {"expired": 0, "reminded": 0}
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == ['[WiiTs] "Past" is now Expired', '[WiiTs] "Soon" expires soon: renew it']
    for technology, status in [(soon, S.PUBLISHED), (later, S.PUBLISHED), (past, S.EXPIRED)]:
        technology.refresh_from_db()
        assert technology.status == status
    assert past.transitions.get().by is None


def test_inquiry_reaches_the_owner_with_a_reply_to_the_sender(
    published, member, django_capture_on_commit_callbacks, mailoutbox
):
    from common.reference.models import CooperationType

    with django_capture_on_commit_callbacks(execute=True):
        inquiry = services.inquiry_create(
            technology=published,
            sender=member,
            cooperation=CooperationType.objects.get(slug="joint-venture"),
            organisation_name="Dakar Agro-Processing SA",
            message="Could we build these in Senegal together?",
        )
    # Stored as sent: from the member, about this listing, with what they wrote.
    stored = Inquiry.objects.values_list(
        "pk", "technology", "sender", "cooperation__slug", "organisation_name", "message"
    )
    assert list(stored) == [
        (
            inquiry.pk, published.pk, member.pk, "joint-venture", "Dakar Agro-Processing SA",
            "Could we build these in Senegal together?",
        )
    ]  # fmt: skip
    (email,) = mailoutbox
    assert email.to == [published.owner.email]
    assert email.reply_to == [member.email]
    assert email.subject == '[WiiTs] Cooperation inquiry about "Solar crop dryer"'
    assert "Amina Diallo (Dakar Agro-Processing SA)" in email.body
    assert "Joint venture" in email.body
    assert "Could we build these in Senegal together?" in email.body


def test_no_inquiry_about_your_own_or_an_unpublished_technology(published, draft, member):
    from django.core.exceptions import PermissionDenied

    from common.reference.models import CooperationType

    kind = CooperationType.objects.first()
    with pytest.raises(PermissionDenied):
        services.inquiry_create(
            technology=published, sender=published.owner, cooperation=kind, organisation_name="x", message="x"
        )
    with pytest.raises(PermissionDenied):
        services.inquiry_create(technology=draft, sender=member, cooperation=kind, organisation_name="x", message="x")


def test_inquiries_are_limited_per_day(published, member, settings):
    from common.reference.models import CooperationType

    settings.WIITS_INQUIRIES_PER_DAY = 2
    kind = CooperationType.objects.first()
    for _ in range(2):
        services.inquiry_create(
            technology=published, sender=member, cooperation=kind, organisation_name="x", message="x"
        )
    with pytest.raises(ValidationError) as error:
        services.inquiry_create(
            technology=published, sender=member, cooperation=kind, organisation_name="x", message="x"
        )
    assert "2 inquiries in the last 24 hours" in error.value.messages[0]
    assert published.inquiries.count() == 2


def test_staff_without_the_change_permission_cannot_move_listings(client, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_technology"))
    technology = TechnologyFactory(status=S.IN_REVIEW)
    with pytest.raises(services.TransitionNotAllowed):
        services.technology_publish(technology=technology, by=viewer)
    client.force_login(viewer)
    changelist = reverse("admin:technologies_technology_changelist")
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "publish", "_selected_action": [technology.pk]})
    technology.refresh_from_db()
    assert technology.status == S.IN_REVIEW


def test_an_edit_from_a_stale_page_cannot_undo_a_submission(draft):
    stale = Technology.objects.get(pk=draft.pk)
    services.technology_submit(technology=draft, by=draft.owner)
    with pytest.raises(PermissionDenied):
        services.technology_update(technology=stale, by=draft.owner, fields={"title": "Edited late"})
    draft.refresh_from_db()
    assert (draft.status, draft.title) == (S.SUBMITTED, "Biogas from cassava peels")


def test_an_edit_never_touches_the_workflow_fields(draft):
    services.technology_update(technology=draft, by=draft.owner, fields={"title": "Renamed"})
    Technology.objects.filter(pk=draft.pk).update(nag_evaluated=True)  # as if staff set it meanwhile
    stale = draft
    services.technology_update(technology=stale, by=draft.owner, fields={"title": "Renamed again"})
    draft.refresh_from_db()
    assert draft.title == "Renamed again" and draft.nag_evaluated is True


def test_expiry_spares_a_listing_renewed_meanwhile(published):
    Technology.objects.filter(pk=published.pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    stale = Technology.objects.get(pk=published.pk)
    services.technology_renew(technology=published, by=published.owner)
    assert services.technology_expire(technology=stale) is False
    published.refresh_from_db()
    assert published.status == S.PUBLISHED


def test_an_expiry_reminder_rechecks_the_row_a_renewal_made_meanwhile_wins(
    django_capture_on_commit_callbacks, mailoutbox
):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    technology = TechnologyFactory(valid_until=today + timedelta(days=10))
    stale = Technology.objects.get(pk=technology.pk)  # what the daily query read
    Technology.objects.filter(pk=technology.pk).update(valid_until=today + timedelta(days=365))  # renewed
    with django_capture_on_commit_callbacks(execute=True):
        assert services.technology_remind_expiry(technology=stale, today=today) is False
    assert mailoutbox == []
    assert Technology.objects.get(pk=technology.pk).expiry_reminder_sent_at is None
