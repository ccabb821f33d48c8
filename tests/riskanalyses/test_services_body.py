"""Committees' and companies' analyses of their own activities, their checklists and the
administrator's template."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from core.models import AuditEvent, OutboxMessage
from core.workflow import InvalidTransition
from riskanalyses import services
from riskanalyses.models import (
    BodyChecklistItem,
    BodyRiskAnalysis,
    ChecklistCheck,
    ChecklistTemplateItem,
)
from riskanalyses.services import CheckEntry
from tests.factories import AssignmentFactory, OfficialFactory, PartyFactory, UserFactory

from .conftest import in_days, make_body_analysis

Status = BodyRiskAnalysis.Status


def _to(analysis, status, officer):
    if status == Status.DRAFT:
        return analysis
    if status == Status.CANCELLED:
        return services.body_analysis_cancel(actor=officer, analysis=analysis)
    analysis = services.body_analysis_mark_ready(actor=officer, analysis=analysis)
    if status == Status.FOLLOWED_UP:
        BodyRiskAnalysis.objects.filter(pk=analysis.pk).update(occurs_on=in_days(-1))
        analysis.refresh_from_db()
        analysis = services.body_analysis_follow_up(actor=officer, analysis=analysis, follow_up="Lugnt.")
    return analysis


# ---------------------------------------------------------------- recording


def test_create_saves_a_draft_for_the_officers_body(officer, body, member):
    analysis = make_body_analysis(officer, [member])
    assert analysis.body == body and analysis.status == Status.DRAFT
    assert analysis.risk_level == "high"  # moderate × high
    assert AuditEvent.objects.filter(action="body_analysis_create", object_id=str(analysis.pk)).exists()


def test_create_needs_a_body(body_officer):
    with pytest.raises(PermissionDenied):
        make_body_analysis(body_officer)


def test_create_refuses_an_official_without_an_assignment_in_the_body(officer, official):
    from officials.models import Official

    outsider = Official.objects.get(user=official)  # only in another body
    with pytest.raises(ValidationError) as exc:
        make_body_analysis(officer, [outsider])
    assert "participants" in exc.value.message_dict


@pytest.mark.parametrize(("likelihood", "consequence", "level"), [
    ("low", "low", "low"), ("low", "moderate", "low"), ("moderate", "moderate", "moderate"),
    ("low", "high", "moderate"), ("moderate", "high", "high"), ("high", "high", "high"), ("", "high", ""),
])
def test_risk_matrix(likelihood, consequence, level):
    assert services.risk_level_of(likelihood, consequence) == level


def test_update_recomputes_the_risk_level(officer, body_analysis):
    changed = services.body_analysis_update(actor=officer, analysis=body_analysis, likelihood="low",
                                            consequence="low")
    body_analysis.refresh_from_db()
    assert body_analysis.risk_level == "low"
    assert set(changed) == {"likelihood", "consequence", "risk_level"}


def test_update_by_another_bodys_officer_is_refused(other_officer, body_analysis):
    with pytest.raises(PermissionDenied):
        services.body_analysis_update(actor=other_officer, analysis=body_analysis, place="X")


def test_a_ready_analysis_keeps_its_judgement(officer, shared):
    with pytest.raises(ValidationError):
        services.body_analysis_update(actor=officer, analysis=shared, likelihood="")


def test_adding_a_partys_member_to_a_shared_analysis_tells_that_party(officer, shared, member, other_member,
                                                                      other_party_contact, third_member):
    OutboxMessage.objects.all().delete()
    services.body_analysis_update(actor=officer, analysis=shared, participants=[member, other_member, third_member])
    assert set(OutboxMessage.objects.values_list("to", flat=True)) == {"party3@test.example"}


@pytest.fixture
def third_member(body):
    party = PartyFactory(name="Centerpartiet", abbreviation="C")
    contact = UserFactory(username="party3", roles=[Role.PARTY_CONTACT])
    contact.party = party
    contact.save()
    person = OfficialFactory(party=party)
    AssignmentFactory(official=person, body=body, start=dt.date(2022, 1, 1))
    return person


# ---------------------------------------------------------------- the workflow


def test_mark_ready_shares_with_the_participants_party_offices(officer, body_analysis, party_contact,
                                                               other_party_contact):
    OutboxMessage.objects.all().delete()
    analysis = services.body_analysis_mark_ready(actor=officer, analysis=body_analysis)
    assert analysis.status == Status.READY and analysis.shared_at is not None
    recipients = set(OutboxMessage.objects.values_list("to", flat=True))
    assert recipients == {party_contact.email, other_party_contact.email}
    body = OutboxMessage.objects.first().body
    assert analysis.reference in body and "budget" not in body


def test_mark_ready_does_not_tell_parties_without_members_taking_part(officer, member, party_contact,
                                                                      other_party_contact):
    analysis = make_body_analysis(officer, [member])
    OutboxMessage.objects.all().delete()
    services.body_analysis_mark_ready(actor=officer, analysis=analysis)
    assert set(OutboxMessage.objects.values_list("to", flat=True)) == {party_contact.email}


def test_mark_ready_needs_a_judgement_and_risks(officer):
    analysis = make_body_analysis(officer, likelihood="", consequence="", risks="")
    with pytest.raises(ValidationError) as exc:
        services.body_analysis_mark_ready(actor=officer, analysis=analysis)
    assert set(exc.value.message_dict) == {"likelihood", "consequence", "risks"}
    analysis.refresh_from_db()
    assert analysis.status == Status.DRAFT


def test_reopen_and_ready_again_shares_only_once(officer, shared):
    first = shared.shared_at
    services.body_analysis_reopen(actor=officer, analysis=shared)
    OutboxMessage.objects.all().delete()
    again = services.body_analysis_mark_ready(actor=officer, analysis=shared)
    assert again.shared_at == first
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(("service", "illegal"), [
    ("body_analysis_mark_ready", [Status.READY, Status.FOLLOWED_UP, Status.CANCELLED]),
    ("body_analysis_reopen", [Status.DRAFT, Status.FOLLOWED_UP, Status.CANCELLED]),
    ("body_analysis_cancel", [Status.FOLLOWED_UP, Status.CANCELLED]),
])
def test_illegal_start_states(officer, member, service, illegal):
    for status in illegal:
        analysis = _to(make_body_analysis(officer, [member]), status, officer)
        with pytest.raises(InvalidTransition):
            getattr(services, service)(actor=officer, analysis=analysis)


@pytest.mark.parametrize("start", [Status.DRAFT, Status.FOLLOWED_UP, Status.CANCELLED])
def test_follow_up_from_illegal_states(officer, member, start):
    analysis = _to(make_body_analysis(officer, [member]), start, officer)
    with pytest.raises(InvalidTransition):
        services.body_analysis_follow_up(actor=officer, analysis=analysis, follow_up="X")


def test_follow_up_waits_for_the_activitys_date(officer, shared):
    with pytest.raises(ValidationError) as exc:
        services.body_analysis_follow_up(actor=officer, analysis=shared, follow_up="För tidigt")
    assert "follow_up" in exc.value.message_dict


def test_follow_up_after_the_date(officer, shared):
    BodyRiskAnalysis.objects.filter(pk=shared.pk).update(occurs_on=in_days(-2))
    shared.refresh_from_db()
    analysis = services.body_analysis_follow_up(actor=officer, analysis=shared, follow_up="Inga incidenter.")
    assert analysis.status == Status.FOLLOWED_UP and analysis.follow_up == "Inga incidenter."


def test_cancel_after_sharing_tells_the_party_offices(officer, shared, party_contact):
    OutboxMessage.objects.all().delete()
    services.body_analysis_cancel(actor=officer, analysis=shared)
    assert OutboxMessage.objects.filter(to=party_contact.email).exists()


def test_cancel_a_draft_tells_nobody(officer, body_analysis):
    OutboxMessage.objects.all().delete()
    analysis = services.body_analysis_cancel(actor=officer, analysis=body_analysis)
    assert analysis.status == Status.CANCELLED
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("persona", ["handler", "party_contact", "other_officer"])
def test_only_the_bodys_officer_moves_the_analysis(request, persona, body_analysis):
    with pytest.raises(PermissionDenied):
        services.body_analysis_mark_ready(actor=request.getfixturevalue(persona), analysis=body_analysis)


# ---------------------------------------------------------------- the checklist on an analysis


def test_record_checklist_notes_done_items_and_their_roles(officer, body_analysis, checklist):
    first, second, third = checklist.items.order_by("position")[:3]
    services.body_analysis_record_checklist(actor=officer, analysis=body_analysis, entries=[
        CheckEntry(first, True, "Nämndsekreterare"), CheckEntry(second, True, ""), CheckEntry(third, False)])
    checks = {c.item_id: c for c in ChecklistCheck.objects.filter(analysis=body_analysis)}
    assert checks[first.pk].done and checks[first.pk].done_by_role == "Nämndsekreterare"
    assert checks[second.pk].done_by_role == second.responsible_role  # the item's role by default
    assert third.pk not in checks  # nothing to record
    assert checks[first.pk].recorded_by == officer and checks[first.pk].item_text == first.text
    assert AuditEvent.objects.get(action="body_analysis_checklist").reason.startswith("2/10 done")


def test_record_checklist_keeps_the_text_when_the_item_changes(officer, body_analysis, checklist):
    item = checklist.items.first()
    services.body_analysis_record_checklist(actor=officer, analysis=body_analysis, entries=[CheckEntry(item, True)])
    services.checklist_item_update(actor=officer, item=item, phase="before", text="Ny text", responsible_role="X",
                                   position=1)
    assert ChecklistCheck.objects.get(item=item).item_text != "Ny text"


def test_record_checklist_refuses_a_removed_item(officer, body_analysis, checklist):
    item = checklist.items.first()
    services.checklist_item_remove(actor=officer, item=item)
    with pytest.raises(ValidationError):
        services.body_analysis_record_checklist(actor=officer, analysis=body_analysis,
                                                entries=[CheckEntry(item, True)])


def test_record_checklist_refuses_another_bodys_item(officer, other_officer, other_body, body_analysis, checklist):
    theirs = services.checklist_create_from_template(actor=other_officer, body=other_body).items.first()
    with pytest.raises(ValidationError):
        services.body_analysis_record_checklist(actor=officer, analysis=body_analysis,
                                                entries=[CheckEntry(theirs, True)])


@pytest.mark.parametrize("start", [Status.FOLLOWED_UP, Status.CANCELLED])
def test_record_checklist_from_illegal_states(officer, member, checklist, start):
    analysis = _to(make_body_analysis(officer, [member]), start, officer)
    with pytest.raises(InvalidTransition):
        services.body_analysis_record_checklist(actor=officer, analysis=analysis,
                                                entries=[CheckEntry(checklist.items.first(), True)])


def test_record_checklist_by_the_security_unit_is_refused(handler, body_analysis, checklist):
    with pytest.raises(PermissionDenied):
        services.body_analysis_record_checklist(actor=handler, analysis=body_analysis,
                                                entries=[CheckEntry(checklist.items.first(), True)])


# ---------------------------------------------------------------- checklists and the template


def test_checklist_is_a_copy_of_the_template(officer, body):
    template = list(ChecklistTemplateItem.objects.filter(active=True).order_by("position"))
    assert len(template) == 10  # the shipped starting template
    checklist = services.checklist_create_from_template(actor=officer, body=body)
    items = list(checklist.items.order_by("position"))
    assert [i.text for i in items] == [t.text for t in template]
    assert all(i.template_item_id for i in items)


def test_checklist_is_made_once(officer, body, checklist):
    with pytest.raises(ValidationError):
        services.checklist_create_from_template(actor=officer, body=body)


def test_checklist_of_another_body_is_refused(officer, other_body):
    with pytest.raises(PermissionDenied):
        services.checklist_create_from_template(actor=officer, body=other_body)


def test_new_template_items_are_offered_and_removed_ones_not_again(officer, admin_user, checklist):
    removed = checklist.items.first()
    services.checklist_item_remove(actor=officer, item=removed)
    new = services.template_item_add(actor=admin_user, phase="after", text="Skicka tack", responsible_role="Ordf.")
    assert list(services.template_items_missing(checklist)) == [new]
    assert services.checklist_add_template_items(actor=officer, checklist=checklist) == 1
    assert services.checklist_add_template_items(actor=officer, checklist=checklist) == 0
    assert not BodyChecklistItem.objects.get(pk=removed.pk).active


def test_checklist_item_add_and_validation(officer, checklist):
    item = services.checklist_item_add(actor=officer, checklist=checklist, phase="during", text="Lås bakdörren",
                                       responsible_role="Vaktmästare")
    assert item.position > checklist.items.exclude(pk=item.pk).order_by("-position").first().position
    with pytest.raises(ValidationError) as exc:
        services.checklist_item_add(actor=officer, checklist=checklist, phase="during", text=" ",
                                    responsible_role="")
    assert set(exc.value.message_dict) == {"text", "responsible_role"}


def test_checklist_item_remove_twice_is_refused(officer, checklist):
    item = checklist.items.first()
    services.checklist_item_remove(actor=officer, item=item)
    with pytest.raises(InvalidTransition):
        services.checklist_item_remove(actor=officer, item=item)


def test_checklist_change_by_the_security_unit_is_refused(handler, checklist):
    with pytest.raises(PermissionDenied):
        services.checklist_item_add(actor=handler, checklist=checklist, phase="before", text="X",
                                    responsible_role="Y")


def test_template_changes_leave_copies_alone(admin_user, officer, checklist):
    template_item = ChecklistTemplateItem.objects.order_by("position").first()
    services.template_item_update(actor=admin_user, item=template_item, phase="before", text="Ändrad",
                                  responsible_role="Z", position=5)
    assert checklist.items.get(template_item=template_item).text != "Ändrad"
    services.template_item_remove(actor=admin_user, item=template_item)
    assert not ChecklistTemplateItem.objects.get(pk=template_item.pk).active
    assert AuditEvent.objects.filter(action__in=["template_item_update", "template_item_remove"]).count() == 2


@pytest.mark.parametrize("persona", ["handler", "officer", "party_contact"])
def test_only_an_administrator_edits_the_template(db, request, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.template_item_add(actor=actor, phase="before", text="X", responsible_role="Y")
    with pytest.raises(PermissionDenied):
        services.template_item_remove(actor=actor, item=ChecklistTemplateItem.objects.first())


def test_dates_are_local(officer, member):
    analysis = make_body_analysis(officer, [member], occurs_on=timezone.localdate())
    assert analysis.occurs_on == timezone.localdate()
