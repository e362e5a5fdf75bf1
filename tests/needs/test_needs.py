"""Technology needs: the workflow table, who may do what, the pages, answers and emails."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from needs import services
from technologies.models import Inquiry, Need, NeedStatus, NeedTransition
from tests.factories import NeedFactory, TechnologyFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db
N = NeedStatus

MOVES = {
    "submit": (services.need_submit, N.SUBMITTED, "owner", {}),
    "publish": (services.need_publish, N.PUBLISHED, "staff", {}),
    "return": (services.need_return, N.RETURNED, "staff", {"message": "Say which crops."}),
    "fulfil": (services.need_fulfil, N.FULFILLED, "owner", {}),
    "withdraw": (services.need_withdraw, N.WITHDRAWN, "owner", {}),
}
EXPECTED_ALLOWED = {
    (N.DRAFT, "submit"),
    (N.RETURNED, "submit"),
    (N.SUBMITTED, "publish"),
    (N.SUBMITTED, "return"),
    (N.PUBLISHED, "fulfil"),
    (N.PUBLISHED, "withdraw"),
}


@pytest.mark.parametrize("from_status", list(N))
@pytest.mark.parametrize("move", list(MOVES))
def test_every_move_is_allowed_exactly_as_the_table_says(from_status, move, staff):
    service, to_status, actor, kwargs = MOVES[move]
    need = NeedFactory(status=from_status)
    by = need.owner if actor == "owner" else staff
    if (from_status, move) in EXPECTED_ALLOWED:
        service(need=need, by=by, **kwargs)
        need.refresh_from_db()
        assert need.status == to_status
        step = NeedTransition.objects.get(need=need)
        assert (step.from_status, step.to_status, step.by) == (from_status, to_status, by)
    else:
        with pytest.raises(services.TransitionNotAllowed):
            service(need=need, by=by, **kwargs)
        need.refresh_from_db()
        assert need.status == from_status
        assert not NeedTransition.objects.filter(need=need).exists()


def test_the_table_in_services_is_the_one_tested():
    allowed = {(source, to) for source, targets in services.NEED_ALLOWED.items() for to in targets}
    tested = {(source, MOVES[move][1]) for source, move in EXPECTED_ALLOWED} | {(N.PUBLISHED, N.EXPIRED)}
    assert allowed == tested


@pytest.mark.parametrize(
    ("move", "status", "who"),
    [
        ("submit", N.DRAFT, "staff"),
        ("submit", N.DRAFT, "outsider"),
        ("publish", N.SUBMITTED, "owner"),
        ("publish", N.SUBMITTED, "outsider"),
        ("return", N.SUBMITTED, "owner"),
        ("fulfil", N.PUBLISHED, "staff"),
        ("withdraw", N.PUBLISHED, "outsider"),
    ],
)
def test_only_the_right_person_may_move_a_need(move, status, who, staff, other_member):
    service, _to, _actor, kwargs = MOVES[move]
    need = NeedFactory(status=status)
    by = {"staff": staff, "outsider": other_member, "owner": need.owner}[who]
    with pytest.raises(services.TransitionNotAllowed):
        service(need=need, by=by, **kwargs)
    need.refresh_from_db()
    assert need.status == status


def test_submit_refuses_an_incomplete_need_and_names_what_is_missing(member):
    need = services.need_create(
        owner=member,
        fields={
            "title": "Cold storage",
            "problem": "",
            "country": "KE",
            "trl_min": 5,
            "valid_until": timezone.localdate(),
        },
    )
    with pytest.raises(services.IncompleteListing) as error:
        services.need_submit(need=need, by=member)
    assert error.value.missing == [
        "the problem to solve",
        "sector",
        "Sustainable Development Goals",
        "cooperation offered",
        "a validity date in the future",
    ]
    need.refresh_from_db()
    assert need.status == N.DRAFT


def test_submit_emails_the_owner_and_staff_publish_emails_the_owner(
    member, staff, django_capture_on_commit_callbacks, mailoutbox
):
    need = NeedFactory(owner=member, status=N.DRAFT, title="Solar dryer for mangoes")
    with django_capture_on_commit_callbacks(execute=True):
        services.need_submit(need=need, by=member)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([member.email, staff.email])
    staff_email = next(m for m in mailoutbox if m.to == [staff.email])
    assert staff_email.subject == '[WiiTs] New technology need to publish: "Solar dryer for mangoes"'
    assert need.get_absolute_url() in staff_email.body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_publish(need=need, by=staff)
    (email,) = mailoutbox
    assert email.to == [member.email]
    assert email.subject == '[WiiTs] Your need "Solar dryer for mangoes": Published'
    need.refresh_from_db()
    assert need.published_at is not None


def test_return_needs_a_message_and_sends_it(member, staff, django_capture_on_commit_callbacks, mailoutbox):
    need = NeedFactory(owner=member, status=N.SUBMITTED)
    with pytest.raises(ValidationError):
        services.need_return(need=need, by=staff, message="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.need_return(need=need, by=staff, message="Which crops, and how many tonnes a day?")
    (email,) = mailoutbox
    assert "Which crops, and how many tonnes a day?" in email.body
    need.refresh_from_db()
    assert need.status == N.RETURNED


def test_publish_refuses_a_need_whose_date_has_passed(staff):
    need = NeedFactory(status=N.SUBMITTED, valid_until=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.need_publish(need=need, by=staff)
    need.refresh_from_db()
    assert need.status == N.SUBMITTED


def test_daily_expiry_expires_once_and_emails_once(django_capture_on_commit_callbacks, mailoutbox):
    today = timezone.localdate()
    past = NeedFactory(valid_until=today - datetime.timedelta(days=1))
    current = NeedFactory(valid_until=today)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.needs_expire(today=today) == 1
        assert services.needs_expire(today=today) == 0
    past.refresh_from_db()
    current.refresh_from_db()
    assert (past.status, current.status) == (N.EXPIRED, N.PUBLISHED)
    assert [m.to for m in mailoutbox] == [[past.owner.email]]


# --- Pages ---------------------------------------------------------------------------------


def test_list_shows_only_published_needs_and_filters(client):
    shown = NeedFactory(title="Solar drying for mangoes")
    other_sector = NeedFactory(
        title="Recycling of PET bottles",
        problem="Bottles pile up at our plant; we want flakes good enough for fibre.",
        sector=Sector.objects.get(slug="waste-circular-economy"),
        country="KE",
    )
    NeedFactory(title="Hidden draft", status=N.DRAFT)
    NeedFactory(title="Already fulfilled", status=N.FULFILLED)
    page = client.get(reverse("needs:list")).content.decode()
    assert "Solar drying for mangoes" in page and "Recycling of PET bottles" in page
    assert "Hidden draft" not in page and "Already fulfilled" not in page
    filtered = client.get(reverse("needs:list"), {"sector": "agro-food-processing"}).content.decode()
    assert shown.title in filtered and other_sector.title not in filtered
    by_country = client.get(reverse("needs:list"), {"country": "KE"}).content.decode()
    assert other_sector.title in by_country and shown.title not in by_country
    searched = client.get(reverse("needs:list"), {"q": "mangoes"}).content.decode()
    assert "Solar drying for <mark>mangoes</mark>" in searched and other_sector.title not in searched
    # A technology at TRL 5 cannot answer a need asking for 6 or more.
    by_trl = client.get(reverse("needs:list"), {"trl": "5"}).content.decode()
    assert "0 needs found" in by_trl


@pytest.mark.parametrize(
    "query",
    [
        {"sector": "no-such-sector"},
        {"sdg": "99"},
        {"trl": "ten"},
        {"country": "XX"},
        {"sort": "random"},
        {"page": "-1"},
        {"q": "x" * 5000},
        {"q": "solar\x00"},
        {"cooperation": "'; DROP TABLE"},
    ],
)
def test_nonsense_filters_are_ignored_and_named_never_a_500(client, query):
    NeedFactory()
    response = client.get(reverse("needs:list"), query)
    assert response.status_code == 200


def test_list_query_count_does_not_grow(client):
    NeedFactory()
    with_one = count_queries(client, reverse("needs:list"))
    NeedFactory.create_batch(8)
    assert count_queries(client, reverse("needs:list")) == with_one


@pytest.mark.parametrize("status", [N.DRAFT, N.SUBMITTED, N.RETURNED, N.FULFILLED, N.WITHDRAWN, N.EXPIRED])
def test_unpublished_needs_are_404_but_to_owner_and_staff(client, staff, other_member, status, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False  # the two-factor rule: tests/test_url_access.py
    need = NeedFactory(status=status)
    url = need.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(need.owner)
    assert client.get(url).status_code == 200
    client.force_login(staff)
    assert client.get(url).status_code == 200


def _form_data(**overrides):
    data = {
        "title": "Solar cold room for fish",
        "problem": "Our cooperative loses fish for want of cold storage at the landing site.",
        "sector": Sector.objects.get(slug="agro-food-processing").pk,
        "sdgs": [SustainableDevelopmentGoal.objects.get(number=2).pk],
        "country": "SN",
        "trl_min": "6",
        "cooperation": [CooperationType.objects.get(slug="licensing").pk],
        "valid_until": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    return data


def test_member_posts_a_need_and_extra_fields_are_ignored(member_client, member, other_member):
    response = member_client.post(
        reverse("needs:create"), _form_data(status="published", owner=other_member.pk, slug="mine")
    )
    need = Need.objects.get()
    assert response.status_code == 302 and response["Location"] == need.get_absolute_url()
    assert (need.status, need.owner, need.slug) == (N.DRAFT, member, "solar-cold-room-for-fish")
    assert need.organisation == member.organisation


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("valid_until", "2001-01-01"),
        ("valid_until", "not a date"),
        ("trl_min", "12"),
        ("title", "x" * 201),
        ("country", "XX"),
        ("title", ""),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(member_client, field, value):
    response = member_client.post(reverse("needs:create"), _form_data(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Need.objects.exists()


def test_validity_at_most_a_year_ahead(member_client):
    late = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    response = member_client.post(reverse("needs:create"), _form_data(valid_until=late))
    assert "at most a year ahead" in response.context["form"].errors["valid_until"][0]


def test_only_the_owner_edits_and_only_while_editable(client, other_member, staff):
    need = NeedFactory(status=N.DRAFT)
    url = reverse("needs:edit", args=[need.slug])
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(need.owner)
    assert client.get(url).status_code == 200
    assert client.post(url, _form_data(title="Better title")).status_code == 302
    need.refresh_from_db()
    assert need.title == "Better title"
    need.status = N.PUBLISHED
    need.published_at = timezone.now()
    need.save()
    assert client.get(url).status_code == 403


def test_owner_buttons_and_staff_moderation_through_the_pages(client, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False  # tested in tests/wiits/test_pages.py
    need = NeedFactory(status=N.DRAFT)
    client.force_login(need.owner)
    assert client.post(reverse("needs:submit", args=[need.slug])).status_code == 302
    assert client.post(reverse("needs:publish", args=[need.slug])).status_code == 403  # not staff
    client.force_login(staff)
    response = client.post(reverse("needs:return", args=[need.slug]), {"message": ""})
    assert response.status_code == 400
    assert "Write a message for the owner" in response.content.decode()
    response = client.post(reverse("needs:publish", args=[need.slug]), {"message": "x" * 5001})
    assert response.status_code == 400  # too long: said, not dropped
    need.refresh_from_db()
    assert need.status == N.SUBMITTED
    client.post(reverse("needs:publish", args=[need.slug]), {"message": "Welcome", "confirmed": "1"})
    need.refresh_from_db()
    assert need.status == N.PUBLISHED
    client.force_login(need.owner)
    client.post(reverse("needs:fulfil", args=[need.slug]))  # the confirmation page: nothing yet
    need.refresh_from_db()
    assert need.status == N.PUBLISHED
    client.post(reverse("needs:fulfil", args=[need.slug]), {"confirmed": "1"})
    need.refresh_from_db()
    assert need.status == N.FULFILLED
    # A double click: already done, said politely.
    response = client.post(reverse("needs:fulfil", args=[need.slug]), {"confirmed": "1"}, follow=True)
    assert "cannot become" in response.content.decode()


def test_get_on_state_changing_urls_is_refused(client):
    need = NeedFactory(status=N.DRAFT)
    client.force_login(need.owner)
    for name in ["submit", "answer"]:
        assert client.get(reverse(f"needs:{name}", args=[need.slug])).status_code == 405
    # Withdrawing, publishing and returning answer a GET with their confirmation step (issue
    # 22, tests/test_confirmations.py): here, not the owner's to take, it changes nothing.
    for name in ["withdraw", "fulfil", "publish", "return"]:
        assert client.get(reverse(f"needs:{name}", args=[need.slug])).status_code in (302, 403)
    need.refresh_from_db()
    assert need.status == N.DRAFT


# --- Answers -------------------------------------------------------------------------------


def test_a_technology_owner_answers_and_the_need_owner_is_emailed(
    client, innovator, published, django_capture_on_commit_callbacks, mailoutbox
):
    need = NeedFactory(title="Solar drying for mangoes")
    client.force_login(innovator)
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Propose your technology" in page and published.title in page
    licensing = CooperationType.objects.get(slug="licensing")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("needs:answer", args=[need.slug]),
            {"technology": published.pk, "cooperation": licensing.pk, "message": "Our dryer fits."},
        )
    assert response.status_code == 302
    answer = Inquiry.objects.get()
    assert (answer.need, answer.technology, answer.sender, answer.recipient_id) == (
        need,
        published,
        innovator,
        need.owner_id,
    )
    (email,) = mailoutbox
    assert email.to == [need.owner.email]
    assert email.reply_to == [innovator.email]
    assert email.subject == '[WiiTs] A technology is proposed for your need "Solar drying for mangoes"'
    # The need's owner sees it on the need and on the dashboard, with the outcome link.
    client.force_login(need.owner)
    assert "Our dryer fits." in client.get(reverse("dashboard")).content.decode()
    assert reverse("technologies:outcome", args=[answer.pk]) in client.get(need.get_absolute_url()).content.decode()
    # The same technology twice: refused, nothing saved.
    client.force_login(innovator)
    response = client.post(
        reverse("needs:answer", args=[need.slug]),
        {"technology": published.pk, "cooperation": licensing.pk, "message": "Again."},
    )
    assert response.status_code == 400
    assert Inquiry.objects.count() == 1


def test_nobody_answers_with_a_technology_that_is_not_theirs_or_not_published(client, innovator, other_member):
    need = NeedFactory()
    someone_elses = TechnologyFactory()
    own_draft = TechnologyFactory(owner=innovator, status="draft")
    licensing = CooperationType.objects.get(slug="licensing")
    client.force_login(innovator)
    for technology in (someone_elses, own_draft):
        response = client.post(
            reverse("needs:answer", args=[need.slug]),
            {"technology": technology.pk, "cooperation": licensing.pk, "message": "Hi"},
        )
        assert response.status_code == 400
    with pytest.raises(PermissionDenied):
        services.need_answer(need=need, technology=someone_elses, sender=innovator, cooperation=licensing, message="x")
    # The need's owner cannot answer their own need; nobody answers an unpublished one.
    with pytest.raises(PermissionDenied):
        services.need_answer(
            need=need, technology=TechnologyFactory(owner=need.owner), sender=need.owner, cooperation=licensing,
            message="x",
        )  # fmt: skip
    draft_need = NeedFactory(status=N.DRAFT)
    assert client.post(reverse("needs:answer", args=[draft_need.slug]), {}).status_code == 404
    assert not Inquiry.objects.exists()


def test_a_member_without_a_published_technology_is_told_how_to_list_one(client, other_member):
    need = NeedFactory()
    client.force_login(other_member)
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Only a technology published in the WiiTs catalogue can be proposed." in page


def test_anonymous_sees_a_sign_in_link_and_no_suggestions(client, published):
    need = NeedFactory()
    page = client.get(need.get_absolute_url()).content.decode()
    assert "to propose a technology you own" in page
    assert "Technologies that could meet this need" not in page
    assert published.title not in page


@pytest.mark.postgres
def test_on_postgresql_need_search_ranks_words_and_forgives_a_misspelled_title(client):
    dryer = NeedFactory(title="Solar drying for mangoes", problem="Mango slices rot before they reach the market.")
    NeedFactory(title="Cold room for fish", problem="Fish spoils at the landing site.")
    services.needs_update_search_vector(queryset=Need.objects.all())
    found = client.get(reverse("needs:list"), {"q": "mango market"}).context["page"].object_list
    assert [need.title for need in found] == [dryer.title]
    misspelled = client.get(reverse("needs:list"), {"q": "mangose"}).context["page"].object_list
    assert [need.title for need in misspelled] == [dryer.title]
