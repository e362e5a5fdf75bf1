"""Suggestions that bring technologies offered and technologies needed together.

A published technology is suggested for a published need when it is ready enough (TRL
at least the minimum the need asks for), belongs to someone else, and shares something
with the need: the sector, a Sustainable Development Goal, or (on PostgreSQL) words of
the need's title and problem. The score adds up what they share, and each suggestion
says why it was made. The same rules run the other way for a technology's owner.

Scoring happens in SQL (counts as subqueries, no row multiplication), first among the
same sector's rows, then, when they are not enough, among the rest (`_in_tiers`).
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, F, FloatField, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext as _
from django_countries import countries

from common import search
from technologies.models import Need, Technology

SUGGESTION_COUNT = 5

# What each shared trait adds to the score.
SECTOR_POINTS = 3.0
SDG_POINTS = 1.0  # per shared goal, up to MAX_SHARED_SDGS
MAX_SHARED_SDGS = 3
COUNTRY_POINTS = 1.0
COOPERATION_POINTS = 1.0
TEXT_POINTS = 20.0  # times the text rank (about 0.01 to 0.1), capped at MAX_TEXT_POINTS
MAX_TEXT_POINTS = 3.0
TEXT_REASON_RANK = 0.02  # the least rank that counts as "similar words"
MAX_WORDS = 24


@dataclass
class Suggestion:
    item: Technology | Need
    score: float
    reasons: list[str] = field(default_factory=list)


def _words(*texts: str) -> list[str]:
    """Distinct words of three letters or more (each run of Han characters as one), in
    order, at most MAX_WORDS."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in search.words_of(text or ""):
            if (len(word) < 3 and not search.is_han(word)) or word.isdigit():
                continue
            seen.setdefault(word.lower(), None)
            if len(seen) == MAX_WORDS:
                return list(seen)
    return list(seen)


def _text_rank(words: list[str]):
    """The rank of the row's search vector against any of `words`, in every language's
    analysis (PostgreSQL; common/search.py), else None."""
    if connection.vendor != "postgresql" or not words:
        return None
    from django.contrib.postgres.search import SearchRank

    query = search.any_word_query(words)
    return (query, SearchRank(F("search_vector"), query)) if query is not None else None


