"""Reads of technologies that depend on who asks or what they search for."""

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from . import permissions
from .models import Inquiry, Technology, TechnologyImage, TechnologyTransition


def technology_search(queryset: QuerySet, query: str) -> QuerySet:
    """Filter by words. Annotates `relevance` for sorting.

    PostgreSQL: the stored weighted vector answers `websearch` syntax, ranked; when no
    word matches as written, trigram word similarity on the title and summary finds
    misspelled words. Elsewhere (the SQLite quick start): a case-insensitive
    contains-match, relevance 0.
    """
    query = query.strip()
    if not query:
        return queryset
    if connection.vendor != "postgresql":
        from django.db.models import Value

        return queryset.filter(
            Q(title__icontains=query)
            | Q(summary__icontains=query)
            | Q(description__icontains=query)
            | Q(advantages__icontains=query)
            | Q(organisation__name__icontains=query)
        ).annotate(relevance=Value(0.0))

    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
    from django.db.models.functions import Greatest

    search_query = SearchQuery(query, search_type="websearch", config="english")
    matches = queryset.filter(search_vector=search_query)
    if matches.exists():
        return matches.annotate(relevance=SearchRank(F("search_vector"), search_query))
    # No word matched as written: perhaps misspelled. The `%>` operator (trigram word
    # similarity) can use the gin_trgm_ops indexes; the similarity then ranks.
    return queryset.filter(Q(title__trigram_word_similar=query) | Q(summary__trigram_word_similar=query)).annotate(
        relevance=Greatest(TrigramWordSimilarity(query, "title"), TrigramWordSimilarity(query, "summary"))
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
    transitions = TechnologyTransition.objects.filter(technology_id__in=waiting, to_status="changes_requested")
    latest: dict[int, TechnologyTransition] = {}
    for transition in transitions.order_by("at", "pk"):
        latest[transition.technology_id] = transition
    return latest


def inquiries_received(*, user) -> QuerySet:
    return (
        Inquiry.objects.filter(technology__owner=user)
        .select_related("technology", "sender", "cooperation")
        .order_by("-created_at")
    )


def inquiries_sent(*, user) -> QuerySet:
    return Inquiry.objects.filter(sender=user).select_related("technology", "cooperation").order_by("-created_at")


def member_export_data(*, user) -> dict:
    """The technologies and inquiries of `user`, for their data download."""
    return {
        "technologies": [
            {
                "title": technology.title,
                "slug": technology.slug,
                "status": technology.status,
                "summary": technology.summary,
                "created_at": technology.created_at.isoformat(),
                "published_at": technology.published_at.isoformat() if technology.published_at else None,
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
    }
