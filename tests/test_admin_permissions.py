"""Admin actions run only under the model permissions they act on (issue 24).

Every action of every registered ModelAdmin (the declared ones and the site-wide
`delete_selected`) is walked three ways, each on a row of its model made so that the
action, if it ran, would change something:
- staff who may only view every model, and staff with no permission at all: the action
  is not offered, and posting it anyway (with everything its form asks for) changes no
  row, sends no email and returns no file;
- a superuser (the control): the action is offered and posting it does change a row,
  send an email or return a file, so the walk above would have seen an action that ran.
"""

import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from mailer.models import PRIORITY_DEFERRED, DontSendEntry, Message, MessageLog, email_to_db

from accounts.models import Consent, LegalDocument
from advisors.models import Assignment, Charter, Criterion, Review
from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from events.models import Invitation, Registration
from opendata.models import EmbedOrigin, PartnerKey
from tests.factories import (
    AdviserFactory,
    ApplicationFactory,
    CallFactory,
    EventFactory,
    InquiryFactory,
    NeedFactory,
    OrganisationFactory,
    StaffFactory,
    TechnologyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Actions nobody is offered, by design: registrations are declined, not deleted, and the
# seventeen goals are fixed (their ModelAdmins refuse delete to everyone).
NOT_FOR_ANYONE = {
    ("events.registration", "delete_selected"),
    ("events.visaletterrequest", "delete_selected"),  # kept as the record of a letter (issue 22)
    ("reference.sustainabledevelopmentgoal", "delete_selected"),
    ("auditlog.logentry", "delete_selected"),  # the audit trail is read-only (common/audit.py)
}

# What the action forms ask for, all at once: the confirmation of delete_selected, the
# second step of "email registrants" and "invite", the message of the workflow actions.
ACTION_DATA = {
    "index": 0,
    "post": "yes",
    "apply": "1",
    "statuses": ["registered", "pending", "waiting"],
    "subject": "Bring your laptop",
    "message": "Please say more about the pilot sites.",
    "emails": "guest@example.org",
    "reason": "The technology is not yet at the required readiness level.",
}


def _now():
    return timezone.now()


def _deferred_message():
    email = EmailMessage("Stuck", "Body.", "noreply@example.org", ["someone@example.org"])
    return Message.objects.create(message_data=email_to_db(email), priority=PRIORITY_DEFERRED, retry_count=3)


def _event(action):
    # Invitation-only, with one registrant: every event action has something to do.
    # An event with registrations cannot be deleted in the admin (registrations cannot).
    event = EventFactory(registration_mode="invitation", capacity=10)
    if action != "delete_selected":
        Registration.objects.create(event=event, user=UserFactory(), status="registered", queued_at=_now())
    return event


def _registration(action):
    if action in {"to_waiting", "attended", "absent"}:  # registered, on an event that has begun
        event = EventFactory(starts_at=_now() - datetime.timedelta(hours=1), capacity=10)
        status = "registered"
    else:  # approve, decline, to_registered
        event = EventFactory(registration_mode="approval", capacity=10)
        status = "pending"
    return Registration.objects.create(event=event, user=UserFactory(), status=status, queued_at=_now())


def _technology(action):
    technology = TechnologyFactory(status="submitted" if action == "screen" else "in_review")
    if action == "publish_nag":  # the mark needs the advisory group's reviews, all submitted
        for _ in range(settings.WIITS_REVIEWERS_PER_TECHNOLOGY):
            _assignment(technology=technology, state="submitted")
    return technology


def _inquiry(action):
    licensing = CooperationType.objects.get(slug="licensing")
    return InquiryFactory(
        outcome="agreement", agreement_type=licensing, outcome_at=_now(), agreed_at=_now(),
        feature_consent=True, partner_consent=True, story="A dryer line in Thiès.",
        success_story=action == "unfeature_story",
    )  # fmt: skip


# The status an application is in before each move of the calls' admin.
_APPLICATION_BEFORE = {
    "to_eligible": "submitted", "to_ineligible": "submitted", "to_shortlisted": "eligible",
    "to_not_shortlisted": "eligible", "to_jury_review": "shortlisted", "to_winner": "jury_review",
    "to_finalist": "jury_review", "to_not_selected": "jury_review",
}  # fmt: skip


def _charter():
    today = timezone.localdate()
    return Charter.objects.create(
        version=99, title="Draft", body="Not yet.", approved_on=today, approved_by="Nobody", effective_date=today
    )


def _legal_document():
    # Not yet in force: nobody is asked to accept it (accounts/middleware.py).
    return LegalDocument.objects.create(
        kind="terms", version=99, title="Draft", body="Not yet.",
        effective_date=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip


def _visa_letter_request():
    from events.models import VisaLetterRequest

    event = EventFactory(city="Shanghai", country="CN", offers_visa_letter=True)
    registration = Registration.objects.create(event=event, user=UserFactory(), status="registered", queued_at=_now())
    day = event.starts_at.date()
    return VisaLetterRequest.objects.create(
        registration=registration, full_name="AMINA DIALLO", nationality="SN", passport_number="A12345678",
        date_of_birth=datetime.date(1990, 5, 17), passport_expiry=day + datetime.timedelta(days=900),
        arrival=day, departure=day + datetime.timedelta(days=1),
    )  # fmt: skip


def _assignment(technology=None, state="reviewing"):
    return Assignment.objects.create(
        technology=technology or TechnologyFactory(status="in_review"),
        adviser=AdviserFactory(),
        due_date=timezone.localdate() + datetime.timedelta(days=14),
        state=state,
    )


# One row per registered model (label_lower -> builder taking the action's name).
ROWS = {
    "auth.group": lambda action: Group.objects.create(name="Event managers"),
    "account.emailaddress": lambda action: EmailAddress.objects.create(
        user=UserFactory(), email="second-address@example.org", verified=False, primary=False
    ),
    "mfa.authenticator": lambda action: Authenticator.objects.create(
        user=UserFactory(), type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00", "used_mask": 0}
    ),
    "mailer.dontsendentry": lambda action: DontSendEntry.objects.create(
        to_address="unsubscribed@example.org", when_added=_now()
    ),
    "mailer.messagelog": lambda action: MessageLog.objects.create(
        message_data="", when_added=_now(), priority=PRIORITY_DEFERRED, result="3", log_message="refused"
    ),
    "mailer.message": lambda action: _deferred_message(),
    "advisors.adviser": lambda action: AdviserFactory(),
    "advisors.charter": lambda action: _charter(),
    # Inactive: an active criterion may not be deleted (the weights must add up to 100).
    "advisors.criterion": lambda action: Criterion.objects.create(name="Spare criterion", weight=0, is_active=False),
    "advisors.assignment": lambda action: _assignment(),
    "advisors.review": lambda action: Review.objects.create(assignment=_assignment()),
    # A closed call without applications: its results may be published (and it may be deleted).
    "calls.call": lambda action: CallFactory(
        opens_at=_now() - datetime.timedelta(days=60), closes_at=_now() - datetime.timedelta(days=1)
    ),
    "calls.application": lambda action: ApplicationFactory(status=_APPLICATION_BEFORE.get(action, "submitted")),
    "events.event": _event,
    "events.registration": _registration,
    "events.visaletterrequest": lambda action: _visa_letter_request(),
    "events.invitation": lambda action: Invitation.objects.create(
        event=EventFactory(registration_mode="invitation"), email="guest@example.org", expires_at=_now()
    ),
    "technologies.technology": _technology,
    "technologies.inquiry": _inquiry,
    "technologies.need": lambda action: NeedFactory(status="submitted"),
    "accounts.user": lambda action: UserFactory(),
    "accounts.organisation": lambda action: OrganisationFactory(name="Unused organisation"),
    "accounts.legaldocument": lambda action: _legal_document(),
    "accounts.consent": lambda action: Consent.objects.create(user=UserFactory(), document=_legal_document()),
    "reference.sector": lambda action: Sector.objects.create(name="Unused sector", slug="unused-sector"),
    "reference.sustainabledevelopmentgoal": lambda action: SustainableDevelopmentGoal.objects.get(number=7),
    "reference.cooperationtype": lambda action: CooperationType.objects.create(name="Unused kind", slug="unused"),
    "opendata.partnerkey": lambda action: PartnerKey.objects.create(
        name="ITPO website", prefix="0a1b2c3d", key_hash="0" * 64
    ),
    "auditlog.logentry": lambda action: LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Sector), object_pk="1", object_repr="Sector", action=1
    ),
    "opendata.embedorigin": lambda action: EmbedOrigin.objects.create(origin="https://www.unido.org", name="UNIDO"),
}


