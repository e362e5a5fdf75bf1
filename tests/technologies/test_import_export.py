# ruff: noqa: RUF001 -- names in six scripts
"""Listings as spreadsheets in the admin (technologies/resources.py, docs/IMPORT.md).

Import creates drafts only, through the service, owned by a member named by email, of an
organisation named in any case; sectors, SDGs, countries, cooperation and languages as staff
write them in six languages; the preview checks every row and writes nothing; the
confirmation writes all or nothing; every imported listing is in the search index. Export
gives the listings the admin's list shows, formulas neutralised, the owner's email only to
staff who may change listings."""

from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation
from import_export.tmp_storages import CacheStorage
from mailer.models import Message
from tablib import Dataset

from common.reference.models import Sector
from technologies import selectors
from technologies.models import Technology, TechnologyStatus
from technologies.resources import TechnologyResource
from tests.factories import OrganisationFactory, TechnologyFactory, UserFactory
from tests.spreadsheets import (
    FORMATS,
    client_for,
    confirm,
    csv_bytes,
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

ADMIN = "technologies_technology"
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import-samples"
HEADER = [
    "title",
    "summary",
    "original_language",
    "sector",
    "sdgs",
    "trl",
    "ip_status",
    "country_developed",
    "countries_deployed",
    "cooperation",
    "owner_email",
    "organisation",
]


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False


@pytest.fixture
def owner():
    organisation = OrganisationFactory(name="ISID Joint Institute of SJTU", country="CN")
    return UserFactory(email="innovation@isid-sjtu.example", organisation=organisation)


@pytest.fixture
def importer():
    return client_for(staff_with("technologies.add_technology", "technologies.view_technology"))


def row(title="Eco-industrial park energy monitor", **cells):
    values = {
        "title": title,
        "summary": "Meters and dashboards for the energy flows of an industrial park.",
        "original_language": "en",
        "sector": "energy-efficiency",
        "sdgs": "7; 9",
        "trl": "7",
        "ip_status": "patent_pending",
        "country_developed": "CN",
        "countries_deployed": "CN; KE",
        "cooperation": "licensing",
        "owner_email": "innovation@isid-sjtu.example",
        "organisation": "",
        **cells,
    }
    return [values[name] for name in HEADER]


def test_rows_become_drafts_written_as_staff_write_them(importer, owner):
    stockholm = OrganisationFactory(name="Stockholm Clean Tech", country="SE")
    response = import_rows(
        importer,
        ADMIN,
        [
            [*HEADER, "title_i18n_en", "summary_i18n_fr"],
            [*row(sdgs="7,9"), "", "Compteurs et tableaux de bord des flux d'énergie."],
            [
                *row(
                    "工业园区余热回收系统",
                    summary="回收钢厂余热, 为园区供暖。",
                    original_language="中文",
                    sector="能效",  # the sector's Chinese name
                    sdgs="SDG 7, SDG 13",
                    trl=6.0,
                    ip_status="已授权专利",
                    country_developed="中国",
                    countries_deployed="Vietnam, Indonésie",
                    cooperation="合资; Concession de licences",
                    owner_email="INNOVATION@isid-sjtu.example",
                    organisation="stockholm clean tech",
                ),
                "Waste heat recovery for industrial parks",
                "",
            ],
            [
                *row(
                    "Traitement des eaux usées par ozonation",
                    original_language="français",
                    sector="Eau et eaux usées",
                    country_developed="Suède",
                    countries_deployed="",
                    cooperation="",
                    sdgs="",
                    ip_status="",
                    trl="",
                ),
                "",
                "",
            ],
            [
                *row(
                    "نظام تبريد بالطاقة الشمسية",
                    original_language="ar",
                    sector="الطاقة المتجددة",
                    country_developed="مصر",
                    countries_deployed="EGY; المغرب",
                    sdgs="٧؛ ١٣",  # Arabic digits and semicolon
                ),
                "Solar cooling system",
                "",
            ],
        ],
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(f"admin:{ADMIN}_changelist")
    listings = {listing.title: listing for listing in Technology.objects.all()}
    assert len(listings) == 4
    assert {listing.status for listing in listings.values()} == {TechnologyStatus.DRAFT}
    assert {listing.owner for listing in listings.values()} == {owner}
    assert not any(listing.nag_evaluated or listing.published_at for listing in listings.values())

    english = listings["Eco-industrial park energy monitor"]
    assert english.slug == "eco-industrial-park-energy-monitor"
    assert english.organisation == owner.organisation  # the owner's, as the service gives
    assert sorted(english.sdgs.values_list("number", flat=True)) == [7, 9]
    assert english.summary_i18n_fr == "Compteurs et tableaux de bord des flux d'énergie."
    assert [c.code for c in english.countries_deployed] == ["CN", "KE"]

    chinese = listings["工业园区余热回收系统"]
    assert chinese.slug == "gong-ye-yuan-qu-yu-re-hui-shou-xi-tong"
    assert chinese.original_language == "zh-hans"
    assert chinese.sector.slug == "energy-efficiency"
    assert chinese.organisation == stockholm
    assert sorted(chinese.sdgs.values_list("number", flat=True)) == [7, 13]
    assert (chinese.trl, chinese.ip_status, chinese.country_developed.code) == (6, "patent_granted", "CN")
    assert [c.code for c in chinese.countries_deployed] == ["ID", "VN"]  # kept sorted
    assert sorted(chinese.cooperation.values_list("slug", flat=True)) == ["joint-venture", "licensing"]
    assert chinese.title_i18n_en == "Waste heat recovery for industrial parks"

    french = listings["Traitement des eaux usées par ozonation"]
    assert (french.original_language, french.sector.slug, french.country_developed.code) == (
        "fr",
        "water-wastewater",
        "SE",
    )
    assert (french.trl, french.ip_status, list(french.countries_deployed)) == (None, "", [])
    assert not french.sdgs.exists() and not french.cooperation.exists()

    arabic = listings["نظام تبريد بالطاقة الشمسية"]
    assert (arabic.original_language, arabic.sector.slug, arabic.country_developed.code) == (
        "ar",
        "renewable-energy",
        "EG",
    )
    assert [c.code for c in arabic.countries_deployed] == ["EG", "MA"]
    assert sorted(arabic.sdgs.values_list("number", flat=True)) == [7, 13]

    # Each row is in the admin's history, and nobody was emailed.
    assert (
        LogEntry.objects.filter(
            object_id__in=[str(pk) for pk in Technology.objects.values_list("pk", flat=True)]
        ).count()
        == 4
    )
    assert not Message.objects.exists()


@pytest.mark.postgres
def test_imported_listings_are_in_the_search_index(importer, owner):
    import_rows(
        importer, ADMIN, [HEADER, row(), row("工业园区余热回收系统", original_language="zh-hans", organisation="")]
    )
    assert not Technology.objects.filter(search_vector__isnull=True).exists()
    found = selectors.technology_search(Technology.objects.all(), "余热回收")
    assert list(found.values_list("title", flat=True)) == ["工业园区余热回收系统"]
    found = selectors.technology_search(Technology.objects.all(), "ISID Joint Institute")  # the organisation's name
    assert found.count() == 2


def test_the_preview_writes_nothing(importer, owner):
    previewed = preview(importer, ADMIN, upload([HEADER, row(), row("Second")]))
    assert previewed.status_code == 200
    assert "confirm_form" in previewed.context
    assert previewed.context["result"].totals["new"] == 2
    page = previewed.content.decode()
    assert "Eco-industrial park energy monitor" in page
    assert "Rows checked: 2. To add: 2; to update: 0; already there: 0. Nothing is written until you confirm." in page
    assert not Technology.objects.exists()


BAD_ROWS = [
    ({"country_developed": "Atlantis"}, "country_developed: Unknown country: Atlantis"),
    ({"countries_deployed": "Kenya; Atlantis"}, "countries_deployed: Unknown country: Atlantis"),
    ({"sector": "Quantum teleportation"}, "sector: Unknown sector: Quantum teleportation"),
    ({"sdgs": "7; 18"}, "sdgs: SDGs are numbers from 1 to 17, not 18"),
    ({"sdgs": "0"}, "sdgs: SDGs are numbers from 1 to 17, not 0"),
    ({"owner_email": "nobody@example.org"}, "owner: No active member has the email address nobody@example.org."),
    ({"owner_email": ""}, "owner: This field cannot be null."),
    ({"title": "x" * 201}, "title: Ensure this value has at most 200 characters (it has 201)."),
    ({"title": ""}, "title: This field cannot be blank."),
    ({"trl": "10"}, "trl: Value 10 is not a valid choice."),
    ({"trl": "high"}, "trl: Not a whole number: high"),
    (
        {"ip_status": "secret"},
        "ip_status: Unknown value: secret. Write one of: patent_granted, patent_pending, trade_secret, open.",
    ),
    (
        {"original_language": "Klingon"},
        "original_language: Unknown language: Klingon. Write one of: ar, zh-hans, en, fr, ru, es.",
    ),
    ({"cooperation": "friendship"}, "cooperation: Unknown cooperation type: friendship"),
    (
        {"organisation": "Nowhere Inc"},
        "organisation: No organisation is called Nowhere Inc: import or add it first (Members, Organisations).",
    ),
]


@pytest.mark.parametrize(("cells", "error"), BAD_ROWS)
def test_a_bad_row_is_shown_with_its_error_and_nothing_is_written(importer, owner, cells, error):
    previewed = preview(importer, ADMIN, upload([HEADER, row("Good one"), row(**cells)]))
    assert previewed.status_code == 200
    assert errors_of(previewed.context["result"]) == [f"2: {error}"]
    assert "confirm_form" not in previewed.context
    assert not Technology.objects.exists()


def test_errors_are_in_the_language_of_whoever_imports(owner):
    """The admin's pages are in English (Django gives unprefixed addresses the default
    language); the messages are translatable, and read in the language active at import."""
    dataset = Dataset(headers=HEADER)
    dataset.append(row("x" * 201))
    with translation.override("fr"):
        result = TechnologyResource(user=staff_with("technologies.add_technology")).import_data(dataset, dry_run=True)
        errors = errors_of(result)
    assert errors == ["1: title: Assurez-vous que cette valeur comporte au plus 200 caractères (actuellement 201)."]


@pytest.mark.parametrize(
    "columns",
    [["status"], ["nag_evaluated"], ["published_at"], ["owner"], ["id"], ["slug"]],
)
def test_workflow_columns_refuse_the_file(importer, owner, columns):
    previewed = preview(importer, ADMIN, upload([HEADER + columns, [*row(), "published"]]))
    [problem] = errors_of(previewed.context["result"])
    assert problem.startswith("Imported listings are always drafts")
    assert "confirm_form" not in previewed.context
    assert not Technology.objects.exists()


def test_a_file_without_owners_is_refused(importer, owner):
    header = [name for name in HEADER if name != "owner_email"]
    previewed = preview(importer, ADMIN, upload([header, row()[: len(header)]]))
    assert errors_of(previewed.context["result"]) == ["Missing columns: owner_email."]


def test_an_inactive_owner_is_refused(importer, owner):
    owner.is_active = False
    owner.save()
    previewed = preview(importer, ADMIN, upload([HEADER, row()]))
    assert errors_of(previewed.context["result"]) == [
        "1: owner: No active member has the email address innovation@isid-sjtu.example."
    ]


def test_a_formula_is_imported_as_text_and_exported_neutralised(importer, owner, settings):
    formula = '=HYPERLINK("http://evil.example","Click")'
    import_rows(importer, ADMIN, [HEADER, row(formula, summary="+1 555 0100", organisation="")])
    listing = Technology.objects.get()
    assert (listing.title, listing.summary) == (formula, "+1 555 0100")
    for fmt in ("csv", "xlsx"):
        exported = read(export(importer, ADMIN, fmt).content, fmt)
        assert exported[0]["title"] == "'" + formula
        assert exported[0]["summary"] == "'+1 555 0100"
    # In the workbook the cell is text, not a formula.
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export(importer, ADMIN, "xlsx").content)).active
    assert "f" not in {cell.data_type for line in sheet.iter_rows() for cell in line}


