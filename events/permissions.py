"""Who may see and do what with events. Pure predicates."""

from django.utils import timezone

from .models import ACTIVE_REGISTRATION_STATUSES, Event, RegistrationMode, RegistrationStatus, VisaLetterStatus


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


def can_change_answers(registration, event: Event) -> bool:
    """A participant changes their answers to the event's questions until it starts."""
    return (
        registration is not None
        and registration.status in ACTIVE_REGISTRATION_STATUSES
        and timezone.now() < event.starts_at
    )


def can_request_visa_letter(registration, event: Event) -> bool:
    """A participant (registered, waiting or pending: visas take time) asks for a visa
    invitation letter, before the event starts, if the event offers them."""
    return (
        event.offers_visa_letter
        and registration is not None
        and registration.status in ACTIVE_REGISTRATION_STATUSES
        and timezone.now() < event.starts_at
    )


def can_view_visa_letter(user, letter) -> bool:
    """The request and its passport data: the participant's own, and staff who may view
    visa letter requests in the admin (not every staff account: passport numbers are
    personal data kept to those who handle them)."""
    return user.is_authenticated and (
        letter.registration.user_id == user.pk or is_staff_with(user, "events.view_visaletterrequest")
    )


def can_edit_visa_letter(user, letter) -> bool:
    """The participant corrects a request staff have not approved, until the event starts."""
    registration = letter.registration
    return (
        letter.registration.user_id == user.pk
        and letter.status != VisaLetterStatus.APPROVED
        and letter.personal_data_deleted_at is None
        and can_request_visa_letter(registration, registration.event)
    )


def can_download_visa_letter(user, letter) -> bool:
    """The letter itself: approved, the place confirmed, the passport data still kept."""
    return (
        can_view_visa_letter(user, letter)
        and letter.status == VisaLetterStatus.APPROVED
        and letter.registration.status == RegistrationStatus.REGISTERED
        and letter.personal_data_deleted_at is None
    )


def can_download_certificate(registration, event: Event) -> bool:
    """A certificate of attendance: for a participant staff marked as attended, once the event is over."""
    return (
        registration is not None
        and registration.status == RegistrationStatus.REGISTERED
        and registration.attended is True
        and timezone.now() >= event.ends_at
    )