def _model_admins():
    return {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}


# Every action, before any filtering by the request's user (Django's own list: the
# ModelAdmin's `actions` and the site's, such as delete_selected).
ACTIONS = sorted(
    (label, name)
    for label, model_admin in _model_admins().items()
    for _func, name, _desc in model_admin._get_base_actions()
)


def _snapshot():
    """Every row of every model the admin shows (deletes, copies, state changes, queued mail)."""
    return {
        label: list(model_admin.model._base_manager.order_by("pk").values())
        for label, model_admin in _model_admins().items()
    }


def _changelist(label):
    return reverse("admin:{}_{}_changelist".format(*label.split(".")))


def _offered(model_admin, user, rf, url):
    request = rf.get(url)
    request.user = user
    return set(model_admin.get_actions(request))


def _post(client, url, name, pk, capture):
    with capture(execute=True):  # mail queued by the action would reach mailoutbox
        return client.post(url, {**ACTION_DATA, "action": name, "_selected_action": [pk]})


def _is_file(response):
    return "attachment" in response.get("Content-Disposition", "")


def test_the_walk_covers_every_admin_and_action():
    assert set(ROWS) == set(_model_admins()), "give each registered model a row builder in ROWS"
    missing = [
        (label, name)
        for label, model_admin in _model_admins().items()
        for name in model_admin.actions or []
        if model_admin.get_action(name) is None
    ]
    assert missing == [], "an action named in `actions` that does not exist would escape the walk"
    unguarded = [
        (label, name)
        for label, model_admin in _model_admins().items()
        for func, name, _desc in model_admin._get_base_actions()
        if not getattr(func, "allowed_permissions", None)
    ]
    assert unguarded == [], "every action declares the permissions it needs: @admin.action(permissions=[...])"


