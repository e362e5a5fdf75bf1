"""The staff reports page and its CSV downloads: staff only (the anonymous are sent to
sign in, members are refused with 403)."""

import csv
import datetime
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from common.exports import csv_safe

from . import figures
from .charts import charts_for
from .permissions import can_see_reports

MONTH = re.compile(r"^\d{4}-\d{2}$")


def _is_figure(value) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def _column_classes(report: figures.Report) -> list[str]:
    """How each column's cells are set: figures right-aligned, months and dates unbroken."""
    classes = []
    for column in zip(*report.rows, strict=True):
        if all(_is_figure(value) for value in column):
            classes.append("text-end text-nowrap")
        elif all(isinstance(value, datetime.date) or MONTH.match(str(value)) for value in column):
            classes.append("text-nowrap")
        else:
            classes.append("")
    return classes or [""] * len(report.columns)


def _section(report: figures.Report) -> dict:
    classes = _column_classes(report)
    footer = report.footer()
    charts = charts_for(report)
    return {
        "report": report,
        "charts": charts,
        # A single chart beside its table when the table is narrow enough.
        "split": len(charts) == 1 and len(report.columns) <= 4,
        "header": list(zip(report.header(), classes, strict=True)),
        "rows": [list(zip(row, classes, strict=True)) for row in report.body()],
        "footer": list(zip(footer, classes, strict=True)) if footer else None,
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
        "reports/reports.html",
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
