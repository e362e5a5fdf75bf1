"""The portal attacked as an outsider would (issue 8, second part): every URL as every
role, hostile extra fields in every form that saves something, formula injection in
every export, guessing at sign-in, sign-up and password reset, and open redirects.
None may give a 500, a leak or a half-saved change.

The walk complements tests/test_url_access.py, which declares who may see each URL:
here every URL points at real objects (published and draft listings and needs, an
inquiry, a review assignment, a hidden event) and is fetched by five people."""

import csv
import io
import re
import time

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from tests.factories import (
    AdviserFactory,
    CallFactory,
    EventFactory,
    InquiryFactory,
    NeedFactory,
    StaffFactory,
    TechnologyFactory,
    UserFactory,
)
from tests.test_url_access import MEMBER, STAFF, _declared, _walk

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "owner", "adviser", "staff"]
MEMBERS = {"outsider", "owner", "adviser", "staff"}

# Texts that only some may read, and who.
SECRETS = {
    "Secret draft kiln Zq1": {"owner", "staff"},
    "Secret kiln under review Zq2": {"owner", "adviser", "staff"},
    "Secret need draft Zq3": {"owner", "staff"},
    "Secret closed-door plenary Zq4": {"staff"},
    "Secret inquiry message Zq5": {"owner", "staff"},
    "inquirer-zq6@example.org": {"owner", "staff"},
}


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (10, 120, 20)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _mfa_session(client: Client, user) -> None:
    """A session that passed two-factor authentication, as StaffMFAMiddleware requires."""
    from tests.wiits.test_pages import activate_totp

    activate_totp(user)
    client.force_login(user)
    session = client.session
    now = time.time()
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture
def world(settings):
    """Real objects for every URL to point at, and a client for each role."""
    from advisors import services as advisor_services
    from events import services as event_services
    from events.models import Invitation
    from technologies import services
    from technologies.models import TechnologyImage

    settings.WIITS_STAFF_REQUIRE_MFA = True
    owner = UserFactory(name="Owner Person", stakeholder_type="innovator")
    outsider = UserFactory(name="Outsider Person")
    adviser = AdviserFactory(user__name="Adviser Person")
    staff = StaffFactory(name="Staff Person")
    stranger = UserFactory(name="Stranger Person")
    inquirer = UserFactory(name="Inquirer Person", email="inquirer-zq6@example.org")

    published = TechnologyFactory(owner=owner, title="Public solar dryer", slug="public-solar-dryer")
    draft = TechnologyFactory(owner=owner, status="draft", title="Secret draft kiln Zq1", slug="secret-draft")
    in_review = TechnologyFactory(owner=owner, status="submitted", title="Secret kiln under review Zq2",
                                  slug="secret-review")  # fmt: skip
    strangers = TechnologyFactory(owner=stranger, title="A stranger's pump", slug="strangers-pump")
    images = {}
    for technology in (published, draft, in_review):
        technology.brochure.save("b.pdf", ContentFile(b"%PDF-1.4 brochure"), save=True)
        images[technology.slug] = TechnologyImage.objects.create(
            technology=technology, image=ContentFile(_jpeg(), name="i.jpg")
        )
    assignment = advisor_services.assignment_create(
        technology=in_review, adviser=adviser, due_date=timezone.localdate() + timezone.timedelta(days=14), by=staff
    )
    need = NeedFactory(owner=owner, title="Public need for cold storage", slug="public-need")
    need_draft = NeedFactory(owner=owner, status="draft", title="Secret need draft Zq3", slug="secret-need")
    need_submitted = NeedFactory(owner=owner, status="submitted", title="Secret need draft Zq3 b",
                                 slug="submitted-need")  # fmt: skip
    received = InquiryFactory(technology=published, sender=inquirer, message="Secret inquiry message Zq5")
    sent = InquiryFactory(technology=strangers, sender=owner)
    services.inquiry_record_outcome(
        inquiry=sent, by=stranger, outcome="agreement", agreement_type=sent.cooperation, feature_consent=True,
        story="We agreed.", note="",
    )  # fmt: skip
    event = EventFactory(title="Open workshop", slug="open-workshop")
    hidden = EventFactory(title="Secret closed-door plenary Zq4", slug="secret-plenary", is_published=False)
    invitation_only = EventFactory(title="Invitation-only roundtable", slug="roundtable",
                                   registration_mode="invitation")  # fmt: skip
    invitation = Invitation.objects.create(
        event=invitation_only, email=owner.email, expires_at=timezone.now() + timezone.timedelta(days=7)
    )
    event_services.registration_create(event=event, user=owner)
    from calls import jury
    from calls.models import Application

    call = CallFactory(slug="open-call", title="Open call for clean energy")
    hidden_call = CallFactory(slug="secret-call", title="Secret unannounced call Zq8", is_published=False)
    application = Application.objects.create(
        call=call, technology=published, applicant=owner, answers={"1": "Secret answer Zq7"}
    )
    judged = Application.objects.create(
        call=call, technology=strangers, applicant=stranger, status="jury_review", submitted_at=timezone.now()
    )
    call.jury.set([adviser])
    jury_assignment = jury.jury_assign(application=judged, adviser=adviser, by=staff)

    clients = {role: Client() for role in ROLES}
    clients["outsider"].force_login(outsider)
    clients["owner"].force_login(owner)
    clients["adviser"].force_login(adviser.user)
    _mfa_session(clients["staff"], staff)
    return {
        "clients": clients,
        "users": {"outsider": outsider, "owner": owner, "adviser": adviser.user, "staff": staff},
        "published": published, "draft": draft, "in_review": in_review, "strangers": strangers, "images": images,
        "assignment": assignment, "adviser": adviser, "need": need, "need_draft": need_draft,
        "need_submitted": need_submitted, "received": received, "sent": sent, "event": event, "hidden": hidden,
        "invitation": invitation, "stranger": stranger, "call": call, "hidden_call": hidden_call,
        "application": application, "jury_assignment": jury_assignment,
    }  # fmt: skip


