"""The KL 4:18a compliance page costs the same number of queries whatever the number of covered
officials (issue 10): one page of officials at a time, the figures above it counted in SQL."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from training.models import Completion, SecurityConversation
from training.views.manage import COMPLIANCE_PAGE_SIZE

pytestmark = pytest.mark.django_db

URL = reverse("training:compliance-view")


@pytest.fixture
def offers(make_offer, web_course):
    return [make_offer(), make_offer(the_course=web_course, title="Web course")]


def _covered(make_official, offers, n: int, start: int = 0):
    """`n` covered officials: every third has done both offers, every other one an offer, and
    each has a held and an open security conversation."""
    today = timezone.localdate()
    made = []
    for i in range(start, start + n):
        official = make_official(covered=True, first_name=f"F{i:03}", last_name=f"L{i:03}")
        for offer in offers[: 2 if i % 3 == 0 else i % 2]:
            Completion.objects.create(official=official, offer=offer, completed_on=today, source="recorded")
        SecurityConversation.objects.create(official=official, reason="requested", term=2026, status="held",
                                            due_by=today, held_on=today - dt.timedelta(days=i))
        SecurityConversation.objects.create(official=official, reason="requested", term=2026, status="due",
                                            due_by=today + dt.timedelta(days=i + 1))
        made.append(official)
    return made


def test_compliance_query_count_does_not_grow_with_the_officials(client_for, handler, make_official, offers,
                                                                 django_assert_num_queries):
    client = client_for(handler)
    _covered(make_official, offers, 3)
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(URL).context["rows"]) == 3
    assert len(small.captured_queries) <= 10
    _covered(make_official, offers, COMPLIANCE_PAGE_SIZE + 20, start=3)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert len(response.context["rows"]) == COMPLIANCE_PAGE_SIZE


def test_compliance_counts_every_covered_official_and_pages_the_rest(client_for, handler, make_official, offers):
    made = _covered(make_official, offers, COMPLIANCE_PAGE_SIZE + 5)
    make_official(first_name="Fritids", last_name="Politiker")  # not covered
    client = client_for(handler)
    first = client.get(URL)
    assert first.context["covered"] == COMPLIANCE_PAGE_SIZE + 5
    assert first.context["complete"] == sum(1 for i in range(len(made)) if i % 3 == 0)
    second = client.get(URL, {"page": 2})
    shown = [r.official.pk for r in first.context["rows"]] + [r.official.pk for r in second.context["rows"]]
    assert shown == [o.pk for o in made]  # A–Ö across the pages, each official once
    row = second.context["rows"][-1]
    i = len(made) - 1
    assert set(row.done) == {o.pk for o in offers[: 2 if i % 3 == 0 else i % 2]}
    assert row.last_conversation == timezone.localdate() - dt.timedelta(days=i)
    assert row.next_conversation_due == timezone.localdate() + dt.timedelta(days=i + 1)


def test_compliance_with_no_required_offer_counts_everyone_complete(client_for, handler, make_official):
    _covered(make_official, [], 2)
    response = client_for(handler).get(URL)
    assert (response.context["covered"], response.context["complete"]) == (2, 2)
    assert all(not r.missing for r in response.context["rows"])
