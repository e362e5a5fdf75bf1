"""Search in the six languages of the portal, the same behind every search box.

PostgreSQL (production, CI):
- Each text is analysed in its own language: an original by its `original_language`, a
  translation by the language it is in. The text search configurations `wiits_<language>`
  (common/migrations/0001) fold accents (unaccent) and then stem with PostgreSQL's
  Snowball stemmer for English, French, Spanish, Russian and Arabic; `wiits_simple` folds
  accents and does not stem (names, Chinese).
- Chinese has no spaces between words. Every run of Han characters is cut into overlapping
  pairs (CJK bigrams, as the `cjk` analysers of Lucene, Elasticsearch and OpenSearch do):
  干燥机 is indexed as 干燥 燥机, and a query is matched as the phrase of its pairs, so a
  word found inside a longer compound (隧道式干燥机 for 干燥机 or 隧道式干燥) is found,
  in any script mix ("PM2.5 传感器"). Why pairs rather than a dictionary segmenter
  (jieba, rjieba): docs/SEARCH.md, measured.
- A query is analysed in every language at once (its language is not known: 'energia'
  may be Spanish or Italian): it matches a listing when all its words match, in one
  language's analysis, somewhere in the listing's texts. When no listing has all the
  words, listings with some of them are listed; when none has any, near matches by
  trigram similarity over the folded titles and summaries of every language (typos).
- Relevance: title (A) above summary (B) above description (C) above organisation and
  sector (D), by `ts_rank`; the caller breaks ties by the newest.
- The newest matches (a list ranks its newest 1 000): where the RUM extension is installed,
  the listings' search index (technologies/migrations/0014) holds each row's publication
  date beside its words and returns the matches newest first, reading only the rows it
  returns (`newest_first`); without it, PostgreSQL finds them by date and checks each row.

SQLite (the quick start): a case-insensitive contains-match on the given fields; no
stemming, no accent folding, no typo tolerance (README, "Search").
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection, connections
from django.db.models import F, FloatField, Func, Q, QuerySet, Value

# The language of a text -> the text search configuration that analyses it.
CONFIGURATIONS = {
    "ar": "wiits_arabic",
    "zh-hans": "wiits_simple",
    "en": "wiits_english",
    "fr": "wiits_french",
    "ru": "wiits_russian",
    "es": "wiits_spanish",
}
SIMPLE = "wiits_simple"
# The least trigram word similarity of a near match (a typo).
NEAR_THRESHOLD = 0.5
# A query is analysed by each of these (the simple one keeps words no stemmer knows).
QUERY_CONFIGURATIONS = ("wiits_english", "wiits_french", "wiits_spanish", "wiits_russian", "wiits_arabic", SIMPLE)

# Han characters (CJK Unified Ideographs, Extension A, Compatibility Ideographs).
_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{_HAN_CLASS}]+")
# Letters and digits of any other script, with inner dots and apostrophes (PM2.5, l'eau).
_LETTERS = rf"[^\W_{_HAN_CLASS}]+"
_OTHER_WORD = re.compile(rf"{_LETTERS}(?:[.'\u2019]{_LETTERS})*")
# A query's word: a Han run or another word.
_QUERY_WORD = re.compile(f"{_HAN.pattern}|{_OTHER_WORD.pattern}")


def configuration(language: str | None) -> str:
    return CONFIGURATIONS.get(language or "", SIMPLE)


def is_han(word: str) -> bool:
    return bool(_HAN.fullmatch(word))


def han_pairs(run: str) -> list[str]:
    """The overlapping pairs of a run of Han characters (a single one stays itself)."""
    if len(run) < 2:
        return [run]
    return [run[index : index + 2] for index in range(len(run) - 1)]


def index_text(text: str) -> str:
    """A text as PostgreSQL's parser should see it: each run of Han characters as its pairs."""
    return _HAN.sub(lambda match: " " + " ".join(han_pairs(match.group())) + " ", text)


