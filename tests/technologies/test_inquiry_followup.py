"""After a member writes to a listing's owner, the listing says so (when, what, how it
stands) and offers a follow-up, which the owner's email names as one; the dashboard lists
the inquiries sent and received with their status. Pages keep their query counts."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from common.reference.models import CooperationType
from technologies import services
from technologies.models import Inquiry
from tests.factories import InquiryFactory, NeedFactory, TechnologyFactory, UserFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

FIRST = "We process mangoes in Thiès and would like to license the dryer.\nSecond line, not shown."


def day(moment: datetime.datetime, language: str = "en") -> str:
    """A date as the pages and emails write it, in `language`."""
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def kind(slug: str) -> CooperationType:
    return CooperationType.objects.get(slug=slug)


def inquire(client, technology, *, message=FIRST, cooperation="licensing", organisation="Dakar Agro SA"):
    return client.post(
        reverse("technologies:inquire", args=[technology.slug]),
        {"cooperation": kind(cooperation).pk, "organisation_name": organisation, "message": message},
    )


@pytest.fixture
def sent(published, member):
    """`member` wrote to the owner of `published` three days ago."""
    return InquiryFactory(
        technology=published,
        sender=member,
        message=FIRST,
        organisation_name="Dakar Agro SA",
        created_at=timezone.now() - datetime.timedelta(days=3),
    )


# --- The listing page ---------------------------------------------------------------------


def test_anonymous_sees_the_sign_in_invitation_and_no_inquiry(client, published, sent):
    page = client.get(published.get_absolute_url()).content.decode()
    assert "to ask the owner for cooperation" in page
    assert "You wrote to them" not in page and "mangoes" not in page and "Write a follow-up" not in page


def test_a_member_who_never_wrote_sees_the_first_inquiry_form(client, published, other_member, sent):
    client.force_login(other_member)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Ask for cooperation" in page and "Send my inquiry" in page
    # Only one's own inquiries: another member's is not shown to them.
    assert "You wrote to them" not in page and "mangoes" not in page and "Write a follow-up" not in page


def test_the_owner_and_staff_see_no_one_elses_inquiry_on_the_page(client, published, sent, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    client.force_login(published.owner)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Ask for cooperation" not in page and "Your inquiries to the owner" not in page and "mangoes" not in page
    client.force_login(staff)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Send my inquiry" in page and "mangoes" not in page and "Write a follow-up" not in page


def test_the_sender_sees_when_and_what_they_wrote_and_a_follow_up_form(client, published, member, sent):
    client.force_login(member)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Your inquiries to the owner" in page
    assert f"You wrote to them on {day(sent.created_at)}" in page
    assert "We process mangoes in Thiès and would like to license the dryer." in page
    assert "Second line, not shown." not in page  # the first line only
    assert "Status:" in page and "No outcome recorded yet" in page
    # Not the same empty form as if nothing had happened: a follow-up, named as one.
    assert "Send my inquiry" not in page and "Ask for cooperation" not in page
    assert "<summary" in page and "Write a follow-up" in page
    assert f"Follow-up to your inquiry of {day(sent.created_at)}" in page
    assert "Your follow-up message" in page and "Send my follow-up" in page
    # It seeks the same, for the same organisation, unless the member changes them.
    assert 'value="Dakar Agro SA"' in page
    assert f'<option value="{kind("licensing").pk}" selected>' in page


@pytest.mark.parametrize(
    ("outcome", "extra", "shown", "hidden"),
    [
        ("in_discussion", {}, ["In discussion since "], ["Agreement reached"]),
        (
            "agreement",
            {"agreement_type": "licensing", "feature_consent": True, "story": "Licensed."},
            ["Agreement reached", "(Licensing)", "not featured without your agreement"],
            ["confirmed by WiiTs"],
        ),
        (
            "declined",
            {"decline_reason": "terms", "note": "Their price was far too high for us."},
            ["Declined"],
            ["Terms could not be agreed", "Their price was far too high", "No outcome recorded yet"],
        ),
    ],
)
def test_the_sender_sees_the_outcome_the_owner_recorded_but_not_their_note(
    client, published, member, sent, outcome, extra, shown, hidden
):
    if "agreement_type" in extra:
        extra["agreement_type"] = kind(extra["agreement_type"])
    services.inquiry_record_outcome(inquiry=sent, by=published.owner, outcome=outcome, **extra)
    client.force_login(member)
    page = client.get(published.get_absolute_url()).content.decode()
    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    for text in shown:
        assert text in dashboard
    for text in hidden:
        assert text not in dashboard


def test_a_confirmed_agreement_and_the_senders_consent_show(client, published, member, sent, staff):
    services.inquiry_record_outcome(
        inquiry=sent, by=published.owner, outcome="agreement", agreement_type=kind("licensing")
    )
    services.inquiry_set_partner_consent(inquiry=sent, by=member, consent=True)
    Inquiry.objects.filter(pk=sent.pk).update(agreement_confirmed_at=timezone.now(), agreement_confirmed_by=staff)
    sent.refresh_from_db()
    client.force_login(member)
    page = client.get(published.get_absolute_url()).content.decode()
    assert f"Agreement reached</strong> (Licensing), {day(sent.agreed_at)}" in page
    assert "confirmed by WiiTs" in page and "you agreed that WiiTs may feature it" in page


def test_a_follow_up_is_sent_marked_as_one_to_the_owner(
    client, published, member, sent, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = inquire(client, published, message="Any news?\nWe could visit in May.", cooperation="investment")
    assert response.status_code == 302 and response["Location"] == published.get_absolute_url()
    follow_up = Inquiry.objects.latest("created_at")
    assert (follow_up.sender, follow_up.technology, follow_up.cooperation) == (member, published, kind("investment"))

    (email,) = mailoutbox
    assert email.to == [published.owner.email] and email.reply_to == [member.email]
    assert email.subject == '[WiiTs] Follow-up: cooperation inquiry about "Solar crop dryer"'
    assert f"This is a follow-up to their inquiry of {day(sent.created_at)}." in email.body
    assert "Any news?\nWe could visit in May." in email.body
    html = {mimetype: content for content, mimetype in email.alternatives}["text/html"]
    assert f"This is a follow-up to their inquiry of {day(sent.created_at)}." in html

    page = client.get(response["Location"]).content.decode()
    assert "Your follow-up has been sent to the owner of this technology." in page
    assert f"You wrote a follow-up on {day(follow_up.created_at)}" in page
    assert f"You wrote to them on {day(sent.created_at)}" in page
    assert page.index("Any news?") < page.index("We process mangoes")  # newest first
    assert f"Follow-up to your inquiry of {day(follow_up.created_at)}" in page  # follows the latest


def test_a_first_inquiry_is_not_called_a_follow_up(
    client, published, member, django_capture_on_commit_callbacks, mailoutbox
):
    InquiryFactory(sender=member)  # about another listing: no bearing on this one
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = inquire(client, published)
    assert response.status_code == 302
    (email,) = mailoutbox
    assert email.subject == '[WiiTs] Cooperation inquiry about "Solar crop dryer"'
    assert "follow-up" not in email.body.lower()
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Your inquiry has been sent to the owner of this technology." in page
    assert "You wrote to them on" in page and "You wrote a follow-up" not in page


def test_the_owners_email_is_in_the_owners_language(
    client, published, member, sent, django_capture_on_commit_callbacks, mailoutbox
):
    published.owner.preferred_language = "fr"
    published.owner.save(update_fields=["preferred_language"])
    client.force_login(member)  # the sender reads English
    with django_capture_on_commit_callbacks(execute=True):
        inquire(client, published, message="Des nouvelles ?")
    (email,) = mailoutbox
    with translation.override("fr"):
        subject = gettext('Follow-up: cooperation inquiry about "%(title)s"') % {"title": "Solar crop dryer"}
        line = gettext("This is a follow-up to their inquiry of %(date)s.") % {"date": day(sent.created_at, "fr")}
    assert email.subject == f"[WiiTs] {subject}"
    assert line in email.body
    assert day(sent.created_at, "fr") != day(sent.created_at)  # the date itself is French
    assert "Dear" not in email.body  # the rest of the letter is French too


def test_a_follow_up_with_bad_input_keeps_the_form_open_and_saves_nothing(client, published, member, sent, mailoutbox):
    client.force_login(member)
    response = inquire(client, published, message="", cooperation="licensing", organisation="x" * 300)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<details class="inquiry-follow-up" open>' in page
    assert "Your follow-up message" in page and "This field is required." in page
    assert Inquiry.objects.filter(sender=member).count() == 1
    assert mailoutbox == []


def test_the_daily_limit_holds_for_follow_ups(client, published, member, sent, settings, mailoutbox):
    settings.WIITS_INQUIRIES_PER_DAY = 1
    Inquiry.objects.filter(pk=sent.pk).update(created_at=timezone.now())
    client.force_login(member)
    response = inquire(client, published, message="Any news?")
    assert response.status_code == 400
    assert "the most we accept" in response.content.decode()
    assert Inquiry.objects.filter(sender=member).count() == 1 and mailoutbox == []


def test_follow_ups_need_sign_in_post_and_a_published_listing(client, published, member, sent, draft):
    url = reverse("technologies:inquire", args=[published.slug])
    response = inquire(client, published)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(member)
    assert client.get(url).status_code == 405
    assert inquire(client, draft).status_code == 404  # a draft is not theirs to know about
    assert Inquiry.objects.count() == 1


def test_the_page_does_not_change_anything(client, published, member, sent):
    client.force_login(member)
    before = list(Inquiry.objects.values_list("pk", "outcome", "created_at"))
    client.get(published.get_absolute_url())
    assert list(Inquiry.objects.values_list("pk", "outcome", "created_at")) == before


def test_the_listing_page_queries_do_not_grow_with_inquiries(client, published, member):
    client.force_login(member)
    url = published.get_absolute_url()
    none_yet = count_queries(client, url)
    InquiryFactory(technology=published, sender=member)
    one = count_queries(client, url)
    for days in range(2, 14):
        InquiryFactory(
            technology=published,
            sender=member,
            outcome="agreement",
            agreement_type=kind("licensing"),
            created_at=timezone.now() - datetime.timedelta(days=days),
        )
    InquiryFactory.create_batch(5, technology=published)  # other members'
    InquiryFactory.create_batch(5, sender=member)  # about other listings
    assert count_queries(client, url) == one == none_yet  # the one query runs either way
    anonymous = Client()
    assert count_queries(anonymous, url) < none_yet  # no inquiry query for visitors


def test_the_listing_shows_at_most_the_latest_ten(client, published, member):
    for days in range(12):
        InquiryFactory(
            technology=published,
            sender=member,
            message=f"Message number {days:02}",
            created_at=timezone.now() - datetime.timedelta(days=days),
        )
    client.force_login(member)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Message number 00" in page and "Message number 09" in page
    assert "Message number 10" not in page and "All your inquiries" in page


# --- The dashboard ------------------------------------------------------------------------


def test_the_dashboard_lists_inquiries_sent_with_listing_date_and_status(client, published, member, sent):
    follow_up = InquiryFactory(technology=published, sender=member, message="Any news?")
    services.inquiry_record_outcome(inquiry=sent, by=published.owner, outcome="in_discussion")
    other = InquiryFactory(sender=member, technology=TechnologyFactory(title="Cassava peeler"))
    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    section = page[page.index("Sent by me") :]
    assert section.count('href="/technologies/solar-crop-dryer/"') == 2
    assert "Cassava peeler" in section and other.technology.get_absolute_url() in section
    assert day(sent.created_at) in section and day(follow_up.created_at) in section
    assert section.count("Follow-up</span>") == 1  # only the second about the dryer
    assert "In discussion" in section
    assert section.count("No outcome recorded yet") == 2  # the follow-up and the peeler


def test_the_owners_dashboard_marks_a_received_follow_up(client, published, member, sent):
    InquiryFactory(technology=published, sender=member, message="Any news?")
    InquiryFactory(technology=published, message="A first inquiry from someone else")
    client.force_login(published.owner)
    page = client.get(reverse("dashboard")).content.decode()
    section = page[page.index("About my technologies and needs") : page.index("Sent by me")]
    assert section.count("Follow-up to their inquiry of") == 1
    assert f"Follow-up to their inquiry of {day(sent.created_at)}</span>" in section


def test_an_answer_to_a_need_is_never_a_follow_up(client, member):
    technology = TechnologyFactory(owner=member)
    for _ in range(2):
        InquiryFactory(need=NeedFactory(), technology=technology, sender=member)
    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Follow-up" not in page


def test_the_dashboard_queries_do_not_grow_with_follow_ups(client, member):
    client.force_login(member)

    def add(count):
        for technology in TechnologyFactory.create_batch(count):
            InquiryFactory.create_batch(3, technology=technology, sender=member)  # with follow-ups
        for technology in TechnologyFactory.create_batch(count, owner=member):
            InquiryFactory.create_batch(3, technology=technology, sender=UserFactory())
            InquiryFactory(technology=technology, outcome="in_discussion")

    add(1)
    with_one = count_queries(client, reverse("dashboard"))
    add(5)
    assert count_queries(client, reverse("dashboard")) == with_one