@pytest.fixture
def view_only_staff():
    user = UserFactory(is_staff=True, name="Viewing Staff", email="viewer@example.org")
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return type(user).objects.get(pk=user.pk)  # no permission cache from before the grant


@pytest.fixture
def staff_without_permissions():
    return UserFactory(is_staff=True, name="Bare Staff", email="bare@example.org")


@pytest.mark.parametrize(("label", "name"), ACTIONS, ids=[f"{label}:{name}" for label, name in ACTIONS])
def test_staff_without_the_permission_cannot_run_the_action(
    label, name, client, rf, settings, view_only_staff, staff_without_permissions, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.WIITS_STAFF_REQUIRE_MFA = False  # two-factor is tested elsewhere
    model_admin = _model_admins()[label]
    row = ROWS[label](name)
    url = _changelist(label)
    for user, may_see_the_list in [(view_only_staff, True), (staff_without_permissions, False)]:
        client.force_login(user)
        assert name not in _offered(model_admin, user, rf, url), f"{name} is offered to {user.name}"
        before = _snapshot()
        response = _post(client, url, name, row.pk, django_capture_on_commit_callbacks)
        assert not _is_file(response), f"{user.name} downloaded a file"
        if may_see_the_list:  # refused by the action's permission, not by the page
            assert response.status_code in (200, 302)
            if response.status_code == 200:
                assert "admin/change_list.html" in [t.name for t in response.templates]  # no form, no confirmation
        else:
            assert response.status_code == 403
        assert _snapshot() == before, f"{name} changed rows for {user.name}"
        assert mailoutbox == [], f"{name} sent email for {user.name}"


@pytest.mark.parametrize(("label", "name"), ACTIONS, ids=[f"{label}:{name}" for label, name in ACTIONS])
def test_a_superuser_runs_the_action(
    label, name, client, rf, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """The control: with every permission the action is offered and does something."""
    settings.WIITS_STAFF_REQUIRE_MFA = False
    superuser = StaffFactory(name="Super User", email="super@example.org")
    model_admin = _model_admins()[label]
    url = _changelist(label)
    if (label, name) in NOT_FOR_ANYONE:
        assert name not in _offered(model_admin, superuser, rf, url)
        return
    assert name in _offered(model_admin, superuser, rf, url)
    row = ROWS[label](name)
    client.force_login(superuser)
    before = _snapshot()
    response = _post(client, url, name, row.pk, django_capture_on_commit_callbacks)
    assert response.status_code in (200, 302)
    assert _is_file(response) or mailoutbox or _snapshot() != before, f"{name} did nothing for a superuser"


def test_every_admin_offers_its_superuser_an_action(rf):
    superuser = StaffFactory()
    without = [
        label
        for label, model_admin in _model_admins().items()
        if not _offered(model_admin, superuser, rf, _changelist(label))
    ]
    # Fixed rows, and the read-only audit trail (common/audit.py): nothing to act on.
    assert sorted(without) == ["auditlog.logentry", "reference.sustainabledevelopmentgoal"]