def query_text(query: str) -> str:
    """A `websearch` query with each run of Han characters as the phrase of its pairs
    (already inside quotes, the pairs alone: the quotes make the phrase)."""
    pieces = query.split('"')
    for index, piece in enumerate(pieces):
        quoted = index % 2 == 1

        def pairs(match, quoted=quoted):
            joined = " ".join(han_pairs(match.group()))
            return f" {joined} " if quoted else f' "{joined}" '

        pieces[index] = _HAN.sub(pairs, piece)
    return '"'.join(pieces)


def fold(text: str) -> str:
    """Lower case without accents or vowel marks (Latin, Cyrillic ё, Arabic harakat): the
    form typo tolerance compares, in Python as in the stored `search_words`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def words_of(query: str) -> list[str]:
    """The words of a query without `websearch` syntax: each Latin, Cyrillic or Arabic word,
    each Han character run (for the any-word fallback and for highlighting)."""
    words = []
    for chunk in re.split(r"\s+", query):
        chunk = chunk.strip('"').lstrip("-")
        if chunk.lower() == "or" or not chunk:
            continue
        for match in _QUERY_WORD.finditer(chunk):
            words.append(match.group())
    return words


# --- Index --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One text of a row to index: what it says, the language it is in, its weight."""

    text: str
    language: str | None
    weight: str  # A (title), B (summary), C (long texts), D (names)


def _document_sql(texts: Iterable[Text]) -> tuple[str, list]:
    parts, params = [], []
    for item in texts:
        if item.text and item.text.strip():
            parts.append("setweight(to_tsvector(%s::regconfig, %s), %s)")
            params += [configuration(item.language), index_text(item.text), item.weight]
    return (" || ".join(parts) if parts else "''::tsvector"), params


def refresh(model, rows: Iterable[tuple[int, list[Text], str]]) -> int:
    """Store the search vector and the folded words of each (pk, texts, words) row of
    `model`'s table in one UPDATE (PostgreSQL only). Returns the rows written."""
    values, params = [], []
    for pk, texts, words in rows:
        sql, document_params = _document_sql(texts)
        values.append(f"(%s::bigint, {sql}, %s)")
        params += [pk, *document_params, fold(words)]
    if not values:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS row SET search_vector = new.document, search_words = new.words "  # noqa: S608
            f"FROM (VALUES {', '.join(values)}) AS new (id, document, words) WHERE row.id = new.id",
            params,
        )
        return cursor.rowcount


# --- Query --------------------------------------------------------------------------------


class ParsedQuery(SearchQuery):
    """A tsquery already parsed (`readings`): compared as it is, never parsed again."""

    def __init__(self, tsquery: str):
        super().__init__(tsquery)
        self.tsquery = tsquery

    def as_sql(self, compiler, connection, function=None, template=None):
        return "%s::tsquery", [self.tsquery]


# A lexeme in a tsquery's text form ('granj' & 'lecher' & '传感' <-> '感器'; '' is a quote).
_LEXEME = re.compile(r"'((?:[^']|'')+)'")


def _with_prefixes(tsquery: str) -> str:
    """Each lexeme of three characters or more also matches as the beginning of a word:
    биогаз finds биогазовый, sol finds solar (partial words)."""
    return _LEXEME.sub(
        lambda match: match.group(0) + (":*" if len(match.group(1).replace("''", "'")) >= 3 else ""), tsquery
    )


def _readings(texts: list[str], function: str) -> ParsedQuery | None:
    """`texts` read by each language's configuration (`function`: websearch_to_tsquery or
    plainto_tsquery), as one query: the distinct readings, any of which may match. Parsed
    in one round trip and combined here, so that the planner sees each term once and
    estimates how many rows match (six copies of a term would make it look six times
    as common, and choose a plan for a common word). None: nothing left to look for."""
    selects, params, configs = [], [], []
    for text in texts:
        for config in QUERY_CONFIGURATIONS:
            selects.append(f"{function}(%s::regconfig, %s)::text")
            params += [config, text]
            configs.append(config)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        # Prefixes on the words as typed (the simple reading), not on stems: воды finds
        # водный, not водород through its stem вод.
        readings = dict.fromkeys(
            _with_prefixes(reading) if config == SIMPLE else reading
            for config, reading in zip(configs, cursor.fetchone(), strict=True)
            if reading
        )
    if not readings:
        return None
    return ParsedQuery(" | ".join(f"( {reading} )" for reading in readings))