# --- Access: every URL as every role --------------------------------------------------------

ALL = set(ROLES)
ANY = None  # no rule about who gets the page: only "no 5xx, no leak, sign-in first"


def _object_targets(w) -> dict[str, list[tuple[dict, set | None]]]:
    """Each URL with arguments, pointed at real objects: the kwargs, and who may use it
    (gets a page, a file or, for a POST, a redirect or a form error). Signed-in people
    not named get 403 or 404; the anonymous are sent to sign in on member pages."""
    pub, draft, review = w["published"].slug, w["draft"].slug, w["in_review"].slug
    img = w["images"]
    pk = w["assignment"].pk
    return {
        "technologies:detail": [({"slug": pub}, ALL), ({"slug": draft}, {"owner", "staff"}),
                                ({"slug": review}, {"owner", "staff"}), ({"slug": "no-such"}, set())],
        "technologies:edit": [({"slug": draft}, {"owner"}), ({"slug": pub}, set()), ({"slug": review}, set())],
        "technologies:translate": [({"slug": draft, "language": "fr"}, {"owner"}),
                                   ({"slug": pub, "language": "fr"}, set()),
                                   ({"slug": draft, "language": "xx"}, set())],
        "technologies:submit": [({"slug": draft}, {"owner"}), ({"slug": review}, {"owner"})],
        "technologies:withdraw": [({"slug": pub}, {"owner"}), ({"slug": draft}, {"owner"})],
        "technologies:renew": [({"slug": pub}, {"owner"}), ({"slug": draft}, {"owner"})],
        "technologies:inquire": [({"slug": pub}, {"outsider", "adviser", "staff"}), ({"slug": draft}, set())],
        "technologies:brochure": [({"slug": pub}, ALL), ({"slug": draft}, {"owner", "staff"}),
                                  ({"slug": review}, {"owner", "staff"})],
        "technologies:image": [({"slug": pub, "pk": img[pub].pk}, ALL),
                               ({"slug": draft, "pk": img[draft].pk}, {"owner", "staff"}),
                               ({"slug": pub, "pk": img[draft].pk}, set())],
        # Images are removed while the listing may be edited, not once it is published.
        "technologies:image_delete": [({"slug": pub, "pk": img[pub].pk}, set()),
                                      ({"slug": draft, "pk": img[draft].pk}, {"owner"}),
                                      ({"slug": pub, "pk": img[draft].pk}, set())],
        "technologies:outcome": [({"pk": w["received"].pk}, {"owner"}), ({"pk": w["sent"].pk}, set())],
        "technologies:partner_consent": [({"pk": w["sent"].pk}, {"owner"}), ({"pk": w["received"].pk}, set())],
        "needs:detail": [({"slug": w["need"].slug}, ALL), ({"slug": w["need_draft"].slug}, {"owner", "staff"}),
                         ({"slug": w["need_submitted"].slug}, {"owner", "staff"})],
        "needs:edit": [({"slug": w["need_draft"].slug}, {"owner"}), ({"slug": w["need"].slug}, set())],
        "needs:translate": [({"slug": w["need_draft"].slug, "language": "zh-hans"}, {"owner"})],
        "needs:submit": [({"slug": w["need_draft"].slug}, {"owner"})],
        "needs:fulfil": [({"slug": w["need"].slug}, {"owner"})],
        "needs:withdraw": [({"slug": w["need"].slug}, {"owner"})],
        "needs:publish": [({"slug": w["need_submitted"].slug}, {"staff"})],
        "needs:return": [({"slug": w["need_submitted"].slug}, {"staff"})],
        "needs:answer": [({"slug": w["need"].slug}, {"outsider", "adviser", "staff"}),
                         ({"slug": w["need_draft"].slug}, set())],
        "advisors:review": [({"pk": pk}, {"adviser"})],
        "advisors:declare": [({"pk": pk}, {"adviser"})],
        "advisors:review_technology": [({"pk": pk}, {"adviser"})],
        "advisors:review_image": [({"pk": pk, "image_pk": img[review].pk}, {"adviser"}),
                                  ({"pk": pk, "image_pk": img[draft].pk}, set())],
        "advisors:review_brochure": [({"pk": pk}, {"adviser"})],
        "advisors:review_queue": [({}, {"adviser"})],
        "advisors:assign": [({"slug": review}, {"staff"})],
        "advisors:decide": [({"slug": review}, {"staff"})],
        "advisors:unassign": [({"pk": pk}, {"staff"})],
        "advisors:detail": [({"slug": w["adviser"].slug}, ALL)],
        "advisors:photo": [({"slug": w["adviser"].slug}, set())],  # no photo
        "events:detail": [({"slug": w["event"].slug}, ALL), ({"slug": w["hidden"].slug}, {"staff"})],
        "events:ics": [({"slug": w["event"].slug}, ALL), ({"slug": w["hidden"].slug}, {"staff"})],
        "events:register": [({"slug": w["event"].slug}, MEMBERS), ({"slug": w["hidden"].slug}, {"staff"})],
        "events:cancel": [({"slug": w["event"].slug}, {"owner"}), ({"slug": w["hidden"].slug}, set())],
        "events:restore": [({"slug": w["event"].slug}, {"owner"}), ({"slug": w["hidden"].slug}, set())],
        "events:invitation": [({"slug": w["invitation"].event.slug, "token": w["invitation"].token}, MEMBERS),
                              ({"slug": w["event"].slug, "token": w["invitation"].token}, set()),
                              ({"slug": w["hidden"].slug, "token": "forged"}, set())],
        # The event asks no questions, offers no visa letter and is not over: nothing to see
        # (the participant's pages are walked by role in tests/events/test_visa_letters.py etc.).
        "events:answers": [({"slug": w["event"].slug}, set()), ({"slug": w["hidden"].slug}, set())],
        "events:visa_letter_request": [({"slug": w["event"].slug}, set()), ({"slug": w["hidden"].slug}, set())],
        "events:visa_letter": [({"slug": w["event"].slug, "pk": 999999}, set())],
        "events:visa_letter_pdf": [({"slug": w["event"].slug, "pk": 999999}, set())],
        "events:certificate": [({"slug": w["event"].slug}, set()), ({"slug": w["hidden"].slug}, set())],
        "calls:detail": [({"slug": w["call"].slug}, ALL), ({"slug": w["hidden_call"].slug}, {"staff"})],
        "calls:deadline_ics": [({"slug": w["call"].slug}, ALL), ({"slug": w["hidden_call"].slug}, {"staff"})],
        "calls:apply": [({"slug": w["call"].slug}, MEMBERS), ({"slug": w["hidden_call"].slug}, ANY)],
        "calls:application": [({"slug": w["call"].slug, "pk": w["application"].pk}, {"owner", "staff"})],
        "calls:submit": [({"slug": w["call"].slug, "pk": w["application"].pk}, ANY)],
        "calls:jury_score": [({"slug": w["call"].slug, "pk": w["jury_assignment"].pk}, {"adviser"})],
        "calls:ranking": [({"slug": w["call"].slug}, {"staff"})],
        "calls:ranking_csv": [({"slug": w["call"].slug}, {"staff"})],
        "calls:ranking_xlsx": [({"slug": w["call"].slug}, {"staff"})],
        "reports:csv": [({"key": "funnel"}, {"staff"}), ({"key": "no-such-report"}, set())],
        # The API shows published objects only, to everyone alike: staff and owners too.
        "api:technology-detail": [({"slug": pub}, ALL), ({"slug": draft}, set()), ({"slug": review}, set())],
        "api:need-detail": [({"slug": w["need"].slug}, ALL), ({"slug": w["need_draft"].slug}, set()),
                            ({"slug": w["need_submitted"].slug}, set())],
        "api:event-detail": [({"slug": w["event"].slug}, ALL), ({"slug": w["hidden"].slug}, set())],
        "api:adviser-detail": [({"slug": w["adviser"].slug}, ALL), ({"slug": "no-such"}, set())],
        "api:not_found": [({"rest": "no-such/"}, set())],
        "accounts:digest_unsubscribe": [({"token": "forged-token"}, set())],
        "account_confirm_email": [({"key": "forged-key"}, ANY)],
        "sitemap_section": [({"section": section}, ALL)
                            for section in ("pages", "technologies", "needs", "events", "advisers", "calls")],
        "account_reset_password_from_key": [({"uidb36": "1", "key": "forged-key"}, ANY)],
    }  # fmt: skip


