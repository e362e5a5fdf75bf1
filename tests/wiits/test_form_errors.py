"""Forms say what is wrong where it is wrong (issue 22, part 2): a form sent back with
problems starts with GOV.UK's error summary, whose links lead to the fields; each invalid
field shows its message above the control, with aria-invalid and aria-describedby pointing at
the message (and at its hint); what was typed is still there; the status code is the view's.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from calls.models import Application, CallQuestion
from needs.forms import NeedForm
from technologies.models import Inquiry, Need, Technology
from tests.factories import AdviserFactory, CallFactory, TechnologyFactory

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class FormPage(HTMLParser):
    """What a page shows of its forms: elements by id (attributes and text), the controls
    by name, and the error summaries with their list items and links."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict] = {}
        self.controls: dict[str, list[dict]] = {}
        self.summaries: list[dict] = []
        self.described: list[dict] = []  # every element with an aria-describedby
        self._open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        element = {"tag": tag, "attrs": attrs, "text": ""}
        if "id" in attrs:
            self.by_id[attrs["id"]] = element
        if "aria-describedby" in attrs:
            self.described.append(element)
        if tag in ("input", "select", "textarea") and "name" in attrs:
            self.controls.setdefault(attrs["name"], []).append(element)
        if "data-error-summary" in attrs:
            element.update(items=[], links=[])
            self.summaries.append(element)
        if tag == "option" and "selected" in attrs:
            select = next((e for e in reversed(self._open) if e["tag"] == "select"), None)
            if select is not None:
                select.setdefault("selected", []).append(attrs.get("value"))
        if tag == "li" and self._summary() is not None:
            self._summary()["items"].append(element)
        if tag == "h2" and self._summary() is not None:
            self._summary()["heading"] = element
        if tag == "a" and self._summary() is not None:
            self._summary()["links"].append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index]["tag"] == tag:
                del self._open[index:]
                return

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def _summary(self):
        return next((e for e in reversed(self._open) if "data-error-summary" in e["attrs"]), None)

    # --- Questions the tests ask ---------------------------------------------------------------

    @property
    def summary(self) -> dict:
        (summary,) = self.summaries
        return summary

    def summary_links(self) -> dict[str, str]:
        return {link["attrs"]["href"]: " ".join(link["text"].split()) for link in self.summary["links"]}

    def control(self, name: str) -> dict:
        return self.controls[name][0]

    def described_by(self, element: dict) -> list[str]:
        return element["attrs"].get("aria-describedby", "").split()


def assert_sent_back(html: str, invalid: dict[str, str], *, valid=(), english=True) -> FormPage:
    """The page has one error summary, linking to each `invalid` field ({name: part of its
    message}), and each field says its error where it is; the `valid` ones say nothing."""
    page = FormPage(html)
    summary = page.summary
    assert summary["attrs"].get("tabindex") == "-1"  # forms.js moves the focus there
    heading = summary["heading"]["text"].strip()
    assert heading == "There is a problem" if english else heading
    links = page.summary_links()
    for name, message in invalid.items():
        field_id = f"id_{name}"
        (href,) = [href for href in links if href in (f"#{field_id}", f"#{field_id}_0")]
        assert href[1:] in page.by_id, f"the summary links to {href}, which is not on the page"
        assert message in links[href]
        error = page.by_id[f"{field_id}_error"]
        assert message in error["text"]
        controls = page.controls[name]
        assert all(control["attrs"].get("aria-invalid") == "true" for control in controls)
        if page.by_id[field_id]["tag"] in ("input", "select", "textarea"):
            described = page.described_by(page.by_id[field_id])
        else:  # a group of choices is described on its fieldset (or on each of its choices)
            fieldsets = [
                e for e in page.described if e["tag"] == "fieldset" and field_id in e["attrs"]["aria-describedby"]
            ]
            described = page.described_by(fieldsets[0]) if fieldsets else page.described_by(controls[0])
            assert fieldsets or all(page.described_by(control) == described for control in controls)
        assert f"{field_id}_error" in described
        if f"{field_id}_helptext" in page.by_id:
            assert f"{field_id}_helptext" in described
    for name in valid:
        assert all("aria-invalid" not in control["attrs"] for control in page.controls[name])
        assert f"id_{name}_error" not in page.by_id
    return page


# --- The main forms ---------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/ar", "/ru"])
def test_the_need_form_points_to_each_problem_and_keeps_what_was_typed(member_client, prefix):
    response = member_client.post(
        prefix + reverse("needs:create"),
        {"title": "", "problem": "Mangoes rot before market.", "trl_min": "12", "sdgs": ["99999"], "country": "SN"},
    )
    assert response.status_code == 200  # as the view has always answered
    page = assert_sent_back(
        response.content.decode(),
        {"title": "", "trl_min": "12", "valid_until": "", "sdgs": "99999"},
        valid=["problem", "country"],
        english=not prefix,
    )
    assert page.control("problem")["text"].strip() == "Mangoes rot before market."
    assert page.control("country")["selected"] == ["SN"]
    # Each message once beside its field: one id, however many messages.
    assert page.by_id["id_title_error"]["tag"] == "div"
    assert not Need.objects.exists()


