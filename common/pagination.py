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

    def __init__(self, object_list, per_page, *, limit: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit

    @cached_property
    def _capped_count(self) -> int:
        # Only the key, so that nothing else (a search's rank) is computed for the count.
        return self.object_list.order_by().values("pk")[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, self.limit)

    @property
    def more(self) -> bool:
        """More than `limit` rows match; only the first `limit` are offered."""
        return self._capped_count > self.limit
