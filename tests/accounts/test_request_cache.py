"""The active policy is read once per request (accounts.request_cache), and a change within the
request is seen at once; outside a request nothing is cached."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Policy
from accounts.request_cache import RequestCacheMiddleware, forget, memoized
from accounts.services import policy_load


def _policy_queries(queries) -> int:
    return sum('"accounts_policy"' in q["sql"] and q["sql"].startswith("SELECT") for q in queries)


def test_a_page_reads_the_policy_once(client_for, handler):
    client = client_for(handler)
    client.get(reverse("accounts:home"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("incidents:report-create")).status_code == 200
    assert _policy_queries(queries.captured_queries) == 1


def test_outside_a_request_every_call_reads_the_database(db):
    policy_load(actor=None, profile="sigtuna")
    with CaptureQueriesContext(connection) as queries:
        Policy.current()
        Policy.current()
    assert _policy_queries(queries.captured_queries) == 2


def test_within_a_request_a_saved_change_is_seen(db):
    policy_load(actor=None, profile="sigtuna")
    seen = []

    def view(request):
        policy = Policy.current()
        seen.append(policy.idle_timeout_minutes)
        policy.idle_timeout_minutes = 7
        policy.save()
        seen.append(Policy.current().idle_timeout_minutes)
        return None

    RequestCacheMiddleware(view)(object())
    assert seen[1] == 7


def test_forget_and_memoized_within_a_request():
    calls = []

    def view(request):
        memoized("x", lambda: calls.append(1))
        memoized("x", lambda: calls.append(1))
        forget("x")
        memoized("x", lambda: calls.append(1))

    RequestCacheMiddleware(view)(object())
    assert len(calls) == 2
