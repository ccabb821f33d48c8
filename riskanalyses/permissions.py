"""Who may see and do what with risk analyses outside cases — the ONE place for these rules.

* The security unit (role security_handler) sees every analysis: the party offices' and the
  bodies'. It answers escalated party analyses; it changes nothing else.
* A party security contact (role party_contact with `user.party` set) sees, records, judges,
  escalates and closes the analyses of their own party, and no other party's.
* A body officer (role body_officer with `user.body` set) records and runs the analyses of their
  own committee or company and keeps its checklist.
* Body analyses are shared with the party offices whose members take part: once the body has
  made an analysis ready (`shared_at` set), a party contact sees it when at least one of the
  officials taking part is a member of their party — read from the official's *current* party
  on every request, as incidents does.
* What a party contact sees of a shared body analysis (our choice, see also
  `selectors.visible_participants`): the activity, the risk and consequence analysis, the measures
  and the checklist — but among the officials taking part only their own party's members by name;
  the others are a count ("and 6 others"), so that no party office learns from Värn which other
  parties' members attend. The checklist shows the role that did each item, not the name of the
  body officer who recorded it. The body's free-text fields are shared as written, and the form
  tells the body officer so ("describe people by role, not by name").
* Administrators edit the checklist template; they see no analysis unless they also hold one of
  the roles above. The superuser flag grants nothing here.
* Everyone else: 404 on any analysis or checklist, 403 on the pages for creating them.

Views fetch through the `get_*_for_user` helpers (404 when the user may not see the object, 403
when they may see it but not do the action) — never `get_object_or_404`; lists through the
`*_for_user` scopes; buttons through `available_actions`, which the services call too (`require`).
"""

from __future__ import annotations

from datetime import date
from typing import TypeGuard

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.roles import Role
from officials.models import Body, Official

from .models import (
    BODY_WORKFLOW,
    PARTY_WORKFLOW,
    BodyChecklist,
    BodyChecklistItem,
    BodyRiskAnalysis,
    ChecklistTemplateItem,
    PartyRiskAnalysis,
)


class PartyAction:
    VIEW = "view"
    EDIT = "edit"
    JUDGE = "judge"
    ESCALATE = "escalate"
    ANSWER = "answer"
    CLOSE = "close"


class BodyAction:
    VIEW = "view"
    EDIT = "edit"
    CHECKLIST = "checklist"
    MARK_READY = "mark_ready"
    REOPEN = "reopen"
    FOLLOW_UP = "follow_up"
    CANCEL = "cancel"


class ChecklistAction:
    VIEW = "view"
    EDIT = "edit"


# The moves and the status each leads to: offered when the workflow's table allows it.
PARTY_MOVES = {PartyAction.JUDGE: "judged", PartyAction.ESCALATE: "escalated", PartyAction.CLOSE: "closed"}
BODY_MOVES = {BodyAction.MARK_READY: "ready", BodyAction.REOPEN: "draft", BodyAction.FOLLOW_UP: "followed_up",
              BodyAction.CANCEL: "cancelled"}
BODY_EDITABLE = frozenset({BodyRiskAnalysis.Status.DRAFT, BodyRiskAnalysis.Status.READY})

NOTHING: frozenset[str] = frozenset()


# ---------------------------------------------------------------- who the user is


