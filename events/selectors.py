from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from . import permissions
from .models import AgendaItem, Event, Registration, RegistrationStatus, VisaLetterRequest


def events_for_list(*, past: bool) -> QuerySet:
    events = Event.objects.published().annotate(
        registered_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED))
    )
    return events.past() if past else events.upcoming()


def page_parts() -> tuple:
    """What an event's page shows besides the event: its speakers and agenda."""
    return (
        "speakers__adviser",
        Prefetch("agenda", queryset=AgendaItem.objects.prefetch_related("speakers").order_by("starts_at", "pk")),
    )


def event_for_detail(*, user, slug: str) -> Event:
    return _visible_event(user, slug, *page_parts(), "questions")


def event_for_registration(*, user, slug: str) -> Event:
    """The event a registration is posted to, with its questions only: the page's speakers
    and agenda are read (`with_page_parts`) only if the form must be shown again."""
    return _visible_event(user, slug, "questions")


def with_page_parts(event: Event) -> Event:
    prefetch_related_objects([event], *page_parts())
    return event


def _visible_event(user, slug: str, *prefetch) -> Event:
    event = Event.objects.prefetch_related(*prefetch).filter(slug=slug).first()
    if event is None or not permissions.can_view_event(user, event):
        raise Http404
    return event


def registration_of(*, user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).select_related("visa_letter").first()


def visa_letter_for(*, user, event: Event, pk: int) -> VisaLetterRequest:
    """A visa letter request of `event`: the participant's own, or any for staff; 404 to others."""
    letter = (
        VisaLetterRequest.objects.select_related("registration__user", "registration__event")
        .filter(pk=pk, registration__event=event)
        .first()
    )
    if letter is None or not permissions.can_view_visa_letter(user, letter):
        raise Http404
    return letter


def registrations_of_member(*, user) -> QuerySet:
    return (
        Registration.objects.filter(user=user, event__is_published=True)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event", "visa_letter")
        .order_by("-event__starts_at")
    )


def member_export_data(*, user) -> dict:
    """The member's registrations with their answers (by the question's text) and their
    visa letter request, if any: two queries, however many registrations."""
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("event", "visa_letter")
        .prefetch_related("event__questions")
        .order_by("created_at")
    )
    return {"event_registrations": [_registration_export(registration) for registration in registrations]}


def _registration_export(registration) -> dict:
    questions = {str(question.pk): question.text for question in registration.event.questions.all()}
    letter = getattr(registration, "visa_letter", None)
    return {
        "event": registration.event.title,
        "starts_at": registration.event.starts_at.isoformat(),
        "status": registration.status,
        "since": registration.queued_at.isoformat(),
        "answers": {questions.get(key, key): value for key, value in registration.answers.items()},
        "visa_letter": None
        if letter is None
        else {
            "status": letter.status,
            "full_name": letter.full_name,
            "nationality": str(letter.nationality.code) if letter.nationality else "",
            # The member's own passport data, until the retention task clears it.
            "passport_number": letter.passport_number,
            "date_of_birth": letter.date_of_birth.isoformat() if letter.date_of_birth else None,
            "passport_expiry": letter.passport_expiry.isoformat(),
            "arrival": letter.arrival.isoformat(),
            "departure": letter.departure.isoformat(),
            "requested_at": letter.created_at.isoformat(),
            "decided_at": letter.decided_at.isoformat() if letter.decided_at else None,
            "refusal_reason": letter.refusal_reason,
            "personal_data_deleted_at": letter.personal_data_deleted_at.isoformat()
            if letter.personal_data_deleted_at
            else None,
        },
    }
