"""Nothing irreversible in one unconfirmed click (issue 22, common/confirm.py).

For each action behind a confirmation: a GET of its URL, and the POST its button sends
from the object's page (without `confirmed`), show the confirmation page and change
nothing in the database; the page's own form (read from the HTML and posted back as a
browser would) does the action. Who may see the page is who may act: the anonymous are
sent to sign in, others get 404 or 403 as the action's POST does.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from mailer.models import Message

from advisors import services as advisor_services
from advisors.models import Assignment, AssignmentState, Criterion, Review
from events import services as event_services
from events.models import Registration
from technologies.models import Need, NeedStatus, Technology, TechnologyImage, TechnologyStatus, TechnologyTransition
from tests.factories import AdviserFactory, EventFactory, NeedFactory, TechnologyFactory, UserFactory
from tests.technologies.test_views import png_bytes

pytestmark = pytest.mark.django_db
DUE = timezone.localdate() + datetime.timedelta(days=14)


def database() -> dict:
    """What the actions here could change: rows, their states, queued emails."""
    return {
        "technologies": list(Technology.objects.order_by("pk").values_list("pk", "status", "nag_evaluated")),
        "transitions": TechnologyTransition.objects.count(),
        "images": list(TechnologyImage.objects.order_by("pk").values_list("pk", flat=True)),
        "needs": list(Need.objects.order_by("pk").values_list("pk", "status")),
        "registrations": list(Registration.objects.order_by("pk").values_list("pk", "status", "queued_at")),
        "assignments": list(Assignment.objects.order_by("pk").values_list("pk", "state", "closed_at")),
        "reviews": list(Review.objects.order_by("pk").values_list("pk", "submitted_at", "updated_at")),
        "emails": Message.objects.count(),
    }


class _ConfirmForm(HTMLParser):
    """The confirmation page's form: the one that sends confirmed=1."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "fields": []})
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"].append((attrs["name"], attrs.get("value", "")))


def confirm_form(response) -> tuple[str, dict]:
    """The action and the data of the page's Confirm button, as a browser would send them."""
    parser = _ConfirmForm()
    parser.feed(response.content.decode())
    (form,) = [form for form in parser.forms if ("confirmed", "1") in form["fields"]]
    data: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    data.pop("csrfmiddlewaretoken", None)
    return form["action"], data


def assert_confirmation_page(response, *texts):
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="confirmed" value="1"' in page
    for text in texts:
        assert text in page, text


# --- The member's own actions -----------------------------------------------------------------


def test_withdrawing_a_listing_asks_first_then_withdraws(client, published, other_member):
    url = reverse("technologies:withdraw", args=[published.slug])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirmed": "1"}).status_code == 404
    client.force_login(published.owner)
    detail = client.get(published.get_absolute_url()).content.decode()
    assert f'action="{url}"' in detail  # the listing page's button leads here
    before = database()
    for response in (client.get(url), client.post(url)):
        assert_confirmation_page(
            response,
            "Withdraw your listing from the catalogue?",
            "A withdrawn listing cannot be published again",
            "No, keep it listed",
        )
        assert database() == before
    action, data = confirm_form(client.get(url))
    assert action == url
    response = client.post(action, data)
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == TechnologyStatus.WITHDRAWN


