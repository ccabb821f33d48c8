"""'Who has read my case': an official sees who read their data and their cases, and when —
staff shown by name and role, never anything about other officials."""

import pytest
from django.urls import reverse

from accounts.selectors import describe_read, reads_of_official
from core.audit import audit_change, audit_read
from core.models import AuditEvent
from incidents.models import Case

pytestmark = pytest.mark.django_db

URL = reverse("accounts:my-access-log")


@pytest.fixture
def own_case(official):
    return Case.objects.create(official=official.official, title="Hot via e-post")


@pytest.fixture
def other_case(other_official):
    return Case.objects.create(official=other_official.official, title="Annat ärende")


def test_selector_returns_reads_of_own_data_and_cases_only(official, other_official, handler, party_contact,
                                                           own_case, other_case):
    me = official.official
    data_read = audit_read(actor=handler, action="official_view_private", obj=me)
    case_read = audit_read(actor=party_contact, action="case_view", obj=own_case)
    report_read = AuditEvent.objects.create(actor=handler, kind="read", action="report_view",
                                            object_type="incidents.report", object_id="3", case_id=own_case.pk)
    # not shown: changes, other officials' data and cases, a row on my case tied to another official
    audit_change(actor=handler, action="case_set_status", obj=own_case, from_state="new", to_state="triaged")
    audit_read(actor=handler, action="official_view_private", obj=other_official.official)
    audit_read(actor=handler, action="case_view", obj=other_case)
    AuditEvent.objects.create(actor=handler, kind="read", action="official_view_private",
                              object_type="officials.official", object_id=str(other_official.official.pk),
                              case_id=own_case.pk, official_id=other_official.official.pk)

    rows = list(reads_of_official(me.pk))
    assert set(rows) == {data_read, case_read, report_read}
    assert rows == sorted(rows, key=lambda e: (e.created_at, e.id), reverse=True)


def test_selector_leaves_out_the_officials_own_reads(official, handler):
    me = official.official
    audit_read(actor=official, action="official_view_own", obj=me)
    staff_read = audit_read(actor=handler, action="official_view_private", obj=me)
    assert list(reads_of_official(me.pk, exclude_actor=official)) == [staff_read]


def test_read_rows_name_the_reader_and_their_role(official, handler, own_case):
    from django.utils import translation

    with translation.override("en"):
        row = describe_read(audit_read(actor=handler, action="case_view", obj=own_case))
    assert row.who == handler.display_name()
    assert row.roles == "Security unit"
    assert f"C-{own_case.pk:05d}" in row.what


def test_official_sees_who_read_their_data(client_for, official, handler, party_contact, own_case):
    audit_read(actor=handler, action="official_view_private", obj=official.official)
    audit_read(actor=party_contact, action="case_view", obj=own_case)
    client = client_for(official)
    client.cookies["django_language"] = "en"
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert handler.display_name() in html and "Security unit" in html
    assert party_contact.display_name() in html and "Party security contact" in html
    assert f"C-{own_case.pk:05d}" in html


def test_official_does_not_see_reads_of_another_official(client_for, official, other_official, approver,
                                                         other_case):
    audit_read(actor=approver, action="official_view_private", obj=other_official.official)
    audit_read(actor=approver, action="case_view", obj=other_case)
    response = client_for(official).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert approver.display_name() not in html
    assert other_official.official.full_name not in html
    assert f"C-{other_case.pk:05d}" not in html


def test_other_official_sees_nothing_of_mine(client_for, official, other_official, handler, own_case):
    audit_read(actor=handler, action="case_view", obj=own_case)
    response = client_for(other_official).get(URL)
    assert handler.display_name() not in response.content.decode()


@pytest.mark.parametrize("role_fixture", ["handler", "party_contact", "approver", "admin_user"])
def test_access_log_refused_to_other_roles(client, role_fixture, request):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(URL).status_code == 403


def test_official_role_without_registry_record_gets_404(client_for):
    from tests.factories import UserFactory

    loose = UserFactory(username="unlinked", roles=["official"])
    assert client_for(loose).get(URL).status_code == 404


def test_access_log_query_count_is_constant(client_for, official, handler, other_handler, approver, own_case,
                                            django_assert_num_queries):
    client = client_for(official)
    client.get(URL)
    audit_read(actor=handler, action="case_view", obj=own_case)
    with django_assert_num_queries(7) as small:  # the page names the unit from the policy: one read
        client.get(URL)
    for i in range(30):
        audit_read(actor=(handler, other_handler, approver)[i % 3], action="case_view", obj=own_case)
        audit_read(actor=(handler, approver)[i % 2], action="official_view_private", obj=official.official)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(URL)
