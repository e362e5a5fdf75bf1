"""Visa invitation letters and certificates of attendance.

The visa letter's workflow (every write, as services): a participant asks for a letter
with what it must say (`visa_letter_request_save`), staff approve or refuse it, with a
reason (`visa_letter_approve`, `visa_letter_refuse`; the participant is emailed in their
language), and the passport number and date of birth are cleared a set time after the
event (`visa_letters_purge_personal_data`, daily). The PDFs are drawn by events/documents.py
from what `visa_letter_pdf_for` and `certificate_pdf_for` gather here.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries import countries

from common.answers import clean_answer
from common.mail.services import email_queue_to_user
from common.text import NOT_IN_A_LINE
from common.translated import translated

from . import documents, permissions
from .models import Event, Registration, RegistrationStatus, VisaLetterRequest
from .models import VisaLetterStatus as V

# How far before the event one may arrive and after it one may stay, for the letter.
DAYS_AROUND_THE_EVENT = 30
PASSPORT_NUMBER = re.compile(r"^[A-Z0-9]{5,20}$")
MAX_REASON = 2_000


def _event_dates(event: Event) -> tuple[datetime.date, datetime.date]:
    """The event's first and last day, where it happens."""
    return event.local_starts_at.date(), event.local_ends_at.date()


def visa_letter_problems(event: Event, data: dict) -> dict[str, str]:
    """What is wrong with the request `data` (the form's cleaned values), by field: the dates
    around the event, the passport valid after the departure, a birth date in the past."""
    first, last = _event_dates(event)
    problems = {}
    arrival, departure, expiry, birth = (
        value if isinstance(value, datetime.date) else None
        for value in (data.get(name) for name in ("arrival", "departure", "passport_expiry", "date_of_birth"))
    )
    if arrival and not (first - datetime.timedelta(days=DAYS_AROUND_THE_EVENT) <= arrival <= last):
        problems["arrival"] = _("Arrive between %(earliest)s and the last day of the event, %(last)s.") % {
            "earliest": date_format(first - datetime.timedelta(days=DAYS_AROUND_THE_EVENT), "DATE_FORMAT"),
            "last": date_format(last, "DATE_FORMAT"),
        }
    if departure and not (first <= departure <= last + datetime.timedelta(days=DAYS_AROUND_THE_EVENT)):
        problems["departure"] = _("Leave between the first day of the event, %(first)s, and %(latest)s.") % {
            "first": date_format(first, "DATE_FORMAT"),
            "latest": date_format(last + datetime.timedelta(days=DAYS_AROUND_THE_EVENT), "DATE_FORMAT"),
        }
    if arrival and departure and departure < arrival and "departure" not in problems:
        problems["departure"] = _("The departure must be on or after the arrival.")
    if expiry and departure and expiry <= departure:
        problems["passport_expiry"] = _("The passport must still be valid after your departure.")
    if birth and not (datetime.date(1900, 1, 1) <= birth < timezone.localdate()):
        problems["date_of_birth"] = _("Enter your date of birth.")
    return problems


def _clean_request(event: Event, data: dict) -> dict:
    """The request's values, cleaned and checked; raises ValidationError by field."""
    full_name = clean_answer(data.get("full_name"), single_line=True)
    number = re.sub(r"[\s-]", "", clean_answer(data.get("passport_number"), single_line=True)).upper()
    cleaned = {
        "full_name": full_name,
        "nationality": data.get("nationality") or "",
        "passport_number": number,
        "date_of_birth": data.get("date_of_birth"),
        "passport_expiry": data.get("passport_expiry"),
        "arrival": data.get("arrival"),
        "departure": data.get("departure"),
    }
    problems = {}
    if not full_name or len(full_name) > 200 or NOT_IN_A_LINE.search(full_name):
        problems["full_name"] = _("Enter your full name as it is written in your passport.")
    if cleaned["nationality"] not in dict(countries):
        problems["nationality"] = _("Choose your nationality.")
    if not PASSPORT_NUMBER.match(number):
        problems["passport_number"] = _("Enter the passport number: 5 to 20 letters and digits.")
    for field in ("date_of_birth", "passport_expiry", "arrival", "departure"):
        if not isinstance(cleaned[field], datetime.date):
            problems[field] = _("Enter a valid date.")
    problems = {**visa_letter_problems(event, cleaned), **problems}
    if problems:
        raise ValidationError(problems, code="visa_letter")
    return cleaned


@transaction.atomic
def visa_letter_request_save(*, registration: Registration, by, data: dict) -> VisaLetterRequest:
    """The participant asks for a visa invitation letter, or corrects a request staff have
    not approved (a refused one goes back to staff). Nothing is written if a value is wrong."""
    if registration.user_id != by.pk:
        raise PermissionDenied(_("This is not your registration."))
    registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    event = registration.event
    if not permissions.can_request_visa_letter(registration, event):
        raise ValidationError(_("You cannot ask for a visa invitation letter for this event."))
    letter = VisaLetterRequest.objects.select_for_update().filter(registration=registration).first()
    if letter is not None and letter.status == V.APPROVED:
        raise ValidationError(_("Your letter has been approved: it can no longer be changed."))
    values = _clean_request(event, data)
    letter = letter or VisaLetterRequest(registration=registration)
    for field, value in values.items():
        setattr(letter, field, value)
    letter.status = V.REQUESTED
    letter.refusal_reason = ""
    letter.decided_at = None
    letter.decided_by = None
    letter.save()
    return letter


def _require_staff(by) -> None:
    if not permissions.is_staff_with(by, "events.change_visaletterrequest"):
        raise PermissionDenied(_("Only WiiTs staff may do this."))


