import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.confirm import Confirmation, is_confirmed, is_going_back, posted_fields, render_confirmation
from common.translated import translated, translations_of
from technologies.models import Technology, TechnologyImage
from technologies.services import TECHNOLOGY_TRANSLATED_FIELDS
from technologies.storage import private_file_response

from . import permissions, selectors, services
from .forms import AdviserFilterForm, AssignForm, DecisionForm, DeclarationForm, ReviewForm
from .models import (
    Adviser,
    AdviserRole,
    Assignment,
    Charter,
    Criterion,
    Recommendation,
    Review,
    ReviewScore,
    weighted_score,
)
from .services import Decision


@require_GET
def group(request):
    form = AdviserFilterForm(request.GET or None)
    sector = country = None
    if form.is_valid():
        sector, country = form.cleaned_data["sector"], form.cleaned_data["country"]
    advisers = list(selectors.advisers_for_public_page(sector=sector, country=country))
    return render(
        request,
        "advisors/adviser_list.html",
        {
            "form": form,
            "chair": [a for a in advisers if a.role == AdviserRole.CHAIR],
            "conveners": [a for a in advisers if a.role == AdviserRole.CONVENER],
            "members": [a for a in advisers if a.role == AdviserRole.MEMBER],
            "filtered": bool(sector or country),
            "charter": Charter.objects.current(),
        },
    )


@require_GET
def detail(request, slug):
    adviser = get_object_or_404(
        Adviser.objects.current().select_related("user").prefetch_related("expertise"), slug=slug
    )
    return render(request, "advisors/adviser_detail.html", {"adviser": adviser})


