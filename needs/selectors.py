"""Reads of technology needs that depend on who asks or what they search for."""

from django.db.models import QuerySet
from django.http import Http404

from common import search
from common.translated import i18n_columns, translations_of
from technologies.models import Inquiry, Need, NeedTransition

from . import permissions


def need_search(queryset: QuerySet, query: str) -> QuerySet:
    """Needs matching `query` in any of the six languages (common/search.py)."""
    return search.ranked_search(
        queryset, query, text_fields=["title", "problem", "organisation__name", *i18n_columns("title", "problem")[1:]]
    )


def need_for_detail(*, user, slug: str) -> Need:
    """The need at `slug` if `user` may see it; 404 otherwise (even if it exists)."""
    need = (
        Need.objects.select_related("sector", "organisation", "owner")
        .prefetch_related("sdgs", "cooperation")
        .filter(slug=slug)
        .first()
    )
    if need is None or not permissions.can_view_need(user, need):
        raise Http404
    return need


def need_for_owner(*, user, slug: str) -> Need:
    """The need at `slug` if `user` owns it or is staff; 404 otherwise."""
    need = Need.objects.select_related("organisation").filter(slug=slug).first()
    if need is None or not (permissions.is_need_owner(user, need) or permissions.is_staff(user)):
        raise Http404
    return need


def need_history(*, need: Need) -> QuerySet:
    return NeedTransition.objects.filter(need=need).select_related("by__adviser").order_by("-at", "-pk")


def needs_of_owner(*, user) -> QuerySet:
    return Need.objects.filter(owner=user).select_related("sector").order_by("-updated_at")


def needs_waiting_for_staff() -> QuerySet:
    return Need.objects.filter(status="submitted").select_related("owner", "organisation").order_by("submitted_at")


def answers_to_need(*, need: Need) -> QuerySet:
    return (
        Inquiry.objects.filter(need=need)
        .select_related("technology", "sender", "cooperation", "agreement_type")
        .order_by("-created_at")
    )


def needs_in_member_sectors(*, user, limit: int = 5) -> list[Need]:
    """Published needs in the member's sectors of interest, newest first (not the member's
    own). Empty when the member chose no sector."""
    needs = (
        Need.objects.published()
        .filter(sector__in=user.sectors.values("pk"))
        .exclude(owner=user)
        .only("slug", "title", "country", "published_at", *i18n_columns("title"))
        .order_by("-published_at")
    )
    return list(needs[:limit])


def member_export_data(*, user) -> dict:
    """The needs of `user`, for their data download."""
    return {
        "needs": [
            {
                "title": need.title,
                "slug": need.slug,
                "status": need.status,
                "problem": need.problem,
                "country": str(need.country),
                "valid_until": need.valid_until.isoformat(),
                "created_at": need.created_at.isoformat(),
                "original_language": need.original_language,
                "translations": translations_of(need, ["title", "problem"]),
            }
            for need in Need.objects.filter(owner=user).order_by("created_at")
        ],
    }
