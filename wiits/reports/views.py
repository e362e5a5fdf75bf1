"""The staff reports page and its CSV downloads. Staff only: others get 403 (they know
the page exists, from the admin's links, but may not read it)."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from events.admin import csv_safe

from . import figures
from .charts import charts_for
from .permissions import can_see_reports


def _numeric_columns(report: figures.Report) -> list[bool]:
    """Columns whose figures are numbers (right-aligned in the table)."""
    return [
        all(value is None or (isinstance(value, int | float) and not isinstance(value, bool)) for value in column)
        and any(value is not None for value in column)
        for column in zip(*report.rows, strict=True)
    ] or [False] * len(report.columns)


def _section(report: figures.Report) -> dict:
    numeric = _numeric_columns(report)
    footer = report.footer()
    return {
        "report": report,
        "charts": charts_for(report),
        "header": list(zip(report.header(), numeric, strict=True)),
        "rows": [list(zip(row, numeric, strict=True)) for row in report.body()],
        "footer": list(zip(footer, numeric, strict=True)) if footer else None,
        "csv_url": reverse("reports:csv", kwargs={"key": report.key}),
    }


@never_cache
@login_required
@require_GET
def index(request):
    if not can_see_reports(request.user):
        raise PermissionDenied
    # The figures are taken now (events end before or after this instant), dated today.
    return render(
        request,
        "wiits/reports.html",
        {"sections": [_section(report) for report in figures.all_reports()], "today": timezone.localdate()},
    )


@never_cache
@login_required
@require_GET
def csv_download(request, key: str):
    if not can_see_reports(request.user):
        raise PermissionDenied
    build = figures.REPORTS.get(key)
    if build is None:
        raise Http404
    today = timezone.localdate()
    report = build()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wiits-{report.key}-{today.isoformat()}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    for line in report.table():
        writer.writerow([csv_safe(cell) for cell in line])
    return response
