"""Helpers for the measures tests: the Sigtuna policy, a case opened through the incidents
services, and measures in any state."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import Role
from accounts.services import policy_load
from incidents import services as incident_services
from incidents.models import Kind
from measures import services
from measures.models import DECIDED_STATUSES, Measure, MeasureStatus, MeasureType
from officials.models import Official
from tests.factories import UserFactory

S = MeasureStatus


@pytest.fixture(autouse=True)
def policy(db):
    """Sigtuna: the deputy municipal director (role approver) decides; the security unit and the
    technical office order."""
    return policy_load(actor=None, profile="sigtuna")


@pytest.fixture
def stockholm(db):
    """Stockholm: the security chief decides — a role of its own (security_chief), not any handler."""
    return policy_load(actor=None, profile="stockholm")


@pytest.fixture
def chief(db):
    """Stockholm's security chief: the deciding role there, and nothing else."""
    return UserFactory(username="chief", roles=[Role.SECURITY_CHIEF])


@pytest.fixture
def unit_decides(policy, handler, other_handler):
    """A policy that gives the decisions to the security unit itself (allowed with two handlers:
    four eyes still leaves someone to decide each proposal)."""
    policy.approver_role = Role.SECURITY_HANDLER
    policy.approver_title = "Säkerhetschef"
    policy.full_clean()
    policy.save()
    return policy


@pytest.fixture
def technical_office(db):
    """Sigtuna's Teknik- och servicekontoret: orders alarms and cameras from its queue."""
    return UserFactory(username="technical", roles=[Role.TECHNICAL_OFFICE])


@pytest.fixture
def other_approver(db):
    return UserFactory(username="approver2", roles=[Role.APPROVER])


def official_of(user) -> Official:
    return Official.objects.get(user=user)


def file_report(actor, about_user=None, **extra):
    return incident_services.report_file(
        actor=actor, officials=[official_of(about_user or actor)], kinds=extra.pop("kinds", [Kind.THREAT]),
        channel="email", description="Hotfullt mejl.", occurred_at=timezone.now() - dt.timedelta(hours=2), **extra)


@pytest.fixture
def case(official, handler):
    report = file_report(official)
    return incident_services.case_open_from_report(actor=handler, report=report)


@pytest.fixture
def other_case(other_official, handler):
    report = file_report(other_official)
    return incident_services.case_open_from_report(actor=handler, report=report)


def mtype(code: str) -> MeasureType:
    return MeasureType.objects.get(code=code)


def assess(actor, case, *, likelihood=4, consequence=4, level="", level_reason="", answers=None, **extra):
    return services.assessment_create(
        actor=actor, case=case, answers=answers or {"A1": {"answer": "present", "comment": "Hot om våld."}},
        likelihood=likelihood, consequence=consequence, level=level, level_reason=level_reason,
        conclusion=extra.pop("conclusion", "Hög risk: personlarm och kamera föreslås."), with_police=True,
        with_official=True, **extra)


def propose(actor, case, code="personal-alarm", cost=6000, **extra):
    return services.measure_propose(actor=actor, case=case, measure_type=mtype(code), reason="Hot om våld mot hemmet.",
                                     estimated_cost_sek=cost, **extra)


def make_measure(case, status: str, *, proposer, decider=None, code="personal-alarm", cost=6000, **extra) -> Measure:
    """A measure put straight into `status` (valid for every database constraint), for the tests of
    illegal start states."""
    now = timezone.now()
    fields = {"case": case, "measure_type": mtype(code), "status": status, "reason": "Skäl.",
              "estimated_cost_sek": cost, "proposed_by": proposer, "proposed_at": now}
    if status in DECIDED_STATUSES:
        fields.update(decided_by=decider, decided_at=now, decision_reason="Avslås." if status == S.REJECTED else "")
    if status in (S.IN_PLACE, S.UNDER_REVIEW):
        fields.update(in_place_on=timezone.localdate(), review_on=timezone.localdate() + dt.timedelta(days=30))
    if status == S.ENDED:
        fields.update(ended_at=now, end_reason="Klart.")
    fields.update(extra)
    return Measure.objects.create(**fields)


def sent_to(user) -> list:
    """The e-mails queued for `user` (the outbox rows written with the change; delivery is the
    outbox's business, tested in accounts)."""
    from core.models import OutboxMessage

    return list(OutboxMessage.objects.filter(to=user.email))


def all_sent() -> list:
    from core.models import OutboxMessage

    return list(OutboxMessage.objects.all())


def clear_outbox() -> None:
    """Forget what earlier steps queued (reports filed, cases opened), to look at one step."""
    from core.models import OutboxMessage

    OutboxMessage.objects.all().delete()
