"""Events and their agenda as spreadsheets in the admin (events/resources.py, docs/IMPORT.md):
times in each event's time zone, kinds and modes in any language, unpublished unless said;
a known slug updates (with the change permission); agenda rows find their event by slug or
by title and start; all or nothing; import needs the add permission, export the view one."""

import datetime
import zoneinfo
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import AgendaItem, Event, Registration, RegistrationStatus
from tests.factories import EventFactory, UserFactory
from tests.spreadsheets import (
    client_for,
    confirm,
    errors_of,
    export,
    import_file,
    import_rows,
    preview,
    read,
    sample,
    staff_with,
    upload,
)

pytestmark = pytest.mark.django_db

ADMIN = "events_event"
EVENTS, AGENDA = "0", "1"  # the resources offered by the events' Import and Export
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import-samples"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
HEADER = ["title", "summary", "kind", "starts_at", "ends_at", "time_zone", "venue", "city", "country", "capacity"]
HEADER += ["registration_mode", "is_published"]


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False


@pytest.fixture
def importer():
    return client_for(
        staff_with(
            "events.add_event", "events.change_event", "events.view_event", "events.add_agendaitem", organisation=None
        )
    )


def event_row(title="UNIDO Night: WiiTs Workshop", **cells):
    values = {
        "title": title,
        "summary": "The first plenary of the WiiTs National Advisory Group.",
        "kind": "workshop",
        "starts_at": "2030-09-18 19:00",
        "ends_at": "2030-09-18 22:00",
        "time_zone": "Asia/Shanghai",
        "venue": "Wuzhen Internet International Convention and Exhibition Center",
        "city": "Wuzhen",
        "country": "CN",
        "capacity": "80",
        "registration_mode": "approval",
        "is_published": "",
        **cells,
    }
    return [values[name] for name in HEADER]


def test_events_are_added_in_their_time_zones_unpublished_unless_said(importer):
    response = import_rows(
        importer,
        ADMIN,
        [
            [*HEADER, "sectors", "sdgs", "original_language", "title_i18n_en"],
            [*event_row(), "industrial-digital; Energy efficiency", "9, 17", "en", ""],
            [
                *event_row(
                    "全球工业互联网大会技术合作论坛",
                    summary="数字时代的全球技术合作。",
                    kind="研讨会",
                    starts_at="2030-10-20 09:30",
                    ends_at="2030-10-20 17:00",
                    time_zone="Asia/Shanghai",
                    venue="",
                    city="上海",
                    country="中国",
                    registration_mode="Sur invitation uniquement",
                    is_published="是",
                    capacity="",
                ),
                "",
                "",
                "中文",
                "Global Technology Cooperation Forum",
            ],
            [
                *event_row(
                    "Atelier WiiTs Nairobi",
                    kind="Atelier",
                    starts_at="2030-11-03T09:00+03:00",
                    ends_at="2030-11-03 12:30",
                    time_zone="Africa/Nairobi",
                    city="Nairobi",
                    country="Kenya",
                    registration_mode="open",
                    is_published="oui",
                ),
                "",
                "",
                "fr",
                "",
            ],
        ],
    )
    assert response.status_code == 302
    wuzhen = Event.objects.get(title="UNIDO Night: WiiTs Workshop")
    assert wuzhen.slug == "unido-night-wiits-workshop"
    assert wuzhen.starts_at == datetime.datetime(2030, 9, 18, 11, 0, tzinfo=datetime.UTC)
    assert (wuzhen.kind, wuzhen.registration_mode, wuzhen.capacity, wuzhen.is_published) == (
        "workshop",
        "approval",
        80,
        False,
    )
    assert set(wuzhen.sectors.values_list("slug", flat=True)) == {"industrial-digital", "energy-efficiency"}
    assert set(wuzhen.sdgs.values_list("number", flat=True)) == {9, 17}

    forum = Event.objects.get(title="全球工业互联网大会技术合作论坛")
    assert forum.slug == "quan-qiu-gong-ye-hu-lian-wang-da-hui-ji-shu-he-zuo-lun-tan"
    assert (forum.kind, forum.registration_mode, forum.is_published, forum.capacity) == (
        "workshop",
        "invitation",
        True,
        None,
    )
    assert (forum.original_language, forum.title_i18n_en, forum.country.code) == (
        "zh-hans",
        "Global Technology Cooperation Forum",
        "CN",
    )
    assert forum.local_starts_at.replace(tzinfo=None) == datetime.datetime(2030, 10, 20, 9, 30)

    nairobi = Event.objects.get(title="Atelier WiiTs Nairobi")
    assert nairobi.time_zone == "Africa/Nairobi"
    assert nairobi.starts_at == datetime.datetime(2030, 11, 3, 6, 0, tzinfo=datetime.UTC)
    assert nairobi.local_ends_at.strftime("%H:%M") == "12:30"
    assert nairobi.is_published