def _admin_object_ids(w) -> dict[str, str]:
    """An existing row for each admin change/delete/history URL (secret ones where there are)."""
    return {
        "technologies_technology": w["draft"].pk, "technologies_need": w["need_draft"].pk,
        "technologies_inquiry": w["received"].pk, "events_event": w["hidden"].pk,
        "accounts_user": w["users"]["owner"].pk, "advisors_assignment": w["assignment"].pk,
        "advisors_adviser": w["adviser"].pk,
    }  # fmt: skip


def _admin_targets(w, key: str, pattern) -> list[tuple[dict | str, set | None]]:
    from django.contrib.contenttypes.models import ContentType

    ids = _admin_object_ids(w)
    if key == "admin:view_on_site":
        content_type = ContentType.objects.get_for_model(w["draft"])
        return [({"content_type_id": content_type.pk, "object_id": w["draft"].pk}, ANY)]  # a redirect
    if key == "admin:app_list":
        return [({"app_label": "technologies"}, {"staff"})]
    if key.startswith("admin/"):  # unnamed: the old change URL that redirects, and the catch-all
        path = "/" + key.replace("<path:object_id>", "1").replace("(?P<url>.*)$", "no-such-page/")
        return [(path, ANY)]
    if pattern.pattern.regex.groupindex.keys() == {"object_id"}:
        model = key.removeprefix("admin:").rsplit("_", 1)[0]
        return [({"object_id": ids.get(model, 1)}, ANY)]
    if pattern.pattern.regex.groupindex.keys() == {"id"}:  # a member's password, set by staff
        return [({"id": w["users"]["owner"].pk}, ANY)]
    return [({}, ANY)]