def test_export_lists_what_the_admin_list_shows(importer, owner):
    TechnologyFactory(title="Published one", owner=owner)
    TechnologyFactory(title="A draft", owner=owner, status=TechnologyStatus.DRAFT)
    TechnologyFactory(title="In review", owner=owner, status=TechnologyStatus.IN_REVIEW)
    everything = read(export(importer, ADMIN).content)
    assert {line["title"] for line in everything} == {"Published one", "A draft", "In review"}
    published = read(export(importer, ADMIN, query="?status__exact=published").content)
    assert [line["title"] for line in published] == ["Published one"]
    assert list(everything[0]) == [
        "title",
        "summary",
        "description",
        "advantages",
        "original_language",
        "sector",
        "sdgs",
        "trl",
        "ip_status",
        "country_developed",
        "countries_deployed",
        "cooperation",
        "organisation",
    ] + [
        f"{text}_i18n_{language}"
        for text in ("title", "summary", "description", "advantages")
        for language in ("ar", "zh_hans", "en", "fr", "ru", "es")
    ]
    line = next(line for line in everything if line["title"] == "Published one")
    assert (line["sector"], line["sdgs"], line["cooperation"], line["countries_deployed"]) == (
        "agro-food-processing",
        "2; 7",
        "licensing",
        "KE; TZ",
    )
    assert line["organisation"] == "ISID Joint Institute of SJTU"