def test_a_known_slug_updates_the_event_keeping_what_is_left_empty(importer):
    event = EventFactory(slug="wiits-workshop", capacity=1, is_published=True, time_zone="Asia/Shanghai")
    waiting = UserFactory(organisation=None)
    Registration.objects.create(event=event, user=UserFactory(organisation=None), status=RegistrationStatus.REGISTERED)
    Registration.objects.create(event=event, user=waiting, status=RegistrationStatus.WAITING)
    import_rows(
        importer,
        ADMIN,
        [
            ["slug", "title", "summary", "starts_at", "ends_at", "capacity", "is_published"],
            ["wiits-workshop", "WiiTs Workshop", event.summary, "2030-01-10 10:00", "2030-01-10 12:00", "2", ""],
        ],
    )
    event.refresh_from_db()
    assert (event.title, event.capacity, event.is_published) == ("WiiTs Workshop", 2, True)
    assert event.starts_at == datetime.datetime(2030, 1, 10, 10, 0, tzinfo=SHANGHAI)
    assert Event.objects.count() == 1
    # As after an edit in the admin's form: the place freed goes to the waiting list.
    assert Registration.objects.get(user=waiting).status == RegistrationStatus.REGISTERED


def test_updating_needs_the_change_permission():
    EventFactory(slug="wiits-workshop")
    client = client_for(staff_with("events.add_event", organisation=None))
    previewed = preview(
        client,
        ADMIN,
        upload(
            [
                ["slug", "title", "starts_at", "ends_at"],
                ["wiits-workshop", "X", "2030-01-10 10:00", "2030-01-10 12:00"],
            ]
        ),
    )
    assert errors_of(previewed.context["result"]) == [
        "1: __all__: The event wiits-workshop exists already: updating it needs the permission to change events."
    ]


BAD_ROWS = [
    (
        {"time_zone": "Mars/Olympus"},
        "time_zone: Unknown time zone: Mars/Olympus. Write a name such as Asia/Shanghai or Europe/Paris.",
    ),
    ({"starts_at": "next Tuesday"}, "starts_at: Not a date and time: next Tuesday. Write it as 2025-06-10 09:30."),
    ({"starts_at": "2030-09-18"}, "starts_at: Not a date and time: 2030-09-18. Write it as 2025-06-10 09:30."),
    ({"ends_at": "2030-09-17 10:00"}, "ends_at: The event must end after it starts."),
    ({"country": "Atlantis"}, "country: Unknown country: Atlantis"),
    ({"venue": "", "city": ""}, "venue: Give a venue and city, or an online link."),
    ({"capacity": "many"}, "capacity: Not a whole number: many"),
    ({"capacity": "-5"}, "capacity: Ensure this value is greater than or equal to 0."),
    ({"kind": "party"}, "kind: Unknown value: party. Write one of: workshop, plenary, conference, webinar, roadshow."),
    ({"kind": ""}, "kind: This field cannot be blank."),
    ({"is_published": "maybe"}, "is_published: Write yes or no, not maybe"),
    ({"title": "t" * 201}, "title: Ensure this value has at most 200 characters (it has 201)."),
]


@pytest.mark.parametrize(("cells", "error"), BAD_ROWS)
def test_a_bad_row_is_shown_and_nothing_is_written(importer, cells, error):
    previewed = preview(importer, ADMIN, upload([HEADER, event_row("Good one"), event_row(**cells)]))
    assert errors_of(previewed.context["result"]) == [f"2: {error}"]
    assert "confirm_form" not in previewed.context
    assert not Event.objects.exists()