def _requests(w):
    """(key, url, who may use it) for every URL pattern of the project."""
    targets = _object_targets(w)
    for key, pattern in sorted(_walk(get_resolver().url_patterns), key=lambda item: item[0]):
        if key.startswith("admin"):
            for kwargs, allowed in _admin_targets(w, key, pattern):
                yield key, kwargs if isinstance(kwargs, str) else reverse(key, kwargs=kwargs), allowed
        elif key in targets:
            for kwargs, allowed in targets[key]:
                yield key, reverse(key, kwargs=kwargs), allowed
        else:
            assert not pattern.pattern.regex.groups, f"point {key} at a real object in _object_targets"
            yield key, reverse(key), ANY


# POSTed, these would end the session that the next URLs are fetched with.
SIGN_OUT = {"admin:logout", "account_logout"}


def _fetch(client: Client, key: str, url: str):
    """GET the URL; a POST-only URL is POSTed with an empty body, and what it changed is
    rolled back so that the next URL sees the same objects."""
    response = client.get(url)
    if response.status_code == 405 and "GET" not in response.get("Allow", "") and key not in SIGN_OUT:
        with transaction.atomic():
            response = client.post(url)
            transaction.set_rollback(True)
        return "POST", response
    return "GET", response


# The owner's workflow buttons: staff, who may see the object, are told no with a message.
OWNERS_BUTTONS = {"technologies:submit", "technologies:withdraw", "technologies:renew", "needs:submit",
                  "needs:fulfil", "needs:withdraw"}  # fmt: skip


# Actions behind a confirmation page (common/confirm.py, issue 22): their GET is the page,
# or, when the move is not possible now (a draft cannot be withdrawn, nothing to restore,
# a return needs staff's message written on the need's page), a redirect that says why.
CONFIRMATION_GET_MAY_REDIRECT = {"technologies:withdraw", "needs:withdraw", "needs:fulfil", "needs:publish",
                                 "needs:return", "events:cancel", "events:restore", "advisors:unassign"}  # fmt: skip


def _problem(role: str, key: str, method: str, response, allowed: set | None) -> str | None:
    status = response.status_code
    location = response.get("Location", "")
    level = _declared(key)
    if status >= 500:
        return "a server error"
    if key in SIGN_OUT:
        return None
    if role == "anonymous" and level in (MEMBER, STAFF):
        signin = (reverse("account_login"), reverse("admin:login"))
        if key == "admin:login":
            return None if status in (200, 302) else f"{status}: the admin sign-in is not sent to allauth's"
        if not (status == 302 and location.startswith(signin)):
            return f"{status} {location}: the anonymous are not sent to sign in"
        return None
    if role != "staff" and role != "anonymous" and level == STAFF:
        if key.startswith("admin") and status == 302 and location.startswith(reverse("admin:login")):
            return None  # the admin's sign-in then refuses members (tests/test_url_access.py)
        return None if status in (403, 404) else f"{status} {location}: a member reached a staff page"
    if allowed is ANY or role == "anonymous":
        return None
    if role == "staff" and key in OWNERS_BUTTONS and status == 302:
        return None  # staff may see the object: told no with a message (test_staff_cannot_press_...)
    if role in allowed:
        ok = {200} if method == "GET" and key not in CONFIRMATION_GET_MAY_REDIRECT else {200, 302, 400}
        return None if status in ok else f"{status} {location}: refused to someone who may use it"
    return None if status in (403, 404) else f"{status} {location}: not refused to someone who may not use it"


def _secrets_in(response) -> set[str]:
    if response.get("Content-Type", "").split(";")[0] not in (
        "text/html",
        "application/json",
        "text/calendar",
        "application/rss+xml",
        "application/xml",
        "text/csv",
        "text/plain",
    ):
        return set()  # images and PDFs: their bytes carry no title
    body = response.content.decode(errors="replace")
    return {secret for secret in SECRETS if secret in body}