def test_the_owners_email_is_exported_only_with_the_change_permission(owner):
    TechnologyFactory(owner=owner)
    viewer = client_for(staff_with("technologies.view_technology"))
    assert "owner_email" not in read(export(viewer, ADMIN).content)[0]
    changer = client_for(staff_with("technologies.change_technology"))
    assert read(export(changer, ADMIN).content)[0]["owner_email"] == "innovation@isid-sjtu.example"


@pytest.mark.parametrize(
    ("permissions", "status"),
    [
        ((), 403),
        (("technologies.view_technology",), 403),
        (("technologies.change_technology",), 403),
        (("technologies.add_technology",), 200),
    ],
)
def test_import_needs_the_add_permission(owner, permissions, status):
    client = client_for(staff_with(*permissions))
    assert client.get(reverse(f"admin:{ADMIN}_import")).status_code == status
    previewed = preview(client, ADMIN, upload([HEADER, row()]))
    assert previewed.status_code == status
    if status == 403:
        # Nor can the confirmation be posted directly.
        storage = CacheStorage()
        storage.save(csv_bytes([HEADER, row()]))
        data = {"import_file_name": storage.name, "original_file_name": "x.csv", "format": FORMATS["csv"]}
        assert client.post(reverse(f"admin:{ADMIN}_process_import"), data).status_code == 403
    assert not Technology.objects.exists()