def test_the_preview_writes_nothing(importer):
    previewed = preview(importer, ADMIN, upload([HEADER, event_row()]))
    assert "confirm_form" in previewed.context
    assert not Event.objects.exists()
    confirm(importer, ADMIN, previewed)
    assert Event.objects.count() == 1


@pytest.mark.parametrize(
    ("permissions", "status"), [((), 403), (("events.view_event",), 403), (("events.add_event",), 200)]
)
def test_import_needs_the_add_permission(permissions, status):
    client = client_for(staff_with(*permissions, organisation=None))
    assert client.get(reverse(f"admin:{ADMIN}_import")).status_code == status
    assert preview(client, ADMIN, upload([HEADER, event_row()])).status_code == status
    assert not Event.objects.exists()


@pytest.mark.parametrize(("permissions", "status"), [((), 403), (("events.view_event",), 200)])
def test_export_needs_the_view_permission(permissions, status):
    EventFactory()
    client = client_for(staff_with(*permissions, organisation=None))
    assert export(client, ADMIN).status_code == status
    assert export(client, ADMIN, resource=AGENDA).status_code == status


def test_outsiders_are_sent_to_sign_in():
    client = client_for(UserFactory(organisation=None))
    assert client.get(reverse(f"admin:{ADMIN}_import")).status_code == 302
    assert export(client, ADMIN).status_code == 302


def test_the_registrants_export_still_needs_the_registrations_permission():
    event = EventFactory()
    viewer = client_for(staff_with("events.view_event", organisation=None))
    url = reverse(f"admin:{ADMIN}_changelist")
    response = viewer.post(url, {"action": "export_registrants", "_selected_action": [event.pk]})
    assert response.get("Content-Type", "").startswith("text/html")  # not the file
    manager = client_for(staff_with("events.view_event", "events.change_registration", organisation=None))
    response = manager.post(url, {"action": "export_registrants", "_selected_action": [event.pk]})
    assert response["Content-Type"].startswith("text/csv")


def agenda_header():
    return ["event_slug", "event_title", "event_starts_at", "starts_at", "title", "description"]


def test_agenda_items_find_their_event_by_slug_or_by_title_and_start(importer):
    wuzhen = EventFactory(
        slug="unido-night",
        title="UNIDO Night: WiiTs Workshop",
        time_zone="Asia/Shanghai",
        starts_at=datetime.datetime(2030, 9, 18, 19, 0, tzinfo=SHANGHAI),
        ends_at=datetime.datetime(2030, 9, 18, 22, 0, tzinfo=SHANGHAI),
    )
    EventFactory(title="UNIDO Night: WiiTs Workshop", starts_at=timezone.now() + datetime.timedelta(days=400))
    rows = [
        agenda_header(),
        ["unido-night", "", "", "2030-09-18 19:00", "Opening remarks", "Zhou Cheng, Shanghai Jiao Tong University"],
        ["", "unido night: wiits workshop", "2030-09-18", "19:30", "WiiTs website launching ceremony", ""],
        [
            "",
            "UNIDO Night: WiiTs Workshop",
            "2030-09-18 19:00",
            "20:00",
            "First Plenary of WiiTs National Advisory Group",
            "",
        ],
    ]
    import_rows(importer, ADMIN, rows, resource=AGENDA)
    items = list(wuzhen.agenda.order_by("starts_at"))
    assert [(item.local_time, item.title) for item in _local(items)] == [
        ("19:00", "Opening remarks"),
        ("19:30", "WiiTs website launching ceremony"),
        ("20:00", "First Plenary of WiiTs National Advisory Group"),
    ]
    # The same file again adds nothing: the items are there.
    previewed = preview(importer, ADMIN, upload(rows), resource=AGENDA)
    assert previewed.context["result"].totals["skip"] == 3
    confirm(importer, ADMIN, previewed)
    assert AgendaItem.objects.count() == 3


def _local(items):
    for item in items:
        item.local_time = item.starts_at.astimezone(item.event.tz).strftime("%H:%M")
    return items