@require_GET
def photo(request, slug):
    adviser = get_object_or_404(Adviser.objects.current(), slug=slug)
    if not adviser.photo:
        raise Http404
    content_type = mimetypes.guess_type(adviser.photo.name)[0] or "application/octet-stream"
    response = FileResponse(adviser.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def charter(request):
    return render(request, "advisors/charter_detail.html", {"charter": Charter.objects.current()})


# --- Advisers' reviews ----------------------------------------------------------------------


def _adviser_or_404(user) -> Adviser:
    adviser = permissions.adviser_of(user)
    if adviser is None:
        raise Http404
    return adviser


@login_required
@require_GET
def review_queue(request):
    adviser = _adviser_or_404(request.user)
    return render(request, "advisors/review_queue.html", {"assignments": selectors.review_queue(adviser=adviser)})


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    assignment = selectors.assignment_for_adviser(user=request.user, pk=pk)
    review_obj = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
    criteria = Criterion.objects.active()
    form = None
    if permissions.can_edit_review(request.user, assignment):
        initial = {}
        if review_obj:
            initial = {
                "recommendation": review_obj.recommendation,
                "comments_for_innovator": review_obj.comments_for_innovator,
                "confidential_comments": review_obj.confidential_comments,
                **{f"score_{s.criterion_id}": str(s.score) for s in review_obj.scores.all()},
            }
        form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
        if request.method == "POST" and form.is_valid():
            submit = "submit" in request.POST
            try:
                if submit and not is_confirmed(request):
                    # Submitting is for good: the summary first (common/confirm.py). The
                    # answers are kept as a draft meanwhile, and travel in hidden fields.
                    problems = services.review_missing(
                        scores=form.scores(), recommendation=form.cleaned_data["recommendation"]
                    )
                    if problems:
                        raise ValidationError(services.review_missing_message(problems))
                    _review_save(request, assignment, form, submit=False)
                    return _review_confirmation(request, assignment, form)
                _review_save(request, assignment, form, submit=submit)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your review has been submitted.") if submit else _("Draft saved."))
                return redirect("advisors:review", pk=assignment.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "assignment": assignment,
        "technology": assignment.technology,
        "form": form,
        "declaration_form": DeclarationForm() if permissions.can_declare(request.user, assignment) else None,
        "review": review_obj if review_obj and review_obj.is_submitted else None,
        "can_read_listing": permissions.can_read_technology_for_review(request.user, assignment),
        "others": selectors.other_reviews_of_the_round(assignment=assignment)
        if permissions.can_see_other_reviews(request.user, assignment)
        else None,
    }
    return render(request, "advisors/review_form.html", context, status=400 if form and form.errors else 200)


def _weights(pairs) -> list[str]:
    """Each criterion with its weight, for the sentence that explains the weighted score."""
    return [_("%(name)s: %(weight)s %%") % {"name": name, "weight": weight} for name, weight in pairs]


def _review_save(request, assignment, form, *, submit: bool) -> Review:
    return services.review_save(
        assignment=assignment,
        by=request.user,
        scores=form.scores(),
        recommendation=form.cleaned_data["recommendation"],
        comments_for_innovator=form.cleaned_data["comments_for_innovator"],
        confidential_comments=form.cleaned_data["confidential_comments"],
        submit=submit,
    )


def _review_confirmation(request, assignment, form):
    """The summary of a review about to be submitted: each score, the weighted score, the
    recommendation and the comments, as they will be sent."""
    scores = form.scores()
    items = [
        ReviewScore(criterion_name=criterion.name, weight=criterion.weight, score=scores[criterion.pk])
        for criterion in form.criteria
        if criterion.pk in scores
    ]
    confirmation = Confirmation(
        title=_("Submit your review?"),
        subject=translated(assignment.technology, "title"),
        consequences=[
            _("Your scores, your recommendation and your comments go to WiiTs staff for their decision."),
            _("Your comments for the innovator are sent to them with the decision, without your name."),
            _("You can then read the other advisers' reviews of this round."),
        ],
        cannot_undo=_("Once submitted, you cannot change it."),
        confirm_label=_("Submit my review"),
        back_url=reverse("advisors:review", kwargs={"pk": assignment.pk}),
        back_label=_("Back to my review (your answers are saved as a draft)"),
        hidden=posted_fields(form, "submit"),
        destructive=False,
    )
    return render_confirmation(
        request,
        confirmation,
        template="advisors/review_confirm.html",
        context={
            "items": items,
            "score": weighted_score(items),
            "weights": _weights((item.criterion_name, item.weight) for item in items),
            "recommendation": Recommendation(form.cleaned_data["recommendation"]).label,
            "comments_for_innovator": form.cleaned_data["comments_for_innovator"],
            "confidential_comments": form.cleaned_data["confidential_comments"],
        },
    )


def _assignment_with_listing(request, pk) -> Assignment:
    assignment = selectors.assignment_for_adviser(user=request.user, pk=pk)
    if not permissions.can_read_technology_for_review(request.user, assignment):
        raise Http404
    return assignment


@login_required
@require_GET
def review_technology(request, pk):
    """The listing as the assigned adviser reads it: complete, though not public yet."""
    assignment = _assignment_with_listing(request, pk)
    technology = selectors.technology_for_review(technology_id=assignment.technology_id)
    languages = dict(settings.LANGUAGES)
    translations = [
        ({"code": code, "name": languages.get(code, code)}, fields)
        for code, fields in translations_of(technology, list(TECHNOLOGY_TRANSLATED_FIELDS)).items()
    ]
    return render(
        request,
        "advisors/technology_for_review.html",
        {"assignment": assignment, "technology": technology, "translations": translations},
    )


@login_required
@require_GET
def review_image(request, pk, image_pk):
    assignment = _assignment_with_listing(request, pk)
    picture = get_object_or_404(TechnologyImage, pk=image_pk, technology_id=assignment.technology_id)
    return private_file_response(picture.image, content_type="image/jpeg", public=False)


@login_required
@require_GET
def review_brochure(request, pk):
    assignment = _assignment_with_listing(request, pk)
    technology = assignment.technology
    if not technology.brochure:
        raise Http404
    return private_file_response(
        technology.brochure, content_type="application/pdf", public=False, filename=f"{technology.slug}.pdf"
    )


@login_required
@require_POST
def declare(request, pk):
    assignment = selectors.assignment_for_adviser(user=request.user, pk=pk)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the two declarations; a recusal needs a reason."))
        return redirect("advisors:review", pk=assignment.pk)
    recuse = form.cleaned_data["declaration"] == DeclarationForm.RECUSE
    services.assignment_declare(
        assignment=assignment, by=request.user, recuse=recuse, reason=form.cleaned_data["reason"]
    )
    if recuse:
        messages.success(request, _("You have recused yourself. WiiTs staff will assign someone else."))
        return redirect("advisors:review_queue")
    return redirect("advisors:review", pk=assignment.pk)


# --- Staff: assignment and decision ------------------------------------------------------


def _staff_only(user) -> None:
    if not permissions.can_manage_reviews(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, slug):
    _staff_only(request.user)
    technology = get_object_or_404(Technology.objects.select_related("organisation", "sector", "owner"), slug=slug)
    suggestions = selectors.adviser_suggestions(technology=technology)
    form = AssignForm(request.POST or None, suggestions=suggestions)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_create(
                technology=technology, adviser=form.cleaned_data["adviser"], due_date=form.cleaned_data["due_date"],
                by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The adviser has been assigned and emailed."))
            return redirect("advisors:assign", slug=technology.slug)
    assignments = list(selectors.assignments_of_technology(technology=technology))
    return render(
        request,
        "advisors/assign.html",
        {
            "technology": technology,
            "form": form,
            "suggestions": suggestions,
            "assignments": assignments,
            "wanted": settings.WIITS_REVIEWERS_PER_TECHNOLOGY,
            "counting": sum(1 for assignment in assignments if assignment.expects_review),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unassign(request, pk):
    """The assignment page's "Unassign" leads to a confirmation; the confirmed POST
    unassigns (common/confirm.py)."""
    _staff_only(request.user)
    assignment = get_object_or_404(Assignment.objects.select_related("technology", "adviser__user"), pk=pk)
    if not is_confirmed(request):
        if not assignment.is_open:
            messages.error(request, _("Only an open assignment can be withdrawn."))
            return redirect("advisors:assign", slug=assignment.technology.slug)
        confirmation = Confirmation(
            title=_("Unassign this adviser?"),
            subject=assignment.adviser.name,
            consequences=[
                _("The adviser can no longer open this review or the listing; they are not emailed."),
                _("A draft they started is not counted in this round."),
            ],
            cannot_undo=_("If you assign them again, they start a new review from the beginning."),
            confirm_label=_("Yes, unassign the adviser"),
            back_url=reverse("advisors:assign", kwargs={"slug": assignment.technology.slug}),
            back_label=_("No, keep the assignment"),
        )
        return render_confirmation(request, confirmation)
    try:
        services.assignment_cancel(assignment=assignment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The adviser has been unassigned."))
    return redirect("advisors:assign", slug=assignment.technology.slug)


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, slug):
    _staff_only(request.user)
    technology = get_object_or_404(Technology.objects.select_related("organisation", "owner"), slug=slug)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not is_going_back(request):
        try:
            if not is_confirmed(request):
                return _decision_confirmation(request, technology, form)
            services.technology_decide(
                technology=technology, by=request.user, decision=form.cleaned_data["decision"],
                message=form.cleaned_data["message"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("The decision has been recorded and the innovator emailed."))
            return redirect(technology)
    criteria = list(Criterion.objects.active())
    summary = selectors.decision_summary(technology=technology)
    return render(
        request,
        "advisors/decision.html",
        {
            "technology": technology,
            "form": form,
            "criteria": criteria,
            "weights": _weights((row["name"], row["weight"]) for row in summary["score_rows"]),
            **summary,
        },
        status=400 if form.errors else 200,
    )


DECISION_CONSEQUENCES = {
    Decision.PUBLISH_NAG: gettext_lazy(
        "The listing is published in the catalogue at once, marked as evaluated by the National Advisory Group."
    ),
    Decision.PUBLISH: gettext_lazy("The listing is published in the catalogue at once."),
    Decision.REQUEST_CHANGES: gettext_lazy(
        "The listing goes back to the innovator to change; submitting it again starts a new round of reviews."
    ),
    Decision.REJECT: gettext_lazy("The listing is rejected: it will not be published."),
}


def _decision_confirmation(request, technology, form):
    """The decision about to be recorded, its message and what follows, to confirm. What
    the service would refuse (a message missing, the NAG mark not earned) is said first."""
    decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
    problem = services.decision_problem(technology=technology, decision=decision, message=message)
    if problem:
        raise ValidationError(problem)  # shown on the decision page
    confirmation = Confirmation(
        title=_("Record this decision?"),
        subject=translated(technology, "title"),
        consequences=[
            DECISION_CONSEQUENCES[decision],
            _(
                "The innovator is emailed your message, followed by the advisers' comments for them, "
                "without the advisers' names."
            ),
            _("This round of reviews is closed: open reviews can no longer be submitted."),
        ],
        details=[(_("Decision"), dict(Decision.CHOICES)[decision]), (_("Message to the innovator"), message)],
        cannot_undo=_("The innovator is emailed at once, and a decision cannot be taken back."),
        confirm_label=_("Record the decision and email the innovator"),
        back_url=reverse("advisors:decide", kwargs={"slug": technology.slug}),
        back_with_input=True,
        hidden=posted_fields(form),
    )
    return render_confirmation(request, confirmation)
