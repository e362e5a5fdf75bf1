"""The demo catalogue (created through the workflow services) and the load-test generator."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import StakeholderType, User
from devtools.demo import technologies as demo
from devtools.demo.technologies import DEMO_TECHNOLOGIES, INNOVATOR_ENTRIES, load_demo_technologies
from technologies.models import Technology, TechnologyStatus, TechnologyTransition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

S = TechnologyStatus


@pytest.fixture
def innovator(db):
    return UserFactory(
        name="Chen Jie", email="innovator@example.org", stakeholder_type=StakeholderType.TECHNOLOGY_INNOVATOR
    )


# --- Demo catalogue --------------------------------------------------------------------------


def test_demo_entries_are_complete_and_varied():
    assert len(DEMO_TECHNOLOGIES) == 30
    assert len({entry["title"] for entry in DEMO_TECHNOLOGIES}) == 30
    assert len({entry["sector"] for entry in DEMO_TECHNOLOGIES}) >= 12
    assert len({entry["country_developed"] for entry in DEMO_TECHNOLOGIES}) >= 12
    for entry in DEMO_TECHNOLOGIES:
        assert 1 <= len(entry["sdgs"]) <= 4 and all(1 <= number <= 17 for number in entry["sdgs"])
        assert 1 <= len(entry["cooperation"]) <= 3 and len(entry["countries_deployed"]) <= 4
        assert 1 <= entry["trl"] <= 9
        assert "(fictional)" in entry["organisation"]
        assert entry["workflow"] in demo.WORKFLOWS
        if entry["workflow"] == "changes_requested":
            assert entry["review_message"].strip()


def test_a_mistyped_workflow_in_the_data_publishes_nothing(innovator, monkeypatch):
    entries = [{**DEMO_TECHNOLOGIES[0], "workflow": "publised"}]
    monkeypatch.setattr(demo, "DEMO_TECHNOLOGIES", entries)
    with pytest.raises(ValueError, match="unknown workflow 'publised'"):
        load_demo_technologies(staff=UserFactory(is_staff=True), innovator=innovator)
    assert not Technology.objects.filter(status=S.PUBLISHED).exists()


def test_load_demo_technologies_reaches_every_stage(staff, innovator):
    created = load_demo_technologies(staff=staff, innovator=innovator)

    assert created == 30
    assert Technology.objects.count() == 30
    counts = Counter(Technology.objects.values_list("status", flat=True))
    # The 8 listings meant for the NAG-evaluated mark wait in review for the advisory group
    # (devtools.demo.advisors reviews them: the mark needs the reviews at every door).
    assert counts == {S.PUBLISHED: 14, S.SUBMITTED: 2, S.IN_REVIEW: 10, S.CHANGES_REQUESTED: 2, S.DRAFT: 2}

    published = Technology.objects.published()
    assert published.count() == 14
    assert not published.filter(nag_evaluated=True).exists()
    today = timezone.localdate()
    for technology in published:
        assert technology.published_at is not None
        assert technology.valid_until > today
        assert technology.sdgs.exists() and technology.cooperation.exists()
    assert not Technology.objects.exclude(status=S.PUBLISHED).filter(nag_evaluated=True).exists()
    by_title = {technology.title: technology for technology in Technology.objects.all()}
    for entry in DEMO_TECHNOLOGIES:
        if entry["workflow"] == "published_nag":
            assert by_title[entry["title"]].status == S.IN_REVIEW


def test_load_demo_technologies_goes_through_the_workflow(staff, innovator):
    load_demo_technologies(staff=staff, innovator=innovator)

    # Every listing but the drafts was submitted by its owner; staff made the other moves.
    submitted = TechnologyTransition.objects.filter(to_status=S.SUBMITTED)
    assert submitted.count() == 28
    assert all(transition.by_id == transition.technology.owner_id for transition in submitted)
    assert set(TechnologyTransition.objects.exclude(to_status=S.SUBMITTED).values_list("by", flat=True)) == {staff.pk}
    returned = TechnologyTransition.objects.filter(to_status=S.CHANGES_REQUESTED)
    assert returned.count() == 2 and all(transition.message for transition in returned)


def test_load_demo_technologies_owners(staff, innovator):
    load_demo_technologies(staff=staff, innovator=innovator)

    first_titles = [entry["title"] for entry in DEMO_TECHNOLOGIES[:INNOVATOR_ENTRIES]]
    assert set(innovator.technologies.values_list("title", flat=True)) == set(first_titles)
    assert set(innovator.technologies.values_list("status", flat=True)) == {
        S.PUBLISHED,
        S.SUBMITTED,
        S.IN_REVIEW,
        S.CHANGES_REQUESTED,
        S.DRAFT,
    }
    demo_members = User.objects.filter(email__startswith="demo.", email__endswith="@wiits.example")
    organisations = {entry["organisation"] for entry in DEMO_TECHNOLOGIES[INNOVATOR_ENTRIES:]}
    assert demo_members.count() == len(organisations)  # one member per organisation, reused
    for member in demo_members:
        assert not member.has_usable_password()
        assert member.stakeholder_type == StakeholderType.TECHNOLOGY_INNOVATOR
        assert member.organisation.name in organisations
        technologies = list(member.technologies.all())
        assert technologies and all(
            technology.organisation_id == member.organisation_id for technology in technologies
        )
        assert {technology.country_developed.code for technology in technologies} == {member.country.code}


def test_load_demo_technologies_queues_email_but_sends_none(staff, innovator, mailoutbox):
    from mailer.models import Message

    load_demo_technologies(staff=staff, innovator=innovator)

    assert Message.objects.exists()
    assert mailoutbox == []


# --- Load-test generator ---------------------------------------------------------------------


def _generate(count=50, seed=7, **options) -> str:
    out = StringIO()
    call_command("generate_technologies", count=count, seed=seed, stdout=out, **options)
    return out.getvalue()


def test_generate_technologies_creates_published_listings():
    output = _generate(batch_size=20)

    technologies = Technology.objects.all()
    assert technologies.count() == 50
    assert technologies.published().count() == 50
    assert not technologies.filter(published_at__isnull=True).exists()
    assert not technologies.filter(valid_until__lte=timezone.localdate()).exists()
    assert not technologies.filter(published_at__gt=timezone.now()).exists()
    assert Technology.sdgs.through.objects.count() >= 50
    assert Technology.cooperation.through.objects.count() >= 50
    assert all(technology.sdgs.exists() and technology.cooperation.exists() for technology in technologies)
    assert technologies.values("sector").distinct().count() > 5
    assert technologies.values("organisation").distinct().count() > 10
    assert {technology.owner.email for technology in technologies} == {"loadtest@wiits.example"}
    assert not User.objects.get(email="loadtest@wiits.example").has_usable_password()
    assert "50/50" in output
    assert "Created 50 published technologies" in output


def test_generate_technologies_is_reproducible():
    _generate()
    first = list(Technology.objects.order_by("slug").values_list("slug", "title", "trl", "sector__slug"))
    first_sdgs = sorted(Technology.sdgs.through.objects.values_list("technology__slug", "sustainabledevelopmentgoal"))
    Technology.objects.all().delete()

    _generate(batch_size=7)

    assert list(Technology.objects.order_by("slug").values_list("slug", "title", "trl", "sector__slug")) == first
    assert (
        sorted(Technology.sdgs.through.objects.values_list("technology__slug", "sustainabledevelopmentgoal"))
        == first_sdgs
    )


def test_generate_technologies_with_another_seed_adds_listings_and_the_same_seed_refuses():
    _generate(count=10, seed=1)
    _generate(count=10, seed=2)
    assert Technology.objects.count() == 20

    with pytest.raises(CommandError, match="seed 1"):
        _generate(count=10, seed=1)
    assert Technology.objects.count() == 20


def test_generate_technologies_requires_count():
    with pytest.raises(CommandError):
        call_command("generate_technologies", stdout=StringIO())


@pytest.mark.postgres
def test_generate_technologies_fills_the_search_vector():
    _generate(count=20, batch_size=8)

    assert not Technology.objects.filter(search_vector__isnull=True).exists()
    technology = Technology.objects.order_by("pk").last()
    query = SearchQuery(technology.title, config="english")
    assert technology in Technology.objects.filter(search_vector=query)
