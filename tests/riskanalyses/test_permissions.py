"""The one permissions module: a party contact sees their own party's analyses (and body analyses
shared with them), a body officer their body's, the security unit all; everyone else 404."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from riskanalyses import permissions as perms
from riskanalyses import selectors
from riskanalyses.permissions import BodyAction, PartyAction

from .conftest import make_body_analysis, make_party_analysis

# ---------------------------------------------------------------- party analyses


def test_party_contact_sees_own_partys_analysis(party_contact, analysis):
    assert perms.get_party_analysis_for_user(party_contact, analysis.pk) == analysis
    assert list(perms.party_analyses_for_user(party_contact)) == [analysis]


def test_other_party_gets_404(other_party_contact, analysis):
    with pytest.raises(Http404):
        perms.get_party_analysis_for_user(other_party_contact, analysis.pk)
    assert not perms.party_analyses_for_user(other_party_contact).exists()


def test_security_unit_sees_every_partys_analyses(handler, analysis, other_party_contact, other_member):
    theirs = make_party_analysis(other_party_contact, [other_member])
    assert set(perms.party_analyses_for_user(handler)) == {analysis, theirs}
    assert perms.get_party_analysis_for_user(handler, theirs.pk) == theirs


@pytest.mark.parametrize("persona", ["official", "body_officer", "approver", "on_call", "admin_user"])
def test_everyone_else_gets_404_on_a_party_analysis(request, persona, analysis):
    user = request.getfixturevalue(persona)
    with pytest.raises(Http404):
        perms.get_party_analysis_for_user(user, analysis.pk)
    assert not perms.party_analyses_for_user(user).exists()


def test_a_contact_who_loses_the_party_loses_access(party_contact, analysis):
    party_contact.party = None
    party_contact.save()
    with pytest.raises(Http404):
        perms.get_party_analysis_for_user(party_contact, analysis.pk)


def test_an_inactive_contact_sees_nothing(party_contact, analysis):
    party_contact.is_active = False
    party_contact.save()
    assert not perms.party_analyses_for_user(party_contact).exists()


def test_security_unit_may_view_but_not_edit_a_party_analysis(handler, analysis):
    with pytest.raises(PermissionDenied):
        perms.get_party_analysis_for_user(handler, analysis.pk, PartyAction.EDIT)


def test_actions_follow_the_status(party_contact, handler, analysis, escalated):
    assert perms.available_actions(analysis, party_contact) == {"view", "edit", "judge", "escalate", "close"}
    assert perms.available_actions(escalated, party_contact) == {"view", "edit", "close"}
    assert perms.available_actions(escalated, handler) == {"view", "answer"}
    assert perms.available_actions(analysis, handler) == {"view"}


def test_bad_ids_are_404(party_contact):
    for pk in ("abc", None, 999999):
        with pytest.raises(Http404):
            perms.get_party_analysis_for_user(party_contact, pk)


def test_members_to_choose_are_the_partys_own(party_contact, member, other_member):
    assert list(perms.selectable_members(party_contact)) == [member]


# ---------------------------------------------------------------- body analyses


def test_officer_sees_own_bodys_analysis(officer, body_analysis):
    assert perms.get_body_analysis_for_user(officer, body_analysis.pk) == body_analysis
    assert BodyAction.EDIT in perms.available_actions(body_analysis, officer)


def test_other_bodys_officer_gets_404(other_officer, body_analysis):
    with pytest.raises(Http404):
        perms.get_body_analysis_for_user(other_officer, body_analysis.pk)


def test_officer_without_a_body_sees_nothing(body_officer, db):
    assert perms.officer_body_id(body_officer) is None
    assert not perms.body_analyses_for_user(body_officer).exists()


def test_security_unit_views_body_analyses_but_does_not_act(handler, body_analysis):
    assert perms.get_body_analysis_for_user(handler, body_analysis.pk) == body_analysis
    assert perms.available_actions(body_analysis, handler) == {"view"}
    with pytest.raises(PermissionDenied):
        perms.get_body_analysis_for_user(handler, body_analysis.pk, BodyAction.MARK_READY)


def test_a_draft_is_not_shared_with_party_offices(party_contact, body_analysis):
    with pytest.raises(Http404):
        perms.get_body_analysis_for_user(party_contact, body_analysis.pk)


def test_a_ready_analysis_is_shared_with_participants_party_offices(party_contact, other_party_contact, shared):
    assert perms.get_body_analysis_for_user(party_contact, shared.pk) == shared
    assert perms.get_body_analysis_for_user(other_party_contact, shared.pk) == shared
    assert perms.available_actions(shared, party_contact) == {"view"}


def test_a_party_without_members_taking_part_gets_404(officer, member, other_party_contact):
    from riskanalyses import services

    analysis = services.body_analysis_mark_ready(actor=officer, analysis=make_body_analysis(officer, [member]))
    with pytest.raises(Http404):
        perms.get_body_analysis_for_user(other_party_contact, analysis.pk)
    assert not perms.body_analyses_for_user(other_party_contact).exists()


def test_sharing_follows_the_members_current_party(officer, member, party_contact, other_party, other_party_contact):
    from riskanalyses import services

    analysis = services.body_analysis_mark_ready(actor=officer, analysis=make_body_analysis(officer, [member]))
    member.party = other_party
    member.save()
    with pytest.raises(Http404):
        perms.get_body_analysis_for_user(party_contact, analysis.pk)
    assert perms.get_body_analysis_for_user(other_party_contact, analysis.pk) == analysis


def test_a_party_contact_sees_only_own_members_by_name(party_contact, shared, member, other_member):
    seen = selectors.visible_participants(shared, party_contact)
    assert seen.named == [member] and seen.others == 1


def test_the_officer_and_the_unit_see_every_participant(officer, handler, shared, member, other_member):
    for user in (officer, handler):
        seen = selectors.visible_participants(shared, user)
        assert set(seen.named) == {member, other_member} and seen.others == 0


@pytest.mark.parametrize("persona", ["official", "approver", "on_call", "admin_user"])
def test_everyone_else_gets_404_on_a_body_analysis(request, persona, shared):
    user = request.getfixturevalue(persona)
    with pytest.raises(Http404):
        perms.get_body_analysis_for_user(user, shared.pk)


# ---------------------------------------------------------------- checklists and template


def test_checklist_access(officer, other_officer, handler, party_contact, body):
    assert perms.get_body_for_checklist(officer, body.pk, "edit") == body
    assert perms.get_body_for_checklist(handler, body.pk) == body
    with pytest.raises(PermissionDenied):
        perms.get_body_for_checklist(handler, body.pk, "edit")
    for user in (other_officer, party_contact):
        with pytest.raises(Http404):
            perms.get_body_for_checklist(user, body.pk)


def test_template_items_are_for_administrators(admin_user, handler):
    from riskanalyses.models import ChecklistTemplateItem

    item = ChecklistTemplateItem.objects.first()
    assert perms.get_template_item_for_user(admin_user, item.pk) == item
    with pytest.raises(Http404):
        perms.get_template_item_for_user(handler, item.pk)