def _all_words_query(query: str):
    """All the words, in any one language's analysis (websearch syntax: "phrase", -word, or)."""
    return _readings([query_text(query)], "websearch_to_tsquery")


def any_word_query(words: list[str]):
    """Some of the words: each word (each pair of a Han run) on its own, in every analysis."""
    alternatives = []
    for word in words:
        alternatives += han_pairs(word) if is_han(word) else [word]
    return _readings(list(dict.fromkeys(alternatives)), "plainto_tsquery")


def _ranked(queryset: QuerySet, search_query: ParsedQuery | None, match: str) -> QuerySet | None:
    """The rows `search_query` matches, ranked and marked with how they matched; None if none."""
    if search_query is None:
        return None
    matches = queryset.filter(search_vector=search_query)
    if not matches.exists():
        return None
    return matches.annotate(relevance=SearchRank(F("search_vector"), search_query), match=Value(match))


def ranked_search(queryset: QuerySet, query: str, *, text_fields: list[str]) -> QuerySet:
    """`queryset` filtered by the words of `query`, annotated with `relevance` and with
    `match` ('all', 'some' or 'near': how the words matched, for the page to say so)."""
    query = query.strip()
    if not query:
        return queryset
    if connection.vendor != "postgresql":
        matches = Q()
        for name in text_fields:
            matches |= Q(**{f"{name}__icontains": query})
        return queryset.filter(matches).annotate(relevance=Value(0.0), match=Value("all"))

    found = _ranked(queryset, _all_words_query(query), "all")
    words = words_of(query)
    if found is None and (len(words) > 1 or (words and is_han(words[0]) and len(words[0]) > 2)):
        found = _ranked(queryset, any_word_query(words), "some")
    if found is not None:
        return found
    # No word matched as written: perhaps misspelled. `%>` (trigram word similarity) uses
    # the gin_trgm_ops index of search_words; the similarity ranks.
    folded = fold(query)
    with connection.cursor() as cursor:  # 0.6 by default: sumerjible (sumergible) scores 0.57
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(NEAR_THRESHOLD)])
    return queryset.filter(search_words__trigram_word_similar=folded).annotate(
        relevance=TrigramWordSimilarity(folded, "search_words"), match=Value("near")
    )


# --- The newest matches -------------------------------------------------------------------

# A date after every publication: RUM orders by the distance to it, the newest first.
_FUTURE = "2200-01-01T00:00:00Z"
# (database name, table) -> whether a RUM index holds the table's search vector.
_rum_tables: dict[tuple[str, str], bool] = {}


def has_rum_index(model) -> bool:
    """Whether `model`'s search vector has a RUM index with the publication date attached
    (technologies/migrations/0014: only where the extension is installed). Asked once per
    database and process."""
    if connection.vendor != "postgresql":
        return False
    key = (connection.settings_dict["NAME"], model._meta.db_table)
    if key not in _rum_tables:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s)",
                [model._meta.db_table, "%USING rum (search_vector%"],
            )
            _rum_tables[key] = cursor.fetchone()[0]
    return _rum_tables[key]


class DistanceToFuture(Func):
    """`date <=> '2200-01-01'`: RUM's distance operator, the order its index returns."""

    template = "%(expressions)s <=> %%s::timestamptz"
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, (*params, _FUTURE)


def newest_first(queryset: QuerySet, date_field: str = "published_at") -> QuerySet:
    """`queryset` newest first. For the rows of a word search (`ranked_search` with words
    matched by the full-text index) on a table with a RUM index, in the index's order: the
    matches come newest first from the index, whatever their number. Otherwise by date
    (PostgreSQL walks the date index and checks each row's vector, or sorts the matches)."""
    if isinstance(queryset.query.annotations.get("relevance"), SearchRank) and has_rum_index(queryset.model):
        return queryset.order_by(DistanceToFuture(date_field).asc())
    return queryset.order_by(f"-{date_field}", "-pk")


