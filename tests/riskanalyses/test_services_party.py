"""Party offices' risk analyses before assignments: recording, judging, escalating to the security
unit, its answer, closing — each step audited, each illegal start state refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.models import AuditEvent, OutboxMessage
from core.workflow import InvalidTransition
from incidents.models import Case, CaseStatus
from riskanalyses import services
from riskanalyses.models import Escalation, PartyRiskAnalysis

from .conftest import in_days, make_party_analysis

Status = PartyRiskAnalysis.Status


def _audit(analysis, action):
    return AuditEvent.objects.filter(object_type="riskanalyses.partyriskanalysis", object_id=str(analysis.pk),
                                     action=action)


def _to(analysis, status, party_contact, handler):
    """Bring an analysis to `status` through the services."""
    if status == Status.DRAFT:
        return analysis
    if status == Status.JUDGED:
        return services.party_analysis_judge(actor=party_contact, analysis=analysis, judgement="moderate")
    analysis = services.party_analysis_escalate(actor=party_contact, analysis=analysis, question="Hjälp oss.")
    if status == Status.ESCALATED:
        return analysis
    if status == Status.ANSWERED:
        return services.party_analysis_answer(actor=handler, analysis=analysis, advice="Ta med en värd.")
    return services.party_analysis_close(actor=party_contact, analysis=analysis)


# ---------------------------------------------------------------- recording


def test_create_saves_a_draft_with_the_contacts_party_and_audits(party_contact, member, party):
    analysis = make_party_analysis(party_contact, [member])
    assert analysis.status == Status.DRAFT
    assert analysis.party == party
    assert list(analysis.members.all()) == [member]
    assert analysis.created_by == party_contact
    event = _audit(analysis, "party_analysis_create").get()
    assert event.actor == party_contact and event.to_state == "draft"
    assert "aktivister" not in event.reason  # never the analysis's text


def test_create_refuses_another_partys_member(party_contact, member, other_member):
    with pytest.raises(ValidationError) as exc:
        make_party_analysis(party_contact, [member, other_member])
    assert "members" in exc.value.message_dict
    assert not PartyRiskAnalysis.objects.exists()


def test_create_needs_a_member(party_contact):
    with pytest.raises(ValidationError) as exc:
        make_party_analysis(party_contact, [])
    assert "members" in exc.value.message_dict


def test_create_refuses_a_last_day_before_the_first(party_contact, member):
    with pytest.raises(ValidationError) as exc:
        make_party_analysis(party_contact, [member], occurs_on=in_days(5), ends_on=in_days(4))
    assert "ends_on" in exc.value.message_dict


def test_create_refuses_a_date_years_ahead(party_contact, member):
    with pytest.raises(ValidationError) as exc:
        make_party_analysis(party_contact, [member], occurs_on=in_days(900))
    assert "occurs_on" in exc.value.message_dict


@pytest.mark.parametrize("persona", ["handler", "body_officer", "official", "admin_user"])
def test_only_a_party_contact_records(request, persona, member):
    with pytest.raises(PermissionDenied):
        make_party_analysis(request.getfixturevalue(persona), [member])


def test_create_with_a_judgement_judges_at_once(party_contact, member):
    analysis = make_party_analysis(party_contact, [member], judgement="high")
    assert analysis.status == Status.JUDGED and analysis.judgement == "high"
    assert analysis.judged_by == party_contact
    assert _audit(analysis, "party_analysis_judge").exists()


def test_create_with_cannot_judge_needs_a_question(party_contact, member):
    with pytest.raises(ValidationError) as exc:
        make_party_analysis(party_contact, [member], judgement="cannot_judge")
    assert "question" in exc.value.message_dict


def test_create_with_cannot_judge_escalates_and_tells_the_security_unit(party_contact, member, handler):
    analysis = make_party_analysis(party_contact, [member], judgement="cannot_judge", question="Hur farlig?")
    assert analysis.status == Status.ESCALATED
    assert analysis.judgement == "cannot_judge"
    escalation = Escalation.objects.get(analysis=analysis)
    assert escalation.question == "Hur farlig?" and escalation.asked_by == party_contact
    mail = OutboxMessage.objects.get(to=handler.email)
    assert analysis.reference in mail.body
    assert "Hur farlig" not in mail.body and "Lindqvist" not in mail.body and "Folkets hus" not in mail.body


# ---------------------------------------------------------------- editing


def test_update_records_changed_field_names_only(party_contact, analysis, second_member):
    changed = services.party_analysis_update(actor=party_contact, analysis=analysis, place="Stadsbiblioteket",
                                             members=[analysis.members.get(), second_member])
    assert changed == ["place", "members"]
    analysis.refresh_from_db()
    assert analysis.place == "Stadsbiblioteket" and analysis.members.count() == 2
    assert _audit(analysis, "party_analysis_update").get().reason == "place, members"


def test_update_by_another_party_is_refused(other_party_contact, analysis):
    with pytest.raises(PermissionDenied):
        services.party_analysis_update(actor=other_party_contact, analysis=analysis, place="X")


def test_update_by_the_security_unit_is_refused(handler, analysis):
    with pytest.raises(PermissionDenied):
        services.party_analysis_update(actor=handler, analysis=analysis, place="X")


def test_update_of_a_closed_analysis_is_refused(party_contact, analysis, handler):
    _to(analysis, Status.CLOSED, party_contact, handler)
    with pytest.raises(InvalidTransition):
        services.party_analysis_update(actor=party_contact, analysis=analysis, place="X")


def test_update_keeps_a_member_who_has_left_the_party(party_contact, analysis, member, other_party, second_member):
    member.party = other_party
    member.save()
    services.party_analysis_update(actor=party_contact, analysis=analysis, members=[member, second_member])
    assert analysis.members.count() == 2


# ---------------------------------------------------------------- judging


@pytest.mark.parametrize("start", [Status.DRAFT, Status.JUDGED])
def test_judge_from_allowed_states(party_contact, handler, analysis, start):
    analysis = _to(analysis, start, party_contact, handler)
    analysis = services.party_analysis_judge(actor=party_contact, analysis=analysis, judgement="low")
    assert analysis.status == Status.JUDGED and analysis.judgement == "low"
    assert _audit(analysis, "party_analysis_judge").filter(from_state=start, to_state="judged").exists()


@pytest.mark.parametrize("start", [Status.ESCALATED, Status.ANSWERED, Status.CLOSED])
def test_judge_from_illegal_states(party_contact, handler, analysis, start):
    analysis = _to(analysis, start, party_contact, handler)
    with pytest.raises(InvalidTransition):
        services.party_analysis_judge(actor=party_contact, analysis=analysis, judgement="low")


def test_judge_refuses_cannot_judge(party_contact, analysis):
    with pytest.raises(ValidationError) as exc:
        services.party_analysis_judge(actor=party_contact, analysis=analysis, judgement="cannot_judge")
    assert "judgement" in exc.value.message_dict


def test_judge_by_the_security_unit_is_refused(handler, analysis):
    with pytest.raises(PermissionDenied):
        services.party_analysis_judge(actor=handler, analysis=analysis, judgement="low")


# ---------------------------------------------------------------- escalating and answering


@pytest.mark.parametrize("start", [Status.DRAFT, Status.JUDGED, Status.ANSWERED])
def test_escalate_from_allowed_states(party_contact, handler, analysis, start):
    analysis = _to(analysis, start, party_contact, handler)
    analysis = services.party_analysis_escalate(actor=party_contact, analysis=analysis, question="Igen?")
    assert analysis.status == Status.ESCALATED
    assert Escalation.objects.filter(analysis=analysis, answered_at__isnull=True).count() == 1


def test_escalating_a_judged_analysis_keeps_the_partys_judgement(party_contact, handler, analysis):
    analysis = _to(analysis, Status.JUDGED, party_contact, handler)
    analysis = services.party_analysis_escalate(actor=party_contact, analysis=analysis, question="Stämmer det?")
    assert analysis.judgement == "moderate"


@pytest.mark.parametrize("start", [Status.ESCALATED, Status.CLOSED])
def test_escalate_from_illegal_states(party_contact, handler, analysis, start):
    analysis = _to(analysis, start, party_contact, handler)
    with pytest.raises(InvalidTransition):
        services.party_analysis_escalate(actor=party_contact, analysis=analysis, question="?")


def test_escalate_needs_a_question(party_contact, analysis):
    with pytest.raises(ValidationError) as exc:
        services.party_analysis_escalate(actor=party_contact, analysis=analysis, question="  ")
    assert "question" in exc.value.message_dict


def test_the_database_allows_one_open_escalation(party_contact, escalated):
    with pytest.raises(IntegrityError), transaction.atomic():
        Escalation.objects.create(analysis=escalated, question="Två?", asked_by=party_contact)


def test_answer_comes_back_to_the_party(handler, party_contact, other_party_contact, escalated):
    OutboxMessage.objects.all().delete()
    analysis = services.party_analysis_answer(actor=handler, analysis=escalated, advice="Be om polisnärvaro.",
                                              risk_level="high")
    assert analysis.status == Status.ANSWERED
    escalation = Escalation.objects.get(analysis=analysis)
    assert escalation.answered_by == handler and escalation.risk_level == "high"
    assert escalation.advice == "Be om polisnärvaro."
    recipients = set(OutboxMessage.objects.values_list("to", flat=True))
    assert recipients == {party_contact.email}
    body = OutboxMessage.objects.get().body
    assert analysis.reference in body and "polis" not in body
    assert _audit(analysis, "party_analysis_answer").filter(from_state="escalated", to_state="answered",
                                                            actor=handler).exists()


def test_answer_needs_advice(handler, escalated):
    with pytest.raises(ValidationError) as exc:
        services.party_analysis_answer(actor=handler, analysis=escalated, advice="")
    assert "advice" in exc.value.message_dict
    assert Escalation.objects.get(analysis=escalated).answered_at is None


def test_answer_by_a_party_contact_is_refused(party_contact, escalated):
    with pytest.raises(PermissionDenied):
        services.party_analysis_answer(actor=party_contact, analysis=escalated, advice="Själv")


@pytest.mark.parametrize("start", [Status.DRAFT, Status.JUDGED, Status.ANSWERED, Status.CLOSED])
def test_answer_from_illegal_states(party_contact, handler, analysis, start):
    analysis = _to(analysis, start, party_contact, handler)
    with pytest.raises(InvalidTransition):
        services.party_analysis_answer(actor=handler, analysis=analysis, advice="Råd")


def test_answer_links_a_case_about_a_member(handler, escalated, member):
    case = Case.objects.create(official=member, status=CaseStatus.NEW)
    services.party_analysis_answer(actor=handler, analysis=escalated, advice="Se ärendet.", case=case)
    assert Escalation.objects.get(analysis=escalated).case == case
    assert _audit(escalated, "party_analysis_answer").get().case_id == case.pk


def test_answer_refuses_a_case_about_someone_else(handler, escalated, other_member):
    case = Case.objects.create(official=other_member, status=CaseStatus.NEW)
    with pytest.raises(ValidationError) as exc:
        services.party_analysis_answer(actor=handler, analysis=escalated, advice="Se ärendet.", case=case)
    assert "case" in exc.value.message_dict


# ---------------------------------------------------------------- closing


@pytest.mark.parametrize("start", [Status.DRAFT, Status.JUDGED, Status.ANSWERED])
def test_close_from_allowed_states(party_contact, handler, analysis, start):
    analysis = _to(analysis, start, party_contact, handler)
    analysis = services.party_analysis_close(actor=party_contact, analysis=analysis, comment="Gick bra.")
    assert analysis.status == Status.CLOSED and analysis.closed_at and analysis.closing_comment == "Gick bra."


def test_closing_an_escalated_analysis_withdraws_the_question(party_contact, handler, escalated):
    OutboxMessage.objects.all().delete()
    services.party_analysis_close(actor=party_contact, analysis=escalated, comment="Inställt.")
    escalation = Escalation.objects.get(analysis=escalated)
    assert escalation.withdrawn_at is not None and escalation.answered_at is None
    assert OutboxMessage.objects.filter(to=handler.email).exists()


def test_close_from_closed_is_refused(party_contact, handler, analysis):
    analysis = _to(analysis, Status.CLOSED, party_contact, handler)
    with pytest.raises(InvalidTransition):
        services.party_analysis_close(actor=party_contact, analysis=analysis)


def test_close_by_another_party_is_refused(other_party_contact, analysis):
    with pytest.raises(PermissionDenied):
        services.party_analysis_close(actor=other_party_contact, analysis=analysis)
