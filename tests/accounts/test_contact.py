"""The contact form: a message to the WiiTs team through the mail queue, for anyone,
limited per client address and per sender's mailbox, with hostile input refused."""

import pytest
from django.urls import reverse
from mailer.models import Message

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def contact_data(**overrides):
    data = {
        "name": "Fatou Ndiaye",
        "email": "fatou@example.org",
        "topic": "privacy",
        "subject": "A copy of my data",
        "message": "Could you tell me what you hold about me?",
    }
    data.update(overrides)
    return data


@pytest.fixture
def team(db):
    """Two active staff members (one reading Chinese), an inactive one and a member."""
    return {
        "lin": StaffFactory(email="lin@itpo.example", name="Lin Yue"),
        "wang": StaffFactory(email="wang@itpo.example", name="Wang Fang", preferred_language="zh-hans"),
        "gone": StaffFactory(email="gone@itpo.example", is_active=False),
        "member": UserFactory(email="someone@example.org"),
    }


def test_the_page_shows_the_form_and_no_staff_address(client, team, settings):
    response = client.get(reverse("contact"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="subject"' in page and 'name="message"' in page and "Privacy and my personal data" in page
    for address in ("lin@itpo.example", "wang@itpo.example", "team@wiits.example", settings.WIITS_CONTACT_EMAIL):
        assert address not in page


def test_an_anonymous_message_reaches_each_active_staff_member_after_commit(
    client, team, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("contact"), contact_data())
    assert response.status_code == 302 and response["Location"] == reverse("contact")
    assert Message.objects.count() == 2 and mailoutbox == []  # queued with the request, sent after commit
    for callback in callbacks:
        callback()
    by_recipient = {email.to[0]: email for email in mailoutbox}
    assert set(by_recipient) == {"lin@itpo.example", "wang@itpo.example"}
    english = by_recipient["lin@itpo.example"]
    assert english.subject == "[WiiTs] Contact form (Privacy and my personal data): A copy of my data"
    assert english.reply_to == ["fatou@example.org"]
    assert "Fatou Ndiaye <fatou@example.org>" in english.body
    assert "Not signed in: the address has not been verified." in english.body
    assert "Could you tell me what you hold about me?" in english.body
    chinese = by_recipient["wang@itpo.example"]
    assert '<html lang="zh-hans"' in {mimetype: content for content, mimetype in chinese.alternatives}["text/html"]
    # The visitor is told it went, and gets no copy (the address is not verified).
    page = client.get(reverse("contact")).content.decode()
    assert "Thank you, your message has been sent to the WiiTs team. We will reply to fatou@example.org." in page


def test_a_members_form_is_prefilled_and_the_email_says_who_sent_it(
    client, team, member, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(member)
    page = client.get(reverse("contact")).content.decode()
    assert 'value="Amina Diallo"' in page and 'value="amina@example.org"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contact"), contact_data(name="Amina Diallo", email="amina@example.org", topic="account"))
    assert {email.to[0] for email in mailoutbox} == {"lin@itpo.example", "wang@itpo.example"}
    english = next(email for email in mailoutbox if email.to == ["lin@itpo.example"])
    assert "Signed in as the member amina@example.org." in english.body
    assert english.subject == "[WiiTs] Contact form (My account): A copy of my data"


def test_without_staff_accounts_the_message_goes_to_the_team_address(
    client, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.WIITS_CONTACT_EMAIL = "WiiTs team <team@wiits.example>"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contact"), contact_data())
    assert [email.to for email in mailoutbox] == [["WiiTs team <team@wiits.example>"]]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("subject", "Hello\r\nBcc: everyone@example.org", "Write this on one line"),
        ("subject", "Hello\nContent-Type: text/html", "Write this on one line"),
        ("name", "Fatou\r\nBcc: everyone@example.org", "Write this on one line"),
        ("email", "fatou@example.org\r\nBcc: everyone@example.org", "Enter a valid email address."),
        ("email", "not-an-address", "Enter a valid email address."),
        ("topic", "invoices", "Select a valid choice."),
        ("message", "Hi", "Ensure this value has at least 10 characters"),
        ("message", "x" * 5001, "Ensure this value has at most 5000 characters"),
        ("subject", "", "This field is required."),
    ],
)
def test_hostile_or_missing_input_is_refused_and_nothing_is_sent(client, team, field, value, error):
    response = client.post(reverse("contact"), contact_data(**{field: value}))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Message.objects.exists()


def test_markup_in_a_message_reaches_staff_as_text(client, team, django_capture_on_commit_callbacks, mailoutbox):
    hostile = '<script>alert("x")</script><a href="https://evil.example">click</a>'
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contact"), contact_data(message=hostile, name="<b>Fatou</b>", subject="<i>Hi</i> there"))
    email = mailoutbox[0]
    html = {mimetype: content for content, mimetype in email.alternatives}["text/html"]
    assert "<script>" not in html and '<a href="https://evil.example">' not in html and "<b>Fatou</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert hostile in email.body  # the plain text part is plain text
    assert email.subject == "[WiiTs] Contact form (Privacy and my personal data): <i>Hi</i> there"


def test_a_burst_from_one_address_is_stopped(client, team, django_capture_on_commit_callbacks):
    statuses = [
        client.post(reverse("contact"), contact_data(email=f"sender{n}@example.org")).status_code for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    response = client.post(reverse("contact"), contact_data(email="sender9@example.org"))
    assert "You have sent several messages in a short time." in response.content.decode()
    assert Message.objects.count() == 5 * 2  # two staff members each time; nothing for the refused ones


def test_one_mailbox_cannot_send_more_from_many_addresses(client, team):
    statuses = [
        client.post(
            reverse("contact"),
            # The same mailbox written two ways counts once (accounts.adapter.mailbox_of).
            contact_data(email=f"Fatou+{n}@Example.org" if n % 2 else "fatou@example.org"),
            REMOTE_ADDR=f"198.51.100.{n}",
        ).status_code
        for n in range(11)
    ]
    assert statuses == [302] * 10 + [429]


def test_get_sends_nothing_and_other_methods_are_refused(client, team):
    client.get(reverse("contact"), contact_data())
    assert not Message.objects.exists()
    assert client.put(reverse("contact")).status_code == 405
