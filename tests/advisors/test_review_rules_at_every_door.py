"""The review's rules hold at every door that moves a listing (issue 24): the advisory
group's decision page, the admin's workflow actions and the services that tasks and
imports call. Each door, each decision: the round is closed (no open review left, the
same adviser can be assigned again after a resubmission), and the NAG-evaluated mark is
refused without the reviews, with nothing saved and no email."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from advisors import services
from advisors.models import Assignment
from technologies import services as technology_services
from technologies.models import Technology, TechnologyStatus
from tests.advisors.test_review import DUE, submit_review
from tests.factories import AdviserFactory, TechnologyFactory

pytestmark = pytest.mark.django_db
S = TechnologyStatus
MESSAGE = "Say more about the field trials."


@pytest.fixture
def round_(innovator, staff):
    technology = TechnologyFactory(owner=innovator, status="submitted", title="Kiln", slug="kiln")
    advisers = [AdviserFactory(user__email=f"adviser{n}@example.org") for n in range(2)]
    assignments = [
        services.assignment_create(technology=technology, adviser=adviser, due_date=DUE, by=staff)
        for adviser in advisers
    ]
    submit_review(assignments[0])  # one review in, one outstanding
    return technology, advisers


def _decide_on_the_site(client, staff, technology, decision):
    client.force_login(staff)
    data = {"decision": decision, "message": MESSAGE, "confirmed": "1"}  # the confirmed POST (issue 22)
    client.post(reverse("advisors:decide", args=[technology.slug]), data)


def _decide_in_the_admin(client, staff, technology, decision):
    client.force_login(staff)
    action = {"publish_nag": "publish_nag", "publish": "publish", "request_changes": "request_changes"}
    client.post(
        reverse("admin:technologies_technology_changelist"),
        {"action": action.get(decision, decision), "_selected_action": [technology.pk], "message": MESSAGE},
    )


def _decide_by_the_service(client, staff, technology, decision):
    move = {
        "publish": lambda: technology_services.technology_publish(technology=technology, by=staff),
        "publish_nag": lambda: technology_services.technology_publish(
            technology=technology, by=staff, nag_evaluated=True
        ),
        "request_changes": lambda: technology_services.technology_request_changes(
            technology=technology, by=staff, message=MESSAGE
        ),
        "reject": lambda: technology_services.technology_reject(technology=technology, by=staff, message=MESSAGE),
    }[decision]
    with contextlib.suppress(ValidationError):  # a refused move: the test looks at what stayed
        move()


DOORS = [_decide_on_the_site, _decide_in_the_admin, _decide_by_the_service]


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.__name__)
@pytest.mark.parametrize("decision", ["publish", "request_changes", "reject"])
def test_a_decision_closes_the_round_at_every_door(client, staff, round_, door, decision, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    technology, advisers = round_
    door(client, staff, technology, decision)
    technology.refresh_from_db()
    assert technology.status == {"publish": S.PUBLISHED, "request_changes": S.CHANGES_REQUESTED}.get(
        decision, S.REJECTED
    )
    assert not technology.assignments.current().exists()  # nothing left open, nothing overdue
    if decision == "request_changes":  # a resubmission is a new round: the same adviser again
        technology_services.technology_submit(technology=technology, by=technology.owner)
        services.assignment_create(technology=technology, adviser=advisers[0], due_date=DUE, by=staff)
        assert technology.assignments.current().count() == 1


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.__name__)
def test_the_nag_mark_without_the_reviews_is_refused_at_every_door(
    client, staff, round_, door, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    technology, _advisers = round_
    history = technology.transitions.count()
    with django_capture_on_commit_callbacks(execute=True):
        door(client, staff, technology, "publish_nag")
    technology.refresh_from_db()
    assert (technology.status, technology.nag_evaluated) == (S.IN_REVIEW, False)
    assert technology.transitions.count() == history
    assert technology.assignments.current().count() == 2  # the round goes on
    assert not [message for message in mailoutbox if message.to == [technology.owner.email]]


def test_the_nag_mark_with_the_reviews_passes_in_the_admin_too(client, staff, round_, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    technology, _advisers = round_
    submit_review(Assignment.objects.get(technology=technology, review__isnull=True))
    _decide_in_the_admin(client, staff, technology, "publish_nag")
    assert Technology.objects.get(pk=technology.pk).nag_evaluated is True
    assert not technology.assignments.current().exists()


def test_the_mark_cannot_be_set_by_editing_the_listing_in_the_admin(client, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    technology = TechnologyFactory(title="Plain dryer")  # published, no reviews
    client.force_login(staff)
    form = client.get(reverse("admin:technologies_technology_change", args=[technology.pk])).context["adminform"]
    assert "nag_evaluated" not in form.form.fields  # shown, not editable


def test_a_refused_mark_leaves_the_decision_page_showing_the_listing_as_it_is(client, staff, round_, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    technology, _advisers = round_
    client.force_login(staff)
    response = client.post(
        reverse("advisors:decide", args=[technology.slug]), {"decision": "publish_nag", "message": MESSAGE}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "needs at least 2 submitted reviews" in page
    assert response.context["technology"].status == S.IN_REVIEW


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_past_rounds_left_open_are_closed_each_at_its_own_end(innovator, staff):
    import datetime

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    from technologies.models import TechnologyTransition

    executor = MigrationExecutor(connection)
    executor.migrate([("advisors", "0006_clean_single_line_fields")])
    start = timezone.now() - datetime.timedelta(days=60)
    technology = TechnologyFactory(
        owner=innovator, status="in_review", submitted_at=start + datetime.timedelta(days=30)
    )
    first, second, current = (AdviserFactory(user__email=f"r{n}@example.org") for n in range(3))
    old = Assignment.objects.create(technology=technology, adviser=first, due_date=DUE, assigned_at=start)
    TechnologyTransition.objects.create(
        technology=technology,
        from_status="in_review",
        to_status="changes_requested",
        at=start + datetime.timedelta(days=10),
    )
    older = Assignment.objects.create(
        technology=technology, adviser=second, due_date=DUE, assigned_at=start - datetime.timedelta(days=1)
    )
    now_open = Assignment.objects.create(
        technology=technology, adviser=current, due_date=DUE, assigned_at=start + datetime.timedelta(days=31)
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    old.refresh_from_db(), older.refresh_from_db(), now_open.refresh_from_db()
    assert old.closed_at == start + datetime.timedelta(days=10)  # when that round's decision moved the listing
    assert older.closed_at == old.closed_at  # the same round: assigned before its decision
    assert now_open.closed_at is None  # the round under way