def _active(user: User | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_security_unit(user: User | None) -> bool:
    return _active(user) and user.has_role(Role.SECURITY_HANDLER)


def contact_party_id(user: User | None) -> int | None:
    """The party of a party security contact, or None."""
    if _active(user) and user.has_role(Role.PARTY_CONTACT) and user.party_id:
        return user.party_id
    return None


def officer_body_id(user: User | None) -> int | None:
    """The committee or company of a body officer, or None."""
    if _active(user) and user.has_role(Role.BODY_OFFICER) and user.body_id:
        return user.body_id
    return None


def is_body_officer(user: User | None) -> bool:
    """A body officer, whether or not their account is linked to a body yet (the pages tell them
    to ask the administrator)."""
    return _active(user) and user.has_role(Role.BODY_OFFICER)


def is_administrator(user: User | None) -> bool:
    return _active(user) and user.has_role(Role.ADMINISTRATOR)


# ---------------------------------------------------------------- role-level checks (403)
# The menu (`apps.py`) asks these too, so that it never offers a page that would refuse.


def can_record_party_analysis(user: User | None) -> bool:
    return contact_party_id(user) is not None


def can_list_party_analyses(user: User | None) -> bool:
    return is_security_unit(user) or contact_party_id(user) is not None


def can_record_body_analysis(user: User | None) -> bool:
    return officer_body_id(user) is not None


def can_list_body_analyses(user: User | None) -> bool:
    return is_security_unit(user) or contact_party_id(user) is not None or is_body_officer(user)


def can_open_own_checklist(user: User | None) -> bool:
    """A body officer's own body's checklist ("Our checklist")."""
    return officer_body_id(user) is not None


def can_edit_template(user: User | None) -> bool:
    return is_administrator(user)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# ---------------------------------------------------------------- scoping selectors


def party_analyses_for_user(user: User | None) -> QuerySet[PartyRiskAnalysis]:
    qs = PartyRiskAnalysis.objects.all()
    if is_security_unit(user):
        return qs
    party_id = contact_party_id(user)
    return qs.filter(party_id=party_id) if party_id else qs.none()


def _shared_with_party(party_id: int) -> Q:
    through = BodyRiskAnalysis.participants.through
    return Q(shared_at__isnull=False,
             pk__in=through.objects.filter(official__party_id=party_id).values("bodyriskanalysis_id"))


def body_analyses_for_user(user: User | None) -> QuerySet[BodyRiskAnalysis]:
    qs = BodyRiskAnalysis.objects.all()
    if is_security_unit(user):
        return qs
    q = Q()
    matched = False
    body_id = officer_body_id(user)
    if body_id:
        q |= Q(body_id=body_id)
        matched = True
    party_id = contact_party_id(user)
    if party_id:
        q |= _shared_with_party(party_id)
        matched = True
    return qs.filter(q) if matched else qs.none()


def selectable_members(user: User | None, analysis: PartyRiskAnalysis | None = None) -> QuerySet[Official]:
    """The officials a party contact may name on their party's analysis: their party's members,
    plus those already on the analysis (a member who has since left the party is kept)."""
    party_id = analysis.party_id if analysis is not None else contact_party_id(user)
    if party_id is None:
        return Official.objects.none()
    q = Q(party_id=party_id)
    if analysis is not None and analysis.pk:
        q |= Q(pk__in=analysis.members.values("pk"))
    return Official.objects.filter(q).select_related("party").order_by("last_name", "first_name", "pk")


def selectable_participants(body: Body, analysis: BodyRiskAnalysis | None = None, *,
                            on: date | None = None) -> QuerySet[Official]:
    """The officials a body officer may list as taking part: those with a current assignment in
    the body, plus those already on the analysis."""
    from officials.models import Assignment

    q = Q(pk__in=Assignment.objects.current(on).filter(body=body).values("official_id"))
    if analysis is not None and analysis.pk:
        q |= Q(pk__in=analysis.participants.values("pk"))
    return Official.objects.filter(q).select_related("party").order_by("last_name", "first_name", "pk")


# ---------------------------------------------------------------- actions


def available_actions(obj: models.Model, user: User | None, *, visible: bool | None = None) -> frozenset[str]:
    """The actions `user` may take on an analysis or checklist. `visible=True` when the caller
    already fetched `obj` through the scoping selector (saves a query)."""
    if isinstance(obj, PartyRiskAnalysis):
        return _party_actions(obj, user)
    if isinstance(obj, BodyRiskAnalysis):
        return _body_actions(obj, user, visible)
    if isinstance(obj, BodyChecklist):
        return checklist_actions(obj.body_id, user)
    if isinstance(obj, BodyChecklistItem):
        return checklist_actions(obj.checklist.body_id, user)
    if isinstance(obj, ChecklistTemplateItem):
        return frozenset({ChecklistAction.VIEW, ChecklistAction.EDIT}) if can_edit_template(user) else NOTHING
    raise TypeError(f"no rules for {type(obj).__name__}")


def _party_actions(analysis: PartyRiskAnalysis, user: User | None) -> frozenset[str]:
    actions: set[str] = set()
    allowed = PARTY_WORKFLOW.targets(analysis.status)
    if is_security_unit(user):
        actions.add(PartyAction.VIEW)
        if "answered" in allowed:
            actions.add(PartyAction.ANSWER)
    if contact_party_id(user) == analysis.party_id:
        actions.add(PartyAction.VIEW)
        if analysis.status != PartyRiskAnalysis.Status.CLOSED:
            actions.add(PartyAction.EDIT)
        actions |= {action for action, to in PARTY_MOVES.items() if to in allowed}
    return frozenset(actions)


def _body_actions(analysis: BodyRiskAnalysis, user: User | None, visible: bool | None) -> frozenset[str]:
    if not _active(user):
        return NOTHING
    actions: set[str] = set()
    if officer_body_id(user) == analysis.body_id:
        actions.add(BodyAction.VIEW)
        if analysis.status in BODY_EDITABLE:
            actions |= {BodyAction.EDIT, BodyAction.CHECKLIST}
        allowed = BODY_WORKFLOW.targets(analysis.status)
        actions |= {action for action, to in BODY_MOVES.items() if to in allowed}
        return frozenset(actions)
    if is_security_unit(user):
        return frozenset({BodyAction.VIEW})
    party_id = contact_party_id(user)
    if party_id and analysis.shared_at is not None:
        if visible is None:
            visible = body_analyses_for_user(user).filter(pk=analysis.pk).exists()
        if visible:
            return frozenset({BodyAction.VIEW})
    return NOTHING


def checklist_actions(body_id: int, user: User | None) -> frozenset[str]:
    """What the user may do with one body's checklist (which may not exist yet)."""
    if officer_body_id(user) == body_id:
        return frozenset({ChecklistAction.VIEW, ChecklistAction.EDIT})
    if is_security_unit(user):
        return frozenset({ChecklistAction.VIEW})
    return NOTHING


def require_action(obj: models.Model, user: User | None, action: str) -> None:
    """Raise PermissionDenied unless `user` may do `action` on `obj` (the services call this)."""
    if action not in available_actions(obj, user):
        raise PermissionDenied


# ---------------------------------------------------------------- fetch-and-check


def _int(pk: int | str) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def get_party_analysis_for_user(user: User, pk: int | str, action: str = PartyAction.VIEW) -> PartyRiskAnalysis:
    analysis = (party_analyses_for_user(user).select_related("party", "created_by", "judged_by", "closed_by")
                .filter(pk=_int(pk)).first())
    if analysis is None:
        raise Http404
    if action not in available_actions(analysis, user):
        raise PermissionDenied
    return analysis


def get_body_analysis_for_user(user: User, pk: int | str, action: str = BodyAction.VIEW) -> BodyRiskAnalysis:
    analysis = body_analyses_for_user(user).select_related("body", "created_by").filter(pk=_int(pk)).first()
    if analysis is None:
        raise Http404
    if action not in available_actions(analysis, user, visible=True):
        raise PermissionDenied
    return analysis


def get_body_for_checklist(user: User, body_pk: int | str, action: str = ChecklistAction.VIEW) -> Body:
    """The body whose checklist the user opens: its own officer, or the security unit (view)."""
    body_pk = _int(body_pk)
    actions = checklist_actions(body_pk, user)
    if not actions:
        raise Http404
    body = Body.objects.filter(pk=body_pk).first()
    if body is None:
        raise Http404
    if action not in actions:
        raise PermissionDenied
    return body


def get_checklist_item_for_user(user: User, pk: int | str, action: str = ChecklistAction.EDIT) -> BodyChecklistItem:
    item = BodyChecklistItem.objects.select_related("checklist__body").filter(pk=_int(pk), active=True).first()
    if item is None:
        raise Http404
    actions = checklist_actions(item.checklist.body_id, user)
    if not actions:
        raise Http404
    if action not in actions:
        raise PermissionDenied
    return item


def get_template_item_for_user(user: User, pk: int | str) -> ChecklistTemplateItem:
    if not can_edit_template(user):
        raise Http404
    item = ChecklistTemplateItem.objects.filter(pk=_int(pk), active=True).first()
    if item is None:
        raise Http404
    return item
