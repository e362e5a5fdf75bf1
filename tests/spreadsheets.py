"""Helpers of the spreadsheet tests (tests/*/test_import_export.py): files to upload, the
admin's import in its two steps (preview, confirmation), its export, and staff members with
exactly the permissions a test names."""

import csv
import io

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.factories import StaffFactory

# The admin's formats, in the order of common.spreadsheets.admin.SpreadsheetAdmin.formats.
FORMATS = {"csv": "0", "xlsx": "1"}


def csv_bytes(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: list[list]) -> bytes:
    """A workbook whose text cells are text (a cell typed "=1+1" stays text, as a
    spreadsheet program keeps a cell typed with a leading quote)."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sample(path) -> SimpleUploadedFile:
    """A file of docs/import-samples/, as staff would upload it."""
    return SimpleUploadedFile(path.name, path.read_bytes())


def upload(rows: list[list], fmt: str = "csv", name: str = "rows") -> SimpleUploadedFile:
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    return SimpleUploadedFile(f"{name}.{fmt}", content)


def preview(client: Client, admin: str, file: SimpleUploadedFile, fmt: str = "csv", resource: str = "0"):
    """The first step: the upload, checked row by row (`admin`: "technologies_technology")."""
    return client.post(
        reverse(f"admin:{admin}_import"), {"resource": resource, "format": FORMATS[fmt], "import_file": file}
    )


def confirm(client: Client, admin: str, previewed):
    """The second step, as the preview's confirmation form posts it."""
    form = previewed.context["confirm_form"]
    data = {name: form.initial[name] for name in ("import_file_name", "original_file_name", "format", "resource")}
    return client.post(reverse(f"admin:{admin}_process_import"), data)


def import_rows(client: Client, admin: str, rows: list[list], fmt: str = "csv", resource: str = "0"):
    """Preview and confirm rows that must import cleanly; the confirmation's response."""
    return import_file(client, admin, upload(rows, fmt), fmt, resource)


def import_file(client: Client, admin: str, file, fmt: str = "csv", resource: str = "0"):
    """Preview and confirm a file that must import cleanly; the confirmation's response."""
    previewed = preview(client, admin, file, fmt, resource)
    assert previewed.status_code == 200
    result = previewed.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    return confirm(client, admin, previewed)


def errors_of(result) -> list[str]:
    """Every problem of a previewed file, as "row: column: message" lines."""
    lines = [str(error.error) for error in result.base_errors]
    for row in result.invalid_rows:
        for column, messages in row.error_dict.items():
            lines += [f"{row.number}: {column}: {message}" for message in messages]
    for number, errors in result.row_errors():
        lines += [f"{number}: {error.error}" for error in errors]
    return lines


def export(client: Client, admin: str, fmt: str = "csv", query: str = "", resource: str = "0"):
    return client.post(reverse(f"admin:{admin}_export") + query, {"format": FORMATS[fmt], "resource": resource})


def read(content: bytes, fmt: str = "csv") -> list[dict]:
    """An exported file's rows, as {column: cell}."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [[cell.value for cell in line] for line in sheet.iter_rows()]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def staff_with(*permissions: str, **fields):
    """A staff member (not a superuser, of no organisation) with exactly these permissions
    ("technologies.add_technology")."""
    member = StaffFactory(is_superuser=False, **{"organisation": None, **fields})
    for name in permissions:
        app_label, codename = name.split(".")
        member.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return member


def client_for(member) -> Client:
    client = Client()
    client.force_login(member)
    return client
