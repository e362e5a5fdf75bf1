from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.translated import reading, wants_original

from . import permissions, selectors, services
from .calendars import events_to_ical
from .forms import EventFilterForm
from .models import Event, Invitation

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


@require_GET
def detail(request, slug):
    event = selectors.event_for_detail(user=request.user, slug=slug)
    registration = selectors.registration_of(user=request.user, event=event)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "position": services.waiting_position(registration) if registration else None,
            "places_left": services.places_left(event),
            "registration_open": event.registration_is_open(),
            "can_see_online_link": permissions.can_see_online_link(request.user, registration),
            "can_cancel": permissions.can_cancel(registration, event),
            "can_register": permissions.can_register(request.user, registration, event),
            "multi_day": event.local_starts_at.date() != event.local_ends_at.date(),
            "reading": reading(event, ("title", "summary", "description"), original=wants_original(request)),
        },
    )


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
    event = selectors.event_for_detail(user=request.user, slug=slug)
    try:
        registration = services.registration_create(
            event=event, user=request.user, invitation_token=request.POST.get("token", "")
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Your registration: %(status)s.") % {"status": registration.get_status_display()})
    return redirect(event)


@login_required
@require_POST
def cancel(request, slug):
    event = selectors.event_for_detail(user=request.user, slug=slug)
    registration = selectors.registration_of(user=request.user, event=event)
    if registration is None:
        raise PermissionDenied
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration has been cancelled."))
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
    return render(request, "events/invitation.html", {"event": event, "invitation": invite, "problem": problem})
