"""Every write on technologies and inquiries, and the listing workflow.

The workflow is one table of allowed moves (ALLOWED) and one private helper
(`_transition`) that checks the move, saves, records the history and queues the
emails. Views, admin actions, tasks and commands all call the functions below.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from common import slugs
from common.files import delete_files_on_commit
from common.mail.services import email_queue_to_user
from common.translated import i18n_field_name

from . import permissions, search
from .models import (
    DeclineReason,
    Inquiry,
    ListingViewDay,
    Outcome,
    PortalNote,
    Technology,
    TechnologyFormerSlug,
    TechnologyImage,
    TechnologyStatus,
    TechnologyTransition,
)
from .signals import technology_moved

S = TechnologyStatus

ALLOWED: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.IN_REVIEW, S.CHANGES_REQUESTED, S.REJECTED},
    S.IN_REVIEW: {S.PUBLISHED, S.CHANGES_REQUESTED, S.REJECTED},
    S.CHANGES_REQUESTED: {S.SUBMITTED},
    S.PUBLISHED: {S.WITHDRAWN, S.EXPIRED},
}

# Slugs that would collide with the catalogue's own URLs.
RESERVED_SLUGS = {"new", "feed", "mine", "inquiries"}


class TransitionNotAllowed(PermissionDenied):
    """The move is not in the workflow, or this person may not make it."""


class IncompleteListing(ValidationError):
    """Submitting needs a complete listing; `missing` names what is not there yet."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(_("Complete these before submitting: %(fields)s."), params={"fields": ", ".join(missing)})


# --- Listing content ---------------------------------------------------------------------


def slug_base(title: str, fallback: str = "technology") -> str:
    """The address a title in any script would have, before a number makes it unique
    (common.slugs.readable: 太阳能干燥机 -> tai-yang-neng-gan-zao-ji)."""
    base = slugs.readable(title, fallback)
    return f"{base}-{fallback}" if base in RESERVED_SLUGS else base


def technologies_update_search_vector(*, queryset) -> None:
    """Refresh the search index of `queryset` (technologies/search.py; no-op off PostgreSQL)."""
    search.refresh_technologies(queryset)


def _save_images(technology: Technology, images: Iterable) -> None:
    start = technology.images.count()
    for offset, content in enumerate(images):
        TechnologyImage.objects.create(
            technology=technology, image=content, alt_text=technology.title, order=start + offset
        )


@transaction.atomic
def technology_create(*, owner, fields: dict, sdgs=(), cooperation=(), images=(), brochure=None) -> Technology:
    """Create a draft owned by `owner`, of their organisation. No email."""
    technology = Technology(owner=owner, organisation=owner.organisation, **fields)
    if brochure:
        technology.brochure = brochure
    slugs.save_with_unique_slug(technology, slug_base(fields["title"]), former=TechnologyFormerSlug)
    technology.sdgs.set(sdgs)
    technology.cooperation.set(cooperation)
    _save_images(technology, images)
    technologies_update_search_vector(queryset=Technology.objects.filter(pk=technology.pk))
    return technology


@transaction.atomic
def technology_update(
    *,
    technology: Technology,
    by,
    fields: dict,
    sdgs=(),
    cooperation=(),
    images=(),
    brochure=None,
    remove_brochure=False,
) -> Technology:
    """Save the owner's edits of a draft or of a listing returned for changes. No email.

    The row is locked and checked as it is now, and only the content fields are written,
    so an edit racing a submission in another tab can neither undo the status change nor
    slip in after it.
    """
    locked = Technology.objects.select_for_update().get(pk=technology.pk)
    if not permissions.can_edit_technology(by, locked):
        raise PermissionDenied(_("This listing cannot be edited now."))
    for name, value in fields.items():
        setattr(locked, name, value)
    update_fields = [*fields, "updated_at"]
    old_brochure = (locked.brochure.storage, locked.brochure.name)
    if brochure:
        locked.brochure = brochure
        update_fields.append("brochure")
    elif remove_brochure:
        locked.brochure = ""
        update_fields.append("brochure")
    locked.save(update_fields=update_fields)
    if "brochure" in update_fields and old_brochure[1] != locked.brochure.name:
        # The replaced or removed brochure leaves the storage once this commits.
        delete_files_on_commit(old_brochure)
    locked.sdgs.set(sdgs)
    locked.cooperation.set(cooperation)
    _save_images(locked, images)
    technologies_update_search_vector(queryset=Technology.objects.filter(pk=locked.pk))
    return locked


