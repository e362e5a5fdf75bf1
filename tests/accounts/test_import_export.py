"""Organisations as spreadsheets in the admin (accounts/resources.py, docs/IMPORT.md): a
name known in any case updates, a new one adds; countries by name or code in any language;
all or nothing; import needs the add permission, updates the change one, export the view one."""

from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Organisation
from tests.factories import OrganisationFactory, UserFactory
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

ADMIN = "accounts_organisation"
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import-samples"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False


@pytest.fixture
def importer():
    return client_for(staff_with("accounts.add_organisation", "accounts.change_organisation"))


def test_new_names_add_and_known_names_update_without_renaming(importer):
    OrganisationFactory(name="Shanghai Jiao Tong University", country="", website="")
    response = import_rows(
        importer,
        ADMIN,
        [
            ["name", "country", "website"],
            ["SHANGHAI JIAO TONG UNIVERSITY", "中国", "www.sjtu.edu.cn"],
            ["  Stockholm   Clean Tech ", "Suède", "https://stockholmcleantech.se"],
            ["Sophia Business Angels", "FR", ""],
        ],
    )
    assert response.status_code == 302
    sjtu = Organisation.objects.get(name__iexact="shanghai jiao tong university")
    assert (sjtu.name, sjtu.country.code, sjtu.website) == (
        "Shanghai Jiao Tong University",
        "CN",
        "https://www.sjtu.edu.cn",
    )
    assert Organisation.objects.get(name="Stockholm Clean Tech").country.code == "SE"
    assert Organisation.objects.get(name="Sophia Business Angels").country.code == "FR"
    assert Organisation.objects.count() == 3


def test_preview_writes_nothing_and_a_bad_row_refuses_the_file(importer):
    previewed = preview(
        importer,
        ADMIN,
        upload([["name", "country"], ["Sophia Business Angels", "France"], ["EBAN", "Atlantis"]]),
    )
    assert previewed.status_code == 200
    assert "confirm_form" not in previewed.context
    assert errors_of(previewed.context["result"]) == ["2: country: Unknown country: Atlantis"]
    assert "Unknown country: Atlantis" in previewed.content.decode()
    assert not Organisation.objects.exists()


def test_preview_of_a_good_file_writes_nothing_until_confirmed(importer):
    previewed = preview(importer, ADMIN, upload([["name"], ["EBAN"]]))
    assert "confirm_form" in previewed.context
    assert not Organisation.objects.exists()
    assert confirm(importer, ADMIN, previewed).status_code == 302
    assert Organisation.objects.filter(name="EBAN").exists()


def test_confirmation_writes_nothing_when_a_row_went_wrong_since_the_preview(importer):
    previewed = preview(importer, ADMIN, upload([["name", "website"], ["EBAN", ""], ["Karlsson AB", ""]]))
    assert "confirm_form" in previewed.context
    # Meanwhile someone with only the add permission confirms: the update of EBAN is refused.
    OrganisationFactory(name="eban")
    adder = client_for(staff_with("accounts.add_organisation"))
    response = confirm(adder, ADMIN, previewed)
    assert response.status_code == 302
    assert response["Location"] == reverse(f"admin:{ADMIN}_import")
    assert not Organisation.objects.filter(name="Karlsson AB").exists()
    shown = adder.get(response["Location"]).content.decode()
    assert "Nothing was imported" in shown


def test_updating_needs_the_change_permission(importer):
    OrganisationFactory(name="EBAN", country="BE")
    adder = client_for(staff_with("accounts.add_organisation"))
    previewed = preview(adder, ADMIN, upload([["name", "country"], ["eban", "FR"], ["New one", "FR"]]))
    assert errors_of(previewed.context["result"]) == [
        "1: __all__: EBAN exists already: updating it needs the permission to change organisations."
    ]
    assert Organisation.objects.get(name="EBAN").country.code == "BE"


