"""Values read once per request: the active policy, for instance, is wanted by the middleware,
the view and the templates of the same request, and need not be queried for each.

The cache lives in a context variable that `RequestCacheMiddleware` sets for the length of one
request; outside a request (Celery tasks, the shell, management commands) nothing is cached and
every call computes afresh. A write of a cached value calls `forget` so the rest of the request
sees the change.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_store: ContextVar[dict | None] = ContextVar("varn_request_cache", default=None)


def memoized(key: str, compute: Callable[[], T]) -> T:
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def forget(key: str) -> None:
    store = _store.get()
    if store is not None:
        store.pop(key, None)


class RequestCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _store.set({})
        try:
            return self.get_response(request)
        finally:
            _store.reset(token)
