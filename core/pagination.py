"""A paginator for queues that can grow without bound."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: past that the count says "more than `cap`" and the pages stop
    there (filters narrow a longer list). Counting a queue of a hundred thousand rows costs more
    than the rest of its page; counting to a thousand costs nothing.

    The count reads primary keys only, without the list's ordering or annotations."""

    CAP = 1000

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or self.CAP

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @cached_property
    def capped(self) -> bool:
        return self._counted > self.cap

    @cached_property
    def _counted(self) -> int:
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()
