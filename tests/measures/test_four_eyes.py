"""No path — service, form, URL, admin or the database itself — lets a proposer decide their own
proposal. The approver role comes from the policy: Sigtuna's deputy municipal director (role
approver), Stockholm's security chief (role security_chief), or — where four eyes still leave
someone — the security unit itself."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import user_set_roles
from measures import services
from measures.models import Measure, MeasureStatus
from measures.permissions import MeasureAction, available_actions
from measures.services import FourEyesViolation
from tests.factories import UserFactory

from .conftest import make_measure, propose

pytestmark = pytest.mark.django_db
S = MeasureStatus


# ---------------------------------------------------------------- the service

def test_approve_rejects_self_approval_when_the_proposer_holds_the_approver_role(case, handler):
    """A handler who is also the approver (Sigtuna: both roles) never decides their own proposal."""
    user_set_roles(actor=None, user=handler, roles={Role.SECURITY_HANDLER, Role.APPROVER})
    assert handler.has_role(Role.APPROVER)
    measure = propose(handler, case)
    with pytest.raises(FourEyesViolation):
        services.measure_approve(actor=handler, measure=measure)
    with pytest.raises(FourEyesViolation):
        services.measure_reject(actor=handler, measure=measure, reason="nej")
    measure.refresh_from_db()
    assert (measure.status, measure.decided_by) == (S.PROPOSED, None)
    assert MeasureAction.APPROVE not in available_actions(measure, handler)


def test_stockholm_the_security_chief_decides_not_any_handler(stockholm, case, handler, other_handler, approver,
                                                              chief):
    measure = propose(handler, case)
    with pytest.raises(FourEyesViolation):
        services.measure_approve(actor=handler, measure=measure)
    for outsider in (other_handler, approver):  # another handler, or Sigtuna's approver role: no say here
        with pytest.raises(PermissionDenied):
            services.measure_approve(actor=outsider, measure=measure)
    measure = services.measure_approve(actor=chief, measure=measure, reason="Säkerhetschefen beviljar.")
    assert (measure.status, measure.decided_by) == (S.APPROVED, chief)


def test_a_chief_who_is_also_a_handler_never_decides_their_own_proposal(stockholm, case, handler, chief):
    user_set_roles(actor=None, user=chief, roles={Role.SECURITY_CHIEF, Role.SECURITY_HANDLER})
    measure = propose(chief, case)
    with pytest.raises(FourEyesViolation):
        services.measure_approve(actor=chief, measure=measure)
    assert MeasureAction.APPROVE not in available_actions(measure, chief)
    other = propose(handler, case, code="cameras")
    assert services.measure_approve(actor=chief, measure=other).decided_by == chief


def test_where_the_unit_decides_another_handler_decides(unit_decides, case, handler, other_handler, approver):
    measure = propose(handler, case)
    with pytest.raises(FourEyesViolation):
        services.measure_approve(actor=handler, measure=measure)
    with pytest.raises(PermissionDenied):
        services.measure_approve(actor=approver, measure=measure)
    assert services.measure_approve(actor=other_handler, measure=measure).decided_by == other_handler


def test_sigtuna_the_approver_role_decides(case, handler, other_handler, approver):
    measure = propose(handler, case)
    with pytest.raises(PermissionDenied):
        services.measure_approve(actor=other_handler, measure=measure)
    assert services.measure_approve(actor=approver, measure=measure).decided_by == approver


def test_stockholm_proposal_notifies_the_security_chief_only(
        stockholm, case, handler, other_handler, approver, chief, django_capture_on_commit_callbacks):
    from .conftest import all_sent, clear_outbox

    clear_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        propose(handler, case)
    sent = all_sent()
    assert {m.to for m in sent} == {chief.email}
    # In the chief's language (Swedish), naming the unit and the title the policy gives.
    assert "Säkerhetsavdelningen, stadsledningskontoret" in sent[0].body and "Säkerhetschef" in sent[0].body


# ---------------------------------------------------------------- the database

def test_database_refuses_self_decision_on_update(case, handler, approver):
    measure = make_measure(case, S.APPROVED, proposer=handler, decider=approver)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(decided_by=handler)


def test_database_refuses_self_decision_on_insert(case, handler):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_measure(case, S.APPROVED, proposer=handler, decider=handler)


def test_model_validation_refuses_self_decision(case, handler, approver):
    """Every ModelForm (the admin's too) runs these checks before saving."""
    measure = make_measure(case, S.APPROVED, proposer=handler, decider=approver)
    measure.decided_by = handler
    with pytest.raises(ValidationError):
        measure.full_clean()


def test_database_keeps_one_open_proposal_per_type(case, handler, approver):
    make_measure(case, S.PROPOSED, proposer=handler)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_measure(case, S.PROPOSED, proposer=approver)
    make_measure(case, S.REJECTED, proposer=handler, decider=approver)  # a decided one does not count


def test_database_refuses_decided_state_without_decider(case, handler):
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(case=case, measure_type=make_measure(case, S.PROPOSED, proposer=handler).measure_type,
                               status=S.APPROVED, reason="x", estimated_cost_sek=1, proposed_by=handler,
                               proposed_at=timezone.now())


def test_database_refuses_rejection_without_reason(case, handler, approver):
    measure = make_measure(case, S.PROPOSED, proposer=handler)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(status=S.REJECTED, decided_by=approver,
                                                     decided_at=timezone.now(), decision_reason="")


# ---------------------------------------------------------------- URL and admin

def test_the_decide_url_refuses_the_proposer(client_for, unit_decides, case, handler):
    measure = propose(handler, case)
    client = client_for(handler)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("measures:measure-decide", args=[measure.pk]),
                           {f"m{measure.pk}-decision": "approve"}, follow=True)
    assert response.status_code == 200
    assert "someone else must decide it (four eyes)" in response.content.decode()
    measure.refresh_from_db()
    assert (measure.status, measure.decided_by) == (S.PROPOSED, None)


def test_the_admin_cannot_make_the_proposer_the_decider(client_for, admin_user, case, handler, approver):
    from accounts.roles import Role
    from accounts.services import user_set_roles

    # Measures are case contents: only an administrator who is also in the security unit opens them.
    user_set_roles(actor=None, user=admin_user, roles={Role.ADMINISTRATOR, Role.SECURITY_HANDLER})
    measure = make_measure(case, S.APPROVED, proposer=handler, decider=approver)
    client = client_for(admin_user)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decided_by": handler.pk, "details": "Ändrat", "supplier": "", "order_reference": "",
                                 "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
                                 "events-MIN_NUM_FORMS": "0", "events-MAX_NUM_FORMS": "1000"})
    assert response.status_code in (200, 302)
    measure.refresh_from_db()
    assert measure.decided_by == approver
    assert measure.details == "Ändrat"  # descriptive fields can be corrected; the decider cannot
    assert not client.get(reverse("admin:measures_measure_add")).status_code == 200


def test_an_administrator_outside_the_security_unit_cannot_open_measures_in_the_admin(client_for, admin_user, case,
                                                                                       handler, approver):
    measure = make_measure(case, S.APPROVED, proposer=handler, decider=approver)
    client = client_for(admin_user)
    assert client.get(reverse("admin:measures_measure_change", args=[measure.pk])).status_code in (302, 403, 404)
    assert client.get(reverse("admin:measures_measure_changelist")).status_code == 403


def test_a_superuser_without_the_role_does_not_decide(case, handler):
    boss = UserFactory(username="root", roles=[])
    boss.is_superuser = True
    boss.save()
    measure = propose(handler, case)
    with pytest.raises(PermissionDenied):
        services.measure_approve(actor=boss, measure=measure)
