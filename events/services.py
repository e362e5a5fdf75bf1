"""Every write on events: registrations, the waiting list, invitations, reminders.

Capacity is enforced by locking the event's row for each change of places
(SELECT ... FOR UPDATE): registrations for one event are decided one at a time, so
concurrent requests can never over-book; one registration per member and event is
a unique constraint.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.answers import answers_clean
from common.mail.services import email_queue, email_queue_to_user
from common.slugs import save_with_unique_slug

from . import permissions
from .calendars import events_to_ical
from .models import (
    ACTIVE_REGISTRATION_STATUSES,
    Event,
    Invitation,
    Registration,
    RegistrationMode,
    RegistrationStatus,
)

R = RegistrationStatus

# The longest answer to a text question (a dietary or access need is a few sentences).
MAX_TEXT_ANSWER = 1_000


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _require_staff_with(by, permission: str) -> None:
    if not permissions.is_staff_with(by, permission):
        raise PermissionDenied(_("Only WiiTs staff may do this."))


def places_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    taken = Registration.objects.filter(event=event, status=R.REGISTERED).count()
    return max(event.capacity - taken, 0)


def waiting_position(registration: Registration) -> int | None:
    if registration.status != R.WAITING:
        return None
    ahead = Registration.objects.filter(event_id=registration.event_id, status=R.WAITING).filter(
        Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def someone_waits(event: Event) -> bool:
    return Registration.objects.filter(event=event, status=R.WAITING).exists()


def _notify(registration: Registration, *, promoted: bool = False) -> None:
    """Email the member their new state; a confirmation carries the event as .ics. A member
    `promoted` from the waiting list is told why they have a place: one became free."""
    attachments = []
    if registration.status == R.REGISTERED:
        calendar = events_to_ical([registration.event], language=registration.user.preferred_language)
        attachments = [(f"{registration.event.slug}.ics", calendar, "text/calendar")]
    email_queue_to_user(
        user=registration.user,
        template="registration_status",
        context={
            "registration": registration,
            "event": registration.event,
            "position": waiting_position(registration),
            "promoted": promoted,
        },
        attachments=attachments,
    )


def _set_status(registration: Registration, status: str, *, promoted: bool = False) -> None:
    registration.status = status
    registration.queued_at = timezone.now()
    registration.save(update_fields=["status", "queued_at"])
    _notify(registration, promoted=promoted)


def _promote_waiting(event: Event) -> list[Registration]:
    """Fill free places from the waiting list, first come first served. Call with the event locked."""
    promoted = []
    while True:
        left = places_left(event)
        if left is not None and left <= 0:
            break
        first = (
            Registration.objects.select_related("user", "event")
            .filter(event=event, status=R.WAITING)
            .order_by("queued_at", "pk")
            .first()
        )
        if first is None:
            break
        _set_status(first, R.REGISTERED, promoted=True)
        promoted.append(first)
    return promoted


def invitation_problem(invitation: Invitation | None, user) -> str | None:
    """Why `user` cannot register with `invitation`, or None if they can."""
    if invitation is None:
        return _("This invitation link is not valid for this event.")
    if invitation.used_at is not None:
        return _("This invitation has already been used.")
    if invitation.expires_at < timezone.now():
        return _("This invitation has expired.")
    if invitation.email.lower() != user.email.lower():
        return _("This invitation was sent to another email address.")
    return None


def _invitation_for(event: Event, token: str, user) -> Invitation:
    invitation = Invitation.objects.select_for_update().filter(event=event, token=token).first()
    problem = invitation_problem(invitation, user)
    if problem:
        raise ValidationError(problem)
    return invitation


def clean_answers(questions, raw: dict | None) -> dict[str, str]:
    """The answers to `questions` from `raw` ({str(question pk): value}), cleaned and checked
    by each question's kind (common.answers.answers_clean); unknown keys are dropped,
    unanswered optional questions left out.

    Raises ValidationError({str(question pk): message}) listing every problem, so that a
    form shows each beside its question.
    """
    answers, problems = answers_clean(questions, raw, max_text=MAX_TEXT_ANSWER, require=True)
    if problems:
        raise ValidationError(problems, code="answers")
    return answers


@transaction.atomic
def registration_answers_update(*, registration: Registration, by, answers: dict) -> Registration:
    """The participant changes their answers to the event's questions, until the event starts."""
    if registration.user_id != by.pk:
        raise PermissionDenied(_("This is not your registration."))
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in ACTIVE_REGISTRATION_STATUSES:
        raise ValidationError(_("This registration is not active."))
    if timezone.now() >= event.starts_at:
        raise ValidationError(_("The event has started: your answers can no longer be changed."))
    registration.answers = clean_answers(event.questions.all(), answers)
    registration.save(update_fields=["answers"])
    registration.event = event
    return registration


