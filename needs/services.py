"""Every write on technology needs and their workflow, and answers to needs.

Like the listing workflow (technologies.services): one table of allowed moves
(NEED_ALLOWED) and one private helper (`_need_transition`) that checks the move, saves,
records the history and queues the emails. Views, admin actions and tasks call these.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.mail.services import email_queue_to_user
from common.slugs import save_with_unique_slug
from technologies import search
from technologies import services as technology_services
from technologies.models import Inquiry, Need, NeedFormerSlug, NeedStatus, NeedTransition, Technology
from technologies.services import IncompleteListing, TransitionNotAllowed

from . import permissions

N = NeedStatus

NEED_ALLOWED: dict[str, set[str]] = {
    N.DRAFT: {N.SUBMITTED},
    N.SUBMITTED: {N.PUBLISHED, N.RETURNED},
    N.RETURNED: {N.SUBMITTED},
    N.PUBLISHED: {N.FULFILLED, N.WITHDRAWN, N.EXPIRED},
}


def needs_update_search_vector(*, queryset) -> None:
    """Refresh the search index of `queryset` (technologies/search.py; no-op off PostgreSQL)."""
    search.refresh_needs(queryset)


@transaction.atomic
def need_create(*, owner, fields: dict, sdgs=(), cooperation=()) -> Need:
    """Create a draft need owned by `owner`, of their organisation. No email."""
    need = Need(owner=owner, organisation=owner.organisation, **fields)
    save_with_unique_slug(need, technology_services.slug_base(fields["title"], fallback="need"), former=NeedFormerSlug)
    need.sdgs.set(sdgs)
    need.cooperation.set(cooperation)
    needs_update_search_vector(queryset=Need.objects.filter(pk=need.pk))
    return need


@transaction.atomic
def need_update(*, need: Need, by, fields: dict, sdgs=(), cooperation=()) -> Need:
    """Save the owner's edits of a draft or returned need (locked, checked as it is now)."""
    locked = Need.objects.select_for_update().get(pk=need.pk)
    if not permissions.can_edit_need(by, locked):
        raise PermissionDenied(_("This need cannot be edited now."))
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*fields, "updated_at"])
    locked.sdgs.set(sdgs)
    locked.cooperation.set(cooperation)
    needs_update_search_vector(queryset=Need.objects.filter(pk=locked.pk))
    return locked


def need_missing_fields(need: Need, today: date | None = None) -> list[str]:
    """What a need lacks before it can be submitted, as field names for the owner."""
    meta = Need._meta
    missing = [
        str(meta.get_field(name).verbose_name)
        for name in ("title", "problem", "sector", "country", "trl_min")
        if not getattr(need, name)
    ]
    if not need.sdgs.exists():
        missing.append(str(meta.get_field("sdgs").verbose_name))
    if not need.cooperation.exists():
        missing.append(str(meta.get_field("cooperation").verbose_name))
    if not need.valid_until or need.valid_until <= (today or timezone.localdate()):
        missing.append(str(_("a validity date in the future")))
    return missing


def _need_transition(*, need: Need, to: str, by, message: str = "", **changes) -> Need:
    """Move `need` to `to` if NEED_ALLOWED has the move; record it. Call inside atomic()."""
    locked = Need.objects.select_for_update().get(pk=need.pk)
    if to not in NEED_ALLOWED.get(locked.status, set()):
        raise TransitionNotAllowed(
            _("A need that is %(from)s cannot become %(to)s.") % {"from": N(locked.status).label, "to": N(to).label}
        )
    from_status = locked.status
    need.status = to
    for name, value in changes.items():
        setattr(need, name, value)
    need.save(update_fields=["status", "updated_at", *changes])
    NeedTransition.objects.create(need=need, from_status=from_status, to_status=to, by=by, message=message)
    return need


def _require_need_owner(need: Need, by) -> None:
    if not permissions.is_need_owner(by, need):
        raise TransitionNotAllowed(_("Only the owner of this need may do this."))


def _require_need_staff(by) -> None:
    if not permissions.can_moderate_needs(by):
        raise TransitionNotAllowed(_("Only WiiTs staff may do this."))


def _email_need_owner(need: Need, message: str = "") -> None:
    email_queue_to_user(user=need.owner, template="need_status", context={"need": need, "message": message})


