"""Reads of technologies that depend on who asks or what they search for."""

from django.db.models import Case, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.http import Http404

from common import search
from common.translated import i18n_columns, translations_of

from . import permissions
from .models import Inquiry, Technology, TechnologyImage, TechnologyTransition


def technology_search(queryset: QuerySet, query: str) -> QuerySet:
    """Listings matching `query` in any of the six languages (common/search.py)."""
    return search.ranked_search(
        queryset,
        query,
        text_fields=[
            "title",
            "summary",
            "description",
            "advantages",
            "organisation__name",
            *i18n_columns("title", "summary", "description")[1:],
        ],
    )


def technology_for_detail(*, user, slug: str) -> Technology:
    """The technology at `slug` if `user` may see it; 404 otherwise (even if it exists).
    Without its search columns (never shown) and its owner's row (the page needs only
    `owner_id`): building the SQL of 110 columns cost more than running it (make bench)."""
    technology = (
        Technology.objects.defer("search_vector", "search_words")
        .select_related("sector", "organisation")
        .prefetch_related(
            "sdgs",
            "cooperation",
            Prefetch("images", queryset=TechnologyImage.objects.order_by("order", "pk"), to_attr="ordered_images"),
        )
        .filter(slug=slug)
        .first()
    )
    if technology is None or not permissions.can_view_technology(user, technology):
        raise Http404
    return technology


def technology_for_owner(*, user, slug: str) -> Technology:
    """The technology at `slug` if `user` owns it or is staff; 404 otherwise."""
    technology = Technology.objects.select_related("organisation").filter(slug=slug).first()
    if technology is None or not (permissions.is_owner(user, technology) or permissions.is_staff(user)):
        raise Http404
    return technology


def technology_history(*, technology: Technology) -> QuerySet:
    return (
        TechnologyTransition.objects.filter(technology=technology).select_related("by__adviser").order_by("-at", "-pk")
    )


# A listing's columns that lists never show: the long texts and the search index's.
LONG_COLUMNS = ("description", "advantages", "search_vector", "search_words")


def technologies_of_owner(*, user) -> QuerySet:
    return (
        Technology.objects.filter(owner=user)
        .defer("description_i18n", "advantages_i18n", *LONG_COLUMNS)
        .select_related("sector")
        .order_by("-updated_at")
    )


def latest_change_requests(*, technologies) -> dict[int, TechnologyTransition]:
    """The last 'changes requested' message of each listing that waits for its owner."""
    waiting = [t.pk for t in technologies if t.status == "changes_requested"]
    # Not the owner's own steps while waiting (a saved translation): staff's request only.
    transitions = TechnologyTransition.objects.filter(
        technology_id__in=waiting, to_status="changes_requested"
    ).exclude(from_status="changes_requested")
    latest: dict[int, TechnologyTransition] = {}
    for transition in transitions.order_by("at", "pk"):
        latest[transition.technology_id] = transition
    return latest


def inquiries_received(*, user) -> QuerySet:
    """Inquiries about the member's technologies, and answers to the member's needs."""
    return (
        Inquiry.objects.filter(Q(need__isnull=True, technology__owner=user) | Q(need__owner=user))
        .select_related("technology", "need", "sender", "cooperation", "agreement_type")
        .defer(*(f"technology__{column}" for column in LONG_COLUMNS))
        .order_by("-created_at")
    )


def inquiries_sent(*, user) -> QuerySet:
    return (
        Inquiry.objects.filter(sender=user)
        .select_related("technology", "need", "cooperation", "agreement_type")
        .defer(*(f"technology__{column}" for column in LONG_COLUMNS))
        .order_by("-created_at")
    )


def with_previous_inquiry(queryset: QuerySet) -> QuerySet:
    """Inquiries annotated with `follows_up_on`: when the same sender last wrote about the
    same listing before this one (None for a first inquiry and for answers to needs). A
    subquery, so a list of them costs no more queries however many follow-ups it holds."""
    earlier = Inquiry.objects.filter(
        Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")),
        sender=OuterRef("sender"),
        technology=OuterRef("technology"),
        need__isnull=True,
    ).order_by("-created_at", "-pk")
    return queryset.annotate(
        follows_up_on=Case(When(need__isnull=True, then=Subquery(earlier.values("created_at")[:1])), default=None)
    )


def inquiries_sent_about(*, user, technology: Technology, limit: int = 10) -> list[Inquiry]:
    """What `user` wrote to the owner of `technology` (answers to needs aside), newest
    first: the listing shows them instead of an empty form. One query."""
    if not user.is_authenticated:
        return []
    return list(
        with_previous_inquiry(
            Inquiry.objects.filter(sender=user, technology=technology, need__isnull=True).select_related(
                "cooperation", "agreement_type"
            )
        ).order_by("-created_at", "-pk")[:limit]
    )


def inquiry_for_recipient(*, user, pk: int) -> Inquiry:
    """An inquiry `user` received (the one who records its outcome); 404 otherwise."""
    inquiry = inquiries_received(user=user).filter(pk=pk).first()
    if inquiry is None:
        raise Http404
    return inquiry


def success_stories(*, limit: int = 3) -> QuerySet:
    """Agreements confirmed by staff and featured with the recipient's consent."""
    return (
        Inquiry.objects.filter(
            success_story=True,
            feature_consent=True,
            partner_consent=True,
            agreement_confirmed_at__isnull=False,
            technology__status="published",
        )
        .select_related("technology__organisation", "need__organisation", "agreement_type")
        .order_by("-agreement_confirmed_at")[:limit]
    )


def technologies_in_member_sectors(*, user, limit: int = 5) -> list[Technology]:
    """Published technologies in the member's sectors of interest, newest first (not the
    member's own). Empty when the member chose no sector."""
    technologies = (
        Technology.objects.published()
        .filter(sector__in=user.sectors.values("pk"))
        .exclude(owner=user)
        .select_related("sector")
        .only("slug", "title", "trl", "sector__name", "published_at", *i18n_columns("title"))
        .order_by("-published_at")
    )
    return list(technologies[:limit])


def member_export_data(*, user) -> dict:
    """The technologies, inquiries and outcomes of `user`, for their data download."""
    return {
        "technologies": [
            {
                "title": technology.title,
                "slug": technology.slug,
                "status": technology.status,
                "summary": technology.summary,
                "created_at": technology.created_at.isoformat(),
                "published_at": technology.published_at.isoformat() if technology.published_at else None,
                "original_language": technology.original_language,
                "translations": translations_of(technology, ["title", "summary", "description"]),
            }
            for technology in Technology.objects.filter(owner=user).order_by("created_at")
        ],
        "inquiries_sent": [
            {
                "technology": inquiry.technology.title,
                "cooperation": inquiry.cooperation.slug,
                "organisation": inquiry.organisation_name,
                "message": inquiry.message,
                "sent_at": inquiry.created_at.isoformat(),
            }
            for inquiry in inquiries_sent(user=user)
        ],
        "outcomes_recorded": [
            {
                "technology": inquiry.technology.title,
                "need": inquiry.need.title if inquiry.need else None,
                "outcome": inquiry.outcome,
                "agreement_type": inquiry.agreement_type.slug if inquiry.agreement_type else None,
                "decline_reason": inquiry.decline_reason,
                "note": inquiry.outcome_note,
                "feature_consent": inquiry.feature_consent,
                "story": inquiry.story,
            }
            for inquiry in inquiries_received(user=user).exclude(outcome="")
        ],
    }
