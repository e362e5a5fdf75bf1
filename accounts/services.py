"""Every write on members and organisations."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from common import audit
from common.files import delete_files_with
from common.mail.services import email_queue, email_queue_to_user
from common.reference.models import Sector

from .models import Consent, ContactTopic, LegalDocument, Organisation, User
from .signals import member_deleting


def organisation_get_or_create(*, name: str) -> Organisation | None:
    """The organisation called `name` (case-insensitive), created if new; None for blank."""
    name = " ".join(name.split())
    if not name:
        return None
    organisation, _created = Organisation.objects.get_or_create(name__iexact=name, defaults={"name": name})
    return organisation


@transaction.atomic
def member_update_profile(
    *,
    user: User,
    name: str,
    organisation_name: str,
    job_title: str,
    stakeholder_type: str,
    country: str,
    sectors: Iterable[Sector],
    preferred_language: str,
    weekly_digest: bool | None = None,
) -> User:
    """Save a member's details (at sign-up and from the profile page)."""
    user.name = name
    user.organisation = organisation_get_or_create(name=organisation_name)
    user.job_title = job_title
    user.stakeholder_type = stakeholder_type
    user.country = country
    user.preferred_language = preferred_language
    if weekly_digest is not None:
        user.weekly_digest = weekly_digest
    user.save(
        update_fields=[
            "name",
            "organisation",
            "job_title",
            "stakeholder_type",
            "country",
            "preferred_language",
            "weekly_digest",
        ]
    )
    user.sectors.set(sectors)
    return user


def member_set_language(*, user: User, language: str) -> None:
    """Remember a member's chosen language (used for pages and emails)."""
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


@transaction.atomic
def member_delete(*, user: User) -> None:
    """Delete a member's account and everything that is theirs alone.

    Side effects: queues a confirmation email to the address being deleted; the email
    addresses and MFA authenticators go with the user row, and so do the rows the cascade
    deletes (their listings with images and brochures): the files those rows name are read
    before the delete and deleted from their storages after commit (common/files.py). The
    audit trail's entries about the account and those rows are deleted, and the member's
    name and address leave the entries of what they did to others' objects. The
    caller signs the member out; other sessions of theirs no longer find a user and count
    as signed out.
    """
    try:
        with delete_files_with(user):  # a savepoint: a refused delete leaves no trace
            member_deleting.send(sender=User, user=user)
            # The audit trail forgets the account and what goes with it (common/audit.py).
            audit.forget_member(user)
            with audit.deleting_without_trail():
                user.delete()
    except ProtectedError as error:
        # Advisers' past reviews must stay: staff deactivate the adviser profile instead.
        raise ValidationError(
            _(
                "Your account is linked to records that must be kept (such as reviews for the National "
                "Advisory Group). Please ask the WiiTs team to close it."
            )
        ) from error
    # The instance keeps its name, address and language after the row is gone.
    email_queue_to_user(user=user, template="account_deleted", context={})


# --- Weekly digest -----------------------------------------------------------------------

DIGEST_UNSUBSCRIBE_SALT = "wiits.accounts.digest-unsubscribe"


def digest_unsubscribe_token(*, user: User) -> str:
    """A signed token naming `user`, for the digest's unsubscribe link (no sign-in needed).

    Signed with the secret key (HMAC), so it cannot be guessed or changed to another
    member; it does not expire, as an old digest's link should still work.
    """
    return signing.dumps(user.pk, salt=DIGEST_UNSUBSCRIBE_SALT)


def digest_member_from_token(token: str) -> User | None:
    try:
        pk = signing.loads(token, salt=DIGEST_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk, is_active=True).first() if isinstance(pk, int) else None


def digest_unsubscribe(*, user: User) -> None:
    """Stop the weekly digest. Idempotent. No email."""
    User.objects.filter(pk=user.pk).update(weekly_digest=False)
    user.weekly_digest = False


# --- Consent to the privacy notice and the terms of use ---------------------------------------


def consent_record(*, user: User, documents: Iterable[LegalDocument]) -> None:
    """Record that `user` accepted each of `documents` now; a version accepted before keeps
    its first date. No email."""
    Consent.objects.bulk_create(
        [Consent(user=user, document=document) for document in documents], ignore_conflicts=True
    )


# --- The contact form ---------------------------------------------------------------------


def contact_message_send(
    *, name: str, email: str, topic: str, subject: str, message: str, sender: User | None = None
) -> int:
    """Send a visitor's message to the WiiTs team; returns how many emails were queued.

    Side effects: one email per active staff member, in their language, through the mail
    queue (or, with no staff account, one to WIITS_CONTACT_EMAIL), replying to `email`.
    The visitor gets no copy: the form must not send mail to addresses nobody verified.
    The caller has checked the fields (single lines, a valid address) and the rate limit.
    """
    context = {
        "name": name,
        "email": email,
        "topic": ContactTopic(topic),
        "subject": subject,
        "message": message,
        "sender": sender,
    }
    staff = list(get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk"))
    for member in staff:
        email_queue_to_user(user=member, template="contact_message", context=context, reply_to=[email])
    if not staff:
        email_queue(to=[settings.WIITS_CONTACT_EMAIL], template="contact_message", context=context, reply_to=[email])
    return len(staff) or 1
