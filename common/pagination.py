"""Pagination that costs the same with 100 rows or 100 000."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    """Counts at most `limit` + 1 rows and offers at most `limit` results.

    `COUNT(*)` of every match, and `OFFSET` deep into them, grow with the data; a person
    does not page through thousands of listings but narrows the search. So the count
    stops at `limit` + 1 (`more` says whether there are more than `limit`), the last page
    is the one that holds result `limit`, and a later page number shows that last page
    (as `get_page` does with any page out of range).
    """

    def __init__(self, object_list, per_page, *, limit: int, counted: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit
        # The rows of `object_list` up to `limit` + 1, when the caller has them already.
        self.counted = counted

    @cached_property
    def _capped_count(self) -> int:
        if self.counted is not None:
            return min(self.counted, self.limit + 1)
        # Only the key, so that nothing else (a search's rank) is computed for the count.
        return self.object_list.order_by().values("pk")[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, self.limit)

    @property
    def more(self) -> bool:
        """More than `limit` rows match; only the first `limit` are offered."""
        return self._capped_count > self.limit


class RankedRows:
    """Rows ranked beforehand, as a list of their keys, for `BoundedPaginator`: a page is
    one query for its own keys (the queryset's joins and prefetches for those rows only),
    in the order of the keys. Ranking a search this way reads each candidate's key, rank
    and date once, where ordering the full rows would read all of them to list twenty."""

    def __init__(self, queryset, keys: list):
        self.queryset = queryset
        self.keys = keys

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        keys = self.keys[index]
        rows = {row.pk: row for row in self.queryset.filter(pk__in=keys)} if keys else {}
        return [rows[key] for key in keys if key in rows]

    def __iter__(self):
        return iter(self[:])
