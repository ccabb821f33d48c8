"""Who may see and do what with reports, cases, notes and attachments — the ONE place for
these rules (STYLE.md › Where things live; issue 3).

How access is decided, and why it holds "from that moment":

* The security unit (role security_handler) sees and acts on everything.
* A party security contact (role party_contact with `user.party` set) sees the reports and
  cases of officials whose *current* party is theirs. Nothing about the party is stored on a
  report or case, and the role and party are read on every request, so the moment a member
  changes party, or the contact loses the role or the party, the next query no longer matches.
* An official (role official) sees the reports they filed, the cases where they are the
  official, and what they were granted per object: on filing, every affected official gets a
  `view_report` grant, and when a report joins a case its affected officials get `view_case`
  (django-guardian, direct foreign-key tables `ReportUserObjectPermission` and
  `CaseUserObjectPermission`). The assigned handler holds `change_case` on their case. Grants
  are made only in `incidents.services` and only count while the person holds the role.
* The on-call officer sees urgent reports (the policy's urgent kinds, or marked urgent in
  triage). Other roles (the approver first) see cases through scopes that other apps register
  in `incidents.hooks.register_case_scope` (view only).
* An administrator reads no case contents unless also in the security unit; a superuser flag
  grants nothing here.
* Notes, contacts and documents marked security-unit-only are shown to the security unit only.

Views fetch through `get_case_for_user` / `get_report_for_user` / `get_attachment_for_user`
(404 when the user may not see it, 403 when they may see it but not do the action); lists
through `cases_for_user` / `reports_for_user`; buttons through `available_actions`, which the
services call too (`require`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from accounts.models import User
from accounts.request_cache import memoized
from accounts.roles import Role
from officials.models import Official

from . import hooks
from .models import Attachment, Campaign, Case, CaseNote, Report


class CaseAction:
    VIEW = "view"
    CHANGE = "change"  # assign, priority, status, contacts, assessments, support, police, documents
    ADD_NOTE = "add_note"
    VIEW_CONFIDENTIAL = "view_confidential"
    EXPORT = "export"  # the evidence package for the police
    CAMPAIGN = "campaign"
    # The party's view on the link to the assignment: the party office of the official's party,
    # never another party's, never the official themselves (the municipality's view is CHANGE).
    RECORD_PARTY_VIEW = "record_party_view"


class ReportAction:
    VIEW = "view"
    TRIAGE = "triage"
    OPEN_CASE = "open_case"
    JOIN_CASE = "join_case"
    ADD_ATTACHMENT = "add_attachment"


class AttachmentAction:
    VIEW = "view"
    DOWNLOAD = "download"


NOTHING: frozenset[str] = frozenset()


def _active(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_security_unit(user: User) -> bool:
    return _active(user) and user.has_role(Role.SECURITY_HANDLER)


def can_view_confidential(user: User) -> bool:
    return is_security_unit(user)


def party_contact_party_id(user: User) -> int | None:
    if _active(user) and user.has_role(Role.PARTY_CONTACT) and user.party_id:
        party_id: int = user.party_id
        return party_id
    return None


def is_official(user: User) -> bool:
    """Whether `user` is an official, who follows their own reports and cases (`my_cases`)."""
    return _active(user) and user.has_role(Role.OFFICIAL)


def is_on_call(user: User) -> bool:
    return _active(user) and user.has_role(Role.ON_CALL)


def may_list_cases(user: User) -> bool:
    """Whether `user` reaches the case list: the security unit, a party office, and the roles
    that other apps give a case scope (`hooks.register_case_scope`) — each sees what
    `cases_for_user` selects."""
    return (is_security_unit(user) or party_contact_party_id(user) is not None
            or (_active(user) and any(hooks.case_scopes(role) for role in user.roles)))


def may_view_urgent_reports(user: User) -> bool:
    """The list of urgent reports: the on-call officer's, and the security unit's."""
    return is_on_call(user) or is_security_unit(user)


def granted(user: User, perm: str, model: type[Model]) -> QuerySet[Any, dict[str, Any]]:
    """The objects a person holds a direct guardian grant on (never through superuser or
    global permissions)."""
    objects: QuerySet[Any] = get_objects_for_user(user, perm, klass=model, use_groups=False, with_superuser=False,
                                                  accept_global_perms=False)
    return objects.values("pk")


# ---------------------------------------------------------------- scoping selectors

def own_reports_q(user: User, *, by_ids: bool = False) -> Q:
    """The reports an official sees as the person concerned: those they filed and those granted
    to them (filed on their behalf). `by_ids` reads the granted ids first (one small query), so
    that a list's OR can use the indexes instead of reading every report."""
    granted_reports = granted(user, "incidents.view_report", Report)
    if by_ids:
        return Q(filed_by=user) | Q(pk__in=list(granted_reports.values_list("pk", flat=True)))
    return Q(filed_by=user) | Q(pk__in=granted_reports)


