"""What search costs besides a request: the size of its index and the time of a save.

Measured in-process by `manage.py bench`, on the benchmark's database, and written into
docs/BENCHMARKS.md ("Search index")."""

import math
import time

from django.db import connection

from technologies.models import Technology
from technologies.services import technologies_update_search_vector

TABLE = "technologies_technology"


def search_index_size() -> dict:
    """The indexes of the listings' table whose definition names `search_vector` (found
    by definition, not by name, which may change), with their size; the listings in the
    table and the average stored size of their search vector."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indexname, indexdef, pg_relation_size(format('%%I.%%I', schemaname, indexname)::regclass)
            FROM pg_indexes
            WHERE tablename = %s AND indexdef LIKE %s
            ORDER BY indexname
            """,
            [TABLE, "%search_vector%"],
        )
        indexes = [{"name": name, "definition": definition, "bytes": size} for name, definition, size in cursor]
        cursor.execute(f"SELECT count(*), avg(pg_column_size(search_vector)) FROM {TABLE}")  # noqa: S608 (a constant)
        listings, vector_bytes = cursor.fetchone()
    return {"indexes": indexes, "listings": listings, "vector_bytes_avg": float(vector_bytes or 0)}


def save_cost(count: int = 200) -> dict:
    """The time of refreshing one listing's search vector, as every save of a listing
    does, for `count` listings spread over the table (each its own statement, committed,
    as a save is): the mean and the 95th percentile, in milliseconds."""
    ids = list(Technology.objects.order_by("pk").values_list("pk", flat=True))
    if not ids or count < 1:
        return {"count": 0, "mean_ms": 0.0, "p95_ms": 0.0}
    step = max(1, len(ids) // count)
    chosen = ids[::step][:count]
    technologies_update_search_vector(queryset=Technology.objects.filter(pk=chosen[0]))  # warm up
    timings = []
    for pk in chosen:
        started = time.perf_counter()
        technologies_update_search_vector(queryset=Technology.objects.filter(pk=pk))
        timings.append((time.perf_counter() - started) * 1000)
    return {"count": len(timings), "mean_ms": sum(timings) / len(timings), "p95_ms": percentile(timings, 95)}


def percentile(values: list[float], percent: float) -> float:
    """The nearest-rank percentile: the smallest value with `percent` % of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]
