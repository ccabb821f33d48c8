"""The audit trail: append-only (model and, on PostgreSQL, a trigger), browsed and filtered by the
security unit, exported as CSV (the export audited)."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import action_label, audit_change, audit_read
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:audit-list")
EXPORT = reverse("accounts:audit-export")


def _event(actor=None, **fields):
    values = {"kind": AuditEvent.Kind.READ, "action": "case_view", "object_type": "incidents.case", "object_id": "1"}
    values.update(fields)
    return AuditEvent.objects.create(actor=actor, **values)


def _rows(response):
    return list(response.context["page"].object_list)


# ---------------------------------------------------------------- append-only


def test_audit_event_cannot_be_updated_or_deleted(handler):
    event = audit_change(actor=handler, action="thing_do", from_state="a", to_state="b")
    event.action = "something_else"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(ValidationError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "thing_do"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize("sql", [
    "UPDATE accounts_auditevent SET action = 'tampered' WHERE id = %s",
    "DELETE FROM accounts_auditevent WHERE id = %s",
])
def test_database_refuses_update_and_delete_of_audit_rows(handler, sql):
    event = audit_change(actor=handler, action="thing_do")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "thing_do"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_database_still_accepts_new_audit_rows(handler):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO accounts_auditevent (created_at, kind, action, object_type, object_id, "
                       "from_state, to_state, reason) VALUES (now(), 'change', 'raw_insert', '', '', '', '', '')")
    assert AuditEvent.objects.filter(action="raw_insert").exists()


# ---------------------------------------------------------------- the list page


def test_security_unit_sees_the_audit_trail(client_for, handler, official):
    _event(actor=official, action="official_view_own")
    response = client_for(handler).get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert action_label("official_view_own") in page and "official_view_own" not in page  # the label, not the code


@pytest.mark.parametrize("role_fixture", ["official", "party_contact", "approver", "on_call", "body_officer",
                                          "admin_user"])
def test_audit_trail_refused_to_other_roles(client, role_fixture, request):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_audit_trail_needs_login(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_filter_by_actor_name_or_username(client_for, handler, other_handler, approver):
    # A surname no other persona's (random) name can contain.
    other_handler.last_name = "Quarnström"
    other_handler.save(update_fields=["last_name"])
    mine = _event(actor=other_handler, action="a_one")
    _event(actor=approver, action="a_two")
    client = client_for(handler)
    assert _rows(client.get(LIST, {"actor": "handler2"})) == [mine]
    assert _rows(client.get(LIST, {"actor": other_handler.last_name}))[0] == mine


def test_filter_by_kind_action_and_object(client_for, handler):
    read = _event(kind="read", action="report_view", object_type="incidents.report", object_id="7")
    change = _event(kind="change", action="case_set_status", object_type="incidents.case", object_id="7")
    client = client_for(handler)
    assert _rows(client.get(LIST, {"kind": "change"})) == [change]
    assert _rows(client.get(LIST, {"action": "report_v"})) == [read]
    assert _rows(client.get(LIST, {"object_type": "incidents.report"})) == [read]
    assert set(_rows(client.get(LIST, {"object_id": "7"}))) == {read, change}


def test_filter_by_case_and_official(client_for, handler):
    on_case = _event(case_id=12)
    on_official = _event(official_id=34)
    client = client_for(handler)
    assert _rows(client.get(LIST, {"case_id": "C-00012"})) == [on_case]
    assert _rows(client.get(LIST, {"case_id": "12"})) == [on_case]
    assert _rows(client.get(LIST, {"official_id": "34"})) == [on_official]


def test_filter_by_date_range_in_local_days(client_for, handler):
    tz = timezone.get_current_timezone()
    early = _event(created_at=dt.datetime(2026, 3, 1, 0, 30, tzinfo=tz))  # 23:30 UTC the day before
    middle = _event(created_at=dt.datetime(2026, 3, 5, 12, 0, tzinfo=tz))
    late = _event(created_at=dt.datetime(2026, 3, 9, 23, 59, tzinfo=tz))
    client = client_for(handler)
    assert _rows(client.get(LIST, {"date_from": "2026-03-01", "date_to": "2026-03-01"})) == [early]
    assert _rows(client.get(LIST, {"date_from": "2026-03-02", "date_to": "2026-03-09"})) == [late, middle]
    assert _rows(client.get(LIST, {"date_to": "2026-03-04"})) == [early]


@pytest.mark.parametrize("params", [
    {"date_from": "2026-03-09", "date_to": "2026-03-01"},
    {"date_from": "not a date"},
    {"case_id": "C-abc"},
    {"official_id": "-3"},
    {"kind": "nonsense"},
    {"object_type": "nope.model"},
])
def test_bad_filters_give_a_clear_error_and_no_rows(client_for, handler, params):
    _event()
    client = client_for(handler)
    client.cookies["django_language"] = "en"
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert _rows(response) == []
    assert "Correct the filters" in response.content.decode()


def test_pagination_keeps_the_filters(client_for, handler):
    for _ in range(55):
        _event(kind="change", action="bulk")
    response = client_for(handler).get(LIST, {"kind": "change"})
    assert len(_rows(response)) == 50
    assert "kind=change&amp;page=2" in response.content.decode()
    assert len(_rows(client_for(handler).get(LIST, {"kind": "change", "page": "2"}))) == 5


def test_list_query_count_is_constant(client_for, handler, other_handler, approver, django_assert_num_queries):
    client = client_for(handler)
    client.get(LIST)
    for actor in (other_handler, approver):
        _event(actor=actor)

    with django_assert_num_queries(5) as small:
        client.get(LIST)
    for i in range(40):
        _event(actor=(other_handler, approver, handler)[i % 3], case_id=i + 1, official_id=i + 1)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(LIST)


# ---------------------------------------------------------------- CSV export


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_export_gives_the_filtered_rows_and_is_audited(client_for, handler, other_handler):
    _event(actor=other_handler, kind="change", action="case_set_status", case_id=12, from_state="new",
           to_state="triaged")
    _event(actor=other_handler, kind="read", action="case_view", case_id=13)
    response = client_for(handler).get(EXPORT, {"kind": "change"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = _csv(response)
    assert len(rows) == 2
    assert rows[1][1] == "handler2" and rows[1][4] == action_label("case_set_status") and rows[1][7] == "12"
    assert rows[1][-1] == "case_set_status"  # the code in a column of its own
    export = AuditEvent.objects.get(kind="export", action="audit_export")
    assert export.actor == handler and export.to_state == "1" and export.reason == "kind=change"


def test_export_neutralises_spreadsheet_formulas(client_for, handler):
    _event(kind="change", action="x", reason="=HYPERLINK(\"http://evil\")")
    rows = _csv(client_for(handler).get(EXPORT))
    reasons = [row[11] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://evil\")" in reasons


def test_export_with_bad_filter_is_refused_with_the_error(client_for, handler):
    response = client_for(handler).get(EXPORT, {"date_from": "2026-13-45"})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not AuditEvent.objects.filter(kind="export").exists()


def test_audit_helpers_tie_rows_to_case_and_official(handler, official):
    person = official.official
    event = audit_read(actor=handler, action="official_view_private", obj=person)
    assert event.official_id == person.pk and event.object_type == "officials.official"
