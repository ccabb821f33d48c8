"""A paginator for queues that can grow without bound."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class CappedPaginator(Paginator[Any]):
    """Counts at most `cap` rows: past that the count says "more than `cap`" and the pages stop
    there (filters narrow a longer list). Counting a queue of a hundred thousand rows costs more
    than the rest of its page; counting to a thousand costs nothing.

    The count reads primary keys only, without the list's ordering or annotations."""

    CAP = 1000

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, cap: int | None = None, **kwargs: Any) -> None:
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
        queryset: QuerySet[Any] = self.object_list  # type: ignore[assignment]  # always a QuerySet here
        return queryset.order_by().values("pk")[: self.cap + 1].count()
