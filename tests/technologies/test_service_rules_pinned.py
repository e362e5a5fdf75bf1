"""Rules of the listing and need services that the mutation run (issue 24, docs/TESTING.md)
found unpinned: the messages a refusal gives, the daily inquiry limit's window and scope,
the expiry task's day, the order of histories, the staff queue of needs, searching the
translations on the quick start. Each test names what it pins."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.reference.models import Sector
from needs import selectors as need_selectors
from needs import services as need_services
from technologies import selectors, services
from technologies.models import Inquiry, Technology, TechnologyTransition
from technologies.services import TransitionNotAllowed
from tests.factories import InquiryFactory, NeedFactory, StaffFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


def refusal(call) -> str:
    with pytest.raises((TransitionNotAllowed, ValidationError)) as refused:
        call()
    error = refused.value
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def test_refusals_say_why(innovator, other_member, member):
    draft = TechnologyFactory(owner=innovator, status="draft", summary="")
    published = TechnologyFactory(owner=innovator)
    staff = StaffFactory()
    need = NeedFactory(owner=member, status="submitted")
    assert refusal(lambda: services.technology_submit(technology=draft, by=other_member)) == (
        "Only the owner of this listing may do this."
    )
    assert refusal(lambda: services.technology_submit(technology=draft, by=innovator)) == (
        "Complete these before submitting: non-confidential summary."
    )
    assert refusal(lambda: services.technology_withdraw(technology=published, by=other_member)) == (
        "Only the owner of this listing may do this."
    )
    assert refusal(lambda: services.technology_reject(technology=published, by=staff, message="  ")) == (
        "Write a message for the owner: say what to change or why."
    )
    assert refusal(lambda: services.technology_publish(technology=draft, by=other_member)) == (
        "Only WiiTs staff may do this."
    )
    assert refusal(lambda: services.technology_withdraw(technology=draft, by=innovator)) == (
        "A listing that is Draft cannot become Withdrawn."
    )
    assert refusal(lambda: need_services.need_withdraw(need=need, by=other_member)) == (
        "Only the owner of this need may do this."
    )
    assert refusal(lambda: need_services.need_publish(need=need, by=other_member)) == "Only WiiTs staff may do this."
    assert refusal(lambda: need_services.need_fulfil(need=need, by=member)) == (
        "A need that is Submitted cannot become Fulfilled."
    )
    assert draft.transitions.count() == published.transitions.count() == need.transitions.count() == 0


def test_a_need_transition_records_its_message_and_the_email_carries_it_only_if_there_is_one(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    need = NeedFactory(owner=member, status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        need_services.need_submit(need=need, by=member)
        need_services.need_return(need=need, by=StaffFactory(), message="Say which country.")
    assert [(row.from_status, row.to_status, row.message) for row in need.transitions.order_by("pk")] == [
        ("draft", "submitted", ""), ("submitted", "returned", "Say which country."),
    ]  # fmt: skip
    submitted, returned = [email.body for email in mailoutbox if email.to == [member.email]]
    assert "Message from WiiTs staff:" not in submitted
    assert "Message from WiiTs staff:\nSay which country.\n" in returned


def test_the_daily_inquiry_limit_counts_the_senders_own_inquiries_of_the_last_24_hours(member, settings):
    settings.WIITS_INQUIRIES_PER_DAY = 2
    listing = TechnologyFactory()
    InquiryFactory.create_batch(3, technology=listing)  # other members' inquiries: not the sender's limit
    old = InquiryFactory(sender=member, technology=listing)
    Inquiry.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    InquiryFactory(sender=member, technology=listing)
    services.check_daily_inquiry_limit(member)  # one in the last 24 hours (the other 25 hours ago)
    InquiryFactory(sender=member, technology=listing)
    with pytest.raises(ValidationError) as refused:
        services.check_daily_inquiry_limit(member)
    assert refused.value.code == "too_many"
    assert refused.value.messages == [
        "You have sent 2 inquiries in the last 24 hours, the most we accept. Try again tomorrow."
    ]


def test_the_expiry_task_works_on_the_day_it_is_given(innovator, mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    later = today + datetime.timedelta(days=400)
    ends_before = TechnologyFactory(owner=innovator, valid_until=today + datetime.timedelta(days=380))
    ends_soon = TechnologyFactory(owner=innovator, valid_until=later + datetime.timedelta(days=10))
    ends_after = TechnologyFactory(owner=innovator, valid_until=later + datetime.timedelta(days=90))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.technologies_expire_and_remind(today=later) == {"expired": 1, "reminded": 1}
    statuses = dict(Technology.objects.values_list("pk", "status"))
    assert (statuses[ends_before.pk], statuses[ends_soon.pk], statuses[ends_after.pk]) == (
        "expired", "published", "published",
    )  # fmt: skip
    assert Technology.objects.get(pk=ends_soon.pk).expiry_reminder_sent_at is not None
    assert Technology.objects.get(pk=ends_after.pk).expiry_reminder_sent_at is None
    # Without a day, today: nothing is due.
    assert services.technologies_expire_and_remind() == {"expired": 0, "reminded": 0}


def test_needs_expire_on_the_day_they_are_given(member):
    later = timezone.localdate() + datetime.timedelta(days=200)
    due = NeedFactory(owner=member, valid_until=later - datetime.timedelta(days=1))
    NeedFactory(owner=member, valid_until=later)
    assert need_services.needs_expire(today=later) == 1
    assert need_services.needs_expire() == 0
    due.refresh_from_db()
    assert due.status == "expired"


def test_histories_list_the_newest_first_then_the_latest_written(innovator, member):
    technology = TechnologyFactory(owner=innovator)
    need = NeedFactory(owner=member)
    noon = timezone.now().replace(microsecond=0)
    for model, owner in ((TechnologyTransition, {"technology": technology}), (need.transitions.model, {"need": need})):
        first = model.objects.create(**owner, from_status="draft", to_status="submitted", at=noon)
        same_time = model.objects.create(**owner, from_status="submitted", to_status="published", at=noon)
        earlier = model.objects.create(
            **owner, from_status="draft", to_status="draft", at=noon - datetime.timedelta(hours=1)
        )
        history = (
            selectors.technology_history(technology=technology)
            if model is TechnologyTransition
            else need_selectors.need_history(need=need)
        )
        assert [row.pk for row in history] == [same_time.pk, first.pk, earlier.pk]


def test_the_staff_queue_of_needs_holds_the_submitted_ones_oldest_first(member):
    now = timezone.now()
    newer = NeedFactory(owner=member, status="submitted", submitted_at=now)
    older = NeedFactory(owner=member, status="submitted", submitted_at=now - datetime.timedelta(days=2))
    NeedFactory(owner=member, status="draft")
    NeedFactory(owner=member, status="published")
    assert list(need_selectors.needs_waiting_for_staff()) == [older, newer]


@pytest.mark.parametrize("language", ["ar", "zh_hans", "es"])
def test_the_quick_start_finds_every_translated_text(language, monkeypatch, member):
    """The contains-match (common.search on SQLite) covers each translated field of listings
    and needs, in every language; CI runs it on PostgreSQL by naming the vendor."""
    from types import SimpleNamespace

    from common import search

    TechnologyFactory(slug="t", **{f"title_i18n_{language}": "Zeta", f"summary_i18n_{language}": "Ypsilon",
                                   f"description_i18n_{language}": "Xylo"})  # fmt: skip
    NeedFactory(slug="n", **{f"title_i18n_{language}": "Zeta", f"problem_i18n_{language}": "Ypsilon"})
    monkeypatch.setattr(search, "connection", SimpleNamespace(vendor="sqlite"))
    for word in ("zeta", "ypsilon", "xylo"):
        assert list(selectors.technology_search(Technology.objects.all(), word).values_list("slug", flat=True)) == [
            "t"
        ], word
    for word in ("zeta", "ypsilon"):
        assert [n.slug for n in need_selectors.need_search(need_selectors.Need.objects.all(), word)] == ["n"], word


def test_images_added_later_follow_the_first_and_carry_the_title_as_text(innovator):
    from tests.common.test_files import picture

    draft = services.technology_create(
        owner=innovator,
        fields={"title": "Solar dryer", "summary": "S", "trl": 5},
        images=[picture("a.png")],
    )
    services.technology_update(technology=draft, by=innovator, fields={}, images=[picture("b.png"), picture("c.png")])
    assert list(draft.images.order_by("order").values_list("order", "alt_text")) == [
        (0, "Solar dryer"), (1, "Solar dryer"), (2, "Solar dryer"),
    ]  # fmt: skip


def test_a_listings_address_is_at_most_200_characters_and_never_a_reserved_word():
    assert len(services.slug_base("dryer " * 60)) == 200
    assert services.slug_base("New") == "new-technology"
    assert services.slug_base("Feed", fallback="need") == "feed-need"
    assert services.slug_base("太阳能干燥机") == "tai-yang-neng-gan-zao-ji"  # readable (issue 20)
    assert services.slug_base("🌞") == "technology"  # nothing to read: the fallback word


def test_success_stories_need_every_consent_a_confirmed_agreement_and_a_published_listing():
    now = timezone.now()
    featured = {
        "success_story": True, "feature_consent": True, "partner_consent": True, "agreement_confirmed_at": now,
    }  # fmt: skip
    shown = InquiryFactory(**featured)
    for missing in featured:
        InquiryFactory(**{**featured, missing: None if missing == "agreement_confirmed_at" else False})
    InquiryFactory(**featured, technology=TechnologyFactory(status="withdrawn", published_at=None))
    older = InquiryFactory(**{**featured, "agreement_confirmed_at": now - datetime.timedelta(days=1)})
    assert list(selectors.success_stories()) == [shown, older]
    assert list(selectors.success_stories(limit=1)) == [shown]


def test_the_latest_change_request_is_staffs_not_the_owners_translation_saved_meanwhile(innovator):
    staff = StaffFactory()
    returned = TechnologyFactory(owner=innovator, status="in_review")
    services.technology_request_changes(technology=returned, by=staff, message="Add the TRL evidence.")
    services.technology_translate(technology=returned, by=innovator, language="fr", values={"title": "Séchoir"})
    other = TechnologyFactory(owner=innovator, status="in_review")
    services.technology_request_changes(technology=other, by=staff, message="Name the pilot site.")
    published = TechnologyFactory(owner=innovator)  # not waiting: no entry, whatever its history
    returned.refresh_from_db()
    other.refresh_from_db()
    latest = selectors.latest_change_requests(technologies=[returned, other, published])
    assert {pk: transition.message for pk, transition in latest.items()} == {
        returned.pk: "Add the TRL evidence.", other.pk: "Name the pilot site.",
    }  # fmt: skip


def test_a_members_dashboard_lists_others_needs_in_their_sectors_not_their_own(member, other_member):
    sector = Sector.objects.get(slug="agro-food-processing")
    member.sectors.set([sector])
    theirs = NeedFactory(owner=other_member, sector=sector)
    NeedFactory(owner=member, sector=sector)  # the member's own need
    NeedFactory(owner=other_member, sector=Sector.objects.get(slug="renewable-energy"))
    assert need_selectors.needs_in_member_sectors(user=member) == [theirs]