@transaction.atomic
def registration_create(
    *, event: Event, user, invitation_token: str = "", answers: dict | None = None
) -> Registration:
    """A member registers: registered, on the waiting list, or pending approval, with their
    answers to the event's questions (`answers`, {str(question pk): value}; a required one
    missing refuses the registration, nothing written).

    Side effects: emails the member their state (with the .ics when registered).
    """
    event = _lock(event)
    if not event.is_published:
        raise PermissionDenied(_("This event is not open."))
    if not event.registration_is_open():
        raise ValidationError(_("Registration for this event is closed."))
    existing = Registration.objects.filter(event=event, user=user).select_related("user", "event").first()
    if existing and existing.status in ACTIVE_REGISTRATION_STATUSES:
        return existing  # a double submission: nothing changes
    if existing and existing.status == R.DECLINED:
        raise ValidationError(_("Your registration for this event was declined."))
    invitation = None
    if event.registration_mode == RegistrationMode.INVITATION:
        invitation = _invitation_for(event, invitation_token, user)
    cleaned_answers = clean_answers(event.questions.all(), answers)
    if event.registration_mode == RegistrationMode.APPROVAL:
        status = R.PENDING
    else:
        left = places_left(event)
        someone_waits = Registration.objects.filter(event=event, status=R.WAITING).exists()
        status = R.REGISTERED if (left is None or left > 0) and not someone_waits else R.WAITING
    registration = existing or Registration(event=event, user=user)
    registration.status = status
    registration.answers = cleaned_answers
    registration.queued_at = timezone.now()
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # the same member in two requests at once
        raise ValidationError(_("You are already registered for this event.")) from error
    if invitation is not None:
        invitation.used_at = timezone.now()
        invitation.used_by = user
        invitation.save(update_fields=["used_at", "used_by"])
    _notify(registration)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, by) -> Registration:
    """The member cancels; a place they held goes to the first on the waiting list.

    Side effects: emails the member (cancelled) and anyone promoted (a place became free).
    The registration returned carries `restore_receipt`: for a place they held, the signed
    receipt that registration_restore asks for ("" otherwise).
    """
    if registration.user_id != by.pk:
        raise PermissionDenied(_("This is not your registration."))
    event = _lock(registration.event)
    registration = Registration.objects.select_related("user", "event").get(pk=registration.pk)
    if registration.status not in ACTIVE_REGISTRATION_STATUSES:
        raise ValidationError(_("This registration is not active."))
    held_a_place = registration.status == R.REGISTERED
    _set_status(registration, R.CANCELLED)
    promoted = []
    if held_a_place and event.starts_at > timezone.now():
        promoted = _promote_waiting(event)
    registration.restore_receipt = _restore_receipt(registration, promoted=bool(promoted)) if held_a_place else ""
    return registration


# --- Taking a cancelled place back ---------------------------------------------------------
# Only a place the member held comes back (not a place on the waiting list, nor a request
# waiting for approval: those would skip the queue or the approval), only from the
# cancellation that gave the receipt (a later change of the row voids it), and only while
# the place is still free. The receipt is signed, so the rule holds whoever calls.

RESTORE_SALT = "events.registration_restore"


def _restore_receipt(registration: Registration, *, promoted: bool) -> str:
    return signing.dumps(
        {"registration": registration.pk, "cancelled_at": registration.queued_at.isoformat(), "promoted": promoted},
        salt=RESTORE_SALT,
    )