def _locked(letter: VisaLetterRequest) -> VisaLetterRequest:
    return (
        VisaLetterRequest.objects.select_for_update(of=("self",))
        .select_related("registration__user", "registration__event")
        .get(pk=letter.pk)
    )


def _notify(letter: VisaLetterRequest) -> None:
    email_queue_to_user(
        user=letter.registration.user,
        template="visa_letter_status",
        context={"letter": letter, "event": letter.registration.event},
    )


@transaction.atomic
def visa_letter_approve(*, letter: VisaLetterRequest, by, seen: str) -> VisaLetterRequest:
    """Staff approve a request: the participant may download the letter; they are emailed.
    `seen` is the request's `updated_at` (ISO) on the page staff read: a request the
    participant changed since then is refused, so no letter carries data nobody checked."""
    _require_staff(by)
    letter = _locked(letter)
    if seen != letter.updated_at.isoformat():
        raise ValidationError(
            _("The participant changed this request after you opened it: read it again before approving it.")
        )
    if letter.status == V.APPROVED:
        raise ValidationError(_("This letter is already approved."))
    if letter.personal_data_deleted_at is not None:
        raise ValidationError(_("The passport data of this request has been deleted."))
    if letter.registration.status != RegistrationStatus.REGISTERED:
        raise ValidationError(
            _("%(member)s has no confirmed place (%(status)s): confirm the registration first.")
            % {"member": letter.registration.user, "status": letter.registration.get_status_display()}
        )
    letter.status = V.APPROVED
    letter.refusal_reason = ""
    letter.decided_at = timezone.now()
    letter.decided_by = by
    letter.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by", "updated_at"])
    _notify(letter)
    return letter


@transaction.atomic
def visa_letter_refuse(*, letter: VisaLetterRequest, by, reason: str) -> VisaLetterRequest:
    """Staff refuse a request (or withdraw an approved letter), saying why; the participant
    is emailed the reason and may correct the request."""
    _require_staff(by)
    reason = clean_answer(reason)
    if not reason:
        raise ValidationError(_("Give the reason for the refusal: the participant reads it."))
    if len(reason) > MAX_REASON:
        raise ValidationError(_("At most %(limit)d characters.") % {"limit": MAX_REASON})
    letter = _locked(letter)
    if letter.status == V.REFUSED:
        raise ValidationError(_("This request is already refused."))
    letter.status = V.REFUSED
    letter.refusal_reason = reason
    letter.decided_at = timezone.now()
    letter.decided_by = by
    letter.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by", "updated_at"])
    _notify(letter)
    return letter


def visa_letters_purge_personal_data(*, now=None) -> int:
    """Clear the passport number and date of birth of every request whose event ended more
    than WIITS_VISA_DATA_RETENTION_DAYS ago; the requests stay. Returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.WIITS_VISA_DATA_RETENTION_DAYS)
    return VisaLetterRequest.objects.filter(
        registration__event__ends_at__lt=cutoff, personal_data_deleted_at__isnull=True
    ).update(passport_number="", date_of_birth=None, personal_data_deleted_at=now, updated_at=now)


# --- The PDFs ------------------------------------------------------------------------------


def document_language(requested: str | None) -> str:
    """The language a document is drawn in: one of the site's, by default the reader's."""
    codes = {code for code, _name in settings.LANGUAGES}
    if requested in codes:
        return requested
    active = translation.get_language() or settings.LANGUAGE_CODE
    return active if active in codes else settings.LANGUAGE_CODE


def _event_texts(event: Event, language: str) -> dict:
    first, last = _event_dates(event)
    with translation.override(language):
        if first == last:
            dates = date_format(first, "DATE_FORMAT")
        else:
            dates = _("%(first)s to %(last)s") % {
                "first": date_format(first, "DATE_FORMAT"),
                "last": date_format(last, "DATE_FORMAT"),
            }
        country = str(event.country.name) if event.country else ""
    return {
        "event_title": translated(event, "title", language).text,
        "event_dates": dates,
        "venue": event.venue,
        "city": event.city,
        "country": country,
        "signatory_name": settings.WIITS_LETTER_SIGNATORY_NAME,
        "signatory_title": settings.WIITS_LETTER_SIGNATORY_TITLE,
    }


def visa_letter_pdf_for(letter: VisaLetterRequest, *, language: str) -> bytes:
    """The approved letter as a PDF, the same reference at every download. The letter is in
    English (with Chinese), for China's embassies and consulates, whoever reads the site in
    `language`: its texts are given in English."""
    event = letter.registration.event
    with translation.override("en"):
        nationality = str(countries.name(letter.nationality.code)) if letter.nationality else ""
    return documents.visa_letter_pdf(
        language=language,
        reference=letter.reference,
        issued_on=timezone.localdate(letter.decided_at or letter.created_at, event.tz),
        full_name=letter.full_name,
        nationality=nationality,
        passport_number=letter.passport_number,
        date_of_birth=letter.date_of_birth,
        passport_expiry=letter.passport_expiry,
        arrival=letter.arrival,
        departure=letter.departure,
        **_event_texts(event, "en"),
    )


def certificate_reference(registration: Registration) -> str:
    return f"WIITS-ATT-{registration.event_id}-{registration.pk}"


def certificate_pdf_for(registration: Registration, *, language: str) -> bytes:
    """The certificate of attendance of a participant marked as attended, as a PDF."""
    event = registration.event
    return documents.attendance_certificate_pdf(
        language=language,
        reference=certificate_reference(registration),
        issued_on=event.local_ends_at.date(),
        participant_name=registration.user.name,
        **_event_texts(event, language),
    )