@transaction.atomic
def technology_image_delete(*, image: TechnologyImage, by) -> None:
    """Delete an image of a listing; its file leaves the storage once this commits."""
    if not permissions.can_edit_technology(by, image.technology):
        raise PermissionDenied(_("This listing cannot be edited now."))
    delete_files_on_commit(image.image)
    image.delete()


def technology_missing_fields(technology: Technology) -> list[str]:
    """What a listing lacks before it can be submitted, as field names for the owner."""
    meta = Technology._meta
    required = ["title", "summary", "description", "advantages", "sector", "trl", "ip_status", "country_developed"]
    missing = [str(meta.get_field(name).verbose_name) for name in required if not getattr(technology, name)]
    if not technology.sdgs.exists():
        missing.append(str(meta.get_field("sdgs").verbose_name))
    if not technology.cooperation.exists():
        missing.append(str(meta.get_field("cooperation").verbose_name))
    return missing


# --- Workflow ----------------------------------------------------------------------------


def _transition(*, technology: Technology, to: str, by, message: str = "", **changes) -> Technology:
    """Move `technology` to `to` if the table allows it; record it; tell the apps above
    (signals.technology_moved), whose rules may refuse the move. Call inside atomic()."""
    locked = Technology.objects.select_for_update().get(pk=technology.pk)
    if to not in ALLOWED.get(locked.status, set()):
        raise TransitionNotAllowed(
            _("A listing that is %(from)s cannot become %(to)s.") % {"from": S(locked.status).label, "to": S(to).label}
        )
    from_status = locked.status
    locked.status = to
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", "updated_at", *changes])
    TechnologyTransition.objects.create(
        technology=locked, from_status=from_status, to_status=to, by=by, message=message
    )
    technology_moved.send(
        sender=Technology, technology=locked, from_status=from_status, to_status=to, by=by, changes=changes
    )
    # The caller's object shows the move only once nothing refused it: a refusal rolls the
    # row back, and a page re-rendered with the object must not say otherwise.
    for name in ("status", "updated_at", *changes):
        setattr(technology, name, getattr(locked, name))
    return technology


def _require_owner(technology: Technology, by) -> None:
    if not permissions.is_owner(by, technology):
        raise TransitionNotAllowed(_("Only the owner of this listing may do this."))


def _require_staff(by) -> None:
    if not permissions.can_moderate_technologies(by):
        raise TransitionNotAllowed(_("Only WiiTs staff may do this."))


def _email_owner(technology: Technology, template: str, **context) -> None:
    email_queue_to_user(user=technology.owner, template=template, context={"technology": technology, **context})


def _validity_end(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=settings.WIITS_TECHNOLOGY_VALIDITY_DAYS)


@transaction.atomic
def technology_submit(*, technology: Technology, by) -> Technology:
    """Owner submits a complete draft (or a revised listing) for screening.

    Side effects: history row; emails the owner (receipt) and every active staff member.
    """
    _require_owner(technology, by)
    missing = technology_missing_fields(technology)
    if missing:
        raise IncompleteListing(missing)
    _transition(technology=technology, to=S.SUBMITTED, by=by, submitted_at=timezone.now())
    _email_owner(technology, "technology_submitted")
    for member in get_user_model().objects.filter(is_staff=True, is_active=True):
        email_queue_to_user(user=member, template="technology_submitted_staff", context={"technology": technology})
    return technology


@transaction.atomic
def technology_screen(*, technology: Technology, by) -> Technology:
    """Staff accept a submission for review. Emails the owner."""
    _require_staff(by)
    _transition(technology=technology, to=S.IN_REVIEW, by=by)
    _email_owner(technology, "technology_status", message="")
    return technology


@transaction.atomic
def technology_publish(*, technology: Technology, by, nag_evaluated: bool = False, message: str = "") -> Technology:
    """Staff publish a listing in review, optionally as NAG-evaluated. Emails the owner."""
    _require_staff(by)
    _transition(
        technology=technology,
        to=S.PUBLISHED,
        by=by,
        message=message,
        nag_evaluated=nag_evaluated,
        published_at=timezone.now(),
        valid_until=_validity_end(),
        expiry_reminder_sent_at=None,
    )
    _email_owner(technology, "technology_status", message=message)
    return technology


