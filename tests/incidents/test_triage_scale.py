"""The triage queue at scale: a fixed number of queries whatever the queue holds, a report's kinds
read with it, and the campaign hint as one number computed in SQL (kind and value must match,
the report itself and duplicates not counted)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents import selectors
from incidents.models import Kind, Report

from .conftest import file_report

TRIAGE = reverse("incidents:triage")


def _perp(**identifiers):
    return {"known": False, "name": "", "alias": "", "handle": "", "phone": "", "email": "", **identifiers}


def test_the_queue_costs_the_same_queries_for_3_and_30_reports(client_for, handler, official, other_official,
                                                               django_assert_num_queries):
    client = client_for(handler)
    for i in range(3):
        file_report(official, kinds=[Kind.THREAT, Kind.HATE], perpetrators=[_perp(phone=f"070-000 00 0{i}")])
    client.get(TRIAGE)
    # Session, user with roles, policy, count, handlers, escalations, page, officials (the OTP device,
    # with REQUIRE_2FA on in production, makes it 9).
    with django_assert_num_queries(8) as small:
        assert client.get(TRIAGE).status_code == 200
    for i in range(27):
        file_report(other_official if i % 2 else official, perpetrators=[_perp(phone="070-000 00 01")])
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(TRIAGE).content.decode()
    assert html.count('class="badge warn"') == 28  # every report sharing the phone number


def test_kinds_come_with_the_report_not_from_a_second_query(handler, official):
    file_report(official, kinds=[Kind.THREAT, Kind.HATE, Kind.STALKING])
    assert handler.roles  # read before, as the request's user would have them
    with CaptureQueriesContext(connection) as queries:
        report = selectors.triage_queue(handler).get()
        values = report.kind_values
    assert sorted(values) == ["hate", "stalking", "threat"]
    assert len(queries.captured_queries) == 2  # the report (kinds and campaign size included) + its officials


def test_campaign_size_counts_other_reports_sharing_kind_and_value(handler, official, other_official):
    first = file_report(official, perpetrators=[_perp(phone="070-123 45 67", email="troll@example.org")])
    same_phone = file_report(other_official, perpetrators=[_perp(phone="0701234567")])
    both = file_report(other_official, perpetrators=[_perp(phone="070 123 45 67", email="TROLL@example.org")])
    file_report(official, perpetrators=[_perp(phone="070-999 99 99")])
    sizes = dict(selectors.triage_queue(handler).values_list("pk", "campaign_size"))
    assert sizes[first.pk] == 2  # both others, `both` once though it shares two identifiers
    assert sizes[same_phone.pk] == 2 and sizes[both.pk] == 2
    assert sum(1 for n in sizes.values() if n == 0) == 1


def test_a_value_shared_under_another_kind_is_not_a_match(handler, official, other_official):
    """A name that happens to equal someone's account handle is not the same perpetrator."""
    a = file_report(official, perpetrators=[_perp(name="nattuggla")])
    b = file_report(other_official, perpetrators=[_perp(handle="nattuggla")])
    a_id, b_id = (Report.objects.get(pk=r.pk).identifiers.values_list("kind", "value").get() for r in (a, b))
    assert a_id[0] != b_id[0] and a_id[1] == b_id[1]  # one value under two kinds
    sizes = dict(selectors.triage_queue(handler).values_list("pk", "campaign_size"))
    assert sizes[a.pk] == 0 and sizes[b.pk] == 0


def test_the_queue_row_links_the_campaign_hint_to_the_report(client_for, handler, official, other_official):
    first = file_report(official, perpetrators=[_perp(email="troll@example.org")])
    file_report(other_official, perpetrators=[_perp(email="troll@example.org")])
    client = client_for(handler)
    client.cookies["django_language"] = "en"
    html = client.get(TRIAGE).content.decode()
    assert reverse("incidents:report-detail", args=[first.pk]) + "#matches-h" in html
    assert "1 other report" in html


def test_a_long_campaign_shows_its_latest_reports_and_its_size(client_for, handler, official, other_official,
                                                               monkeypatch):
    from incidents import views

    monkeypatch.setattr(views, "MATCHES_SHOWN", 3)
    first = file_report(official, perpetrators=[_perp(email="troll@example.org")])
    others = [file_report(other_official, perpetrators=[_perp(email="troll@example.org")]) for _ in range(5)]
    client = client_for(handler)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("incidents:report-detail", args=[first.pk])).content.decode()
    assert "The 3 latest of 5 reports" in html
    assert others[-1].reference in html and others[0].reference not in html


def test_a_queue_longer_than_the_cap_says_so_and_stops_counting(client_for, handler, official, monkeypatch):
    from core.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    client = client_for(handler)
    client.cookies["django_language"] = "en"
    for _ in range(3):
        file_report(official)
    assert "3 reports." in client.get(TRIAGE).content.decode()
    file_report(official)
    html = client.get(TRIAGE).content.decode()
    assert "More than 3 reports: filter to see the rest." in html


def test_the_capped_count_reads_keys_only(handler, official):
    from core.pagination import CappedPaginator

    for _ in range(4):
        file_report(official)
    paginator = CappedPaginator(selectors.triage_queue(handler), 2, cap=3)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 3 and paginator.capped and paginator.num_pages == 2
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "COUNT" in sql.upper() and "ORDER BY" not in sql.upper() and "GROUP_CONCAT" not in sql.upper()