@pytest.mark.parametrize("role", ROLES)
def test_every_url_as_every_role(world, role):
    client = world["clients"][role]
    problems, seen = [], set()
    for key, url, allowed in _requests(world):
        method, response = _fetch(client, key, url)
        problem = _problem(role, key, method, response, allowed)
        if problem:
            problems.append(f"{method} {url} [{key}]: {problem}")
        shown = _secrets_in(response)
        seen |= shown
        problems += [f"{method} {url} [{key}]: shows {secret!r}" for secret in shown if role not in SECRETS[secret]]
    assert problems == []
    # Each secret this role may read was shown to them somewhere: the check above looked
    # for texts that the pages really print.
    assert seen == {secret for secret, readers in SECRETS.items() if role in readers}
    if role != "anonymous":  # still signed in: the walk did not lose its session on the way
        assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "target", "field", "before"),
    [
        ("technologies:submit", "draft", "status", "draft"),
        ("technologies:withdraw", "published", "status", "published"),
        ("technologies:renew", "published", "valid_until", None),
        ("needs:submit", "need_draft", "status", "draft"),
        ("needs:fulfil", "need", "status", "published"),
        ("needs:withdraw", "need", "status", "published"),
    ],
)
def test_staff_cannot_press_an_owners_workflow_buttons(world, url_name, target, field, before):
    obj = world[target]
    before = getattr(obj, field) if before is None else before
    response = world["clients"]["staff"].post(reverse(url_name, args=[obj.slug]), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    obj.refresh_from_db()
    assert getattr(obj, field) == before


# --- Access: extra form fields (mass assignment) -------------------------------------------------


def _hostile_fields(w) -> dict:
    """What an attacker adds to a valid form: the server decides every one of these."""
    other = w["stranger"]
    return {
        "status": "published", "state": "submitted", "owner": other.pk, "user": other.pk, "sender": other.pk,
        "recipient": other.pk, "adviser": w["adviser"].pk, "assignment": w["assignment"].pk,
        "technology": w["strangers"].pk, "need": w["need"].pk, "event": w["hidden"].pk,
        "organisation": other.organisation_id, "is_staff": "on", "is_superuser": "on", "is_active": "on",
        "nag_evaluated": "on", "published_at": "2020-01-01 00:00", "submitted_at": "2020-01-01 00:00",
        "agreement_confirmed_at": "2020-01-01 00:00", "success_story": "on", "partner_consent": "on",
        "attended": "on", "views": "1000000", "slug": "hijacked", "pk": "999999", "id": "999999",
        "email": "hijack@example.org", "password": "hijacked", "weighted_score": "5", "closed_at": "2020-01-01",
    }  # fmt: skip


def _technology_form():
    from tests.technologies.test_views import form_data

    return form_data(title="Cassava peel biogas digester")


def _need_form():
    from tests.needs.test_needs import _form_data

    return _form_data(title="Solar cold room for fish")


def _assert_untouched_listing(technology, *, owner, status="draft"):
    assert (technology.owner, technology.organisation, technology.status) == (owner, owner.organisation, status)
    assert technology.slug != "hijacked" and technology.pk != 999999
    assert technology.nag_evaluated is False


def _post(client, url, data, *, expect=302):
    response = client.post(url, data)
    form = response.context.get("form") if response.context else None
    assert response.status_code == expect, (url, response.status_code, form.errors if form else None)
    return response


def case_technology_create(w, hostile):
    from technologies.models import Technology

    _post(w["clients"]["owner"], reverse("technologies:create"), {**hostile, **_technology_form()})
    technology = Technology.objects.get(title="Cassava peel biogas digester")
    _assert_untouched_listing(technology, owner=w["users"]["owner"])
    assert technology.slug == "cassava-peel-biogas-digester"
    assert (technology.published_at, technology.submitted_at, technology.valid_until) == (None, None, None)


def case_technology_edit(w, hostile):
    draft = w["draft"]
    _post(w["clients"]["owner"], reverse("technologies:edit", args=[draft.slug]), {**hostile, **_technology_form()})
    draft.refresh_from_db()
    _assert_untouched_listing(draft, owner=w["users"]["owner"])
    assert (draft.title, draft.slug, draft.published_at) == ("Cassava peel biogas digester", "secret-draft", None)


def case_technology_translate(w, hostile):
    draft = w["draft"]
    url = reverse("technologies:translate", args=[draft.slug, "fr"])
    _post(w["clients"]["owner"], url, {**hostile, "title": "Four secret", "summary": "Résumé", "description": "D"})
    draft.refresh_from_db()
    _assert_untouched_listing(draft, owner=w["users"]["owner"])
    assert (draft.title, draft.title_i18n_fr, draft.slug) == ("Secret draft kiln Zq1", "Four secret", "secret-draft")


def case_need_create(w, hostile):
    from technologies.models import Need

    _post(w["clients"]["outsider"], reverse("needs:create"), {**hostile, **_need_form()})
    need = Need.objects.get(title="Solar cold room for fish")
    outsider = w["users"]["outsider"]
    assert (need.owner, need.organisation, need.status, need.slug) == (
        outsider,
        outsider.organisation,
        "draft",
        "solar-cold-room-for-fish",
    )
    assert (need.published_at, need.submitted_at) == (None, None)


def case_need_edit(w, hostile):
    need = w["need_draft"]
    _post(w["clients"]["owner"], reverse("needs:edit", args=[need.slug]), {**hostile, **_need_form()})
    need.refresh_from_db()
    owner = w["users"]["owner"]
    assert (need.owner, need.organisation, need.status) == (owner, owner.organisation, "draft")
    assert need.slug == "secret-need"
    assert need.title == "Solar cold room for fish" and need.published_at is None


def case_need_translate(w, hostile):
    need = w["need_draft"]
    url = reverse("needs:translate", args=[need.slug, "fr"])
    _post(w["clients"]["owner"], url, {**hostile, "title": "Besoin", "problem": "Le problème"})
    need.refresh_from_db()
    assert (need.owner, need.status, need.slug, need.title) == (
        w["users"]["owner"],
        "draft",
        "secret-need",
        "Secret need draft Zq3",
    )


def case_profile(w, hostile):
    owner = w["users"]["owner"]
    data = {**hostile, "name": "Owner Renamed", "organisation": "Renamed Co", "stakeholder_type": "innovator",
            "country": "SN", "preferred_language": "en"}  # fmt: skip
    _post(w["clients"]["owner"], reverse("accounts:profile"), data)
    email = owner.email
    owner.refresh_from_db()
    assert owner.name == "Owner Renamed" and owner.organisation.name == "Renamed Co"
    assert (owner.is_staff, owner.is_superuser, owner.is_active, owner.email) == (False, False, True, email)
    assert owner.check_password("hijacked") is False


def case_inquiry(w, hostile):
    from technologies.models import Inquiry

    published = w["published"]
    data = {**hostile, "cooperation": published.cooperation.first().pk, "organisation_name": "Outsider Co",
            "message": "We would like to license it."}  # fmt: skip
    _post(w["clients"]["outsider"], reverse("technologies:inquire", args=[published.slug]), data)
    inquiry = Inquiry.objects.get(message="We would like to license it.")
    assert (inquiry.sender, inquiry.technology, inquiry.need, inquiry.recipient_id) == (
        w["users"]["outsider"],
        published,
        None,
        w["users"]["owner"].pk,
    )
    assert (inquiry.outcome, inquiry.success_story, inquiry.partner_consent, inquiry.agreement_confirmed_at) == (
        "",
        False,
        False,
        None,
    )


def case_outcome(w, hostile):
    inquiry = w["received"]
    data = {**hostile, "outcome": "agreement", "agreement_type": inquiry.cooperation_id, "feature_consent": "on",
            "story": "We signed.", "outcome_note": ""}  # fmt: skip
    _post(w["clients"]["owner"], reverse("technologies:outcome", args=[inquiry.pk]), data)
    sender, technology = inquiry.sender, inquiry.technology
    inquiry.refresh_from_db()
    assert (inquiry.outcome, inquiry.feature_consent) == ("agreement", True)
    assert (inquiry.sender, inquiry.technology, inquiry.need) == (sender, technology, None)
    assert (inquiry.success_story, inquiry.partner_consent, inquiry.agreement_confirmed_at) == (False, False, None)


def case_partner_consent(w, hostile):
    inquiry = w["sent"]
    _post(
        w["clients"]["owner"],
        reverse("technologies:partner_consent", args=[inquiry.pk]),
        {**hostile, "consent": "yes"},
    )
    inquiry.refresh_from_db()
    assert (inquiry.partner_consent, inquiry.sender, inquiry.technology) == (True, w["users"]["owner"], w["strangers"])
    assert (inquiry.success_story, inquiry.agreement_confirmed_at) == (False, None)


def case_need_answer(w, hostile):
    from technologies.models import Inquiry

    need = NeedFactory(owner=w["stranger"], title="A stranger's need")
    data = {**hostile, "technology": w["published"].pk, "cooperation": w["published"].cooperation.first().pk,
            "message": "Our dryer fits."}  # fmt: skip
    _post(w["clients"]["owner"], reverse("needs:answer", args=[need.slug]), data)
    answer = Inquiry.objects.get(message="Our dryer fits.")
    assert (answer.sender, answer.technology, answer.need, answer.recipient_id) == (
        w["users"]["owner"],
        w["published"],
        need,
        w["stranger"].pk,
    )
    assert (answer.outcome, answer.success_story, answer.agreement_confirmed_at) == ("", False, None)
    # Someone else's technology cannot be offered: an error, nothing saved.
    data["technology"], data["message"] = w["strangers"].pk, "Their pump fits."
    _post(w["clients"]["owner"], reverse("needs:answer", args=[need.slug]), data, expect=400)
    assert not Inquiry.objects.filter(message="Their pump fits.").exists()


def case_event_registration(w, hostile):
    from events.models import Registration

    outsider = w["users"]["outsider"]
    url = reverse("events:register", args=[w["event"].slug])
    _post(w["clients"]["outsider"], url, {**hostile, "status": "attended"})
    registration = Registration.objects.get(user=outsider)
    assert (registration.event, registration.status, registration.attended) == (w["event"], "registered", None)
    assert not Registration.objects.filter(user=w["stranger"]).exists()
    # An invitation-only event: the extra fields do not stand in for an invitation.
    _post(w["clients"]["outsider"], reverse("events:register", args=[w["invitation"].event.slug]), hostile)
    assert not Registration.objects.filter(event=w["invitation"].event).exists()


def case_adviser_declaration_and_review(w, hostile):
    from advisors.models import Criterion, Review

    assignment = w["assignment"]
    client = w["clients"]["adviser"]
    _post(client, reverse("advisors:declare", args=[assignment.pk]), {**hostile, "declaration": "none"})
    assignment.refresh_from_db()
    assert (assignment.state, assignment.adviser, assignment.technology) == ("reviewing", w["adviser"],
                                                                            w["in_review"])  # fmt: skip
    scores = {f"score_{criterion.pk}": "4" for criterion in Criterion.objects.active()}
    data = {**hostile, **scores, "recommendation": "publish", "comments_for_innovator": "Good.",
            "confidential_comments": ""}  # fmt: skip
    _post(client, reverse("advisors:review", args=[assignment.pk]), data)  # saved as a draft: no "submit"
    review = Review.objects.get()
    assignment.refresh_from_db()
    assert (review.assignment, review.submitted_at, review.recommendation) == (assignment, None, "publish")
    assert assignment.state == "reviewing" and assignment.closed_at is None


def case_staff_decision(w, hostile):
    technology = w["in_review"]
    data = {**hostile, "decision": "publish", "message": "", "confirmed": "1"}
    _post(w["clients"]["staff"], reverse("advisors:decide", args=[technology.slug]), data)
    technology.refresh_from_db()
    assert (technology.status, technology.nag_evaluated, technology.owner) == ("published", False, w["users"]["owner"])
    assert technology.slug == "secret-review" and technology.published_at.year >= 2025


def case_signup(w, hostile):
    from accounts.models import User
    from tests.accounts.test_signup import signup_data

    _post(Client(), reverse("account_signup"), {**hostile, **signup_data(email="new.member@example.org")})
    user = User.objects.get(email="new.member@example.org")
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert not user.emailaddress_set.filter(verified=True).exists()


def case_contact(w, hostile):
    from mailer.models import Message

    data = {**hostile, "name": "Outsider Person", "email": "outsider@example.org", "topic": "general",
            "subject": "A question", "message": "Who reviews the listings?"}  # fmt: skip
    queued = set(Message.objects.values_list("pk", flat=True))
    _post(w["clients"]["outsider"], reverse("contact"), data)
    (message,) = Message.objects.exclude(pk__in=queued)
    assert message.to_addresses == [w["users"]["staff"].email]  # staff only, whatever the extra fields say
    assert "Reply-To: outsider@example.org" in message.email.message().as_string()


def case_consent(w, hostile):
    from accounts.models import Consent, LegalDocument

    today = timezone.localdate()
    terms = LegalDocument.objects.create(kind="terms", version=1, title="Terms", body="T.", effective_date=today)
    _post(w["clients"]["outsider"], reverse("accounts:consent"), {**hostile, "documents": str(terms.pk)})
    assert list(Consent.objects.values_list("user", "document")) == [(w["users"]["outsider"].pk, terms.pk)]


FORMS = {name.removeprefix("case_"): case for name, case in list(globals().items()) if name.startswith("case_")}


@pytest.mark.parametrize("form", list(FORMS))
def test_extra_fields_in_a_form_are_ignored(world, form):
    FORMS[form](world, _hostile_fields(world))


# --- Exports (formula injection) -----------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula; importers trim
# white space first (tab and carriage return are the usual examples, not the only ones).
FORMULA_START = ("=", "+", "-", "@")
FORMULAS = {
    "equals": '=HYPERLINK("http://evil.example","x")',
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)",
    "tab": "\t=1+1",
    "carriage-return": "\r=1+1",
    "line-feed": "\n=1+1",
    "space": " =1+1",
    "no-break-space": "\u00a0=1+1",
    "separator": "Kiln;=1+1",  # quoted by the writer: one cell, which starts with a letter
}


