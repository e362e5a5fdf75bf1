"""Who may see and do what with events. Pure predicates."""

from django.utils import timezone

from .models import ACTIVE_REGISTRATION_STATUSES, Event, RegistrationMode, RegistrationStatus


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def is_staff_with(user, permission: str) -> bool:
    """Staff holding the model permission a staff-only write needs (the one the admin's
    action declares): staff who may only view events do not move registrations, email or
    invite people."""
    return is_staff(user) and user.has_perm(permission)


def can_view_event(user, event: Event) -> bool:
    return event.is_published or is_staff(user)


def can_see_online_link(user, registration) -> bool:
    return registration is not None and registration.status == RegistrationStatus.REGISTERED


def can_cancel(registration, event: Event) -> bool:
    """A member gives back their place (or leaves the waiting list) until the event starts."""
    return (
        registration is not None
        and registration.status in ACTIVE_REGISTRATION_STATUSES
        and timezone.now() < event.starts_at
    )


def can_register(user, registration, event: Event) -> bool:
    """Whether the page offers the register button (the service decides the rest)."""
    return (
        user.is_authenticated
        and event.registration_is_open()
        and event.registration_mode != RegistrationMode.INVITATION
        and (registration is None or registration.status == RegistrationStatus.CANCELLED)
    )
