"""The weekly digest: what was published in a member's sectors, technologies and needs."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from accounts.services import digest_unsubscribe_token
from common.mail.services import email_queue_to_user

from .models import Need, Technology

DIGEST_INTERVAL = timedelta(days=6)  # a weekly run that starts late or twice sends nothing twice
DIGEST_ITEMS = 10


def _digest_due(now) -> Q:
    return Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - DIGEST_INTERVAL)


@transaction.atomic
def digest_send_to_member(*, user, now=None) -> bool:
    """Queue one member's weekly digest: what was published in their sectors (every sector
    if they chose none) since their last digest, at most a week back, not their own.

    The member is claimed first (conditional update of digest_sent_at), in the same
    transaction as the email, so concurrent or repeated runs send it once. Nothing new:
    no email, but the week counts as done. Returns whether an email was queued.
    """
    now = now or timezone.now()
    User = get_user_model()
    member = User.objects.select_for_update().filter(pk=user.pk, is_active=True, weekly_digest=True).first()
    if member is None or not User.objects.filter(_digest_due(now), pk=member.pk).update(digest_sent_at=now):
        return False
    since = max(member.digest_sent_at or now - timedelta(days=7), now - timedelta(days=7))
    sectors = list(member.sectors.values_list("pk", flat=True))
    in_sectors = {"sector__in": sectors} if sectors else {}
    technologies = list(
        Technology.objects.published()
        .filter(published_at__gt=since, published_at__lte=now, **in_sectors)
        .exclude(owner=member)
        .select_related("sector")
        .order_by("-published_at")[:DIGEST_ITEMS]
    )
    needs = list(
        Need.objects.published()
        .filter(published_at__gt=since, published_at__lte=now, **in_sectors)
        .exclude(owner=member)
        .order_by("-published_at")[:DIGEST_ITEMS]
    )
    if not technologies and not needs:
        return False
    with translation.override(member.preferred_language):  # the page in the reader's language
        unsubscribe_url = settings.SITE_URL + reverse(
            "accounts:digest_unsubscribe", kwargs={"token": digest_unsubscribe_token(user=member)}
        )
    email_queue_to_user(
        user=member,
        template="weekly_digest",
        context={"technologies": technologies, "needs": needs, "unsubscribe_url": unsubscribe_url},
        # RFC 8058: mail clients offer their own one-click "unsubscribe" that POSTs here.
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    return True


def digest_send_weekly(*, now=None) -> int:
    """Weekly: queue the digest of every opted-in member who is due. Returns emails queued."""
    now = now or timezone.now()
    due = get_user_model().objects.filter(_digest_due(now), is_active=True, weekly_digest=True).order_by("pk")
    return sum(digest_send_to_member(user=member, now=now) for member in due.only("pk"))
