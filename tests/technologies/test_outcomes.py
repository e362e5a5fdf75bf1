"""Outcomes of inquiries: only the recipient records them; staff confirm and feature;
listing views counted per day without the viewer."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from common.reference.models import CooperationType
from technologies import services
from technologies.models import Inquiry, ListingViewDay, Outcome
from tests.factories import InquiryFactory, NeedFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


def licensing():
    return CooperationType.objects.get(slug="licensing")


@pytest.fixture
def inquiry():
    return InquiryFactory()


@pytest.fixture
def answer():
    """A technology's owner answered a need: the need's owner is the recipient."""
    need = NeedFactory()
    return InquiryFactory(need=need, technology=TechnologyFactory())


def test_recipient_records_an_agreement_through_the_page(client, inquiry):
    client.force_login(inquiry.technology.owner)
    url = reverse("technologies:outcome", args=[inquiry.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "outcome": "agreement",
            "agreement_type": licensing().pk,
            "outcome_note": "Signed in Dakar.",
            "feature_consent": "on",
            "story": "A Senegalese processor licensed the dryer.",
        },
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.outcome, inquiry.agreement_type, inquiry.feature_consent) == ("agreement", licensing(), True)
    assert inquiry.discussed_at and inquiry.agreed_at and inquiry.outcome_at
    assert inquiry.story == "A Senegalese processor licensed the dryer."


def test_for_an_answer_to_a_need_the_need_owner_records(client, answer):
    url = reverse("technologies:outcome", args=[answer.pk])
    client.force_login(answer.technology.owner)  # the sender here: not theirs to record
    assert client.get(url).status_code == 404
    client.force_login(answer.need.owner)
    assert client.post(url, {"outcome": "in_discussion"}).status_code == 302
    answer.refresh_from_db()
    assert answer.outcome == "in_discussion" and answer.discussed_at and not answer.agreed_at


@pytest.mark.parametrize("who", ["anonymous", "sender", "outsider", "staff"])
def test_nobody_else_records_an_outcome(client, inquiry, other_member, staff, who, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False  # the two-factor rule: tests/test_url_access.py
    url = reverse("technologies:outcome", args=[inquiry.pk])
    user = {"anonymous": None, "sender": inquiry.sender, "outsider": other_member, "staff": staff}[who]
    if user:
        client.force_login(user)
    response = client.post(url, {"outcome": "agreement", "agreement_type": licensing().pk})
    assert response.status_code == (302 if user is None else 404)
    if user is None:
        assert response["Location"].startswith(reverse("account_login"))
    inquiry.refresh_from_db()
    assert inquiry.outcome == ""
    with pytest.raises(PermissionDenied):
        services.inquiry_record_outcome(inquiry=inquiry, by=user or other_member, outcome="in_discussion")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"outcome": "agreement"}, "agreement_type"),
        ({"outcome": "declined"}, "decline_reason"),
        ({"outcome": "declined", "decline_reason": "bribery"}, "decline_reason"),
        ({"outcome": "won"}, "outcome"),
        ({"outcome": "declined", "decline_reason": "terms", "feature_consent": "on"}, "feature_consent"),
    ],
)
def test_bad_outcomes_are_form_errors_and_save_nothing(client, inquiry, data, field):
    client.force_login(inquiry.technology.owner)
    response = client.post(reverse("technologies:outcome", args=[inquiry.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    inquiry.refresh_from_db()
    assert inquiry.outcome == "" and inquiry.outcome_at is None


def test_declined_keeps_a_structured_reason_and_moving_on_drops_the_confirmation(inquiry, staff):
    owner = inquiry.technology.owner
    services.inquiry_record_outcome(
        inquiry=inquiry, by=owner, outcome="agreement", agreement_type=licensing(), feature_consent=True, story="Yes."
    )
    services.inquiry_set_partner_consent(inquiry=inquiry, by=inquiry.sender, consent=True)
    services.inquiry_confirm_agreement(inquiry=inquiry, by=staff, success_story=True)
    services.inquiry_record_outcome(inquiry=inquiry, by=owner, outcome="declined", decline_reason="terms")
    inquiry.refresh_from_db()
    assert (inquiry.outcome, inquiry.decline_reason, inquiry.agreement_type) == ("declined", "terms", None)
    assert inquiry.agreement_confirmed_at is None and not inquiry.success_story and not inquiry.feature_consent
    assert not inquiry.partner_consent
    assert inquiry.agreed_at is not None  # the funnel remembers an agreement was reached once


def test_changing_a_featured_story_takes_it_off_until_staff_confirm_again(client, inquiry, staff):
    owner = inquiry.technology.owner
    services.inquiry_record_outcome(
        inquiry=inquiry, by=owner, outcome="agreement", agreement_type=licensing(), feature_consent=True,
        story="Licensed for Senegal.",
    )  # fmt: skip
    services.inquiry_set_partner_consent(inquiry=inquiry, by=inquiry.sender, consent=True)
    services.inquiry_confirm_agreement(inquiry=inquiry, by=staff, success_story=True)
    assert "Licensed for Senegal." in client.get(reverse("home")).content.decode()
    # The same outcome saved again, unchanged: still featured.
    services.inquiry_record_outcome(
        inquiry=inquiry, by=owner, outcome="agreement", agreement_type=licensing(), feature_consent=True,
        story="Licensed for Senegal.",
    )  # fmt: skip
    inquiry.refresh_from_db()
    assert inquiry.success_story and inquiry.agreement_confirmed_at
    # New wording: off the home page until staff look again.
    services.inquiry_record_outcome(
        inquiry=inquiry, by=owner, outcome="agreement", agreement_type=licensing(), feature_consent=True,
        story="Buy cheap watches at spam.example",
    )  # fmt: skip
    inquiry.refresh_from_db()
    assert not inquiry.success_story and inquiry.agreement_confirmed_at is None
    assert "spam.example" not in client.get(reverse("home")).content.decode()


def test_the_sender_consents_from_the_dashboard_and_may_withdraw(client, inquiry, staff, other_member):
    services.inquiry_record_outcome(
        inquiry=inquiry, by=inquiry.technology.owner, outcome="agreement", agreement_type=licensing(),
        feature_consent=True, story="It worked.",
    )  # fmt: skip
    url = reverse("technologies:partner_consent", args=[inquiry.pk])
    for stranger in (other_member, inquiry.technology.owner):
        client.force_login(stranger)
        assert client.post(url, {"consent": "yes"}).status_code == 404
    client.force_login(inquiry.sender)
    assert url in client.get(reverse("dashboard")).content.decode()
    assert client.get(url).status_code == 405
    client.post(url, {"consent": "yes"})
    inquiry.refresh_from_db()
    assert inquiry.partner_consent
    services.inquiry_confirm_agreement(inquiry=inquiry, by=staff, success_story=True)
    client.post(url, {"consent": "no"})
    inquiry.refresh_from_db()
    assert not inquiry.partner_consent and not inquiry.success_story


def test_a_story_leaves_the_home_page_when_its_technology_is_withdrawn(client, inquiry, staff):
    services.inquiry_record_outcome(
        inquiry=inquiry, by=inquiry.technology.owner, outcome="agreement", agreement_type=licensing(),
        feature_consent=True, story="It worked.",
    )  # fmt: skip
    services.inquiry_set_partner_consent(inquiry=inquiry, by=inquiry.sender, consent=True)
    services.inquiry_confirm_agreement(inquiry=inquiry, by=staff, success_story=True)
    assert "It worked." in client.get(reverse("home")).content.decode()
    services.technology_withdraw(technology=inquiry.technology, by=inquiry.technology.owner)
    assert "It worked." not in client.get(reverse("home")).content.decode()


def test_staff_confirm_and_feature_only_with_consent(client, inquiry, staff, member):
    owner = inquiry.technology.owner
    with pytest.raises(ValidationError):
        services.inquiry_confirm_agreement(inquiry=inquiry, by=staff)  # nothing recorded yet
    services.inquiry_record_outcome(inquiry=inquiry, by=owner, outcome="agreement", agreement_type=licensing())
    with pytest.raises(PermissionDenied):
        services.inquiry_confirm_agreement(inquiry=inquiry, by=member)
    with pytest.raises(ValidationError):
        services.inquiry_confirm_agreement(inquiry=inquiry, by=staff, success_story=True)  # no consent
    services.inquiry_confirm_agreement(inquiry=inquiry, by=staff)
    with pytest.raises(PermissionDenied):  # only the sender gives the partner's consent
        services.inquiry_set_partner_consent(inquiry=inquiry, by=owner, consent=True)
    inquiry.refresh_from_db()
    assert inquiry.agreement_confirmed_by == staff and not inquiry.success_story
    assert "Cooperation that happened" not in client.get(reverse("home")).content.decode()
    services.inquiry_record_outcome(
        inquiry=inquiry, by=owner, outcome="agreement", agreement_type=licensing(), feature_consent=True,
        story="Dakar Agro-Processing now dries 2 tonnes of mango a day.",
    )  # fmt: skip
    with pytest.raises(ValidationError):  # the owner agrees, the sender not yet
        services.inquiry_confirm_agreement(inquiry=inquiry, by=staff, success_story=True)
    services.inquiry_set_partner_consent(inquiry=inquiry, by=inquiry.sender, consent=True)
    services.inquiry_confirm_agreement(inquiry=inquiry, by=staff, success_story=True)
    home = client.get(reverse("home")).content.decode()
    assert "Cooperation that happened" in home and "2 tonnes of mango a day" in home


def test_admin_actions_confirm_and_feature(client, inquiry, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    services.inquiry_record_outcome(
        inquiry=inquiry, by=inquiry.technology.owner, outcome="agreement", agreement_type=licensing(),
        feature_consent=True, story="It worked.",
    )  # fmt: skip
    services.inquiry_set_partner_consent(inquiry=inquiry, by=inquiry.sender, consent=True)
    client.force_login(staff)
    url = reverse("admin:technologies_inquiry_changelist")
    client.post(url, {"action": "feature_story", "_selected_action": [inquiry.pk]})
    inquiry.refresh_from_db()
    assert inquiry.success_story and inquiry.agreement_confirmed_by == staff
    client.post(url, {"action": "unfeature_story", "_selected_action": [inquiry.pk]})
    inquiry.refresh_from_db()
    assert not inquiry.success_story


def test_dashboard_shows_outcomes_and_the_link_to_record(client, inquiry):
    client.force_login(inquiry.technology.owner)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("technologies:outcome", args=[inquiry.pk]) in page
    assert "Not recorded" in page


# --- Listing views ---------------------------------------------------------------------------


def test_views_are_counted_per_day_for_visitors_only(
    client, published, staff, other_member, django_capture_on_commit_callbacks
):
    url = published.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
        client.get(url)
        client.get(url, HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)")
        client.get(url, HTTP_USER_AGENT="curl/8.5.0")
        client.force_login(other_member)
        client.get(url)
        for insider in (published.owner, staff):
            client.force_login(insider)
            client.get(url)
    (row,) = ListingViewDay.objects.filter(technology=published)
    assert (row.day, row.views) == (timezone.localdate(), 3)
    # Nothing about who viewed: the row has the listing, the day and a count.
    assert {field.name for field in ListingViewDay._meta.concrete_fields} == {"id", "technology", "day", "views"}


def test_views_of_other_days_go_to_their_own_rows(published):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.technology_count_view(technology=published, day=yesterday)
    services.technology_count_view(technology=published)
    services.technology_count_view(technology=published)
    counts = dict(ListingViewDay.objects.values_list("day", "views"))
    assert counts == {yesterday: 1, timezone.localdate(): 2}


def test_unpublished_listings_count_nothing(client, draft):
    client.force_login(draft.owner)
    client.get(draft.get_absolute_url())
    assert not ListingViewDay.objects.exists()


def test_outcome_choices_are_the_ones_the_issue_names():
    assert [value for value, _label in Outcome.choices] == ["", "in_discussion", "agreement", "declined"]
    assert set(CooperationType.objects.values_list("slug", flat=True)) >= {
        "licensing", "joint-venture", "investment", "sale-transfer", "distribution", "technical-cooperation",
    }  # fmt: skip
    assert Inquiry._meta.get_field("decline_reason").choices == [
        ("too_early", "Too early stage"),
        ("benefit_unclear", "Benefit unclear"),
        ("not_our_field", "Not our field"),
        ("terms", "Terms could not be agreed"),
        ("other", "Other"),
    ]