def require_message(message: str) -> str:
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Write a message for the owner: say what to change or why."))
    return message


@transaction.atomic
def technology_request_changes(*, technology: Technology, by, message: str) -> Technology:
    """Staff return a submission to its owner with what to change. Emails the owner."""
    _require_staff(by)
    message = require_message(message)
    _transition(technology=technology, to=S.CHANGES_REQUESTED, by=by, message=message)
    _email_owner(technology, "technology_status", message=message)
    return technology


@transaction.atomic
def technology_reject(*, technology: Technology, by, message: str) -> Technology:
    """Staff reject a submission, saying why. Emails the owner."""
    _require_staff(by)
    message = require_message(message)
    _transition(technology=technology, to=S.REJECTED, by=by, message=message)
    _email_owner(technology, "technology_status", message=message)
    return technology


@transaction.atomic
def technology_withdraw(*, technology: Technology, by, message: str = "") -> Technology:
    """The owner takes a published listing off the catalogue. Emails the owner (receipt)."""
    _require_owner(technology, by)
    _transition(technology=technology, to=S.WITHDRAWN, by=by, message=message)
    _email_owner(technology, "technology_status", message=message)
    return technology


@transaction.atomic
def technology_renew(*, technology: Technology, by) -> Technology:
    """The owner extends a published listing for another validity period. No email."""
    technology = Technology.objects.select_for_update().get(pk=technology.pk)
    if not permissions.can_renew_technology(by, technology):
        raise TransitionNotAllowed(_("Only the owner of a published listing may renew it."))
    technology.valid_until = _validity_end(max(timezone.localdate(), technology.valid_until or timezone.localdate()))
    technology.expiry_reminder_sent_at = None
    technology.save(update_fields=["valid_until", "expiry_reminder_sent_at", "updated_at"])
    TechnologyTransition.objects.create(
        technology=technology,
        from_status=S.PUBLISHED,
        to_status=S.PUBLISHED,
        by=by,
        note=PortalNote.RENEWED,
        note_values={"until": technology.valid_until.isoformat()},
    )
    return technology


@transaction.atomic
def technology_expire(*, technology: Technology, today: date | None = None) -> bool:
    """The validity has ended: the listing leaves the catalogue. Emails the owner.

    Re-checked on the locked row, so a renewal or withdrawal made meanwhile wins.
    Returns whether the listing expired.
    """
    today = today or timezone.localdate()
    locked = Technology.objects.select_for_update().get(pk=technology.pk)
    if locked.status != S.PUBLISHED or not locked.valid_until or locked.valid_until >= today:
        return False
    _transition(technology=locked, to=S.EXPIRED, by=None)
    _email_owner(locked, "technology_status", message="")
    return True


@transaction.atomic
def technology_remind_expiry(*, technology: Technology, today: date | None = None) -> bool:
    """Tell the owner the listing expires soon, once per validity period.

    The conditional UPDATE re-checks on the row what the daily query saw: still published,
    not yet reminded, and still expiring within the reminder days (a renewal made meanwhile
    wins)."""
    today = today or timezone.localdate()
    updated = Technology.objects.filter(
        pk=technology.pk,
        status=S.PUBLISHED,
        expiry_reminder_sent_at__isnull=True,
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=settings.WIITS_TECHNOLOGY_REMINDER_DAYS),
    ).update(expiry_reminder_sent_at=timezone.now())
    if updated:
        _email_owner(technology, "technology_expiry_reminder")
    return bool(updated)


def technologies_expire_and_remind(*, today: date | None = None) -> dict[str, int]:
    """Daily: remind owners 30 days before expiry, expire what is past. Each happens once."""
    today = today or timezone.localdate()
    reminder_horizon = today + timedelta(days=settings.WIITS_TECHNOLOGY_REMINDER_DAYS)
    published = Technology.objects.published().select_related("owner")
    expired = sum(
        technology_expire(technology=technology, today=today) for technology in published.filter(valid_until__lt=today)
    )
    reminded = sum(
        technology_remind_expiry(technology=technology, today=today)
        for technology in published.filter(
            valid_until__gte=today, valid_until__lte=reminder_horizon, expiry_reminder_sent_at__isnull=True
        )
    )
    return {"expired": expired, "reminded": reminded}


