from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.confirm import Confirmation, is_confirmed, render_confirmation
from common.translated import reading, translated, wants_original

from . import letters, permissions, selectors, services
from .calendars import events_to_ical
from .forms import EventFilterForm, RegistrationAnswersForm, VisaLetterRequestForm
from .models import Event, Invitation, RegistrationStatus

PAGE_SIZE = 12


def _event_list(request, *, past: bool):
    form = EventFilterForm(request.GET or None)
    events = form.apply(selectors.events_for_list(past=past))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/event_list.html", {"form": form, "page": page, "past": past})


@require_GET
def upcoming(request):
    return _event_list(request, past=False)


@require_GET
def past(request):
    return _event_list(request, past=True)


def _detail_context(request, event, *, form=None) -> dict:
    registration = selectors.registration_of(user=request.user, event=event)
    questions = list(event.questions.all())
    can_register = permissions.can_register(request.user, registration, event)
    visa_letter = getattr(registration, "visa_letter", None) if registration else None
    if form is None and can_register and questions:
        form = RegistrationAnswersForm(questions=questions)
    return {
        "event": event,
        "registration": registration,
        "position": services.waiting_position(registration) if registration else None,
        "places_left": services.places_left(event),
        "registration_open": event.registration_is_open(),
        "can_see_online_link": permissions.can_see_online_link(request.user, registration),
        "can_cancel": permissions.can_cancel(registration, event),
        **restore_state(request, event, registration),
        "can_register": can_register,
        "answers_form": form,
        "has_questions": bool(questions),
        "can_change_answers": bool(questions) and permissions.can_change_answers(registration, event),
        "can_request_visa_letter": permissions.can_request_visa_letter(registration, event),
        "visa_letter": visa_letter,
        "can_download_visa_letter": visa_letter is not None
        and permissions.can_download_visa_letter(request.user, visa_letter),
        "can_download_certificate": permissions.can_download_certificate(registration, event),
        "multi_day": event.local_starts_at.date() != event.local_ends_at.date(),
        "reading": reading(event, ("title", "summary", "description"), original=wants_original(request)),
    }


@require_GET
def detail(request, slug):
    event = selectors.event_for_detail(user=request.user, slug=slug)
    return render(request, "events/event_detail.html", _detail_context(request, event))


def _ical_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def event_ics(request, slug):
    event = selectors.event_for_detail(user=request.user, slug=slug)
    return _ical_response(events_to_ical([event], name=event.title), f"{event.slug}.ics")


@require_GET
def calendar_feed(request):
    events = Event.objects.published().upcoming()[:200]
    response = _ical_response(events_to_ical(events, name="WiiTs events"), "wiits-events.ics")
    response["Cache-Control"] = "public, max-age=900"
    return response


@login_required
@require_POST
def register(request, slug):
    """Register, with the answers to the event's questions: a missing or wrong answer shows
    the page again (400) with each problem beside its question, and nothing is written."""
    event = selectors.event_for_registration(user=request.user, slug=slug)
    token = request.POST.get("token", "")
    form = RegistrationAnswersForm(request.POST, questions=event.questions.all())
    if not form.is_valid():
        return _register_form_again(request, event, form, token)
    try:
        registration = services.registration_create(
            event=event, user=request.user, invitation_token=token, answers=form.answers()
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):  # the answers: each problem beside its question
            form.add_service_errors(error)
            return _register_form_again(request, event, form, token)
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Your registration: %(status)s.") % {"status": registration.get_status_display()})
    return redirect(event)


def _register_form_again(request, event, form, token):
    """The page the registration came from, with the form's errors (400)."""
    selectors.with_page_parts(event)
    invite = Invitation.objects.filter(event=event, token=token).first() if token else None
    if invite is not None:
        context = {"event": event, "invitation": invite, "problem": None, "answers_form": form}
        return render(request, "events/invitation.html", context, status=400)
    return render(request, "events/event_detail.html", _detail_context(request, event, form=form), status=400)


def _restore_key(event) -> str:
    return f"events:restore:{event.pk}"


def restore_state(request, event, registration) -> dict:
    """For the event page: whether the member may take back the place they cancelled in
    this session (`can_restore`), or why not (`restore_problem`)."""
    receipt = request.session.get(_restore_key(event), "") if request.user.is_authenticated else ""
    if not receipt or registration is None or registration.status != RegistrationStatus.CANCELLED:
        return {"can_restore": False, "restore_problem": None}
    problem = services.restore_problem(registration=registration, receipt=receipt)
    return {"can_restore": problem is None, "restore_problem": problem}