def test_messages_sit_above_the_control_after_the_hint(member_client):
    html = member_client.post(reverse("needs:create"), {"title": "", "trl_min": "12"}).content.decode()
    label, hint, error, control = (
        html.index('for="id_trl_min"'),
        html.index('id="id_trl_min_helptext"'),
        html.index('id="id_trl_min_error"'),
        html.index('name="trl_min"'),
    )
    assert label < hint < error < control


def test_a_form_without_problems_has_no_summary_and_nothing_marked(member_client):
    page = FormPage(member_client.get(reverse("needs:create")).content.decode())
    assert page.summaries == []
    assert not any("aria-invalid" in c["attrs"] for controls in page.controls.values() for c in controls)
    # The hint is still tied to its field.
    assert page.described_by(page.control("trl_min")) == ["id_trl_min_helptext"]


def test_sign_up_points_to_each_problem_and_keeps_what_was_typed(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "chen.jie@example.org",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "name": "   ",
            "organisation": "Suzhou Green Materials",
            "stakeholder_type": "emperor",
            "country": "CN",
        },
    )
    assert response.status_code == 200  # allauth's answer to a form with errors
    page = assert_sent_back(
        response.content.decode(),
        {"name": "This field is required.", "stakeholder_type": "Select a valid choice."},
        valid=["email", "organisation", "country"],
    )
    assert page.control("email")["attrs"]["value"] == "chen.jie@example.org"
    assert page.control("organisation")["attrs"]["value"] == "Suzhou Green Materials"
    assert page.control("country")["selected"] == ["CN"]
    # The password is never sent back to the browser (Django's PasswordInput).
    assert "value" not in page.control("password1")["attrs"]
    # The password rules (the hint) stay tied to the password field.
    assert "id_password1_helptext" in page.described_by(page.control("password1"))
    assert not User.objects.exists()


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_sign_in_lists_a_problem_of_no_field_without_a_link(client, member, prefix):
    response = client.post(prefix + reverse("account_login"), {"login": member.email, "password": "wrong-password"})
    assert response.status_code == 200
    page = FormPage(response.content.decode())
    (item,) = page.summary["items"]
    assert item["text"].strip()  # allauth's "The email address and/or password you specified are not correct."
    assert page.summary["links"] == []
    assert page.control("login")["attrs"]["value"] == member.email


def test_the_listing_form_points_to_each_problem_and_keeps_what_was_typed(client, innovator):
    client.force_login(innovator)
    response = client.post(
        reverse("technologies:create"),
        {"title": "", "summary": "Halves the coal a brick kiln burns.", "trl": "99", "country_developed": "IN"},
    )
    assert response.status_code == 200
    page = assert_sent_back(
        response.content.decode(), {"title": "", "trl": "99"}, valid=["summary", "country_developed"]
    )
    assert page.control("summary")["text"].strip() == "Halves the coal a brick kiln burns."
    assert page.control("country_developed")["selected"] == ["IN"]
    assert not Technology.objects.exists()


def test_a_chosen_file_is_asked_for_again_after_a_failed_submit(client, innovator):
    client.force_login(innovator)
    brochure = SimpleUploadedFile("kiln.pdf", b"%PDF-1.4\n% brochure\n", content_type="application/pdf")
    response = client.post(reverse("technologies:create"), {"title": "", "brochure": brochure})
    page = FormPage(response.content.decode())
    note = "The file you chose was not kept because the form has a problem: choose it again."
    hint = page.by_id["id_brochure_helptext"]
    assert note in hint["text"] and "A PDF of at most 10 MB." in hint["text"]
    assert "id_brochure_helptext" in page.described_by(page.control("brochure"))
    # Not said of a file field in which nothing was chosen, nor on a form without problems.
    assert note not in page.by_id["id_new_images_helptext"]["text"]
    assert note not in client.get(reverse("technologies:create")).content.decode()


def test_the_profile_points_to_each_problem_and_keeps_what_was_typed(member_client, member):
    response = member_client.post(
        reverse("accounts:profile"),
        {"name": "", "organisation": "Green Kilns Ltd", "job_title": "Engineer", "stakeholder_type": "innovator",
         "country": "ZZ", "preferred_language": "fr"},
    )  # fmt: skip
    assert response.status_code == 200
    page = assert_sent_back(
        response.content.decode(),
        {"name": "This field is required.", "country": "Select a valid choice."},
        valid=["organisation", "job_title", "preferred_language"],
    )
    assert page.control("job_title")["attrs"]["value"] == "Engineer"
    assert page.control("preferred_language")["selected"] == ["fr"]
    member.refresh_from_db()
    assert member.name == "Amina Diallo"