# --- Inquiries ---------------------------------------------------------------------------


def check_daily_inquiry_limit(sender) -> None:
    """Inquiries and answers to needs share one daily limit per sender. Inside atomic()."""
    # Lock the sender's row so parallel requests count one after the other.
    get_user_model().objects.select_for_update().filter(pk=sender.pk).first()
    since = timezone.now() - timedelta(days=1)
    if Inquiry.objects.filter(sender=sender, created_at__gte=since).count() >= settings.WIITS_INQUIRIES_PER_DAY:
        raise ValidationError(
            ngettext_lazy(
                "You have sent %(limit)d inquiry in the last 24 hours, the most we accept. Try again tomorrow.",
                "You have sent %(limit)d inquiries in the last 24 hours, the most we accept. Try again tomorrow.",
                "limit",
            ),
            params={"limit": settings.WIITS_INQUIRIES_PER_DAY},
            code="too_many",
        )


@transaction.atomic
def inquiry_create(*, technology: Technology, sender, cooperation, organisation_name: str, message: str) -> Inquiry:
    """A member asks the owner of a published technology for cooperation; a second one
    about the same listing follows up the last (the email says so, with its date).

    Side effects: emails the owner, with the sender's name and organisation and a
    reply-to of the sender (the sender's address appears on no page).
    """
    if not permissions.can_inquire_about(sender, technology):
        raise PermissionDenied(_("You cannot send an inquiry about this technology."))
    check_daily_inquiry_limit(sender)
    previous = (
        Inquiry.objects.filter(sender=sender, technology=technology, need__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    inquiry = Inquiry.objects.create(
        technology=technology,
        sender=sender,
        cooperation=cooperation,
        organisation_name=organisation_name,
        message=message,
    )
    email_queue_to_user(
        user=technology.owner,
        template="inquiry_received",
        context={"inquiry": inquiry, "technology": technology, "previous": previous},
        reply_to=[sender.email],
    )
    return inquiry


@transaction.atomic
def inquiry_record_outcome(
    *,
    inquiry: Inquiry,
    by,
    outcome: str,
    agreement_type=None,
    decline_reason: str = "",
    note: str = "",
    feature_consent: bool = False,
    story: str = "",
) -> Inquiry:
    """The recipient of an inquiry records how it went. No email.

    An agreement names its kind; a refusal its reason. Changing what staff confirmed
    (the outcome, the kind of agreement or the story) drops the confirmation and the
    success-story mark. The first discussion and the first agreement keep their dates
    for the funnel.
    """
    inquiry = Inquiry.objects.select_for_update(of=("self",)).select_related("technology", "need").get(pk=inquiry.pk)
    if not permissions.can_record_outcome(by, inquiry):
        raise PermissionDenied(_("Only the recipient of this inquiry may record how it went."))
    if outcome not in (Outcome.IN_DISCUSSION, Outcome.AGREEMENT, Outcome.DECLINED):
        raise ValidationError(_("Choose how the inquiry went."), code="outcome")
    if outcome == Outcome.AGREEMENT and agreement_type is None:
        raise ValidationError(_("Say what kind of agreement was reached."), code="agreement_type")
    if outcome == Outcome.DECLINED and decline_reason not in DeclineReason.values:
        raise ValidationError(_("Say why the cooperation was declined."), code="decline_reason")
    now = timezone.now()
    is_agreement = outcome == Outcome.AGREEMENT
    story = story.strip() if feature_consent and is_agreement else ""
    if inquiry.agreement_confirmed_at and (
        not is_agreement or agreement_type != inquiry.agreement_type or story != inquiry.story
    ):
        # What staff confirmed (and perhaps featured) has changed: they look again.
        inquiry.agreement_confirmed_at = None
        inquiry.agreement_confirmed_by = None
        inquiry.success_story = False
    inquiry.outcome = outcome
    inquiry.agreement_type = agreement_type if is_agreement else None
    inquiry.decline_reason = decline_reason if outcome == Outcome.DECLINED else ""
    inquiry.outcome_note = note.strip()
    inquiry.outcome_at = now
    inquiry.feature_consent = bool(feature_consent) and is_agreement
    inquiry.story = story
    if not is_agreement:
        inquiry.partner_consent = False
    if outcome in (Outcome.IN_DISCUSSION, Outcome.AGREEMENT) and inquiry.discussed_at is None:
        inquiry.discussed_at = now
    if is_agreement and inquiry.agreed_at is None:
        inquiry.agreed_at = now
    if not inquiry.feature_consent:
        inquiry.success_story = False
    inquiry.save()
    return inquiry


@transaction.atomic
def inquiry_set_partner_consent(*, inquiry: Inquiry, by, consent: bool) -> Inquiry:
    """The sender of an inquiry agrees (or no longer agrees) that the agreement its
    recipient recorded is featured as a success story. Withdrawing unfeatures it. No email."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if not permissions.can_set_partner_consent(by, inquiry):
        raise PermissionDenied(_("Only the sender of an inquiry that led to an agreement may do this."))
    inquiry.partner_consent = consent
    if not consent:
        inquiry.success_story = False
    inquiry.save(update_fields=["partner_consent", "success_story"])
    return inquiry


@transaction.atomic
def inquiry_confirm_agreement(*, inquiry: Inquiry, by, success_story: bool = False) -> Inquiry:
    """Staff confirm a recorded agreement, and may feature it on the home page (only
    when both the recipient and the sender agreed). No email."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if not permissions.can_confirm_agreement(by):
        raise PermissionDenied(_("Only WiiTs staff may do this."))
    if inquiry.outcome != Outcome.AGREEMENT:
        raise ValidationError(_("Only a recorded agreement can be confirmed."), code="not_agreement")
    if success_story and not (inquiry.feature_consent and inquiry.partner_consent):
        raise ValidationError(_("Both parties must agree before this cooperation is featured."), code="no_consent")
    inquiry.agreement_confirmed_at = inquiry.agreement_confirmed_at or timezone.now()
    inquiry.agreement_confirmed_by = inquiry.agreement_confirmed_by or by
    inquiry.success_story = success_story
    inquiry.save(update_fields=["agreement_confirmed_at", "agreement_confirmed_by", "success_story"])
    return inquiry


# --- Listing views -----------------------------------------------------------------------


def technology_count_view(*, technology: Technology, day: date | None = None) -> None:
    """Count one view of a published listing today. Nothing about the viewer is stored.

    One statement whatever happens: an upsert that PostgreSQL and SQLite both run, so
    concurrent first views of the day add up instead of colliding.
    """
    table = connection.ops.quote_name(ListingViewDay._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (technology_id, day, views) VALUES (%s, %s, 1) "  # noqa: S608 (names from _meta)
            "ON CONFLICT (technology_id, day) DO UPDATE SET views = " + table + ".views + 1",
            [technology.pk, day or timezone.localdate()],
        )


# --- Translations (of listings; needs.services saves theirs with save_translation too) --

TECHNOLOGY_TRANSLATED_FIELDS = ("title", "summary", "description", "advantages")


def save_translation(*, locked, by, language: str, values: dict[str, str], fields, refresh_search, history_model):
    """Write the translation columns of `locked` (a row locked by the caller), refresh its
    search vector and record the change in its history."""
    if language not in dict(settings.LANGUAGES) or language == locked.original_language:
        raise ValidationError(_("Choose a language other than the one the text is written in."), code="language")
    model = type(locked)
    model.objects.filter(pk=locked.pk).update(
        updated_at=timezone.now(), **{i18n_field_name(field, language): values.get(field, "") for field in fields}
    )
    refresh_search(queryset=model.objects.filter(pk=locked.pk))
    history_model.objects.create(
        **{model._meta.model_name: locked},
        from_status=locked.status,
        to_status=locked.status,
        by=by,
        note=PortalNote.TRANSLATION_SAVED,
        note_values={"language": language},
    )
    return locked


@transaction.atomic
def technology_translate(*, technology: Technology, by, language: str, values: dict[str, str]) -> Technology:
    """The owner saves the translation of their listing into `language` (empty values
    remove it). Searchable at once; recorded in the listing's history for staff. No email."""
    locked = Technology.objects.select_for_update().get(pk=technology.pk)
    if not permissions.can_translate_technology(by, locked):
        raise PermissionDenied(_("This listing cannot be translated now."))
    return save_translation(
        locked=locked, by=by, language=language, values=values, fields=TECHNOLOGY_TRANSLATED_FIELDS,
        refresh_search=technologies_update_search_vector, history_model=TechnologyTransition,
    )  # fmt: skip