def _cancel_confirmation(event, registration) -> Confirmation:
    status = registration.status
    email = _("We email you to confirm the cancellation.")
    cannot_undo = ""
    if status == RegistrationStatus.REGISTERED and services.someone_waits(event):
        consequences = [
            _("You give up your place at this event."),
            _("Your place goes at once to the first person on the waiting list, who is emailed."),
            email,
        ]
        cannot_undo = _("Your place will be someone else's: if you register again, you join the waiting list.")
    elif status == RegistrationStatus.REGISTERED:
        consequences = [
            _("You give up your place at this event."),
            email,
            _("While your place is still free, you can restore your registration from the event's page."),
        ]
    elif status == RegistrationStatus.WAITING:
        consequences = [_("You leave the waiting list."), email]
        cannot_undo = _("If you join the waiting list again, you go to the end of it.")
    else:
        consequences = [_("Your request to register is withdrawn."), email]
        cannot_undo = _("If you ask again, WiiTs staff look at a new request.")
    return Confirmation(
        title=_("Cancel your registration?"),
        subject=translated(event, "title"),
        consequences=consequences,
        cannot_undo=cannot_undo,
        confirm_label=_("Yes, cancel my registration"),
        back_url=event.get_absolute_url(),
        back_label=_("No, keep my registration"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, slug):
    """GET (or the event page's button, a POST without `confirmed`) shows what cancelling
    means; the confirmed POST cancels (common/confirm.py). A place the member held can be
    taken back from the event page while it is still free (`restore`)."""
    event = selectors.event_for_detail(user=request.user, slug=slug)
    registration = selectors.registration_of(user=request.user, event=event)
    if registration is None:
        raise PermissionDenied
    if not is_confirmed(request):
        if not permissions.can_cancel(registration, event):
            messages.error(request, _("This registration cannot be cancelled now."))
            return redirect(event)
        return render_confirmation(request, _cancel_confirmation(event, registration))
    try:
        registration = services.registration_cancel(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(event)
    receipt = registration.restore_receipt
    if receipt:
        request.session[_restore_key(event)] = receipt
    else:  # left the waiting list or withdrew a request: nothing to take back
        request.session.pop(_restore_key(event), None)
    if receipt and services.restore_problem(registration=registration, receipt=receipt) is None:
        messages.success(
            request,
            _(
                "Your registration has been cancelled. Changed your mind? Use “Restore my registration” "
                "on this page while your place is still free."
            ),
        )
    else:  # the event page says why the place cannot come back, if it held one
        messages.success(request, _("Your registration has been cancelled."))
    return redirect(event)


def _restore_confirmation(event) -> Confirmation:
    return Confirmation(
        title=_("Restore your registration?"),
        subject=translated(event, "title"),
        consequences=[
            _("You take back your place at this event, if it is still free."),
            _("We email you the confirmation, with the event for your calendar."),
        ],
        cannot_undo="",
        confirm_label=_("Restore my registration"),
        back_url=event.get_absolute_url(),
        destructive=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def restore(request, slug):
    """Take back the place cancelled in this session while it is still free. GET shows the
    confirmation and changes nothing; a POST restores (undoing is not irreversible: the
    event page's button posts at once)."""
    event = selectors.event_for_detail(user=request.user, slug=slug)
    registration = selectors.registration_of(user=request.user, event=event)
    if registration is None:
        raise PermissionDenied
    receipt = request.session.get(_restore_key(event), "")
    if request.method == "GET":
        problem = services.restore_problem(registration=registration, receipt=receipt)
        if problem:
            messages.error(request, problem)
            return redirect(event)
        return render_confirmation(request, _restore_confirmation(event))
    try:
        services.registration_restore(registration=registration, by=request.user, receipt=receipt)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        request.session.pop(_restore_key(event), None)
        messages.success(request, _("Your registration is restored: you have your place back."))
    return redirect(event)


@login_required
@require_http_methods(["GET"])
def invitation(request, slug, token):
    """The link of an invitation: shows the event and a button to accept (POST to register)."""
    event = selectors.event_for_detail(user=request.user, slug=slug)
    invite = get_object_or_404(Invitation, event=event, token=token)
    problem = services.invitation_problem(invite, request.user)
    if problem is None and not event.registration_is_open():
        problem = _("Registration for this event is closed.")
    questions = list(event.questions.all())
    form = RegistrationAnswersForm(questions=questions) if questions else None
    return render(
        request,
        "events/invitation.html",
        {"event": event, "invitation": invite, "problem": problem, "answers_form": form},
    )


# --- The participant's answers, visa letter and certificate ----------------------------------


def _own_registration(request, event):
    """The member's registration for `event`, or 404 (they have nothing to see here)."""
    registration = selectors.registration_of(user=request.user, event=event)
    if registration is None:
        raise Http404
    return registration


@login_required
@require_http_methods(["GET", "POST"])
def answers(request, slug):
    """ "Your answers": the participant reads their answers and changes them until the event
    starts; after that, or for a registration no longer active, they are read-only."""
    event = selectors.event_for_detail(user=request.user, slug=slug)
    registration = _own_registration(request, event)
    questions = list(event.questions.all())
    if not questions:
        raise Http404
    editable = permissions.can_change_answers(registration, event)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = None
    status = 200
    if editable:
        form = RegistrationAnswersForm(
            request.POST if request.method == "POST" else None,
            questions=questions,
            initial={f"q{key}": value for key, value in registration.answers.items()},
        )
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.registration_answers_update(
                        registration=registration, by=request.user, answers=form.answers()
                    )
                except ValidationError as error:
                    form.add_service_errors(error)
                else:
                    messages.success(request, _("Your answers have been saved."))
                    return redirect("events:answers", slug=event.slug)
            status = 400
    answered = [
        (question, question.answer_label(registration.answers.get(str(question.pk), ""))) for question in questions
    ]
    return render(
        request,
        "events/answers.html",
        {"event": event, "registration": registration, "form": form, "answered": answered},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def visa_letter_request(request, slug):
    """Ask for a visa invitation letter; one who asked already is sent to their request."""
    event = selectors.event_for_detail(user=request.user, slug=slug)
    registration = _own_registration(request, event)
    letter = getattr(registration, "visa_letter", None)
    if letter is not None:
        return redirect(letter)
    if not permissions.can_request_visa_letter(registration, event):
        raise Http404
    return _visa_letter_form(request, event, registration, None)


def _visa_letter_form(request, event, registration, letter):
    form = VisaLetterRequestForm(request.POST if request.method == "POST" else None, instance=letter)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                letter = letters.visa_letter_request_save(
                    registration=registration, by=request.user, data=form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Your request has been sent to WiiTs staff."))
                return redirect(letter)
        status = 400
    return render(
        request,
        "events/visa_letter.html",
        {"event": event, "registration": registration, "letter": letter, "form": form, "can_download": False},
        status=status,
    )


@never_cache  # the passport data: never kept by a browser or a proxy
@login_required
@require_http_methods(["GET", "POST"])
def visa_letter(request, slug, pk):
    """A visa letter request: its state, the letter once approved, and (for the participant,
    until staff approve it) the form to correct it. Staff see every request; others get 404."""
    event = selectors.event_for_detail(user=request.user, slug=slug)
    letter = selectors.visa_letter_for(user=request.user, event=event, pk=pk)
    if permissions.can_edit_visa_letter(request.user, letter):
        return _visa_letter_form(request, event, letter.registration, letter)
    if request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "events/visa_letter.html",
        {
            "event": event,
            "registration": letter.registration,
            "letter": letter,
            "form": None,
            "can_download": permissions.can_download_visa_letter(request.user, letter),
        },
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # personal data: no cache keeps a copy
    return response


@login_required
@require_GET
def visa_letter_pdf(request, slug, pk):
    event = selectors.event_for_detail(user=request.user, slug=slug)
    letter = selectors.visa_letter_for(user=request.user, event=event, pk=pk)
    if not permissions.can_download_visa_letter(request.user, letter):
        raise Http404
    # In English and Chinese whatever the reader's language (events/documents.py).
    content = letters.visa_letter_pdf_for(letter, language=letters.document_language(None))
    return _pdf_response(content, f"{letter.reference}-visa-letter.pdf")


@login_required
@require_GET
def certificate(request, slug):
    event = selectors.event_for_detail(user=request.user, slug=slug)
    registration = _own_registration(request, event)
    if not permissions.can_download_certificate(registration, event):
        raise Http404
    language = letters.document_language(request.GET.get("language"))
    content = letters.certificate_pdf_for(registration, language=language)
    return _pdf_response(content, f"{letters.certificate_reference(registration)}-certificate.pdf")