def test_outsiders_are_sent_to_sign_in(owner):
    client = client_for(UserFactory(organisation=None))
    for step in ("import", "export", "process_import"):
        assert client.get(reverse(f"admin:{ADMIN}_{step}")).status_code == 302
    assert preview(client, ADMIN, upload([HEADER, row()])).status_code == 302
    assert not Technology.objects.exists()


def test_the_list_shows_the_buttons_by_permission(owner):
    viewer = client_for(staff_with("technologies.view_technology"))
    page = viewer.get(reverse(f"admin:{ADMIN}_changelist")).content.decode()
    assert reverse(f"admin:{ADMIN}_export") in page
    assert reverse(f"admin:{ADMIN}_import") not in page
    importer = client_for(staff_with("technologies.view_technology", "technologies.add_technology"))
    page = importer.get(reverse(f"admin:{ADMIN}_changelist")).content.decode()
    assert reverse(f"admin:{ADMIN}_import") in page


def test_xlsx_round_trip(importer, owner, settings):
    changer = client_for(
        staff_with("technologies.add_technology", "technologies.change_technology", "technologies.view_technology")
    )
    import_rows(
        changer,
        ADMIN,
        [
            [*HEADER, "title_i18n_en"],
            [*row("工业园区余热回收系统", original_language="zh-hans", organisation=""), "Waste heat recovery"],
            [*row("Ozone wastewater treatment", sdgs="6", countries_deployed=""), ""],
        ],
        fmt="xlsx",
    )
    exported = export(changer, ADMIN, "xlsx")
    assert exported["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = read(exported.content, "xlsx")
    assert {line["title"] for line in rows} == {"工业园区余热回收系统", "Ozone wastewater treatment"}
    # The exported workbook imports back as new drafts with the same content.
    header = list(rows[0])
    import_rows(changer, ADMIN, [header] + [[line[name] for name in header] for line in rows], fmt="xlsx")
    assert Technology.objects.count() == 4
    again = read(export(changer, ADMIN, "xlsx").content, "xlsx")
    assert sorted(map(sorted_items, again)) == sorted(map(sorted_items, rows + rows))


def sorted_items(line: dict) -> tuple:
    return tuple(sorted((key, value or "") for key, value in line.items()))


def test_a_csv_export_opens_in_spreadsheet_programs_as_utf8(importer, owner):
    TechnologyFactory(title="太阳能干燥机", owner=owner)
    response = export(importer, ADMIN)
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    assert "太阳能干燥机" in response.content.decode("utf-8-sig")


def test_a_file_over_the_limit_is_refused_as_a_whole(importer, owner):
    rows = [HEADER] + [row(f"Energy monitor model {n}") for n in range(10_000)]
    previewed = preview(importer, ADMIN, upload(rows))
    assert errors_of(previewed.context["result"]) == [
        "Rows in this file: 10,000. Import at most 1,000 at a time (split the file)."
    ]
    assert not Technology.objects.exists()


@pytest.mark.postgres
def test_a_file_at_the_limit_is_written_whole(importer, owner):
    """The confirmation of the largest file allowed writes every listing through the service,
    each in the search index. (Its time is measured, not asserted: about 12 to 18 s on two
    cores, under gunicorn's 30 s for a request; docs/IMPORT.md.)"""
    rows = [HEADER] + [row(f"Energy monitor model {n}") for n in range(TechnologyResource.max_rows)]
    previewed = preview(importer, ADMIN, upload(rows))
    assert confirm(importer, ADMIN, previewed).status_code == 302
    assert Technology.objects.filter(status=TechnologyStatus.DRAFT, search_vector__isnull=False).count() == 1_000


def test_ten_thousand_rows_with_one_bad_row_write_nothing(importer, owner, monkeypatch):
    """Every row of a large file is checked and the one bad row named (the limit raised for
    this); how long it takes is a measurement, not a test (about 12 s on two cores)."""
    monkeypatch.setattr(TechnologyResource, "max_rows", 10_000)
    rows = [HEADER] + [row(f"Energy monitor model {n}") for n in range(10_000)]
    rows[7_500] = row("Energy monitor model bad", country_developed="Atlantis")
    previewed = preview(importer, ADMIN, upload(rows))
    assert errors_of(previewed.context["result"]) == ["7500: country_developed: Unknown country: Atlantis"]
    assert "confirm_form" not in previewed.context
    # Posting the confirmation anyway (the file put where the preview would have) writes nothing.
    storage = CacheStorage()
    storage.save(csv_bytes(rows))
    data = {"import_file_name": storage.name, "original_file_name": "big.csv", "format": FORMATS["csv"]}
    response = importer.post(reverse(f"admin:{ADMIN}_process_import"), data)
    assert response["Location"] == reverse(f"admin:{ADMIN}_import")
    assert not Technology.objects.exists()
    assert "Unknown country: Atlantis" in importer.get(response["Location"]).content.decode()


def test_a_row_failing_while_written_rolls_every_row_back(importer, owner, monkeypatch):
    from technologies import services

    written = []
    real = services.technology_create

    def create(**kwargs):
        if written:
            raise RuntimeError("the database went away")
        written.append(real(**kwargs))
        return written[-1]

    monkeypatch.setattr(services, "technology_create", create)
    previewed = preview(importer, ADMIN, upload([HEADER, row("First"), row("Second")]))
    response = confirm(importer, ADMIN, previewed)
    assert response["Location"] == reverse(f"admin:{ADMIN}_import")
    assert len(written) == 1
    assert not Technology.objects.exists()
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize("name", ["technologies.csv", "technologies.xlsx"])
def test_the_samples_import_cleanly(name):
    fmt = name.rsplit(".", 1)[1]
    client = client_for(staff_with("technologies.add_technology", "accounts.add_organisation"))
    import_file(client, "accounts_organisation", sample(SAMPLES / "organisations.csv"))
    rows = read((SAMPLES / name).read_bytes(), fmt)
    for email in {line["owner_email"] for line in rows}:
        UserFactory(email=email, organisation=None)
    response = import_file(client, ADMIN, sample(SAMPLES / name), fmt)
    assert response.status_code == 302
    assert set(Technology.objects.values_list("title", flat=True)) == {line["title"] for line in rows}
    assert set(Technology.objects.values_list("status", flat=True)) == {"draft"}
    chinese = Technology.objects.get(title="工业互联网设备预测性维护平台")
    assert (chinese.original_language, chinese.sector.slug, chinese.ip_status) == (
        "zh-hans",
        "industrial-digital",
        "patent_granted",
    )
    assert chinese.organisation.name == "Shanghai Jiao Tong University"
    assert [c.code for c in chinese.countries_deployed] == ["CN", "ID", "VN"]


def test_sector_names_follow_renames(importer, owner):
    Sector.objects.filter(slug="energy-efficiency").update(name="Energy savings")
    import_rows(importer, ADMIN, [HEADER, row(sector="Energy savings")])
    assert Technology.objects.get().sector.slug == "energy-efficiency"


def test_changes_after_the_preview_are_caught_at_the_confirmation(importer, owner):
    previewed = preview(importer, ADMIN, upload([HEADER, row("First"), row("Second")]))
    owner.is_active = False
    owner.save()
    response = confirm(importer, ADMIN, previewed)
    assert response["Location"] == reverse(f"admin:{ADMIN}_import")
    assert not Technology.objects.exists()
    page = importer.get(response["Location"]).content.decode()
    assert "Nothing was imported" in page
    assert "No active member has the email address innovation@isid-sjtu.example." in page