def own_cases_q(user: User, *, by_ids: bool = False) -> Q:
    """The cases an official sees as the person concerned: their own and those granted to them.
    `by_ids` as for `own_reports_q` (two small queries)."""
    granted_cases = granted(user, "incidents.view_case", Case)
    if by_ids:
        return (Q(official_id__in=list(Official.objects.filter(user=user).values_list("pk", flat=True)))
                | Q(pk__in=list(granted_cases.values_list("pk", flat=True))))
    return Q(official__user=user) | Q(pk__in=granted_cases)


def reports_for_user(user: User) -> QuerySet[Report]:
    qs = Report.objects.all()
    if not _active(user):
        return qs.none()
    if is_security_unit(user):
        return qs
    q = Q()
    matched = False
    if user.has_role(Role.OFFICIAL):
        q |= own_reports_q(user)
        matched = True
    party_id = party_contact_party_id(user)
    if party_id:
        q |= Q(pk__in=Report.affected_officials.through.objects.filter(official__party_id=party_id)
               .values("report_id"))
        matched = True
    if user.has_role(Role.ON_CALL):
        q |= Q(urgent=True)
        matched = True
    return qs.filter(q) if matched else qs.none()


def cases_for_user(user: User) -> QuerySet[Case]:
    qs = Case.objects.all()
    if not _active(user):
        return qs.none()
    if is_security_unit(user):
        return qs
    q = Q()
    matched = False
    if user.has_role(Role.OFFICIAL):
        q |= own_cases_q(user)
        matched = True
    party_id = party_contact_party_id(user)
    if party_id:
        q |= Q(official__party_id=party_id)
        matched = True
    for role in sorted(user.roles):
        for scope in hooks.case_scopes(role):
            q |= scope(user)
            matched = True
    return qs.filter(q) if matched else qs.none()


def notes_for_user(user: User, case: Case) -> QuerySet[CaseNote]:
    qs = case.notes.all()
    return qs if can_view_confidential(user) else qs.filter(confidential=False)


def attachments_for_user(user: User) -> QuerySet[Attachment]:
    qs = Attachment.objects.all()
    if not _active(user):
        return qs.none()
    if is_security_unit(user):
        return qs
    return qs.filter(
        Q(report__in=reports_for_user(user).values("pk")) | Q(case__in=cases_for_user(user).values("pk")),
        confidential=False,
    )


# ---------------------------------------------------------------- filing

def files_reports(user: User) -> bool:
    """Whether `user` is one who files reports: the security unit (for anyone), a party office (for
    its members), an official (for themselves). No query: the menu asks it on every page;
    `can_file_report` adds that an official must be on record."""
    return is_security_unit(user) or party_contact_party_id(user) is not None or is_official(user)


def can_file_report(user: User) -> bool:
    if not files_reports(user):
        return False
    if is_security_unit(user) or party_contact_party_id(user):
        return True
    return own_official(user) is not None


def _officials() -> QuerySet[Official]:
    return Official.objects.select_related("party").only("id", "first_name", "last_name", "party__abbreviation",
                                                         "party__name", "user_id", "responsibility_ended_on")


def own_official(user: User) -> Official | None:
    """The person's own record as an official, if any: read once per request (the filing page's
    permission check, its form and the filing service all ask)."""
    if not _active(user):
        return None
    return memoized(f"incidents.own_official:{user.pk}", lambda: _officials().filter(user=user).first())


def fileable_officials(user: User) -> QuerySet[Official]:
    """The officials this user may file a report for: the security unit for anyone, a party
    contact for their own party's members, an official for themselves (`may_file_for` is the
    same rule for officials already read)."""
    qs = _officials()
    if not _active(user):
        return qs.none()
    if is_security_unit(user):
        return qs
    q = Q()
    matched = False
    party_id = party_contact_party_id(user)
    if party_id:
        q |= Q(party_id=party_id)
        matched = True
    if user.has_role(Role.OFFICIAL):
        q |= Q(user=user)
        matched = True
    return qs.filter(q) if matched else qs.none()


def may_file_for(user: User, officials: Iterable[Official]) -> bool:
    """Whether `user` may file a report about every one of `officials`: the rule of
    `fileable_officials`, applied to officials already read (no query)."""
    if not _active(user):
        return False
    if is_security_unit(user):
        return True
    party_id = party_contact_party_id(user)
    as_official = user.has_role(Role.OFFICIAL)
    return all((party_id is not None and o.party_id == party_id) or (as_official and o.user_id == user.pk)
               for o in officials)


# ---------------------------------------------------------------- actions

def available_actions(obj: Case | Report | CaseNote | Attachment, user: User, *,
                      visible: bool | None = None) -> frozenset[str]:
    """The actions `user` may take on a report, case, note or attachment. `visible=True` when the
    caller already fetched `obj` through the scoping selector (saves a query)."""
    if isinstance(obj, Case):
        return _case_actions(obj, user, visible)
    if isinstance(obj, Report):
        return _report_actions(obj, user, visible)
    if isinstance(obj, CaseNote):
        if obj.confidential and not can_view_confidential(user):
            return NOTHING
        return frozenset({CaseAction.VIEW}) if _case_actions(obj.case, user, visible) else NOTHING
    if isinstance(obj, Attachment):
        return _attachment_actions(obj, user, visible)
    raise TypeError(f"no rules for {type(obj).__name__}")


