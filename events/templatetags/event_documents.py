"""Whether a participant's documents are ready, for lists of their registrations (the
dashboard): `{% if registration|certificate_ready %}`, `{% if registration|visa_letter_ready:user %}`."""

from django import template

from events import permissions

register = template.Library()


@register.filter
def certificate_ready(registration) -> bool:
    return permissions.can_download_certificate(registration, registration.event)


@register.filter
def visa_letter_ready(registration, user):
    """The registration's visa letter if `user` may download it, else None (select_related
    "visa_letter" on the registrations to read it without a query each)."""
    letter = getattr(registration, "visa_letter", None)
    if letter is not None and permissions.can_download_visa_letter(user, letter):
        return letter
    return None
