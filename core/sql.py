"""Small SQL building blocks shared by the apps' selectors, for PostgreSQL and SQLite alike."""

from typing import Any

from django.db.models import Aggregate, CharField, IntegerField, OuterRef, QuerySet, Subquery


class GroupConcat(Aggregate):
    """The values of a group joined by commas in one string: `GROUP_CONCAT` on SQLite,
    `STRING_AGG` on PostgreSQL. For short codes that hold no comma (kinds, role names)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s)"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="STRING_AGG",
                           template="%(function)s((%(expressions)s)::text, ',')", **extra_context)


def joined_codes(queryset: QuerySet[Any], link: str, field: str) -> Subquery:
    """A subquery giving, for each outer row, the `field` values of `queryset` rows whose `link`
    points at it, joined by commas (or NULL when there are none): one column instead of a second
    query for a short list such as a report's kinds."""
    return Subquery(queryset.filter(**{link: OuterRef("pk")}).order_by().values(link)
                    .annotate(joined=GroupConcat(field)).values("joined")[:1], output_field=CharField())


def split_codes(value: str | None) -> list[str]:
    return sorted(value.split(",")) if value else []


class SubqueryCount(Subquery):
    """The number of rows a correlated subquery gives, as one column of the outer query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()