def test_the_inquiry_form_points_to_each_problem_and_keeps_what_was_typed(member_client, published):
    response = member_client.post(
        reverse("technologies:inquire", args=[published.slug]),
        {"organisation_name": "Dakar Brickworks", "message": ""},
    )
    assert response.status_code == 400
    page = assert_sent_back(response.content.decode(), {"message": "This field is required."})
    assert page.control("organisation_name")["attrs"]["value"] == "Dakar Brickworks"
    assert not Inquiry.objects.exists()


@pytest.fixture
def call():
    call = CallFactory(title="Clean cooling challenge", slug="clean-cooling")
    CallQuestion.objects.create(call=call, order=1, kind="text", text="What problem does it solve?")
    CallQuestion.objects.create(call=call, order=2, kind="yes_no", text="Is it patented?")
    CallQuestion.objects.create(call=call, order=3, kind="number", text="Tonnes of CO2 saved a year")
    return call


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_call_application_points_to_each_problem_and_keeps_what_was_typed(client, innovator, call, prefix):
    client.force_login(innovator)
    technology = TechnologyFactory(owner=innovator)
    text, yes_no, number = (f"q{question.pk}" for question in call.questions.order_by("order"))
    response = client.post(
        prefix + reverse("calls:apply", args=[call.slug]),
        {"technology": technology.pk, text: "Food spoils on the way.", yes_no: "maybe", number: "1" * 60},
    )
    assert response.status_code == 400
    page = assert_sent_back(
        response.content.decode(),
        {yes_no: "maybe", number: "50"},
        valid=[text, "technology"],
        english=not prefix,
    )
    # The radio group is linked by its container, whose first choice forms.js focuses.
    assert f"#id_{yes_no}" in page.summary_links()
    assert page.by_id[f"id_{yes_no}"]["tag"] == "div"
    assert page.control(text)["text"].strip() == "Food spoils on the way."
    assert page.control(number)["attrs"]["value"] == "1" * 60
    assert page.control("technology")["selected"] == [str(technology.pk)]
    assert not Application.objects.exists()


def test_the_adviser_review_points_to_each_problem_and_keeps_what_was_typed(client, innovator, staff):
    from advisors import services as advisors
    from advisors.models import Criterion, Review

    technology = TechnologyFactory(owner=innovator, status="submitted")
    adviser = AdviserFactory()
    due = timezone.localdate() + datetime.timedelta(days=14)
    assignment = advisors.assignment_create(technology=technology, adviser=adviser, due_date=due, by=staff)
    advisors.assignment_declare(assignment=assignment, by=adviser.user, recuse=False)
    client.force_login(adviser.user)
    first, second = Criterion.objects.active()[:2]
    response = client.post(
        assignment.get_absolute_url(),
        {f"score_{first.pk}": "9", f"score_{second.pk}": "4", "recommendation": "publish",
         "comments_for_innovator": "Convincing field results.", "save": "1"},
    )  # fmt: skip
    assert response.status_code == 400
    page = assert_sent_back(
        response.content.decode(), {f"score_{first.pk}": "Select a valid choice."}, valid=["recommendation"]
    )
    # The group of scores is linked by its container; the other answers are as typed.
    assert f"#id_score_{first.pk}" in page.summary_links()
    assert [c["attrs"]["value"] for c in page.controls[f"score_{second.pk}"] if "checked" in c["attrs"]] == ["4"]
    assert page.control("recommendation")["selected"] == ["publish"]
    assert page.control("comments_for_innovator")["text"].strip() == "Convincing field results."
    assert not Review.objects.exists()


# --- The long forms ask before unsaved changes are lost ----------------------------------------


def test_the_long_forms_ask_before_leaving_with_unsaved_changes(client, innovator, member, call):
    """forms.js does the asking; these pages opt in with data-warn-unsaved on their form."""
    client.force_login(innovator)
    TechnologyFactory(owner=innovator)
    for url in (reverse("technologies:create"), reverse("calls:apply", args=[call.slug])):
        assert b"data-warn-unsaved" in client.get(url).content, url
    client.force_login(member)
    assert b"data-warn-unsaved" in client.get(reverse("needs:create")).content
    # A short form does not ask.
    assert b"data-warn-unsaved" not in client.get(reverse("accounts:profile")).content
    # Every page loads the script, from the site itself (the CSP allows no inline script).
    assert b'<script src="/static/js/forms.js" defer></script>' in client.get("/").content


def test_a_form_rendered_alone_uses_the_same_field_group():
    """{{ field.as_field_group }} renders the portal's field template (the renderer finds
    templates/django/forms/field.html first), so any form gets the same markup."""
    form = NeedForm(data={"title": ""})
    form.is_valid()
    html = str(form["title"].as_field_group())
    assert 'class="mb-3 form-group-error"' in html
    assert 'id="id_title_error"' in html
    assert 'aria-invalid="true"' in html
