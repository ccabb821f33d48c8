"""The decider is the role the policy names (Sigtuna: the approver role, titled biträdande
kommundirektör; Stockholm: the security chief, a role of its own): what they see, their home
panel and inbox, and the e-mails that carry the policy's title."""

import pytest
from django.urls import reverse

from incidents.permissions import cases_for_user
from measures import permissions as perms
from measures import services
from measures.models import MeasureStatus
from measures.permissions import MeasureAction

from .conftest import assess, clear_outbox, propose, sent_to

pytestmark = pytest.mark.django_db
S = MeasureStatus


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def proposal(case, handler):
    assess(handler, case)
    return propose(handler, case)


def test_the_stockholm_chief_sees_the_case_with_a_proposal_and_decides(stockholm, proposal, chief, other_case):
    assert list(cases_for_user(chief)) == [proposal.case]
    assert perms.available_actions(proposal, chief) == {MeasureAction.VIEW, MeasureAction.APPROVE,
                                                       MeasureAction.REJECT}


def test_the_chief_sees_nothing_where_another_role_decides(proposal, chief):
    """Sigtuna: the approver role decides; the security chief holds no decision there."""
    assert not cases_for_user(chief).exists()
    assert perms.available_actions(proposal, chief) == frozenset()
    assert not perms.can_use_inbox(chief)


def test_the_chiefs_home_panel_and_inbox_under_stockholm(client_for, en, stockholm, proposal, chief):
    client = client_for(chief)
    assert "1 proposal waits for your decision" in client.get(reverse("accounts:home")).content.decode()
    html = client.get(reverse("measures:measure-inbox")).content.decode()
    assert "Proposals from Säkerhetsavdelningen, stadsledningskontoret waiting for your decision as Säkerhetschef" \
        in html
    assert f"m{proposal.pk}-decision" in html


def test_the_chief_is_told_who_decides_under_sigtuna(client_for, en, proposal, chief):
    client = client_for(chief)
    assert "measures are decided by: Biträdande kommundirektör" in client.get(reverse("accounts:home")
                                                                               ).content.decode()
    response = client.get(reverse("measures:measure-inbox"))
    assert response.status_code == 200 and f"m{proposal.pk}-decision" not in response.content.decode()


def test_the_chief_may_not_decide_under_sigtuna(client_for, proposal, chief):
    response = client_for(chief).post(reverse("measures:measure-decide", args=[proposal.pk]),
                                      {f"m{proposal.pk}-decision": "approve"})
    assert response.status_code == 404  # the case is not theirs to see there
    proposal.refresh_from_db()
    assert proposal.status == S.PROPOSED


def test_the_handler_is_not_the_decider_under_stockholm(client_for, stockholm, proposal, other_handler):
    response = client_for(other_handler).post(reverse("measures:measure-decide", args=[proposal.pk]),
                                              {f"m{proposal.pk}-decision": "approve"})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == S.PROPOSED


def test_the_e_mails_carry_the_policys_title(case, handler, approver, official, django_capture_on_commit_callbacks):
    for user in (approver, handler, official):
        user.language = "en"
        user.save()
    clear_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        measure = propose(handler, case)
    [to_approver] = sent_to(approver)
    assert "Trygghetsenheten has proposed a measure" in to_approver.body
    assert "waits for your decision as Biträdande kommundirektör" in to_approver.body
    with django_capture_on_commit_callbacks(execute=True):
        services.measure_approve(actor=approver, measure=measure)
    [to_proposer] = sent_to(handler)
    assert to_proposer.body.startswith("Biträdande kommundirektör has decided on your proposal")
    [to_official] = [m for m in sent_to(official) if "protective measure" in m.body]
    assert to_official.body.startswith("Biträdande kommundirektör has decided on a protective measure")
    assert measure.reason not in to_official.body  # the reasons never go by e-mail
