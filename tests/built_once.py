"""Rows built once for the tests of a module, instead of once per test.

    @built_once
    def _world_rows():                 # may take module- or session-scoped fixtures as arguments
        return build_the_world()       # through the services, as a test would

    @pytest.fixture
    def world(_world_rows):            # what the tests ask for
        return copy.deepcopy(_world_rows)

`_world_rows` becomes a module-scoped fixture: the rows are made the first time a test of the
module asks for them, inside one transaction that stays open until the module's last test and is
then rolled back. Each test runs in a savepoint of it (pytest-django's `db`: Django's TestCase
atomics nest), so what a test changes is rolled back before the next one. This is plain
transactions on the one test database of each pytest-xdist worker, so it works alike on SQLite and
PostgreSQL. One built-once fixture may take another (the inner one is a savepoint of the outer).

Only tests that ask for the rows may see them: tests/conftest.py runs, within each module, the
tests that use no built-once fixture first, then those using more and more of them, and fails a
test that would run while rows it did not ask for are in the database (a transactional test, or a
test run in another order by some plugin).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation

FIXTURES: set[str] = set()  # the names of every built-once fixture
OPEN: list[str] = []  # the built-once fixtures whose rows are in the database now


def built_once(build: Callable[..., Any]) -> Any:
    """Make `build` a module-scoped fixture of that name whose rows are made once (see above)."""
    name = build.__name__
    FIXTURES.add(name)
    wanted = inspect.signature(build).parameters

    def fixture(django_db_setup: None, django_db_blocker: Any, **values: Any) -> Iterator[Any]:
        with django_db_blocker.unblock(), transaction.atomic():
            OPEN.append(name)
            try:
                with translation.override(settings.LANGUAGE_CODE):  # as every test starts
                    made = build(**values)
                yield made
            finally:
                OPEN.remove(name)
                transaction.set_rollback(True)

    # pytest reads the arguments from the signature: the database's, then those of `build` (so that
    # a test's fixture closure names every built-once fixture it depends on).
    own = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in ("django_db_setup", "django_db_blocker")]
    fixture.__signature__ = inspect.Signature([*own, *(p.replace(kind=p.KEYWORD_ONLY) for p in wanted.values())])
    fixture.__name__ = fixture.__qualname__ = name
    fixture.__doc__ = build.__doc__
    return pytest.fixture(scope="module", name=name)(fixture)


def used_by(item: pytest.Item) -> list[str]:
    return sorted(FIXTURES.intersection(getattr(item, "fixturenames", ())))


def in_build_order(items: list[pytest.Item]) -> list[pytest.Item]:
    """The items with, within each module, those that use fewer built-once fixtures first (a
    stable sort: otherwise in the order they were collected)."""
    ordered: list[pytest.Item] = []
    run: list[pytest.Item] = []
    for item in [*items, None]:
        if run and (item is None or item.getparent(pytest.Module) is not run[0].getparent(pytest.Module)):
            ordered += sorted(run, key=lambda i: (len(used_by(i)), used_by(i)))
            run = []
        if item is not None:
            run.append(item)
    return ordered


def refuse_foreign_rows(request: pytest.FixtureRequest) -> None:
    """Fail a test that would see built-once rows it did not ask for."""
    foreign = [name for name in OPEN if name not in request.fixturenames]
    if foreign:
        pytest.fail(f"{request.node.nodeid} would run with the rows of {foreign} in the database, which it did not "
                    "ask for: run it before the tests that use them (see tests/built_once.py)")
