"""Who may see and do what with events. Pure predicates."""

from .models import Event, RegistrationStatus


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def can_view_event(user, event: Event) -> bool:
    return event.is_published or is_staff(user)


def can_see_online_link(user, registration) -> bool:
    return registration is not None and registration.status == RegistrationStatus.REGISTERED