def test_agenda_rows_that_name_no_single_event_are_errors(importer):
    EventFactory(title="Twice")
    EventFactory(title="Twice")
    previewed = preview(
        importer,
        ADMIN,
        upload(
            [
                agenda_header(),
                ["no-such-event", "", "", "2030-09-18 19:00", "A", ""],
                ["", "Nowhere", "2030-09-18", "19:00", "B", ""],
                ["", "Twice", "", "19:00", "C", ""],
                ["", "", "", "19:00", "D", ""],
            ]
        ),
        resource=AGENDA,
    )
    assert errors_of(previewed.context["result"]) == [
        "1: event: No event has the address (slug) no-such-event.",
        "2: event: No event is called Nowhere and starts 2030-09-18.",
        "3: event: Several events are called Twice: give the slug or when it starts.",
        "4: event: Name the event: its slug, or its title and when it starts.",
    ]
    assert not AgendaItem.objects.exists()


def test_importing_an_agenda_needs_the_permission_to_change_events():
    EventFactory(slug="unido-night")
    client = client_for(staff_with("events.add_event", organisation=None))
    previewed = preview(
        client, ADMIN, upload([agenda_header(), ["unido-night", "", "", "2030-09-18 19:00", "A", ""]]), resource=AGENDA
    )
    assert errors_of(previewed.context["result"]) == [
        "Importing an agenda changes events: it needs the permissions to change events and to add agenda items."
    ]
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_and_import_back(importer, fmt):
    wuzhen = EventFactory(
        slug="unido-night",
        title='=HYPERLINK("http://evil.example")',
        time_zone="Asia/Shanghai",
        starts_at=datetime.datetime(2030, 9, 18, 19, 0, tzinfo=SHANGHAI),
        ends_at=datetime.datetime(2030, 9, 18, 22, 0, tzinfo=SHANGHAI),
        capacity=80,
        is_published=False,
    )
    AgendaItem.objects.create(event=wuzhen, starts_at=wuzhen.starts_at, title="-Opening remarks")
    events = read(export(importer, ADMIN, fmt).content, fmt)
    assert len(events) == 1
    line = events[0]
    assert (line["title"], line["starts_at"], line["ends_at"], line["time_zone"]) == (
        '\'=HYPERLINK("http://evil.example")',
        "2030-09-18 19:00",
        "2030-09-18 22:00",
        "Asia/Shanghai",
    )
    assert (str(line["capacity"]), line["is_published"], line["country"], line["kind"]) == (
        "80",
        "no",
        "KE",
        "workshop",
    )
    agenda = read(export(importer, ADMIN, fmt, resource=AGENDA).content, fmt)
    assert agenda == [
        {
            **{key: agenda[0][key] for key in agenda[0]},
            "event_slug": "unido-night",
            "event_title": '\'=HYPERLINK("http://evil.example")',
            "event_starts_at": "2030-09-18 19:00",
            "starts_at": "2030-09-18 19:00",
            "title": "'-Opening remarks",
        }
    ]
    # Deleted, then imported back from the two files: the same event and agenda.
    Event.objects.all().delete()
    import_rows(importer, ADMIN, [list(events[0])] + [[_cell(v) for v in row.values()] for row in events], fmt)
    import_rows(importer, ADMIN, [list(agenda[0])] + [[_cell(v) for v in row.values()] for row in agenda], fmt, AGENDA)
    event = Event.objects.get()
    assert (event.slug, event.title, event.capacity, event.is_published) == (
        "unido-night",
        '=HYPERLINK("http://evil.example")',
        80,
        False,
    )
    assert event.starts_at == datetime.datetime(2030, 9, 18, 19, 0, tzinfo=SHANGHAI)
    assert list(event.agenda.values_list("title", flat=True)) == ["-Opening remarks"]


def _cell(value):
    return "" if value is None else value


def test_the_samples_import_cleanly(importer):
    import_file(importer, ADMIN, sample(SAMPLES / "events.csv"))
    events = read((SAMPLES / "events.csv").read_bytes())
    assert set(Event.objects.values_list("title", flat=True)) == {row["title"] for row in events}
    import_file(importer, ADMIN, sample(SAMPLES / "agenda.csv"), resource=AGENDA)
    agenda = read((SAMPLES / "agenda.csv").read_bytes())
    assert AgendaItem.objects.count() == len(agenda)
    wuzhen = Event.objects.get(slug="unido-night-wiits-workshop-2020")
    assert (wuzhen.is_published, wuzhen.registration_mode, wuzhen.local_starts_at.hour) == (True, "invitation", 19)
    assert wuzhen.agenda.count() == 6
