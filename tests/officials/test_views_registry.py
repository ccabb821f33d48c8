"""The security unit's registry screens: one allowed and one denied test per view, plus the
behaviour each screen promises."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.models import AuditEvent
from officials.models import Assignment, Official
from tests.factories import AssignmentFactory, BodyFactory, OfficialFactory, PartyFactory, UserFactory

from .conftest import make_consent

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _urls(person):
    assignment = person.assignments.first()
    return {
        "list": reverse("officials:official-list"),
        "export": reverse("officials:official-export"),
        "create": reverse("officials:official-create"),
        "detail": reverse("officials:official-detail", args=[person.pk]),
        "update": reverse("officials:official-update", args=[person.pk]),
        "party": reverse("officials:official-change-party", args=[person.pk]),
        "phone": reverse("officials:official-phone", args=[person.pk]),
        "assignment-create": reverse("officials:assignment-create", args=[person.pk]),
        "assignment-end": reverse("officials:assignment-end", args=[assignment.pk]),
        "consent-create": reverse("officials:consent-create", args=[person.pk]),
    }


REGISTRY_WIDE = {"list", "export", "create"}
VIEWS = ["list", "export", "create", "detail", "update", "party", "phone", "assignment-create", "assignment-end",
         "consent-create"]


@pytest.mark.parametrize("view", VIEWS)
def test_handler_may_open(client_for, handler, person, view):
    assert client_for(handler).get(_urls(person)[view]).status_code == 200


@pytest.mark.parametrize("view", VIEWS)
def test_anonymous_is_sent_to_login(client, person, view):
    response = client.get(_urls(person)[view])
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["official", "party_contact", "approver", "admin_user", "on_call"])
@pytest.mark.parametrize("view", VIEWS)
def test_other_roles_are_refused(client_for, request, person, persona, view):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(_urls(person)[view])
    assert response.status_code == (403 if view in REGISTRY_WIDE else 404)


@pytest.mark.parametrize("view", [v for v in VIEWS if v not in {"list", "export", "detail"}])
def test_other_roles_cannot_post(client_for, official, person, view):
    response = client_for(official).post(_urls(person)[view], {"first_name": "X", "decision": "given"})
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE, actor=official).exists()


# --- the list ----------------------------------------------------------------------------------

def test_list_searches_name_and_email(client_for, handler, person):
    OfficialFactory(first_name="Olle", last_name="Berg", work_email="olle@politik.example")
    html = client_for(handler).get(reverse("officials:official-list"), {"q": "ström"}).content.decode()
    assert "Ström, Maja" in html and "Olle" not in html
    html = client_for(handler).get(reverse("officials:official-list"), {"q": "olle@"}).content.decode()
    assert "Berg, Olle" in html and "Maja" not in html


def test_list_filters_by_body_role_covered_and_active(client_for, handler, person, body):
    other_body = BodyFactory(name="Tekniska nämnden")
    chair = OfficialFactory(first_name="Stina", last_name="Ordf")
    AssignmentFactory(official=chair, body=other_body, role=Assignment.Role.CHAIR, share_percent=50,
                      start=dt.date(2022, 1, 1))
    gone = OfficialFactory(first_name="Gustav", last_name="Slut")
    AssignmentFactory(official=gone, body=body, start=dt.date(2018, 1, 1), end=dt.date(2022, 1, 1))
    client = client_for(handler)
    url = reverse("officials:official-list")

    def names(**params):
        page = client.get(url, params).context["page"]
        return {o.first_name for o in page}

    assert names() == {"Maja", "Stina", "Gustav"}
    assert names(body=body.pk) == {"Maja"}
    assert names(role="ordforande") == {"Stina"}
    assert names(body=body.pk, role="ordforande") == set()
    assert names(covered="yes") == {"Stina"}
    assert names(covered="no") == {"Maja", "Gustav"}
    assert names(active="yes") == {"Maja", "Stina"}
    assert names(active="no") == {"Gustav"}


def test_list_offers_no_party_filter(client_for, handler, person):
    response = client_for(handler).get(reverse("officials:official-list"))
    form = response.context["form"]
    assert "party" not in form.fields
    assert 'name="party"' not in response.content.decode()
    # A party parameter sent anyway selects nothing.
    other = OfficialFactory(party=PartyFactory(name="Moderaterna", abbreviation="M"))
    response = client_for(handler).get(reverse("officials:official-list"), {"party": person.party_id})
    assert {o.pk for o in response.context["page"]} == {person.pk, other.pk}


def test_list_shows_party_as_a_column(client_for, handler, person):
    assert ">S</abbr>" in client_for(handler).get(reverse("officials:official-list")).content.decode()


def test_list_bad_filter_gives_field_error_not_500(client_for, handler, person):
    response = client_for(handler).get(reverse("officials:official-list"), {"body": "abc", "covered": "maybe",
                                                                             "page": "x"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "body" in form.errors and "covered" in form.errors
    assert 'aria-describedby="id_body_error"' in response.content.decode()


def test_list_pagination_keeps_filters(client_for, handler, body):
    for i in range(55):
        AssignmentFactory(official=OfficialFactory(last_name=f"Namn{i:02}"), body=body, start=dt.date(2022, 1, 1))
    html = client_for(handler).get(reverse("officials:official-list"), {"body": body.pk}).content.decode()
    assert f"body={body.pk}&amp;page=2" in html


def _make_officials(n, body):
    party = PartyFactory(name="Centerpartiet", abbreviation="C")
    for i in range(n):
        official = OfficialFactory(party=party, home_address=f"Gata {i}")
        AssignmentFactory(official=official, body=body, start=dt.date(2022, 1, 1), share_percent=i % 60)
        AssignmentFactory(official=official, body=body, start=dt.date(2018, 1, 1), end=dt.date(2022, 1, 1))
        make_consent(official, "home_address", "in_force")


def test_list_query_count_does_not_grow_with_rows(client_for, handler, body, django_assert_num_queries):
    client = client_for(handler)
    url = reverse("officials:official-list")
    _make_officials(10, body)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(url).context["page"]) == 10
    _make_officials(50, body)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["page"]) == 50


def test_export_query_count_does_not_grow_with_rows(client_for, handler, body, django_assert_num_queries):
    client = client_for(handler)
    url = reverse("officials:official-export")
    _make_officials(10, body)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _make_officials(50, body)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_export_is_audited(client_for, handler, person):
    response = client_for(handler).get(reverse("officials:official-export"))
    assert response["Content-Type"].startswith("text/csv")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, action="official_export", actor=handler).exists()


def test_export_neutralises_formulas(client_for, handler):
    OfficialFactory(first_name="=HYPERLINK(1)", last_name="X")
    body = client_for(handler).get(reverse("officials:official-export")).content.decode()
    assert "'=HYPERLINK(1)" in body


# --- detail ------------------------------------------------------------------------------------

def test_detail_shows_private_data_and_audits_the_read(client_for, handler, person):
    html = client_for(handler).get(reverse("officials:official-detail", args=[person.pk])).content.decode()
    assert person.home_address in html and person.private_phone in html
    row = AuditEvent.objects.get(kind=AuditEvent.Kind.READ, action="official_view_private")
    assert row.actor == handler and row.official_id == person.pk


def test_each_view_of_private_fields_is_audited(client_for, handler, person):
    client = client_for(handler)
    client.get(reverse("officials:official-detail", args=[person.pk]))
    client.get(reverse("officials:official-detail", args=[person.pk]))
    client.get(reverse("officials:official-update", args=[person.pk]))
    assert AuditEvent.objects.filter(action="official_view_private", official_id=person.pk).count() == 3


def test_detail_shows_derived_flags_assignments_and_consent_history(client_for, handler, person, body):
    AssignmentFactory(official=person, body=body, role=Assignment.Role.COMMISSIONER, share_percent=100,
                      start=dt.date(2022, 10, 15))
    AssignmentFactory(official=person, body=BodyFactory(name="Valnämnden"), start=dt.date(2018, 10, 15),
                      end=dt.date(2022, 10, 14))
    person.protected_identity = True
    person.municipal_phone = Official.MunicipalPhone.OFFERED
    person.save()
    make_consent(person, "private_phone", "replaced", decided_on=dt.date(2026, 1, 1), recorded_by=handler)
    make_consent(person, "private_phone", "withdrawn", decided_on=dt.date(2026, 1, 15), document_reference="DOC-1",
                 withdrawn_on=dt.date(2026, 2, 1), document_recorded_at=timezone.now(), recorded_by=handler)
    client = client_for(handler)
    client.get("/")  # English would be nicer for the asserts; Swedish is the default
    client.cookies["django_language"] = "en"
    html = client.get(reverse("officials:official-detail", args=[person.pk])).content.decode()
    for text in ("Covered by KL 4:18a", "Treated as employee", "Protected personal data", "Active",
                 "Valnämnden", "Ended assignments", "Withdrawn 1 February 2026", "DOC-1", "History (2 consents)",
                 "Offered"):
        assert text in html, text


def test_unknown_official_is_404(client_for, handler):
    assert client_for(handler).get(reverse("officials:official-detail", args=[999999])).status_code == 404


# --- create and edit ---------------------------------------------------------------------------

def test_create_official(client_for, handler, party):
    account = UserFactory(username="newcomer", roles=[Role.OFFICIAL])
    response = client_for(handler).post(reverse("officials:official-create"), {
        "first_name": "Lisa", "last_name": "Nyström", "party": party.pk, "user": account.pk,
        "work_email": "lisa@politik.example", "work_phone": "+46 8 123 45", "gender": "woman", "birth_year": "1980",
        "home_address": "Vägen 2", "private_phone": "070-111 22 33", "private_email": "lisa@privat.example",
        "private_social": "",
    })
    created = Official.objects.get(last_name="Nyström")
    assert response.status_code == 302 and response.url == reverse("officials:official-detail", args=[created.pk])
    assert created.user == account and created.private_email == "lisa@privat.example"
    assert AuditEvent.objects.filter(action="official_create", actor=handler).exists()


def test_create_official_errors_are_tied_to_fields(client_for, handler):
    client = client_for(handler)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("officials:official-create"), {
        "first_name": "", "last_name": "X", "private_email": "not-an-email", "private_phone": "call me",
        "birth_year": "1850",
    })
    assert response.status_code == 400
    html = response.content.decode()
    for name in ("first_name", "private_email", "private_phone", "birth_year"):
        assert f'id="id_{name}_error"' in html and f'aria-describedby="id_{name}_error"' in html, name
    assert 'value="X"' in html  # nothing typed is lost
    assert not Official.objects.filter(last_name="X").exists()


def test_edit_official(client_for, handler, person):
    response = client_for(handler).post(reverse("officials:official-update", args=[person.pk]), {
        "first_name": "Maja", "last_name": "Ström-Lund", "work_email": person.work_email, "work_phone": "08-123456",
        "home_address": "Ny gata 3", "private_phone": person.private_phone, "private_email": person.private_email,
        "private_social": person.private_social,
    })
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Ström-Lund" and person.home_address == "Ny gata 3"
    assert person.party.abbreviation == "S"  # the edit form does not touch the party
    row = AuditEvent.objects.get(action="official_update")
    assert row.reason == "last_name, home_address" and "Ny gata" not in row.reason


def test_edit_refuses_account_linked_to_another_official(client_for, handler, person, other_official):
    response = client_for(handler).post(reverse("officials:official-update", args=[person.pk]), {
        "first_name": "Maja", "last_name": "Ström", "user": other_official.pk,
    })
    assert response.status_code == 400 and "user" in response.context["form"].errors


# --- party, assignments, consent, phone --------------------------------------------------------

def test_change_party(client_for, handler, person, other_party):
    response = client_for(handler).post(reverse("officials:official-change-party", args=[person.pk]),
                                        {"party": other_party.pk})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.party == other_party
    assert AuditEvent.objects.filter(action="official_change_party", to_state="M").exists()


def test_change_party_bad_value_is_a_field_error(client_for, handler, person):
    response = client_for(handler).post(reverse("officials:official-change-party", args=[person.pk]),
                                        {"party": "999999"})
    assert response.status_code == 400 and "party" in response.context["form"].errors


def test_add_assignment(client_for, handler, person, body):
    response = client_for(handler).post(reverse("officials:assignment-create", args=[person.pk]), {
        "body": body.pk, "role": "kommunalrad", "share_percent": "100", "start": "2026-11-01", "end": "",
    })
    assert response.status_code == 302
    assert person.assignments.filter(role="kommunalrad", share_percent=100).exists()


def test_add_assignment_errors(client_for, handler, person, body):
    response = client_for(handler).post(reverse("officials:assignment-create", args=[person.pk]), {
        "body": body.pk, "role": "ledamot", "share_percent": "140", "start": "2026-11-01", "end": "2026-01-01",
    })
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "share_percent" in errors and "end" in errors
    assert person.assignments.count() == 1


def test_end_last_assignment_sends_signal(client_for, handler, person, django_capture_on_commit_callbacks):
    from officials.signals import responsibility_ended

    calls = []
    responsibility_ended.connect(lambda sender, official, actor, **kw: calls.append(official.pk), weak=False,
                                 dispatch_uid="test-view-end")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(handler).post(reverse("officials:assignment-end", args=[person.assignments.get().pk]),
                                                {"end": TODAY.isoformat()})
    finally:
        responsibility_ended.disconnect(dispatch_uid="test-view-end")
    assert response.status_code == 302 and calls == [person.pk]


def test_end_assignment_twice_shows_error(client_for, handler, person):
    assignment = person.assignments.get()
    assignment.end = TODAY - dt.timedelta(days=3)
    assignment.save()
    response = client_for(handler).post(reverse("officials:assignment-end", args=[assignment.pk]),
                                        {"end": TODAY.isoformat()})
    assert response.status_code == 400 and response.context["form"].non_field_errors()


def test_end_assignment_before_start_is_a_field_error(client_for, handler, person):
    response = client_for(handler).post(reverse("officials:assignment-end", args=[person.assignments.get().pk]),
                                        {"end": "2000-01-01"})
    assert response.status_code == 400 and "end" in response.context["form"].errors


def test_record_consent_on_behalf(client_for, handler, person):
    response = client_for(handler).post(reverse("officials:consent-create", args=[person.pk]), {
        "field": "private_email", "decision": "given", "decided_on": TODAY.isoformat(),
        "document_reference": "KS 2026/99",
    })
    assert response.status_code == 302
    consent = person.consents.get()
    assert consent.status == "in_force" and consent.document_reference == "KS 2026/99"
    assert consent.recorded_by == handler and consent.document_recorded_by == handler


def test_record_consent_needs_document_reference(client_for, handler, person):
    response = client_for(handler).post(reverse("officials:consent-create", args=[person.pk]), {
        "field": "private_email", "decision": "given", "decided_on": TODAY.isoformat(), "document_reference": "",
    })
    assert response.status_code == 400 and "document_reference" in response.context["form"].errors
    assert not person.consents.exists()


def test_record_withdrawal_without_consent_shows_error(client_for, handler, person):
    response = client_for(handler).post(reverse("officials:consent-create", args=[person.pk]), {
        "field": "private_email", "decision": "withdrawn", "decided_on": TODAY.isoformat(),
    })
    assert response.status_code == 400 and response.context["form"].non_field_errors()


def test_record_consent_future_date_is_a_field_error(client_for, handler, person):
    response = client_for(handler).post(reverse("officials:consent-create", args=[person.pk]), {
        "field": "private_email", "decision": "given", "decided_on": (TODAY + dt.timedelta(days=2)).isoformat(),
        "document_reference": "X",
    })
    assert response.status_code == 400 and "decided_on" in response.context["form"].errors


def test_issue_municipal_phone(client_for, handler, person):
    response = client_for(handler).post(reverse("officials:official-phone", args=[person.pk]),
                                        {"to": "issued", "number": "08-508 111 00"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.municipal_phone == "issued" and person.municipal_phone_number == "08-508 111 00"


def test_issue_municipal_phone_without_number_is_a_field_error(client_for, handler, person):
    response = client_for(handler).post(reverse("officials:official-phone", args=[person.pk]), {"to": "issued"})
    assert response.status_code == 400 and "number" in response.context["form"].errors


def test_phone_state_not_allowed_from_here_is_a_field_error(client_for, handler, person):
    response = client_for(handler).post(reverse("officials:official-phone", args=[person.pk]), {"to": "declined"})
    assert response.status_code == 400 and "to" in response.context["form"].errors


def test_attention_filters_and_home_lines(client_for, handler, person, own):
    Official.objects.filter(pk=own.pk).update(municipal_phone="requested")
    awaited = make_consent(person, "private_phone", "awaiting_document")
    client = client_for(handler)
    client.cookies["django_language"] = "en"
    url = reverse("officials:official-list")
    assert {o.pk for o in client.get(url, {"attention": "phone_requested"}).context["page"]} == {own.pk}
    assert {o.pk for o in client.get(url, {"attention": "document_awaited"}).context["page"]} == {person.pk}
    home = client.get(reverse("accounts:home")).content.decode()
    assert "1 official asks for a municipal phone" in home
    assert "signed document awaited" in home
    # Once the document is recorded nothing is awaited.
    from officials.services import consent_record_document

    consent_record_document(actor=handler, consent=awaited, document_reference="KS 1")
    assert not list(client.get(url, {"attention": "document_awaited"}).context["page"])