def newest_matches(queryset: QuerySet, limit: int, date_field: str = "published_at") -> list[tuple]:
    """(key, relevance, date) of the newest `limit` rows of a word search (`ranked_search`),
    newest first. On PostgreSQL read straight from the cursor: a list ranks a thousand of
    them on every new search, and the queryset's row-by-row machinery (modeltranslation's
    wrapper, a converter per value) cost about a millisecond of processor time a search
    (profile_pages). PostgreSQL gives keys, ranks and dates as Python wants them; SQLite
    needs Django's converters for its dates."""
    rows = newest_first(queryset, date_field).values_list("pk", "relevance", date_field)[:limit]
    database = connections[rows.db]
    if database.vendor != "postgresql":
        return list(rows)
    sql, params = rows.query.sql_with_params()
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        # Django names each column of a values_list with annotations after its field.
        names = [column.name for column in cursor.description]
        key, relevance, date = (names.index(name) for name in ("pk", "relevance", date_field))
        return [(row[key], row[relevance], row[date]) for row in cursor.fetchall()]


# --- Highlighting -------------------------------------------------------------------------


def _strip_article(word: str) -> str:
    for prefix in ("وال", "بال", "فال", "كال", "لل", "ال"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def _common_prefix(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


@lru_cache(maxsize=8192)
def _word_matches(word: str, terms: tuple[str, ...]) -> bool:
    """Kept per process: a page highlights the same few words in forty texts."""
    folded = _strip_article(fold(word))
    for term in terms:
        if folded.startswith(term) or (_common_prefix(folded, term) >= max(4, min(len(folded), len(term)) - 2)):
            return True
    return False


@lru_cache(maxsize=256)
def _highlight_terms(query: str) -> tuple[tuple[str, ...], tuple[re.Pattern, ...]]:
    """The query's words as highlighting reads them: folded stems of the words of other
    scripts, and the runs and pairs of Han characters (longest first), as patterns."""
    words = words_of(query)
    terms = tuple(_strip_article(fold(word)) for word in words if not is_han(word) and len(word) > 1)
    han = sorted(
        {pair for word in words if is_han(word) for pair in (word, *han_pairs(word)) if len(pair) > 1},
        key=len,
        reverse=True,
    )
    return terms, tuple(re.compile(re.escape(run)) for run in han)


def highlight_spans(text: str, query: str) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_match) for the words of `query`: a word matches by its
    stem-like common beginning (granjas for granja, биогазовый for биогаз, المجفف for
    مجففات), Han characters by the query's runs or pairs found in the text."""
    terms, han = _highlight_terms(query)
    found = []
    for match in _OTHER_WORD.finditer(text) if terms else ():
        if _word_matches(match.group(), terms):
            found.append(match.span())
    for pattern in han:
        found.extend(match.span() for match in pattern.finditer(text))
    if not found:
        return [(text, False)] if text else []
    merged: list[list[int]] = []
    for begin, finish in sorted(found):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], finish)
        else:
            merged.append([begin, finish])
    spans: list[tuple[str, bool]] = []
    position = 0
    for begin, finish in merged:
        if begin > position:
            spans.append((text[position:begin], False))
        spans.append((text[begin:finish], True))
        position = finish
    if position < len(text):
        spans.append((text[position:], False))
    return spans


class SiteSearchAdminMixin:
    """The admin's search box with the site's search added on PostgreSQL: staff find a
    listing by any word of any of its languages (its Chinese title, a Russian
    inflection, a word without its accents), as well as by the admin's own fields."""

    site_search = None  # staticmethod((queryset, query) -> queryset)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip() and connection.vendor == "postgresql" and self.site_search:
            found = self.site_search(queryset, search_term).values("pk")
            results = results | queryset.filter(pk__in=found)
        return results, may_have_duplicates
