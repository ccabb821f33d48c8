"""Who may see and do what with assessments, measures, the budget and alarm events — the ONE
place for these rules (STYLE.md › Where things live). Cases are fetched through
`incidents.permissions`, so a case a person may not see stays a 404 here too.

* The security unit (role security_handler) assesses, proposes, orders, marks in place,
  reviews, ends and books costs, and reads everything here.
* Who decides comes from the policy: `Policy.current().approver_role`, one of
  `accounts.roles.DECIDING_ROLES` (Sigtuna: the approver role, the deputy municipal director;
  Stockholm: the security chief, a role of its own). Whoever holds that role approves or rejects
  proposals — never their own (four eyes; the database refuses it too; `Policy.clean` refuses a
  proposing deciding role that four eyes would leave without a decider). A decider outside the
  security unit sees the cases with measures proposed for decision (registered as a case scope
  in `incidents.hooks` for every deciding role), their assessments and measures; never
  confidential notes.
* Who may order comes from the policy's `orderers` (security_unit, technical_office). The
  technical office (role technical_office, Sigtuna's Teknik- och servicekontoret) orders the
  technical measures only — alarms, cameras, locks: the catalogue's data, `MeasureType.technical`
  — from its own queue of approved measures (`order_scope`); it sees nothing else of the case
  but the official's name. The security unit orders itself, or records an order placed through
  the technical office (`Measure.ordered_via`).
* The official sees their decided measures on their own case (a section), never the costs or
  the reasons. The on-call officer sees alarm events and the cases they concern.
* The administrator edits the catalogue and the checklist and sees the budget.

Views fetch through `get_measure_for_user` / `get_case_for_assessment` / `get_alarm_event_for_user`
(404 when the user may not see it, 403 when they may see it but not act); buttons come from
`available_actions`, which the services call too (`require`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TypeGuard

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Policy, User
from accounts.roles import DECIDING_ROLES, Role
from incidents import permissions as case_perms
from incidents.models import Case
from incidents.permissions import CaseAction

from .models import (
    ACTIVE_STATUSES,
    MEASURE_WORKFLOW,
    AlarmEvent,
    Measure,
    MeasureStatus,
    OrderedVia,
)

S = MeasureStatus
NOTHING: frozenset[str] = frozenset()
# How long the on-call officer keeps access to a case after an alarm event on it.
ON_CALL_CASE_DAYS = 30


class MeasureAction:
    VIEW = "view"
    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    ORDER = "order"
    MARK_IN_PLACE = "mark_in_place"
    START_REVIEW = "start_review"
    FINISH_REVIEW = "finish_review"
    END = "end"
    BOOK_COST = "book_cost"


class AlarmAction:
    VIEW = "view"
    ACKNOWLEDGE = "acknowledge"


def _active(user: User | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_security_unit(user: User | None) -> bool:
    return user is not None and case_perms.is_security_unit(user)


def approver_role(policy: Policy | None = None) -> str:
    return str((policy or Policy.current()).approver_role)


def holds_approver_role(user: User | None, policy: Policy | None = None) -> bool:
    return _active(user) and user.has_role(approver_role(policy))


def is_technical_office(user: User | None) -> bool:
    return _active(user) and user.has_role(Role.TECHNICAL_OFFICE)


def is_outside_approver(user: User | None, policy: Policy | None = None) -> bool:
    """An approver who is not in the security unit (Sigtuna's deputy municipal director)."""
    return holds_approver_role(user, policy) and not is_security_unit(user)


# ---------------------------------------------------------------- scopes

def approver_case_scope(user: User) -> Q:
    """For `incidents.hooks.register_case_scope(role, …)` of each deciding role: the cases with a measure
    proposed for decision (waiting, or decided by them or a fellow approver, so that a decision
    made a moment before by someone else is still seen). Nothing when the policy gives the
    decisions to another role."""
    if not holds_approver_role(user):
        return Q(pk__in=[])
    return Q(pk__in=Measure.objects.exclude(status=S.WITHDRAWN).values("case_id"))


def on_call_case_scope(user: User) -> Q:
    """For `register_case_scope(Role.ON_CALL, …)`: cases with an alarm event in the last 30 days."""
    since = timezone.now() - timedelta(days=ON_CALL_CASE_DAYS)
    return Q(pk__in=AlarmEvent.objects.filter(received_at__gte=since).values("case_id"))


def measures_for_user(user: User | None, policy: Policy | None = None) -> QuerySet[Measure]:
    qs = Measure.objects.all()
    if not _active(user):
        return qs.none()
    if is_security_unit(user):
        return qs
    if holds_approver_role(user, policy):
        return qs.filter(case__in=case_perms.cases_for_user(user).values("pk"))
    return qs.none()


def alarm_events_for_user(user: User | None) -> QuerySet[AlarmEvent]:
    qs = AlarmEvent.objects.all()
    if can_view_alarms(user):
        return qs
    return qs.none()


# ---------------------------------------------------------------- page-level rules
# The menu (`apps.py`) asks the same rules as the pages: those that need no policy, so that the
# menu costs no query; whoever the policy adds (its approver role) reaches the page from home.

def has_budget_role(user: User | None) -> bool:
    """The security unit, the deciding roles and the administrator follow the budget."""
    return _active(user) and user.has_role(Role.ADMINISTRATOR, *DECIDING_ROLES)


def can_view_budget(user: User | None) -> bool:
    """Those with a budget role, and whoever the policy makes the decider."""
    return has_budget_role(user) or holds_approver_role(user)


def can_manage_catalogue(user: User | None) -> bool:
    """The measure catalogue and the checklist are reference data: the administrator's."""
    return _active(user) and user.has_role(Role.ADMINISTRATOR)


def can_use_inbox(user: User | None, policy: Policy | None = None) -> bool:
    """The approver decides there; the security unit follows what waits for a decision."""
    return _active(user) and (holds_approver_role(user, policy) or is_security_unit(user))


def can_open_inbox(user: User | None) -> bool:
    """The inbox opens for the deciding roles and the security unit — under a policy that gives the
    decisions to another role, a deciding role is told who decides (see `can_use_inbox`)."""
    return _active(user) and user.has_role(*DECIDING_ROLES)


def can_open_order_queue(user: User | None) -> bool:
    """The queue of approved measures to order opens for the security unit and the technical
    office — under a policy that does not let the technical office order, it is told so (see
    `order_scope`)."""
    return _active(user) and user.has_role(Role.SECURITY_HANDLER, Role.TECHNICAL_OFFICE)


def can_view_alarms(user: User | None) -> bool:
    return _active(user) and user.has_role(Role.ON_CALL, Role.SECURITY_HANDLER)


def can_list_measures(user: User | None) -> bool:
    return is_security_unit(user)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# ---------------------------------------------------------------- cases: assessments and proposals

def can_view_assessments(user: User | None, case: Case, policy: Policy | None = None) -> bool:
    """The security unit, and the approver on a case they can see (it has a proposal for them)."""
    return is_security_unit(user) or (user is not None and holds_approver_role(user, policy)
                                      and case_perms.cases_for_user(user).filter(pk=case.pk).exists())


def can_assess(user: User | None, case: Case) -> bool:
    return is_security_unit(user) and case.is_open


def can_propose(user: User | None, case: Case) -> bool:
    return is_security_unit(user) and case.is_open


def get_case_for_assessment(user: User, pk: int | str, *, write: bool = False) -> Case:
    """A case for the assessment and proposal pages: 404 when the user may not see the case,
    403 when they may see it but not read assessments (or, with `write`, not assess)."""
    if write:
        case = case_perms.get_case_for_user(user, pk, CaseAction.CHANGE)
        require(can_assess(user, case))
        return case
    case = case_perms.get_case_for_user(user, pk, CaseAction.VIEW)
    require(can_view_assessments(user, case))
    return case


def require_assess(user: User | None, case: Case) -> None:
    """For the services: the unit, on a case it may change, that is open."""
    if user is None or not is_security_unit(user) or CaseAction.CHANGE not in case_perms.available_actions(case, user):
        raise PermissionDenied
    if not case.is_open:
        raise PermissionDenied


# ---------------------------------------------------------------- measures

def available_actions(measure: Measure, user: User | None, *, policy: Policy | None = None,
                      visible: bool | None = None) -> frozenset[str]:
    """The actions `user` may take on `measure` now. The services call the same rules."""
    if not _active(user):
        return NOTHING
    policy = policy or Policy.current()
    unit = is_security_unit(user)
    decider = holds_approver_role(user, policy)
    if not unit and not decider:
        # The technical office: only the order of an approved measure it may order (its queue).
        if measure.status == S.APPROVED and measure.measure_type.requires_order and order_choices(measure, policy,
                                                                                                   user):
            return frozenset({MeasureAction.ORDER})
        return NOTHING
    if not unit:
        if visible is None:
            visible = measures_for_user(user, policy).filter(pk=measure.pk).exists()
        if not visible:
            return NOTHING
    actions = {MeasureAction.VIEW}
    status = measure.status
    moves = MEASURE_WORKFLOW.targets(status)
    if decider and S.APPROVED in moves and measure.proposed_by_id != user.pk:
        actions |= {MeasureAction.APPROVE, MeasureAction.REJECT}
    if S.ORDERED in moves and order_choices(measure, policy, user):
        actions.add(MeasureAction.ORDER)
    if unit:
        if S.WITHDRAWN in moves:
            actions.add(MeasureAction.WITHDRAW)
        # In place from the table's other ways there: not a review's end, nor before a needed order.
        if status == S.ORDERED or (status == S.APPROVED and not measure.measure_type.requires_order):
            actions.add(MeasureAction.MARK_IN_PLACE)
        if S.UNDER_REVIEW in moves:
            actions.add(MeasureAction.START_REVIEW)
        if status == S.UNDER_REVIEW:
            actions.add(MeasureAction.FINISH_REVIEW)
        if S.ENDED in moves:
            actions.add(MeasureAction.END)
        if status in (*ACTIVE_STATUSES, S.ENDED):
            actions.add(MeasureAction.BOOK_COST)
    return frozenset(actions)


def order_choices(measure: Measure, policy: Policy | None = None, user: User | None = None) -> list[str]:
    """Through whom `user` may order this measure under the policy (`Measure.ordered_via`): the
    security unit orders itself, or records an order placed through the technical office; the
    technical office orders itself. The technical office orders technical measures only (the
    catalogue's `MeasureType.technical`: alarms, cameras, locks). Without `user`: every way the
    policy allows for the measure."""
    orderers = set((policy or Policy.current()).orderers or [])
    unit = user is None or is_security_unit(user)
    office = user is None or is_technical_office(user)
    choices = []
    if unit and OrderedVia.SECURITY_UNIT in orderers:
        choices.append(OrderedVia.SECURITY_UNIT.value)
    if (unit or office) and OrderedVia.TECHNICAL_OFFICE in orderers and measure.measure_type.technical:
        choices.append(OrderedVia.TECHNICAL_OFFICE.value)
    return choices


def order_scope(user: User | None, policy: Policy | None = None) -> Q | None:
    """The measures whose type `user` may order under the policy (None: the policy lets them order
    nothing) — the same rule as `order_choices`. The queue is those of them approved and waiting
    (`order_queue_q`)."""
    if not _active(user):
        return None
    orderers = set((policy or Policy.current()).orderers or [])
    technical = Q(measure_type__technical=True)
    if is_security_unit(user):
        if OrderedVia.SECURITY_UNIT in orderers:
            return Q()
        return technical if OrderedVia.TECHNICAL_OFFICE in orderers else None
    if is_technical_office(user) and OrderedVia.TECHNICAL_OFFICE in orderers:
        return technical
    return None


# Approved and waiting for its order: a measure type that is ordered at all (`requires_order`).
order_queue_q = Q(status=S.APPROVED, measure_type__requires_order=True)


def get_measure_to_order(user: User, pk: int | str, policy: Policy | None = None) -> Measure:
    """A measure for the order queue's order action: 403 for whom the policy lets order nothing,
    404 for a measure of a type they may not order (the technical office never learns of the
    others). Whether it still waits for its order is the service's check (state before actor)."""
    policy = policy or Policy.current()
    scope = order_scope(user, policy)
    if scope is None:
        raise PermissionDenied
    measure = (Measure.objects.filter(scope).select_related("case__official", "measure_type")
               .filter(pk=_int(pk)).first())
    if measure is None:
        raise Http404
    return measure


def require_action(measure: Measure, user: User | None, action: str, *, policy: Policy | None = None) -> None:
    if action not in available_actions(measure, user, policy=policy):
        raise PermissionDenied


def get_measure_for_user(user: User, pk: int | str, action: str = MeasureAction.VIEW, *,
                         policy: Policy | None = None) -> Measure:
    policy = policy or Policy.current()
    measure = (measures_for_user(user, policy)
               .select_related("case__official__party", "measure_type", "proposed_by", "decided_by", "ordered_by",
                               "ended_by", "assessment", "alarm_provider")
               .filter(pk=_int(pk)).first())
    if measure is None:
        raise Http404
    if action not in available_actions(measure, user, policy=policy, visible=True):
        raise PermissionDenied
    return measure


# ---------------------------------------------------------------- alarm events

def alarm_actions(event: AlarmEvent, user: User | None) -> frozenset[str]:
    if not can_view_alarms(user):
        return NOTHING
    actions = {AlarmAction.VIEW}
    if event.acknowledged_at is None:
        actions.add(AlarmAction.ACKNOWLEDGE)
    return frozenset(actions)


def get_alarm_event_for_user(user: User, pk: int | str, action: str = AlarmAction.VIEW) -> AlarmEvent:
    if not can_view_alarms(user):
        raise PermissionDenied
    event = (alarm_events_for_user(user)
             .select_related("case__official", "measure__measure_type", "provider", "acknowledged_by")
             .filter(pk=_int(pk)).first())
    if event is None:
        raise Http404
    if action not in alarm_actions(event, user):
        raise PermissionDenied
    return event


def _int(pk: int | str) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