def test_a_draft_cannot_be_withdrawn_and_its_confirmation_says_so(client, draft, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    url = reverse("technologies:withdraw", args=[draft.slug])
    for who in (draft.owner, staff):
        client.force_login(who)
        before = database()
        response = client.get(url, follow=True)
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
        assert database() == before


def test_removing_an_image_asks_first_showing_the_image(client, draft, other_member, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    image = TechnologyImage.objects.create(
        technology=draft, image=SimpleUploadedFile("a.png", png_bytes()), alt_text="The dryer from above"
    )
    url = reverse("technologies:image_delete", args=[draft.slug, image.pk])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(staff)  # staff may see the draft, not edit it
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirmed": "1"}).status_code == 403
    client.force_login(draft.owner)
    edit_page = client.get(reverse("technologies:edit", args=[draft.slug])).content.decode()
    assert f'action="{url}"' in edit_page
    before = database()
    for response in (client.get(url), client.post(url)):
        assert_confirmation_page(response, "Remove this image?", image.get_absolute_url(), "The dryer from above")
        assert database() == before
    response = client.post(*confirm_form(client.get(url)))
    assert response["Location"] == reverse("technologies:edit", args=[draft.slug])
    assert not TechnologyImage.objects.filter(pk=image.pk).exists()


def test_an_image_of_a_published_listing_cannot_be_removed(client, published):
    image = TechnologyImage.objects.create(technology=published, image=SimpleUploadedFile("a.png", png_bytes()))
    client.force_login(published.owner)
    url = reverse("technologies:image_delete", args=[published.slug, image.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirmed": "1"}).status_code == 403
    assert TechnologyImage.objects.filter(pk=image.pk).exists()


def test_withdrawing_a_need_asks_first_then_withdraws(client, other_member):
    need = NeedFactory(status=NeedStatus.PUBLISHED)
    url = reverse("needs:withdraw", args=[need.slug])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(need.owner)
    assert f'action="{url}"' in client.get(need.get_absolute_url()).content.decode()
    before = database()
    for response in (client.get(url), client.post(url)):
        assert_confirmation_page(response, "Withdraw your need from the list?", "cannot be published again")
        assert database() == before
    client.post(*confirm_form(client.get(url)), follow=True)
    need.refresh_from_db()
    assert need.status == NeedStatus.WITHDRAWN
    # Done already: the confirmation is not offered again.
    response = client.get(url, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_marking_a_need_fulfilled_asks_first_then_marks_it(client, other_member, staff):
    need = NeedFactory(status=NeedStatus.PUBLISHED)
    url = reverse("needs:fulfil", args=[need.slug])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(staff)  # staff see the need but do not close it for its owner
    before = database()
    assert client.get(url).status_code == 302 and database() == before
    client.force_login(need.owner)
    before = database()
    for response in (client.get(url), client.post(url)):
        assert_confirmation_page(response, "Mark your need as fulfilled?", "cannot be published again")
        assert database() == before
    client.post(*confirm_form(client.get(url)), follow=True)
    need.refresh_from_db()
    assert need.status == NeedStatus.FULFILLED


# --- Staff's decisions ----------------------------------------------------------------------


def test_publishing_a_need_repeats_the_message_to_confirm(client, staff, member, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    need = NeedFactory(status=NeedStatus.SUBMITTED)
    url = reverse("needs:publish", args=[need.slug])
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url, {"message": "Hi", "confirmed": "1"}).status_code == 403
    client.force_login(staff)
    before = database()
    assert_confirmation_page(client.get(url), "Publish this need?")
    response = client.post(url, {"message": "Welcome <b>aboard</b>"})
    assert_confirmation_page(response, "Welcome &lt;b&gt;aboard&lt;/b&gt;", "Its owner is emailed")
    assert database() == before
    # "Go back and change it" shows the need's page with the message still in the form.
    back = client.post(url, {"message": "Welcome <b>aboard</b>", "back": "1"})
    assert back.status_code == 200 and back.context["moderation_form"]["message"].value() == "Welcome <b>aboard</b>"
    assert database() == before
    action, data = confirm_form(response)
    assert data["message"] == ["Welcome <b>aboard</b>"]
    client.post(action, data)
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED
    assert need.transitions.latest("pk").message == "Welcome <b>aboard</b>"


def test_returning_a_need_needs_a_message_before_the_confirmation(client, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    need = NeedFactory(status=NeedStatus.SUBMITTED)
    url = reverse("needs:return", args=[need.slug])
    client.force_login(staff)
    before = database()
    assert client.get(url)["Location"] == need.get_absolute_url()  # where the message is written
    empty = client.post(url, {"message": "  "})
    assert empty.status_code == 400 and "Write a message for the owner" in empty.content.decode()
    response = client.post(url, {"message": "Say which district."})
    assert_confirmation_page(response, "Return this need to its owner?", "Say which district.")
    assert database() == before
    client.post(*confirm_form(response))
    need.refresh_from_db()
    assert need.status == NeedStatus.RETURNED


@pytest.fixture
def in_review(innovator, staff):
    technology = TechnologyFactory(owner=innovator, status="submitted", title="Zig-zag kiln", slug="zig-zag-kiln")
    adviser = AdviserFactory(user__name="Ada Adviser")
    assignment = advisor_services.assignment_create(technology=technology, adviser=adviser, due_date=DUE, by=staff)
    return technology, assignment


def test_unassigning_an_adviser_asks_first(client, staff, member, in_review, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    _technology, assignment = in_review
    url = reverse("advisors:unassign", args=[assignment.pk])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirmed": "1"}).status_code == 403
    client.force_login(staff)
    before = database()
    for response in (client.get(url), client.post(url)):
        assert_confirmation_page(response, "Unassign this adviser?", "Ada Adviser", "start a new review")
        assert database() == before
    client.post(*confirm_form(client.get(url)))
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.CANCELLED


def _review_in(assignment):
    advisor_services.assignment_declare(assignment=assignment, by=assignment.adviser.user, recuse=False)
    advisor_services.review_save(
        assignment=assignment, by=assignment.adviser.user,
        scores={criterion.pk: 4 for criterion in Criterion.objects.active()}, recommendation="publish",
        comments_for_innovator="Clear data.", confidential_comments="", submit=True,
    )  # fmt: skip


def test_a_decision_shows_what_follows_and_its_message_before_it_is_recorded(
    client, staff, in_review, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    technology, assignment = in_review
    _review_in(assignment)
    url = reverse("advisors:decide", args=[technology.slug])
    client.force_login(staff)
    before = database()
    data = {"decision": "request_changes", "message": "Add the\nfield data."}
    response = client.post(url, data)
    assert_confirmation_page(
        response, "Record this decision?", "Request changes", "Add the\nfield data.", "a decision cannot be taken back"
    )
    assert database() == before
    back = client.post(url, {**data, "back": "1"})
    assert back.status_code == 200 and back.context["form"]["message"].value() == "Add the\nfield data."
    assert database() == before
    with django_capture_on_commit_callbacks(execute=True):
        client.post(*confirm_form(response))
    technology.refresh_from_db()
    assert technology.status == TechnologyStatus.CHANGES_REQUESTED
    assert any("Add the\nfield data." in m.body for m in mailoutbox if m.to == [technology.owner.email])


def test_a_decision_the_service_would_refuse_is_said_before_the_confirmation(client, staff, in_review, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    technology, assignment = in_review
    _review_in(assignment)
    url = reverse("advisors:decide", args=[technology.slug])
    client.force_login(staff)
    before = database()
    no_message = client.post(url, {"decision": "reject", "message": ""})
    assert no_message.status_code == 400 and "Write a message for the owner" in no_message.content.decode()
    # One review of the two wanted: the NAG mark is not earned.
    unearned = client.post(url, {"decision": "publish_nag", "message": ""})
    assert unearned.status_code == 400 and "needs at least 2 submitted reviews" in unearned.content.decode()
    # Even confirmed, the service refuses.
    assert client.post(url, {"decision": "publish_nag", "message": "", "confirmed": "1"}).status_code == 400
    assert database() == before


# --- Events: the confirmation page's words ----------------------------------------------------


def test_cancelling_says_the_place_goes_to_the_waiting_list_when_someone_waits(client):
    event = EventFactory(capacity=1)
    holder, waiting = UserFactory(), UserFactory()
    event_services.registration_create(event=event, user=holder)
    url = reverse("events:cancel", args=[event.slug])
    client.force_login(holder)
    assert f'action="{url}"' in client.get(event.get_absolute_url()).content.decode()
    assert_confirmation_page(client.get(url), "you can restore your registration")
    event_services.registration_create(event=event, user=waiting)
    before = database()
    for response in (client.get(url), client.post(url)):
        assert_confirmation_page(
            response,
            "Your place goes at once to the first person on the waiting list, who is emailed.",
            "This cannot be undone.",
            "No, keep my registration",
        )
        assert database() == before
    client.post(*confirm_form(client.get(url)))
    assert dict(Registration.objects.values_list("user_id", "status")) == {
        holder.pk: "cancelled",
        waiting.pk: "registered",
    }


def test_cancel_is_for_the_members_own_registration(client, member, other_member):
    event = EventFactory()
    event_services.registration_create(event=event, user=member)
    url = reverse("events:cancel", args=[event.slug])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(other_member)
    before = database()
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirmed": "1"}).status_code == 403
    hidden = EventFactory(is_published=False)
    assert client.get(reverse("events:cancel", args=[hidden.slug])).status_code == 404
    assert database() == before


def test_the_confirmation_page_has_no_inline_code_and_follows_the_readers_language(client, published):
    client.force_login(published.owner)
    page = client.get(reverse("technologies:withdraw", args=[published.slug])).content.decode()
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))  # CSP: files only
    assert not re.search(r"\s(style|on[a-z]+)=", page)
    with translation.override("ar"):
        url = reverse("technologies:withdraw", args=[published.slug])
    arabic = client.get(url).content.decode()
    assert 'dir="rtl"' in arabic and 'name="confirmed" value="1"' in arabic