@pytest.mark.parametrize(
    ("permissions", "status"),
    [((), 403), (("accounts.view_organisation",), 403), (("accounts.add_organisation",), 200)],
)
def test_import_needs_the_add_permission(permissions, status):
    client = client_for(staff_with(*permissions))
    assert client.get(reverse(f"admin:{ADMIN}_import")).status_code == status
    response = preview(client, ADMIN, upload([["name"], ["EBAN"]]))
    assert response.status_code == status
    assert not Organisation.objects.exists()


def test_members_and_outsiders_cannot_import_or_export():
    client = client_for(UserFactory(organisation=None))
    for name in ("import", "export"):
        response = client.get(reverse(f"admin:{ADMIN}_{name}"))
        assert response.status_code == 302  # the admin sends non-staff to sign in
    assert preview(client, ADMIN, upload([["name"], ["EBAN"]])).status_code == 302
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(("permissions", "status"), [((), 403), (("accounts.view_organisation",), 200)])
def test_export_needs_the_view_permission(permissions, status):
    OrganisationFactory(name="EBAN")
    client = client_for(staff_with(*permissions))
    assert export(client, ADMIN).status_code == status


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_round_trip_and_formulas_neutralised(importer, fmt):
    OrganisationFactory(name='=HYPERLINK("http://evil.example")', country="SE", website="https://ivl.se")
    OrganisationFactory(name="IVL Swedish Environmental Research Institute", country="SE", website="https://ivl.se")
    response = export(importer, ADMIN, fmt)
    assert response.status_code == 200
    rows = read(response.content, fmt)
    assert rows == [
        {"name": '\'=HYPERLINK("http://evil.example")', "country": "SE", "website": "https://ivl.se"},
        {"name": "IVL Swedish Environmental Research Institute", "country": "SE", "website": "https://ivl.se"},
    ]
    # Imported back, the file changes nothing and adds nothing (the quote comes off again).
    Organisation.objects.update(website="")
    import_rows(importer, ADMIN, [list(rows[0])] + [list(row.values()) for row in rows], fmt)
    assert Organisation.objects.count() == 2
    assert set(Organisation.objects.values_list("name", "website")) == {
        ('=HYPERLINK("http://evil.example")', "https://ivl.se"),
        ("IVL Swedish Environmental Research Institute", "https://ivl.se"),
    }


def test_unknown_columns_refuse_the_file(importer):
    previewed = preview(importer, ADMIN, upload([["name", "contry"], ["EBAN", "BE"]]))
    assert errors_of(previewed.context["result"]) == [
        "Unknown columns: contry. The columns are: name, country, website."
    ]
    assert "Traceback" not in previewed.content.decode()


def test_a_file_that_cannot_be_read_is_refused_politely(importer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = preview(importer, ADMIN, SimpleUploadedFile("x.xlsx", b"not a workbook"), "xlsx")
    assert response.status_code == 200
    assert "could not be read" in response.content.decode()
    gbk = SimpleUploadedFile("x.csv", "name\n上海交通大学\n".encode("gbk"))
    assert "could not be read" in preview(importer, ADMIN, gbk, "csv").content.decode()


def test_a_confirmation_whose_file_is_gone_goes_back_to_the_import(importer):
    previewed = preview(importer, ADMIN, upload([["name"], ["EBAN"]]))
    from django.core.cache import cache

    cache.clear()
    response = confirm(importer, ADMIN, previewed)
    assert response["Location"] == reverse(f"admin:{ADMIN}_import")
    assert not Organisation.objects.exists()


def test_the_sample_imports_cleanly(importer):
    response = import_file(importer, ADMIN, sample(SAMPLES / "organisations.csv"))
    assert response.status_code == 302
    rows = read((SAMPLES / "organisations.csv").read_bytes())
    assert set(Organisation.objects.values_list("name", flat=True)) == {row["name"] for row in rows}
    assert Organisation.objects.get(name="EBAN").website == "https://www.eban.org"
    assert Organisation.objects.get(name="Stockholm Clean Tech").country.code == "SE"
    assert Organisation.objects.get(name="مكتب الأمم المتحدة للتعاون فيما بين بلدان الجنوب").country.code == "US"