def _case_actions(case: Case, user: User, visible: bool | None) -> frozenset[str]:
    if not _active(user):
        return NOTHING
    party_view = {CaseAction.RECORD_PARTY_VIEW} if speaks_for_the_party(case, user) else set()
    if is_security_unit(user):
        actions = {CaseAction.VIEW, CaseAction.CHANGE, CaseAction.ADD_NOTE, CaseAction.VIEW_CONFIDENTIAL,
                   CaseAction.EXPORT, CaseAction.CAMPAIGN}
        return frozenset(actions | party_view)
    if visible is None:
        visible = cases_for_user(user).filter(pk=case.pk).exists()
    return frozenset({CaseAction.VIEW} | party_view) if visible else NOTHING


def speaks_for_the_party(case: Case, user: User) -> bool:
    """Whether `user` records the party's view on `case`: a party contact of the official's current
    party (read now, like the party office's access), who is not the official themselves. No query:
    the case's official is read with it."""
    party_id = party_contact_party_id(user)
    official = case.official
    return party_id is not None and official.party_id == party_id and official.user_id != user.pk


def _report_actions(report: Report, user: User, visible: bool | None) -> frozenset[str]:
    if not _active(user):
        return NOTHING
    if is_security_unit(user):
        actions = {ReportAction.VIEW, ReportAction.ADD_ATTACHMENT}
        if report.case_id is None:
            actions |= {ReportAction.TRIAGE, ReportAction.OPEN_CASE, ReportAction.JOIN_CASE}
        return frozenset(actions)
    if visible is None:
        visible = reports_for_user(user).filter(pk=report.pk).exists()
    if not visible:
        return NOTHING
    actions = {ReportAction.VIEW}
    if report.filed_by_id == user.pk and (user.has_role(Role.OFFICIAL) or party_contact_party_id(user)):
        actions.add(ReportAction.ADD_ATTACHMENT)
    return frozenset(actions)


def _attachment_actions(attachment: Attachment, user: User, visible: bool | None) -> frozenset[str]:
    if not _active(user):
        return NOTHING
    if is_security_unit(user):
        return frozenset({AttachmentAction.VIEW, AttachmentAction.DOWNLOAD})
    if attachment.confidential:
        return NOTHING
    if visible is None:
        visible = attachments_for_user(user).filter(pk=attachment.pk).exists()
    return frozenset({AttachmentAction.VIEW, AttachmentAction.DOWNLOAD}) if visible else NOTHING


def require(obj: Case | Report | CaseNote | Attachment, user: User, action: str) -> None:
    """Raise PermissionDenied unless `user` may do `action` on `obj` (services call this)."""
    if action not in available_actions(obj, user):
        raise PermissionDenied


def require_security_unit(user: User) -> None:
    if not is_security_unit(user):
        raise PermissionDenied


# ---------------------------------------------------------------- fetch-and-check

def get_case_for_user(user: User, pk: int | str, action: str = CaseAction.VIEW, *,
                      extend: Callable[[QuerySet[Case]], QuerySet[Case]] | None = None) -> Case:
    """`extend` adds to the query (the case page: what it shows with the case)."""
    qs = cases_for_user(user).select_related("official__party", "handler", "opened_by")
    case = (extend(qs) if extend else qs).filter(pk=_int(pk)).first()
    if case is None:
        raise Http404
    if action not in available_actions(case, user, visible=True):
        raise PermissionDenied
    return case


def get_report_for_user(user: User, pk: int | str, action: str = ReportAction.VIEW) -> Report:
    report = (reports_for_user(user).select_related("filed_by", "handler", "case")
              .prefetch_related("kinds", "affected_officials__party").filter(pk=_int(pk)).first())
    if report is None:
        raise Http404
    if action not in available_actions(report, user, visible=True):
        raise PermissionDenied
    return report


def get_attachment_for_user(user: User, pk: int | str, action: str = AttachmentAction.DOWNLOAD) -> Attachment:
    attachment = attachments_for_user(user).select_related("report", "case").filter(pk=_int(pk)).first()
    if attachment is None:
        raise Http404
    if action not in available_actions(attachment, user, visible=True):
        raise PermissionDenied
    return attachment


def get_campaign_for_user(user: User, pk: int | str) -> Campaign:
    """Campaigns group cases across officials: the security unit only (403 for everyone else)."""
    require_security_unit(user)
    campaign = Campaign.objects.select_related("created_by").filter(pk=_int(pk)).first()
    if campaign is None:
        raise Http404
    return campaign


def _int(pk: int | str) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
