"""Reads about members that depend on who is asking."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from .models import User


def member_for_profile(*, user: User) -> User:
    return User.objects.select_related("organisation").prefetch_related("sectors").get(pk=user.pk)


def member_export_data(*, user: User) -> dict[str, Any]:
    """Everything the accounts app holds about `user`, as JSON-ready data."""
    user = member_for_profile(user=user)
    return {
        "email": user.email,
        "name": user.name,
        "organisation": user.organisation.name if user.organisation else None,
        "job_title": user.job_title,
        "stakeholder_type": user.stakeholder_type,
        "country": user.country.code or None,
        "sectors_of_interest": [sector.slug for sector in user.sectors.all()],
        "preferred_language": user.preferred_language,
        "weekly_digest": user.weekly_digest,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "two_factor_methods": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
    }
