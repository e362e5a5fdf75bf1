"""Reads about members that depend on who is asking."""

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Exists, OuterRef

from common.translated import i18n_field_name

from .models import Consent, LegalDocument, LegalDocumentKind, User


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


# --- The privacy notice, the terms of use and consent --------------------------------------


# The long texts, which the checks of who must accept what do not need.
_BODIES = ["body", *(i18n_field_name("body", language) for language, _name in settings.LANGUAGES)]


def _latest_per_kind(documents) -> dict[str, LegalDocument]:
    latest: dict[str, LegalDocument] = {}
    for document in documents:  # newest first within each kind
        latest.setdefault(document.kind, document)
    return {kind: latest[kind] for kind in LegalDocumentKind.values if kind in latest}


def legal_documents_in_force(*, today: datetime.date | None = None) -> dict[str, LegalDocument]:
    """{kind: the version in force} for the kinds that have one (none on a fresh install),
    in the order of LegalDocumentKind (the privacy notice, then the terms). One query,
    without the texts (the pages read them)."""
    return _latest_per_kind(LegalDocument.objects.effective(today).newest_first().defer(*_BODIES))


def consent_due(*, user: User, today: datetime.date | None = None) -> list[LegalDocument]:
    """The versions in force that `user` has not accepted yet (empty when none is in force).
    One query."""
    documents = (
        LegalDocument.objects.effective(today)
        .newest_first()
        .defer(*_BODIES)
        .annotate(accepted=Exists(Consent.objects.filter(user=user, document=OuterRef("pk"))))
    )
    return [document for document in _latest_per_kind(documents).values() if not document.accepted]


def legal_document_page(*, kind: str, version: int | None = None) -> tuple[LegalDocument | None, list[LegalDocument]]:
    """The version of `kind` to show (the one in force, or `version` if it has taken
    effect; None if there is no such version) and every version in effect so far, newest
    first, for the page's history."""
    history = list(LegalDocument.objects.effective().filter(kind=kind).newest_first())
    if version is None:
        return (history[0] if history else None), history
    return next((document for document in history if document.version == version), None), history


def member_consents_export(*, user: User) -> list[dict[str, Any]]:
    """The versions of the privacy notice and terms `user` accepted, and when, oldest first."""
    consents = Consent.objects.filter(user=user).select_related("document").order_by("accepted_at", "pk")
    return [
        {
            "document": consent.document.kind,
            "version": consent.document.version,
            "title": consent.document.title,
            "effective_date": consent.document.effective_date.isoformat(),
            "accepted_at": consent.accepted_at.isoformat(),
        }
        for consent in consents
    ]
