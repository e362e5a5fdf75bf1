"""Reads of technologies that depend on who asks or what they search for."""

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from common.translated import i18n_columns, translations_of

from . import permissions
from .models import Inquiry, Technology, TechnologyImage, TechnologyTransition


def ranked_search(queryset: QuerySet, query: str, *, text_fields: list[str], fuzzy_fields: list[str]) -> QuerySet:
    """Filter by words. Annotates `relevance` for sorting.

    PostgreSQL: the stored weighted vector answers `websearch` syntax, ranked; when no
    word matches as written, trigram word similarity on `fuzzy_fields` finds
    misspelled words. Elsewhere (the SQLite quick start): a case-insensitive
    contains-match on `text_fields`, relevance 0.
    """
    query = query.strip()
    if not query:
        return queryset
    if connection.vendor != "postgresql":
        from django.db.models import Value

        matches = Q()
        for name in text_fields:
            matches |= Q(**{f"{name}__icontains": query})
        return queryset.filter(matches).annotate(relevance=Value(0.0))

    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
    from django.db.models.functions import Greatest

    # English stems for the originals, plain words for the translations (indexed 'simple').
    search_query = SearchQuery(query, search_type="websearch", config="english") | SearchQuery(
        query, search_type="websearch", config="simple"
    )
    matches = queryset.filter(search_vector=search_query)
    if matches.exists():
        return matches.annotate(relevance=SearchRank(F("search_vector"), search_query))
    # No word matched as written: perhaps misspelled. The `%>` operator (trigram word
    # similarity) can use the gin_trgm_ops indexes; the similarity then ranks.
    similar = Q()
    for name in fuzzy_fields:
        similar |= Q(**{f"{name}__trigram_word_similar": query})
    similarities = [TrigramWordSimilarity(query, name) for name in fuzzy_fields]
    return queryset.filter(similar).annotate(
        relevance=Greatest(*similarities) if len(similarities) > 1 else similarities[0]
    )


def technology_search(queryset: QuerySet, query: str) -> QuerySet:
    return ranked_search(
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
        fuzzy_fields=["title", "summary"],
    )


def technology_for_detail(*, user, slug: str) -> Technology:
    """The technology at `slug` if `user` may see it; 404 otherwise (even if it exists)."""
    technology = (
        Technology.objects.select_related("sector", "organisation", "owner")
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
    return TechnologyTransition.objects.filter(technology=technology).select_related("by").order_by("-at", "-pk")


def technologies_of_owner(*, user) -> QuerySet:
    return Technology.objects.filter(owner=user).select_related("sector").order_by("-updated_at")


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
        .order_by("-created_at")
    )


def inquiries_sent(*, user) -> QuerySet:
    return (
        Inquiry.objects.filter(sender=user)
        .select_related("technology", "need", "cooperation", "agreement_type")
        .order_by("-created_at")
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