def _cells(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _runs_as_a_formula(cell: str) -> bool:
    return cell.lstrip().startswith(FORMULA_START) or cell.startswith(("\t", "\r", "\n"))


@pytest.mark.parametrize("kind", list(FORMULAS))
def test_no_export_cell_runs_as_a_formula(client, settings, kind):
    """Every CSV staff download, with a formula in every member- or staff-written text that
    reaches it: the registrants of events (admin action) and each report of /reports/.
    (The member's data export is JSON and the calendar files are iCalendar: no spreadsheet
    runs their text.)"""
    from common.reference.models import Sector
    from events import services as event_services
    from reports import figures

    payload = FORMULAS[kind]
    settings.WIITS_STAFF_REQUIRE_MFA = False  # the two-factor rule is tested on its own
    event = EventFactory(title=f"{payload} workshop", starts_at=timezone.now() + timezone.timedelta(hours=1))
    for n, email in enumerate([f"member{kind}@example.org", "=1+1@example.org", "-1+cmd@example.org"]):
        member = UserFactory(name=f"{payload} {n}", email=email, organisation__name=f"{payload} Co {n}")
        event_services.registration_create(event=event, user=member)
    sector = Sector.objects.get(slug="agro-food-processing")
    Sector.objects.filter(pk=sector.pk).update(name=f"{payload} sector")
    TechnologyFactory(sector=sector, title=payload, summary=payload)
    client.force_login(StaffFactory())

    exports = {
        "registrants": client.post(
            reverse("admin:events_event_changelist"), {"action": "export_registrants", "_selected_action": [event.pk]}
        ),
        **{key: client.get(reverse("reports:csv", args=[key])) for key in figures.REPORTS},
    }
    unsafe = {name: [c for c in _cells(response) if _runs_as_a_formula(c)] for name, response in exports.items()}
    assert unsafe == {name: [] for name in exports}
    # The payload did reach the files (neutralised), so the check above looked at it.
    registrants = _cells(exports["registrants"])
    assert any(payload.strip() in cell for cell in registrants)
    assert any(payload.strip() in cell for cell in _cells(exports["events"]))
    assert any(payload.strip() in cell for cell in _cells(exports["sectors"]))


# --- Authentication: guessing and enumeration (the rest is in tests/accounts/test_abuse.py) -------

WRONG = "The email address and/or password you specified are not correct."


def _page_without(response, email: str) -> str:
    """The page, without what differs between two requests anyway (the CSRF token) and the
    address the visitor typed."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return page.replace(email, "EMAIL")


def test_sign_in_says_the_same_for_an_unknown_address_and_a_wrong_password(member):
    known = Client().post(reverse("account_login"), {"login": member.email, "password": "wrong-password"})
    unknown = Client().post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong-password"})
    assert known.status_code == unknown.status_code == 200
    for response in (known, unknown):
        page = response.content.decode()
        assert WRONG in page and "_auth_user_id" not in response.client.session
    # The pages differ only by the address typed back into the form.
    assert _page_without(known, member.email) == _page_without(unknown, "nobody@example.org")


@pytest.mark.parametrize("forwarded", [False, True])
def test_guessing_many_accounts_from_one_address_is_stopped(member, password, forwarded):
    """Credential stuffing: one wrong password for each of many addresses. Changing the
    X-Forwarded-For header does not make a new visitor (no proxy is trusted by default)."""
    client = Client()
    for n in range(10):
        headers = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"} if forwarded else {}
        guess = {"login": f"guess{n}@example.org", "password": "x"}
        response = client.post(reverse("account_login"), guess, **headers)
        assert response.status_code == 200 and WRONG in response.content.decode()
    headers = {"HTTP_X_FORWARDED_FOR": "198.51.100.1"} if forwarded else {}
    response = client.post(reverse("account_login"), {"login": member.email, "password": password}, **headers)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_a_burst_of_sign_ups_from_one_address_is_stopped():
    from accounts.models import User
    from tests.accounts.test_signup import signup_data

    client = Client()
    statuses = [
        client.post(reverse("account_signup"), signup_data(email=f"bot{n}@example.org")).status_code for n in range(21)
    ]
    assert statuses[:20] == [302] * 20 and statuses[20] == 429
    assert not User.objects.filter(email="bot20@example.org").exists()


# --- Access: open redirects ---------------------------------------------------------------------

FOREIGN = ["https://evil.example/", "//evil.example/", "http://evil.example/dashboard/", "/\\evil.example",
           "javascript:alert(1)", "https:evil.example", "\\\\evil.example"]  # fmt: skip


def _foreign(location: str) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    return not url_has_allowed_host_and_scheme(location, {"testserver"})


@pytest.mark.parametrize("next_url", FOREIGN)
def test_no_page_redirects_to_another_site(member, next_url):
    """Every page that takes `next=` (the sign-in is in tests/accounts/test_abuse.py)."""
    from tests.accounts.test_signup import signup_data

    client = Client()
    client.force_login(member)
    responses = {
        "set_language": client.post(reverse("set_language"), {"language": "fr", "next": next_url}),
        "set_language (referer)": client.post(reverse("set_language"), {"language": "en"}, HTTP_REFERER=next_url),
        "reauthenticate": client.post(reverse("account_reauthenticate") + "?next=" + next_url,
                                      {"password": "correct-horse-battery-staple"}),
        "sign-up": Client().post(reverse("account_signup") + "?next=" + next_url, signup_data(email="n@example.org")),
        "accept the terms": client.post(reverse("accounts:consent"), {"next": next_url}),
        "accept the terms (query)": client.post(reverse("accounts:consent") + "?next=" + next_url),
        "sign-out": client.post(reverse("account_logout"), {"next": next_url}),
    }  # fmt: skip
    for name, response in responses.items():
        location = response.get("Location", "")
        assert response.status_code in (200, 302), name
        assert not (location and _foreign(location)), (name, location)
