"""Issue 15 point 3: the link to the assignment is judged jointly by the municipality and the
official's party. The party office records the party's view itself (never another party's office,
never the official), the security unit the municipality's; each with who, when and a comment; the
outcome follows from the two views, and the case page shows both to the unit, the party office and
the official (without the unit's own comment when it is for the unit only)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core.models import AuditEvent, OutboxMessage
from incidents import services
from incidents.models import LinkAssessment
from officials.services import official_change_party
from tests.factories import UserFactory

from .conftest import official_of

pytestmark = pytest.mark.django_db

A = LinkAssessment.Agreement
O = LinkAssessment.Outcome  # noqa: E741 — the outcome's choices


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def _page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("incidents:case-detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _post(client, user, case, data, name="case-party-view"):
    client.force_login(user)
    return client.post(reverse(f"incidents:{name}", args=[case.pk]), data)


# ---------------------------------------------------------------- the services

def test_the_party_office_records_the_partys_view_with_who_when_and_comment(case, party_contact):
    before = timezone.now()
    la = services.case_record_party_view(actor=party_contact, case=case, party_view="yes",
                                         comment="  Hotet gäller hennes roll i nämnden.  ")
    la.refresh_from_db()
    assert (la.party_view, la.party_view_by, la.party_comment) == ("yes", party_contact,
                                                                   "Hotet gäller hennes roll i nämnden.")
    assert la.party_view_at >= before and la.municipality_view_at is None
    assert (la.agreement, la.outcome) == (A.AWAITING_MUNICIPALITY, O.UNDECIDED)
    row = AuditEvent.objects.get(action="case_record_party_view")
    assert (row.actor, row.case_id, row.official_id, row.from_state, row.to_state) == (
        party_contact, case.pk, case.official_id, "", "yes")
    assert "roll" not in row.reason  # the comment never goes into the audit trail


def test_the_unit_records_the_municipalitys_view_with_who_when_and_comment(case, handler):
    la = services.case_record_municipality_view(actor=handler, case=case, municipality_view="no", official_view="yes",
                                                reasoning="Privat konflikt.", confidential=True)
    assert (la.municipality_view, la.municipality_view_by, la.reasoning, la.reasoning_confidential) == (
        "no", handler, "Privat konflikt.", True)
    assert la.official_view == "yes" and la.party_view_at is None
    assert (la.agreement, la.outcome) == (A.AWAITING_PARTY, O.UNDECIDED)
    assert AuditEvent.objects.filter(action="case_record_municipality_view", case_id=case.pk, to_state="no").exists()


@pytest.mark.parametrize(("party_says", "unit_says", "agreement", "outcome"), [
    ("yes", "yes", A.AGREED, O.LINKED),
    ("no", "no", A.AGREED, O.NOT_LINKED),
    ("unsure", "unsure", A.AGREED, O.UNDECIDED),
    ("yes", "no", A.DIFFERING, O.UNDECIDED),
    ("no", "unsure", A.DIFFERING, O.UNDECIDED),
])
def test_the_outcome_is_decided_only_when_both_views_agree(case, handler, party_contact, party_says, unit_says,
                                                           agreement, outcome):
    services.case_record_party_view(actor=party_contact, case=case, party_view=party_says)
    la = services.case_record_municipality_view(actor=handler, case=case, municipality_view=unit_says)
    assert (la.agreement, la.outcome) == (agreement, outcome)
    assert LinkAssessment.objects.get(case=case).outcome == outcome


def test_a_changed_view_changes_the_outcome_and_each_recording_is_audited(case, handler, party_contact):
    services.case_record_municipality_view(actor=handler, case=case, municipality_view="yes")
    la = services.case_record_party_view(actor=party_contact, case=case, party_view="no")
    assert la.outcome == O.UNDECIDED and la.agreement == A.DIFFERING
    la = services.case_record_party_view(actor=party_contact, case=case, party_view="yes", comment="Efter samtal.")
    assert la.outcome == O.LINKED and LinkAssessment.objects.count() == 1
    changes = list(AuditEvent.objects.filter(action="case_record_party_view").order_by("pk")
                   .values_list("from_state", "to_state", "reason"))
    assert changes == [("", "no", "outcome undecided -> undecided"), ("no", "yes", "outcome undecided -> linked")]


def test_another_partys_office_may_not_record_the_partys_view(case, other_party_contact):
    with pytest.raises(PermissionDenied):
        services.case_record_party_view(actor=other_party_contact, case=case, party_view="no")
    assert not LinkAssessment.objects.exists()


@pytest.mark.parametrize("persona", ["official", "handler", "approver", "other_official"])
def test_only_the_party_office_records_the_partys_view(request, case, persona):
    with pytest.raises(PermissionDenied):
        services.case_record_party_view(actor=request.getfixturevalue(persona), case=case, party_view="yes")
    assert not LinkAssessment.objects.exists()


@pytest.mark.parametrize("persona", ["official", "party_contact", "other_party_contact"])
def test_only_the_unit_records_the_municipalitys_view(request, case, persona):
    with pytest.raises(PermissionDenied):
        services.case_record_municipality_view(actor=request.getfixturevalue(persona), case=case,
                                               municipality_view="yes")


def test_an_official_who_is_also_their_partys_contact_does_not_judge_their_own_case(case, official, party):
    UserFactory(username="official", roles=[Role.OFFICIAL, Role.PARTY_CONTACT])
    User.objects.filter(pk=official.pk).update(party=party)
    both = User.objects.get(pk=official.pk)
    assert both.has_role(Role.PARTY_CONTACT) and case.official.user_id == both.pk
    with pytest.raises(PermissionDenied):
        services.case_record_party_view(actor=both, case=case, party_view="yes")


def test_a_party_office_loses_the_right_the_moment_the_member_changes_party(case, party_contact, other_party):
    official_change_party(actor=None, official=official_of(case.official.user), party=other_party)
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.case_record_party_view(actor=party_contact, case=case, party_view="yes")


def test_one_person_never_records_both_views(case, handler, party):
    both = UserFactory(username="handler-and-party", roles=[Role.SECURITY_HANDLER, Role.PARTY_CONTACT], party=party)
    services.case_record_municipality_view(actor=both, case=case, municipality_view="yes")
    with pytest.raises(ValidationError) as refused:
        services.case_record_party_view(actor=both, case=case, party_view="yes")
    assert "party_view" in refused.value.message_dict
    la = LinkAssessment.objects.get(case=case)
    assert la.party_view_at is None and la.outcome == O.UNDECIDED

    services.case_record_municipality_view(actor=handler, case=case, municipality_view="yes")  # another handler
    services.case_record_party_view(actor=both, case=case, party_view="yes")
    with pytest.raises(ValidationError) as refused:
        services.case_record_municipality_view(actor=both, case=case, municipality_view="yes")
    assert "municipality_view" in refused.value.message_dict


def test_the_database_refuses_one_person_for_both_views(case, handler):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        LinkAssessment.objects.create(case=case, recorded_by=handler, party_view_by=handler, party_view_at=now,
                                      municipality_view_by=handler, municipality_view_at=now)


@pytest.mark.parametrize("side", ["party", "municipality"])
def test_the_database_refuses_a_view_without_who_or_when(case, handler, side):
    for fields in ({f"{side}_view_by": handler}, {f"{side}_view_at": timezone.now()}):
        with pytest.raises(IntegrityError), transaction.atomic():
            LinkAssessment.objects.create(case=case, recorded_by=handler, **fields)


@pytest.mark.parametrize("view", ["", "maybe", "YES"])
def test_an_unknown_view_is_refused(case, handler, party_contact, view):
    with pytest.raises(ValidationError):
        services.case_record_party_view(actor=party_contact, case=case, party_view=view)
    with pytest.raises(ValidationError):
        services.case_record_municipality_view(actor=handler, case=case, municipality_view=view)
    assert not LinkAssessment.objects.exists()


def test_a_confidential_mark_without_a_comment_is_not_kept(case, handler):
    la = services.case_record_municipality_view(actor=handler, case=case, municipality_view="yes", confidential=True)
    assert not la.reasoning_confidential


def test_the_handler_is_told_when_the_party_gives_its_view(case, handler, party_contact):
    services.case_assign(actor=handler, case=case, handler=handler)
    OutboxMessage.objects.all().delete()
    services.case_record_party_view(actor=party_contact, case=case, party_view="yes", comment="HEMLIG-KOMMENTAR")
    mail = OutboxMessage.objects.get(to=handler.email)
    assert case.reference in mail.subject and "HEMLIG-KOMMENTAR" not in mail.body


def test_the_partys_office_is_asked_for_its_view_and_no_other_party_is_told(case, handler, party_contact,
                                                                            other_party_contact):
    OutboxMessage.objects.all().delete()
    services.case_record_municipality_view(actor=handler, case=case, municipality_view="yes", reasoning="INTERN")
    assert OutboxMessage.objects.filter(to=party_contact.email).count() == 1
    assert not OutboxMessage.objects.filter(to=other_party_contact.email).exists()
    assert "INTERN" not in OutboxMessage.objects.get(to=party_contact.email).body
    services.case_record_party_view(actor=party_contact, case=case, party_view="yes")
    services.case_record_municipality_view(actor=handler, case=case, municipality_view="no")
    assert OutboxMessage.objects.filter(to=party_contact.email).count() == 1  # the party has answered


# ---------------------------------------------------------------- the pages

def test_the_case_page_shows_both_views_with_who_and_when_to_unit_party_and_official(en, case, handler,
                                                                                    party_contact, official):
    services.case_record_party_view(actor=party_contact, case=case, party_view="yes", comment="PARTIETS-KOMMENTAR")
    services.case_record_municipality_view(actor=handler, case=case, municipality_view="yes",
                                           reasoning="KOMMUNENS-KOMMENTAR")
    for user in (handler, party_contact, official):
        html = _page(en, user, case)
        assert "Linked to the assignment" in html and "The party and the municipality agree" in html
        assert party_contact.display_name() in html and handler.display_name() in html
        assert "PARTIETS-KOMMENTAR" in html and "KOMMUNENS-KOMMENTAR" in html
        assert "The party&#x27;s view on the link to the assignment: Yes" in html  # on the timeline


def test_the_units_comment_for_the_unit_only_is_hidden_from_party_and_official(en, case, handler, party_contact,
                                                                              official):
    services.case_record_municipality_view(actor=handler, case=case, municipality_view="no",
                                           reasoning="ENDAST-ENHETEN", confidential=True)
    assert "ENDAST-ENHETEN" in _page(en, handler, case)
    for user in (party_contact, official):
        html = _page(en, user, case)
        assert "ENDAST-ENHETEN" not in html
        assert "Awaiting the party&#x27;s view" in html and handler.display_name() in html


def test_the_views_differ_is_shown(en, case, handler, party_contact):
    services.case_record_party_view(actor=party_contact, case=case, party_view="no")
    services.case_record_municipality_view(actor=handler, case=case, municipality_view="yes")
    html = _page(en, party_contact, case)
    assert "views differ" in html and "Not yet decided" in html


def test_only_the_partys_office_gets_the_partys_form(en, case, handler, official, party_contact):
    assert 'id="party-view"' in _page(en, party_contact, case)
    for user in (handler, official):
        assert 'id="party-view"' not in _page(en, user, case)
    assert 'id="link"' in _page(en, handler, case) and 'id="link"' not in _page(en, party_contact, case)


def test_party_view_post_allowed(client, case, party_contact):
    response = _post(client, party_contact, case, {"party_view": "no", "comment": "Inte kopplat."})
    assert response.status_code == 302
    la = LinkAssessment.objects.get(case=case)
    assert (la.party_view, la.party_view_by, la.party_comment) == ("no", party_contact, "Inte kopplat.")


@pytest.mark.parametrize(("persona", "status"), [("official", 403), ("handler", 403), ("other_party_contact", 404),
                                                 ("other_official", 404), ("approver", 404)])
def test_party_view_post_denied(request, client, case, persona, status):
    assert _post(client, request.getfixturevalue(persona), case, {"party_view": "yes"}).status_code == status
    assert not LinkAssessment.objects.exists()


def test_party_view_get_is_not_allowed(client, case, party_contact):
    client.force_login(party_contact)
    assert client.get(reverse("incidents:case-party-view", args=[case.pk])).status_code == 405


@pytest.mark.parametrize("data", [{"party_view": "kanske"}, {}, {"party_view": "yes", "comment": "x" * 5001}])
def test_bad_party_view_input_is_a_message_by_the_field_not_a_500(en, case, party_contact, data):
    response = _post(en, party_contact, case, data)
    assert response.status_code == 400
    assert 'id="party_party_view_error"' in response.content.decode() or "party_comment_error" in \
        response.content.decode()
    assert not LinkAssessment.objects.exists()


def test_the_same_person_for_both_views_is_a_message_on_the_page(en, case, party):
    both = UserFactory(username="handler-and-party", roles=[Role.SECURITY_HANDLER, Role.PARTY_CONTACT], party=party)
    assert _post(en, both, case, {"municipality_view": "yes", "official_view": "yes"},
                 name="case-link-assessment").status_code == 302
    response = _post(en, both, case, {"party_view": "yes"})
    assert response.status_code == 400 and "someone else at the party office" in response.content.decode()


def test_the_municipalitys_view_post_allowed_and_denied(client, case, handler, party_contact, other_party_contact):
    data = {"municipality_view": "yes", "official_view": "unsure", "reasoning": "Kopplat.", "confidential": "on"}
    assert _post(client, party_contact, case, data, name="case-link-assessment").status_code == 403
    assert _post(client, other_party_contact, case, data, name="case-link-assessment").status_code == 404
    assert _post(client, handler, case, data, name="case-link-assessment").status_code == 302
    la = LinkAssessment.objects.get(case=case)
    assert (la.municipality_view, la.municipality_view_by, la.reasoning_confidential) == ("yes", handler, True)