@transaction.atomic
def need_submit(*, need: Need, by) -> Need:
    """The owner submits a complete need. Emails the owner (receipt) and every active staff member."""
    _require_need_owner(need, by)
    missing = need_missing_fields(need)
    if missing:
        raise IncompleteListing(missing)
    _need_transition(need=need, to=N.SUBMITTED, by=by, submitted_at=timezone.now())
    _email_need_owner(need)
    for member in get_user_model().objects.filter(is_staff=True, is_active=True):
        email_queue_to_user(user=member, template="need_submitted_staff", context={"need": need})
    return need


@transaction.atomic
def need_publish(*, need: Need, by, message: str = "") -> Need:
    """Staff publish a submitted need. Emails the owner."""
    _require_need_staff(by)
    if need.valid_until <= timezone.localdate():
        raise ValidationError(_("The validity date of this need has passed: return it to its owner."))
    _need_transition(need=need, to=N.PUBLISHED, by=by, message=message, published_at=timezone.now())
    _email_need_owner(need, message)
    return need


@transaction.atomic
def need_return(*, need: Need, by, message: str) -> Need:
    """Staff return a submitted need to its owner, saying what to change. Emails the owner."""
    _require_need_staff(by)
    message = technology_services.require_message(message)
    _need_transition(need=need, to=N.RETURNED, by=by, message=message)
    _email_need_owner(need, message)
    return need


@transaction.atomic
def need_fulfil(*, need: Need, by) -> Need:
    """The owner found what they needed: the need leaves the list. No email."""
    _require_need_owner(need, by)
    return _need_transition(need=need, to=N.FULFILLED, by=by)


@transaction.atomic
def need_withdraw(*, need: Need, by) -> Need:
    """The owner takes a published need off the list. No email."""
    _require_need_owner(need, by)
    return _need_transition(need=need, to=N.WITHDRAWN, by=by)


@transaction.atomic
def need_expire(*, need: Need, today: date | None = None) -> bool:
    """The validity date has passed: the need leaves the list. Emails the owner.

    Re-checked on the locked row. Returns whether the need expired.
    """
    today = today or timezone.localdate()
    locked = Need.objects.select_for_update().get(pk=need.pk)
    if locked.status != N.PUBLISHED or locked.valid_until >= today:
        return False
    _need_transition(need=locked, to=N.EXPIRED, by=None)
    _email_need_owner(locked)
    return True


def needs_expire(*, today: date | None = None) -> int:
    """Daily: expire the published needs whose validity date has passed."""
    today = today or timezone.localdate()
    past = Need.objects.published().filter(valid_until__lt=today).select_related("owner")
    return sum(need_expire(need=need, today=today) for need in past)


@transaction.atomic
def need_answer(*, need: Need, technology: Technology, sender, cooperation, message: str) -> Inquiry:
    """The owner of a published technology proposes it for a published need.

    The answer is an inquiry the need's owner receives (emailed, with a reply-to of the
    sender) and records the outcome of. One answer per need and technology.
    """
    if not permissions.can_answer_need(sender, need) or not permissions.can_offer_for_need(sender, technology):
        raise PermissionDenied(_("You cannot answer this need with this technology."))
    technology_services.check_daily_inquiry_limit(sender)
    if Inquiry.objects.filter(need=need, technology=technology).exists():
        raise ValidationError(_("You have already proposed this technology for this need."), code="duplicate_answer")
    inquiry = Inquiry.objects.create(
        technology=technology,
        need=need,
        sender=sender,
        cooperation=cooperation,
        organisation_name=sender.organisation.name if sender.organisation_id else sender.name,
        message=message,
    )
    email_queue_to_user(
        user=need.owner,
        template="need_answered",
        context={"inquiry": inquiry, "need": need, "technology": technology},
        reply_to=[sender.email],
    )
    return inquiry


NEED_TRANSLATED_FIELDS = ("title", "problem")


@transaction.atomic
def need_translate(*, need: Need, by, language: str, values: dict[str, str]) -> Need:
    """The owner saves the translation of their need into `language` (see technology_translate)."""
    locked = Need.objects.select_for_update().get(pk=need.pk)
    if not permissions.can_translate_need(by, locked):
        raise PermissionDenied(_("This need cannot be translated now."))
    return technology_services.save_translation(
        locked=locked, by=by, language=language, values=values, fields=NEED_TRANSLATED_FIELDS,
        refresh_search=needs_update_search_vector, history_model=NeedTransition,
    )  # fmt: skip