def _shared_count(through, owner_field: str, target_field: str, ids: list[int]):
    """How many of `ids` a row shares through the many-to-many table `through`."""
    if not ids:
        return Value(0)
    matches = (
        through.objects.filter(**{owner_field: OuterRef("pk"), f"{target_field}__in": ids})
        .order_by()
        .values(owner_field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(matches, output_field=IntegerField()), 0)


def _score(queryset, *, sector_id, sdg_ids, cooperation_ids, country_q, rank, through_sdgs, through_cooperation):
    """Annotate the shared traits and the score; keep rows that share a sector, a goal or words."""
    model_name = queryset.model._meta.model_name
    queryset = queryset.annotate(
        same_sector=Case(When(sector_id=sector_id, then=1), default=0, output_field=IntegerField()),
        shared_sdgs=_shared_count(through_sdgs, model_name, "sustainabledevelopmentgoal", sdg_ids),
        shared_cooperation=_shared_count(through_cooperation, model_name, "cooperationtype", cooperation_ids),
        same_country=Case(When(country_q, then=1), default=0, output_field=IntegerField()),
        # A row saved without a search vector (e.g. by an import) ranks 0, not NULL.
        text_rank=Coalesce(rank[1], Value(0.0)) if rank else Value(0.0, output_field=FloatField()),
    )
    relevant = Q(same_sector=1) | Q(shared_sdgs__gt=0)
    if rank:
        relevant |= Q(search_vector=rank[0])
    return queryset.filter(relevant).annotate(
        score=(
            F("same_sector") * SECTOR_POINTS
            + Least(F("shared_sdgs"), MAX_SHARED_SDGS) * SDG_POINTS
            + F("same_country") * COUNTRY_POINTS
            + Case(When(shared_cooperation__gt=0, then=COOPERATION_POINTS), default=0.0)
            + Least(F("text_rank") * TEXT_POINTS, MAX_TEXT_POINTS)
        )
    )


def _in_tiers(candidates, scoring: dict, *, order: tuple, limit: int) -> list:
    """The best `limit` rows: those of the same sector first, then, if there are not
    enough, those of other sectors that share a goal or words.

    Same-sector rows come first because an industry's own technologies answer its needs
    best; scoring them alone keeps the work bounded by one sector's size (about 4 000
    of 100 000 listings) instead of the whole catalogue.
    """
    same_sector = list(_score(candidates.filter(sector_id=scoring["sector_id"]), **scoring).order_by(*order)[:limit])
    if len(same_sector) == limit:
        return same_sector
    others = candidates.exclude(sector_id=scoring["sector_id"]) if scoring["sector_id"] else candidates
    return same_sector + list(_score(others, **scoring).order_by(*order)[: limit - len(same_sector)])


def _reasons(row, *, sector, sdgs, cooperation, country_name, trl_text) -> list[str]:
    reasons = []
    if row.same_sector:
        reasons.append(_("Same sector: %(sector)s") % {"sector": sector})
    shared_sdgs = [goal for goal in row.sdgs.all() if goal.pk in sdgs]
    if shared_sdgs:
        reasons.append(
            _("Shares the goals: %(goals)s")
            % {"goals": ", ".join(_("SDG %(number)s") % {"number": goal.number} for goal in shared_sdgs)}
        )
    if row.same_country:
        reasons.append(country_name)
    reasons.append(trl_text)
    shared_cooperation = [kind.name for kind in row.cooperation.all() if kind.pk in cooperation]
    if shared_cooperation:
        reasons.append(_("Cooperation both sides want: %(kinds)s") % {"kinds": ", ".join(shared_cooperation)})
    if row.text_rank >= TEXT_REASON_RANK:
        reasons.append(_("Similar words in the descriptions"))
    return reasons


def technologies_for_need(*, need: Need, limit: int = SUGGESTION_COUNT) -> list[Suggestion]:
    """The published technologies that could meet `need`, best first, each with its reasons."""
    sdg_ids = [goal.pk for goal in need.sdgs.all()]
    cooperation_ids = [kind.pk for kind in need.cooperation.all()]
    country = str(need.country)
    candidates = (
        Technology.objects.published()
        .filter(trl__gte=need.trl_min)
        .exclude(owner_id=need.owner_id)
        .defer("description", "description_i18n", "advantages", "search_vector", "search_words")
        .select_related("sector", "organisation")
        .prefetch_related("sdgs", "cooperation")
    )
    scoring = {
        "sector_id": need.sector_id,
        "sdg_ids": sdg_ids,
        "cooperation_ids": cooperation_ids,
        "country_q": Q(country_developed=country) | Q(countries_deployed__contains=country),
        "rank": _text_rank(_words(need.title, need.problem)),  # parsed once for every tier
        "through_sdgs": Technology.sdgs.through,
        "through_cooperation": Technology.cooperation.through,
    }
    rows = _in_tiers(candidates, scoring, order=("-score", "-trl", "-published_at", "pk"), limit=limit)
    country_name = _("Developed or deployed in %(country)s") % {"country": dict(countries).get(country, country)}
    return [
        Suggestion(
            item=row,
            score=round(row.score, 2),
            reasons=_reasons(
                row,
                sector=row.sector,
                sdgs=set(sdg_ids),
                cooperation=set(cooperation_ids),
                country_name=country_name,
                trl_text=_("Ready enough: TRL %(trl)s, at least %(minimum)s asked")
                % {"trl": row.trl, "minimum": need.trl_min},
            ),
        )
        for row in rows
    ]


def needs_for_technology(*, technology: Technology, limit: int = SUGGESTION_COUNT) -> list[Suggestion]:
    """The published needs `technology` could meet, best first, each with its reasons."""
    if technology.trl is None:
        return []
    sdg_ids = [goal.pk for goal in technology.sdgs.all()]
    cooperation_ids = [kind.pk for kind in technology.cooperation.all()]
    codes = {str(technology.country_developed), *(str(code) for code in technology.countries_deployed)} - {""}
    candidates = (
        Need.objects.published()
        .filter(trl_min__lte=technology.trl)
        .exclude(owner_id=technology.owner_id)
        .defer("problem", "problem_i18n", "search_vector", "search_words")
        .select_related("sector", "organisation")
        .prefetch_related("sdgs", "cooperation")
    )
    scoring = {
        "sector_id": technology.sector_id,
        "sdg_ids": sdg_ids,
        "cooperation_ids": cooperation_ids,
        "country_q": Q(country__in=codes) if codes else Q(pk__in=[]),
        "rank": _text_rank(_words(technology.title, technology.summary)),  # parsed once for every tier
        "through_sdgs": Need.sdgs.through,
        "through_cooperation": Need.cooperation.through,
    }
    rows = _in_tiers(candidates, scoring, order=("-score", "-published_at", "pk"), limit=limit)
    return [
        Suggestion(
            item=row,
            score=round(row.score, 2),
            reasons=_reasons(
                row,
                sector=row.sector,
                sdgs=set(sdg_ids),
                cooperation=set(cooperation_ids),
                country_name=_("To be used where it is already developed or deployed: %(country)s")
                % {"country": row.country.name},
                trl_text=_("Asks for TRL %(minimum)s or more; this one is at %(trl)s")
                % {"trl": technology.trl, "minimum": row.trl_min},
            ),
        )
        for row in rows
    ]
