from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from . import permissions
from .models import AgendaItem, Event, Registration, RegistrationStatus


def events_for_list(*, past: bool) -> QuerySet:
    events = Event.objects.published().annotate(
        registered_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED))
    )
    return events.past() if past else events.upcoming()


def event_for_detail(*, user, slug: str) -> Event:
    event = (
        Event.objects.prefetch_related(
            "speakers__adviser",
            Prefetch("agenda", queryset=AgendaItem.objects.prefetch_related("speakers").order_by("starts_at", "pk")),
        )
        .filter(slug=slug)
        .first()
    )
    if event is None or not permissions.can_view_event(user, event):
        raise Http404
    return event


def registration_of(*, user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def registrations_of_member(*, user) -> QuerySet:
    return (
        Registration.objects.filter(user=user, event__is_published=True)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
        .order_by("-event__starts_at")
    )


def member_export_data(*, user) -> dict:
    return {
        "event_registrations": [
            {
                "event": registration.event.title,
                "starts_at": registration.event.starts_at.isoformat(),
                "status": registration.status,
                "since": registration.queued_at.isoformat(),
            }
            for registration in Registration.objects.filter(user=user).select_related("event").order_by("created_at")
        ]
    }
