"""The jury's pages: a juror's declaration and scores for one application, and staff's
ranking of a call (with its CSV and XLSX exports and the assignment of suggested jurors)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from common.exports import csv_safe, xlsx_bytes

from . import jury, permissions
from .models import Call, JuryAssignment, JuryState


def _assignment_of(request, slug: str, pk: int) -> JuryAssignment:
    """The juror's own assignment, else 404 (another juror's, or anyone else, learns nothing)."""
    assignment = get_object_or_404(
        JuryAssignment.objects.select_related(
            "application__call", "application__technology__organisation", "application__technology__sector", "adviser"
        ),
        pk=pk,
        application__call__slug=slug,
    )
    if not permissions.is_juror(request.user, assignment):
        raise Http404
    return assignment


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def score(request, slug, pk):
    assignment = _assignment_of(request, slug, pk)
    application, call = assignment.application, assignment.application.call
    criteria = list(call.criteria.all())
    errors: list[str] = []
    if request.method == "POST":
        try:
            if assignment.state == JuryState.AWAITING_DECLARATION:
                declaration = request.POST.get("declaration")
                if declaration not in ("none", "recuse"):
                    raise ValidationError(_("Say whether you have a conflict of interest."))
                jury.jury_declare(
                    assignment=assignment,
                    by=request.user,
                    recuse=declaration == "recuse",
                    reason=request.POST.get("reason", ""),
                )
            else:
                scores = {}
                for criterion in criteria:
                    value = request.POST.get(f"score_{criterion.pk}", "")
                    scores[criterion.pk] = int(value) if value in ("1", "2", "3", "4", "5") else None
                jury.jury_submit(
                    assignment=assignment,
                    by=request.user,
                    scores=scores,
                    comments=request.POST.get("comments", ""),
                    confidential=request.POST.get("confidential", ""),
                )
                messages.success(request, _("Your scores have been submitted. Thank you."))
        except ValidationError as error:
            errors = error.messages
        except PermissionDenied:
            errors = [_("This step is already done.")]
        if not errors:
            return redirect(request.path)
        assignment.refresh_from_db()
    # The juror's own scores only: another juror's are never on this page.
    own_scores = list(assignment.scores.all()) if assignment.state == JuryState.SUBMITTED else []
    return render(
        request,
        "calls/jury_score.html",
        {
            "assignment": assignment,
            "application": application,
            "call": call,
            "criteria": criteria,
            "own_scores": own_scores,
            "answers": _answers(application),
            "errors": errors,
            "posted": request.POST if errors else {},
        },
        status=400 if errors else 200,
    )


def _answers(application) -> list[tuple]:
    questions = {str(question.pk): question for question in application.call.questions.all()}
    return [(questions[key], value) for key, value in application.answers.items() if key in questions]


def _staff_call(request, slug: str) -> Call:
    if not permissions.can_move_applications(request.user):
        raise Http404
    return get_object_or_404(Call, slug=slug)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ranking(request, slug):
    call = _staff_call(request, slug)
    if request.method == "POST":
        made, refused = jury.jury_assign_suggested(call=call, by=request.user)
        messages.success(request, _("Jurors assigned: %(count)d.") % {"count": made})
        for problem in refused:
            messages.warning(request, problem)
        return redirect(request.path)
    return render(
        request, "calls/ranking.html", {"call": call, "rows": jury.ranking(call), "criteria": call.criteria.all()}
    )


def _ranking_table(call: Call) -> tuple[list, list[list]]:
    """The ranking as a header and rows, for the CSV and XLSX downloads (the same columns)."""
    header = [
        _("Rank"), _("Technology"), _("Organisation"), _("Status"), _("Weighted mean"), _("Spread"),
        _("Scores submitted"), _("Scores expected"),
    ]  # fmt: skip
    rows = []
    for rank, row in enumerate(jury.ranking(call), start=1):
        application = row["application"]
        organisation = application.technology.organisation
        rows.append(
            [rank, application.technology.title, organisation.name if organisation else "",
             application.get_status_display(), float(row["mean"]) if row["mean"] is not None else None,
             float(row["spread"]), row["submitted"], row["expected"]]
        )  # fmt: skip
    return header, rows


def _download_name(call: Call, extension: str) -> str:
    return f'attachment; filename="wiits-call-{call.slug}-ranking-{timezone.localdate().isoformat()}.{extension}"'


@never_cache
@login_required
@require_GET
def ranking_csv(request, slug):
    call = _staff_call(request, slug)
    header, rows = _ranking_table(call)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _download_name(call, "csv")
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return response


@never_cache
@login_required
@require_GET
def ranking_xlsx(request, slug):
    """The same table as the CSV, as a workbook that opens without an import dialogue."""
    call = _staff_call(request, slug)
    header, rows = _ranking_table(call)
    response = HttpResponse(
        xlsx_bytes(title=_("Ranking"), header=header, rows=rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _download_name(call, "xlsx")
    return response