def restore_problem(*, registration: Registration, receipt: str) -> str | None:
    """Why the member cannot take back the place `receipt` says they cancelled, or None
    when they can. Reads only (the event page asks it; registration_restore asks it again
    with the event locked)."""
    try:
        data = signing.loads(receipt or "", salt=RESTORE_SALT)
        cancelled_at = datetime.fromisoformat(data["cancelled_at"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        data, cancelled_at = {}, None
    if (
        data.get("registration") != registration.pk
        or registration.status != R.CANCELLED
        or cancelled_at != registration.queued_at
    ):
        return _("There is no cancelled place of yours to restore.")
    event = registration.event
    if not event.is_published or not event.registration_is_open():
        return _("Registration for this event is closed: your place cannot be restored.")
    left = places_left(event)
    if (left is not None and left <= 0) or someone_waits(event):
        if data.get("promoted"):
            return _(
                "Your place has gone to the next person on the waiting list; you can join the waiting list again."
            )
        return _("Your place has been taken since: the event is full. You can join the waiting list.")
    return None


@transaction.atomic
def registration_restore(*, registration: Registration, by, receipt: str) -> Registration:
    """The member takes back the place they cancelled (`receipt`: from registration_cancel)
    while it is still free: nobody took it from the waiting list, the capacity allows it,
    registration is open. Checked with the event locked, as every change of places is;
    refused with a ValidationError otherwise, nothing written.

    Side effects: emails the member that they are registered, with the .ics.
    """
    if registration.user_id != by.pk:
        raise PermissionDenied(_("This is not your registration."))
    event = _lock(registration.event)
    registration = Registration.objects.select_related("user").get(pk=registration.pk)
    registration.event = event
    problem = restore_problem(registration=registration, receipt=receipt)
    if problem:
        raise ValidationError(problem)
    _set_status(registration, R.REGISTERED)
    return registration


def release_places_of_deleted_member(*, user, **kwargs) -> int:
    """The member's account is being deleted (receiver of accounts.signals.member_deleting,
    connected in EventsConfig.ready): their registrations go with it, and each place they
    held in an upcoming event goes to the first on the waiting list, as a cancellation
    would; they are not emailed. Returns how many places were freed."""
    # The events first, in one order, as every other change of registrations locks them:
    # two transactions never wait on each other's rows the other way round.
    theirs = Registration.objects.filter(user=user).values("event_id")
    events = list(Event.objects.select_for_update().filter(pk__in=theirs).order_by("pk"))
    held = set(
        Registration.objects.filter(user=user, status=R.REGISTERED, event__starts_at__gt=timezone.now()).values_list(
            "event_id", flat=True
        )
    )
    Registration.objects.filter(user=user).delete()
    for event in events:
        if event.pk in held:
            _promote_waiting(event)
    return len(held)


def _staff_change(registration: Registration, by, allowed_from: set[str], to: str) -> Registration:
    _require_staff_with(by, "events.change_registration")
    event = _lock(registration.event)
    registration = Registration.objects.select_related("user", "event").get(pk=registration.pk)
    if registration.status not in allowed_from:
        raise ValidationError(
            _("%(member)s is %(status)s.") % {"member": registration.user, "status": registration.get_status_display()}
        )
    held_a_place = registration.status == R.REGISTERED and to == R.DECLINED
    if to == R.REGISTERED:
        left = places_left(event)
        if left is not None and left <= 0:
            raise ValidationError(
                _("The event is full: %(member)s stays where they are.") % {"member": registration.user}
            )
    _set_status(registration, to)
    if held_a_place and event.starts_at > timezone.now():
        _promote_waiting(event)  # a decline frees the place; a move to the waiting list does not
    return registration


@transaction.atomic
def registration_approve(*, registration: Registration, by) -> Registration:
    """Staff approve a pending registration: registered if a place is left, else waiting."""
    _require_staff_with(by, "events.change_registration")
    event = _lock(registration.event)
    left = places_left(event)
    to = R.REGISTERED if left is None or left > 0 else R.WAITING
    return _staff_change(registration, by, {R.PENDING}, to)


@transaction.atomic
def registration_decline(*, registration: Registration, by) -> Registration:
    """Staff decline; a place the member held goes to the first on the waiting list."""
    return _staff_change(registration, by, {R.PENDING, R.REGISTERED, R.WAITING}, R.DECLINED)


@transaction.atomic
def registration_to_waiting(*, registration: Registration, by) -> Registration:
    return _staff_change(registration, by, {R.REGISTERED}, R.WAITING)


@transaction.atomic
def registration_to_registered(*, registration: Registration, by) -> Registration:
    return _staff_change(registration, by, {R.WAITING, R.PENDING}, R.REGISTERED)


@transaction.atomic
def registration_mark_attendance(*, registration: Registration, by, attended: bool) -> Registration:
    """Staff record after the event whether a registered member came. No email."""
    _require_staff_with(by, "events.change_registration")
    if registration.status != R.REGISTERED:
        raise ValidationError(_("Only registered members can be marked as present or absent."))
    if registration.event.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the event has started."))
    Registration.objects.filter(pk=registration.pk).update(attended=attended)
    registration.attended = attended
    return registration


@transaction.atomic
def event_fill_places(*, event: Event) -> list[Registration]:
    """After staff edit an event (say, raise its capacity), give free places to the waiting list."""
    event = _lock(event)
    if event.starts_at <= timezone.now():
        return []
    return _promote_waiting(event)


@transaction.atomic
def invitation_create(*, event: Event, email: str, by) -> Invitation:
    """Staff invite an email address to an invitation-only event; the link is single-use."""
    _require_staff_with(by, "events.change_event")
    if event.registration_mode != RegistrationMode.INVITATION:
        raise ValidationError(_("Only invitation-only events take invitations."))
    invitation = Invitation.objects.create(
        event=event, email=email.strip().lower(), invited_by=by, expires_at=event.starts_at
    )
    email_queue(
        to=[invitation.email],
        template="event_invitation",
        context={"event": event, "invitation": invitation},
    )
    return invitation


@transaction.atomic
def event_email_registrants(*, event: Event, by, statuses: list[str], subject: str, message: str) -> int:
    """Staff write to the registrants of some statuses, through the mail queue."""
    _require_staff_with(by, "events.change_event")
    registrations = Registration.objects.filter(event=event, status__in=statuses).select_related("user")
    for registration in registrations:
        email_queue_to_user(
            user=registration.user,
            template="event_message",
            context={"event": event, "subject": subject, "message": message},
        )
    return len(registrations)


@transaction.atomic
def event_duplicate(*, event: Event, by) -> Event:
    """A copy of an event, unpublished, with its agenda and speakers, for staff to edit."""
    _require_staff_with(by, "events.add_event")
    original = Event.objects.prefetch_related("agenda__speakers", "speakers", "sectors", "sdgs", "questions").get(
        pk=event.pk
    )
    copy = Event.objects.get(pk=original.pk)
    copy.pk = None
    copy._state.adding = True
    copy.title = _("%(title)s (copy)") % {"title": original.title}
    copy.is_published = False
    copy.created_at = timezone.now()
    save_with_unique_slug(copy, slugify(f"{original.slug}-copy")[:190])
    copy.sectors.set(original.sectors.all())
    copy.sdgs.set(original.sdgs.all())
    speakers = {}
    for speaker in original.speakers.all():
        old_pk = speaker.pk
        speaker.pk = None
        speaker.event = copy
        speaker.save()
        speakers[old_pk] = speaker
    for item in original.agenda.all():
        old_speakers = [speakers[s.pk] for s in item.speakers.all() if s.pk in speakers]
        item.pk = None
        item.event = copy
        item.save()
        item.speakers.set(old_speakers)
    for question in original.questions.all():
        question.pk = None
        question.event = copy
        question.save()
    return copy


def events_send_reminders(*, now=None) -> int:
    """Remind registered participants before the event (WIITS_EVENT_REMINDER_HOURS), once each."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=settings.WIITS_EVENT_REMINDER_HOURS)
    due = Registration.objects.filter(
        status=R.REGISTERED,
        reminder_sent_at__isnull=True,
        event__is_published=True,
        event__starts_at__gt=now,
        event__starts_at__lte=horizon,
    ).select_related("user", "event")
    sent = 0
    for registration in due:
        with transaction.atomic():
            # The claim re-checks on the row what the query saw: a cancellation, an
            # unpublished or a moved event made meanwhile wins.
            claimed = Registration.objects.filter(
                pk=registration.pk,
                reminder_sent_at__isnull=True,
                status=R.REGISTERED,
                event__is_published=True,
                event__starts_at__gt=now,
                event__starts_at__lte=horizon,
            ).update(reminder_sent_at=now)
            if claimed:
                email_queue_to_user(
                    user=registration.user,
                    template="event_reminder",
                    context={"event": registration.event, "registration": registration},
                    attachments=[
                        (
                            f"{registration.event.slug}.ics",
                            events_to_ical([registration.event], language=registration.user.preferred_language),
                            "text/calendar",
                        )
                    ],
                )
                sent += 1
    return sent
