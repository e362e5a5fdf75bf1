"""Members' application pages (apply, an application, submit): built by the applying
part of issue 21. The server's clock decides the deadline: a page loaded before it and
sent after it is refused."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from common.translated import translated
from technologies.models import Technology

from . import permissions, services
from .forms import ApplicationForm
from .models import Application, ApplicationStatus, Call


def _call_or_404(user, slug) -> Call:
    call = get_object_or_404(Call, slug=slug)
    if not permissions.can_view_call(user, call):
        raise Http404
    return call


def _application_or_404(user, slug, pk) -> Application:
    """The application, to its applicant and staff; 404 to anyone else."""
    application = get_object_or_404(
        Application.objects.select_related("call", "technology", "applicant"), pk=pk, call__slug=slug
    )
    if not permissions.can_view_application(user, application):
        raise Http404
    return application


def _int(value) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _questions(call: Call) -> list:
    return list(call.questions.all())


def _call_state(call: Call) -> str:
    """What the pages say of the call: "open", "upcoming", "closed" or "unpublished"; the
    server's clock decides, in UTC, whatever zone the applicant's browser is in."""
    now = timezone.now()
    if not call.is_published:
        return "unpublished"
    if now >= call.closes_at:
        return "closed"
    if now < call.opens_at:
        return "upcoming"
    return "open"


# --- Apply -------------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    user = request.user
    call = _call_or_404(user, slug)
    is_open = permissions.can_apply(user, call)
    technologies = Technology.objects.filter(owner=user).order_by("title", "pk")
    existing = list(
        Application.objects.filter(call=call, applicant=user).select_related("call", "technology").order_by("pk")
    )
    for application in existing:
        application.status_label = services.status_label(application)
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        call=call,
        questions=_questions(call),
        technologies=technologies,
        # A listing just created from this page comes back chosen (technologies' create view).
        initial={"technology": _int(request.GET.get("technology"))},
    )
    status = 200
    if request.method == "POST":
        if not is_open:
            status = 400  # the page says the call is closed; nothing is written
        elif form.is_valid():
            technology = form.cleaned_data["technology"]
            if Application.objects.filter(call=call, technology=technology).exists():
                form.add_error(
                    "technology",
                    _("“%(title)s” already has an application to this call: open it from the list above.")
                    % {"title": translated(technology, "title").text},
                )
            else:
                try:
                    application = services.application_save(
                        call=call, technology=technology, applicant=user, answers=form.answers()
                    )
                except ValidationError as error:
                    form.add_service_errors(error)
                except PermissionDenied as error:
                    form.add_error("technology", str(error))
                else:
                    messages.success(
                        request, _("Your application is saved as a draft. Submit it before the deadline.")
                    )
                    return redirect(application)
            status = 400
        else:
            status = 400
    return render(
        request,
        "calls/apply.html",
        {
            "call": call,
            "form": form,
            "is_open": is_open,
            "state": _call_state(call),
            "has_technologies": technologies.exists(),
            "return_query": urlencode({"return_to": request.path}),
            "existing": existing,
        },
        status=status,
    )


# --- One application ---------------------------------------------------------------------------


def _answers(application: Application, questions) -> list[tuple]:
    return [(question, application.answers.get(str(question.pk), "")) for question in questions]


def _render_application(request, application: Application, *, form=None, errors=(), status=200):
    user = request.user
    call = application.call
    questions = _questions(call)
    can_edit = permissions.can_edit_application(user, application)
    is_draft = application.status == ApplicationStatus.DRAFT
    if can_edit and form is None:
        form = ApplicationForm(
            call=call,
            questions=questions,
            initial={f"q{key}": value for key, value in application.answers.items()},
        )
    return render(
        request,
        "calls/application.html",
        {
            "call": call,
            "application": application,
            "answers": _answers(application, questions),
            "form": form if can_edit else None,
            "can_edit": can_edit,
            "is_applicant": permissions.is_applicant(user, application),
            "is_draft": is_draft,
            "state": _call_state(call),
            "status_label": services.status_label(application, staff=permissions.can_read_applications(user)),
            "problems": services.submission_problems(application) if is_draft else [],
            "errors": list(errors),
            "history": application.transitions.select_related("by")
            if permissions.can_read_applications(user)
            else None,
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request, slug, pk):
    application = _application_or_404(request.user, slug, pk)
    if request.method == "GET":
        return _render_application(request, application)
    if not permissions.is_applicant(request.user, application):
        raise PermissionDenied  # staff see it but do not change it
    if not permissions.can_edit_application(request.user, application):
        refusal = (
            _("The call is closed: no change is accepted.")
            if application.status == ApplicationStatus.DRAFT
            else _("This application has been submitted: it can no longer be changed.")
        )
        return _render_application(request, application, errors=[refusal], status=400)
    call = application.call
    form = ApplicationForm(request.POST, call=call, questions=_questions(call))
    if form.is_valid():
        try:
            services.application_save(
                call=call, technology=application.technology, applicant=request.user, answers=form.answers()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your answers are saved."))
            return redirect(application)
    application.refresh_from_db()
    # The deadline may have passed meanwhile: the page then says so instead of the form.
    return _render_application(request, application, form=form, status=400)


@login_required
@require_POST
def application_submit(request, slug, pk):
    application = _application_or_404(request.user, slug, pk)
    if not permissions.is_applicant(request.user, application):
        raise PermissionDenied  # staff see it but do not submit it
    if application.status != ApplicationStatus.DRAFT:
        return _render_application(
            request, application, errors=[_("This application has already been submitted.")], status=400
        )
    try:
        services.application_submit(application=application, by=request.user)
    except ValidationError as error:
        application.refresh_from_db()
        return _render_application(request, application, errors=error.messages, status=400)
    messages.success(request, _("Your application is submitted. We have emailed you a copy of it."))
    return redirect(application)
