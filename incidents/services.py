"""Every write to reports, cases and evidence (STYLE.md › Services).

Each service is keyword-only and atomic, checks the actor through `incidents.permissions`,
locks the row it changes, writes an audit row (never with report contents or note text), and
queues its e-mails through the outbox inside the same transaction — so filing never fails when
the broker or the mail server is down. No e-mail carries a report's contents or a note: only
that something happened, with a link to log in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm
from guardian.utils import get_user_obj_perms_model

from accounts.models import Policy, User
from accounts.roles import Role
from core.audit import audit_change
from core.notify import absolute_url, each_language, notify_many, tell, users_with_role
from core.workflow import lock, transition
from officials.models import Official

from . import permissions as perms
from . import signals
from .evidence import check_upload
from .identifiers import identifiers_of
from .models import (
    CASE_WORKFLOW,
    OPEN_STATUSES,
    REPORT_WORKFLOW,
    WORK_ORDER,
    Attachment,
    Campaign,
    Case,
    CaseContact,
    CaseEvent,
    CaseNote,
    CaseStatus,
    CaseStatusChange,
    Kind,
    LinkAssessment,
    Perpetrator,
    PerpetratorIdentifier,
    Priority,
    Report,
    ReportKind,
    SupportOffer,
    WorkDone,
    YesNoUnsure,
)
from .permissions import CaseAction, ReportAction

# ---------------------------------------------------------------- helpers


def _users_in_roles(*roles: str) -> dict[str, list[User]]:
    """`core.notify.users_with_role` for several roles in one query: {role: [user, …]}, a person
    in two roles being the same object in both lists."""
    by_role: dict[str, list[User]] = {role: [] for role in roles}
    users: dict[int, User] = {}
    memberships = (User.groups.through.objects
                   .filter(group__name__in=roles, user__is_active=True).exclude(user__email="")
                   .select_related("user", "group").order_by("user_id"))
    for membership in memberships:
        by_role[membership.group.name].append(users.setdefault(membership.user_id, membership.user))
    return by_role


def _grant(perm: str, user: User | None, obj: models.Model) -> None:
    if user is not None and user.is_active:
        assign_perm(perm, user, obj)


def _grant_many(perm: str, users: Iterable[User | None], obj: models.Model) -> None:
    """`_grant` to several people in one insert of guardian's direct-foreign-key rows, the
    permission's id read inside it (`perm` is "app_label.codename")."""
    active = [u for u in users if u is not None and u.is_active]
    if not active:
        return
    app_label, codename = perm.split(".")
    permission = Subquery(Permission.objects.filter(
        codename=codename, content_type__app_label=app_label,
        content_type__model=obj._meta.model_name).values("pk")[:1])
    model = get_user_obj_perms_model(obj)
    model._default_manager.bulk_create([model(permission_id=permission, user=u, content_object=obj) for u in active],
                              ignore_conflicts=True)


def _touch(case: Case, when: datetime | None = None) -> None:
    case.last_activity_at = when or timezone.now()
    case.save(update_fields=["last_activity_at"])


def _lock_case(case: Case) -> Case:
    return lock(case, related=["official"])


def _require_handler(user: User | None) -> None:
    if user is None or not perms.is_security_unit(user):
        raise ValidationError({"handler": _("The handler must belong to the security unit.")})


# ---------------------------------------------------------------- filing

@transaction.atomic
def report_file(*, actor: User, officials: Iterable[Official], kinds: Iterable[str], channel: str, description: str,
                occurred_at: datetime | None = None, period_start: date | None = None,
                period_end: date | None = None, severity: str = Report.Severity.INCIDENT, injury: bool = False,
                place: str = "", linked_to_assignment: str = YesNoUnsure.UNSURE,
                hate_crime_motive: str = Report.HateMotive.NONE, police_reported: bool = False,
                police_report_date: date | None = None, police_reference: str = "",
                perpetrators: Iterable[dict[str, Any]] = (), files: Iterable[UploadedFile[bytes]] = (),
                now: datetime | None = None) -> Report:
    """File a report for one or more officials: by the official, or on their behalf by their
    party office or the security unit."""
    now = now or timezone.now()
    officials = list(officials)
    if not perms.can_file_report(actor):
        raise PermissionDenied
    if not officials:
        raise ValidationError({"officials": _("Choose the official the report is about.")})
    if not perms.may_file_for(actor, officials):
        raise PermissionDenied
    kinds = sorted(set(kinds))
    if not kinds:
        raise ValidationError({"kinds": _("Choose at least one kind.")})
    unknown = set(kinds) - set(Kind.values)
    if unknown:
        raise ValidationError({"kinds": _("Unknown kind: %(kinds)s") % {"kinds": ", ".join(sorted(unknown))}})
    if injury:  # anything that caused injury is always an incident
        severity = Report.Severity.INCIDENT
    if occurred_at and occurred_at > now + timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("The time cannot be in the future.")})
    if period_start and period_start > timezone.localdate(now):
        raise ValidationError({"period_start": _("The period cannot start in the future.")})
    # The rules of the report's check constraints, with their messages (see `full_clean` below).
    if not occurred_at and not period_start:
        raise ValidationError({"occurred_at": _("Give when it happened, or the period it went on.")})
    if period_end and not period_start:
        raise ValidationError({"period_start": _("Give when the period started.")})
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if not police_reported:
        police_report_date, police_reference = None, ""

    policy = Policy.current()
    report = Report(
        filed_by=actor, filed_at=now, on_behalf=not any(o.user_id == actor.pk for o in officials),
        occurred_at=occurred_at, period_start=period_start, period_end=period_end, severity=severity,
        injury=injury, channel=channel, place=place.strip(), description=description.strip(),
        linked_to_assignment=linked_to_assignment, hate_crime_motive=hate_crime_motive,
        police_reported=police_reported, police_report_date=police_report_date,
        police_reference=police_reference.strip(), urgent=bool(set(kinds) & set(policy.urgent_kinds or [])),
    )
    # The check constraints are the rules checked above (and the database enforces them):
    # validating them here would cost a savepoint and a query each. The actor is the person
    # logged in, whose row need not be looked up again.
    report.full_clean(exclude=["filed_by"], validate_constraints=False)
    report.save()
    report.affected_officials.add(*officials)
    ReportKind.objects.bulk_create([ReportKind(report=report, kind=k) for k in kinds])
    _add_perpetrators(report, perpetrators)
    for upload in files:
        _store_attachment(actor=actor, upload=upload, report=report)
    people = _users_of(officials, actor)
    _grant_many("incidents.view_report", [people[o.user_id] for o in officials if o.user_id in people], report)
    audit_change(actor=actor, action="report_file", obj=report, to_state=report.status,
                 official_id=officials[0].pk, reason="on behalf" if report.on_behalf else "")
    _notify_filed(report, officials, people, policy, now)
    signals.report_filed.send(sender=Report, report=report, actor=actor)
    return report


def _users_of(officials: list[Official], actor: User) -> dict[int, User]:
    """The user accounts of `officials` that have one, by id: the actor's own without a query,
    the others' in one."""
    ids = {o.user_id for o in officials if o.user_id}
    people = {actor.pk: actor} if actor.pk in ids else {}
    if ids - set(people):
        people.update((u.pk, u) for u in User.objects.filter(pk__in=ids - set(people)))
    return people


def _add_perpetrators(report: Report, perpetrators: Iterable[dict[str, Any]]) -> list[Perpetrator]:
    """The perpetrators described (those with anything in them) and their normalised identifiers,
    in two inserts."""
    added: list[tuple[Perpetrator, list[tuple[str, str]]]] = []
    for data in perpetrators:
        fields = {k: (data.get(k) or "").strip() for k in ("name", "alias", "handle", "phone", "email")}
        if not any(fields.values()) and not data.get("known"):
            continue
        perpetrator = Perpetrator(report=report, known=bool(data.get("known")), **fields)
        perpetrator.full_clean(exclude=["report"])  # the report was saved a moment ago
        added.append((perpetrator, sorted(identifiers_of(**fields))))
    if not added:
        return []
    Perpetrator.objects.bulk_create([perpetrator for perpetrator, _found in added])
    PerpetratorIdentifier.objects.bulk_create([
        PerpetratorIdentifier(perpetrator=perpetrator, report=report, kind=kind, value=value)
        for perpetrator, found in added for kind, value in found
    ])
    return [perpetrator for perpetrator, _found in added]


def _notify_filed(report: Report, officials: list[Official], people: dict[int, User], policy: Policy,
                  now: datetime) -> None:
    """The security unit (and the on-call officer when the report is urgent or comes outside
    office hours), the unit's mailbox, the person who filed and the officials filed for: one
    query for the staff to tell, one insert for all the e-mails."""
    link = absolute_url("incidents:report-detail", report.pk)
    ref = report.reference
    outside = not policy.is_office_hours(now)
    tell_on_call = report.urgent or outside
    staff = _users_in_roles(Role.SECURITY_HANDLER, *([Role.ON_CALL] if tell_on_call else []))
    handlers = staff[Role.SECURITY_HANDLER]
    on_call = [u for u in staff.get(Role.ON_CALL, []) if u not in handlers]
    messages = each_language(
        handlers + on_call,
        lambda: (_("Urgent incident report %(ref)s") if report.urgent else _("New incident report %(ref)s"))
        % {"ref": ref},
        lambda: _("A new incident report (%(ref)s) has been filed in Värn. Log in to read it:\n%(link)s\n\n"
                  "The report's contents are never sent by e-mail.") % {"ref": ref, "link": link},
    )
    if policy.unit_email:
        messages.append(([policy.unit_email], _("New incident report %(ref)s") % {"ref": ref},
                         _("A new incident report (%(ref)s) has been filed in Värn. Log in to read it:\n%(link)s")
                         % {"ref": ref, "link": link}))
    receipt = absolute_url("incidents:report-receipt", report.pk)
    messages += each_language(
        [report.filed_by],
        lambda: _("Your incident report %(ref)s has been received") % {"ref": ref},
        lambda: _("Thank you. Your incident report %(ref)s has been received by %(unit)s, which will contact you. "
                  "You can follow it here:\n%(link)s\n\nIn immediate danger: call 112 or use your personal alarm.")
        % {"ref": ref, "link": receipt, "unit": policy.unit_name},
    )
    if report.on_behalf:
        about = [people[o.user_id] for o in officials
                 if o.user_id in people and o.user_id != report.filed_by_id and people[o.user_id].is_active]
        messages += each_language(
            about,
            lambda: _("An incident report has been filed for you"),
            lambda: _("An incident report (%(ref)s) concerning you has been filed with %(unit)s. Log in to read it "
                      "and follow it:\n%(link)s") % {"ref": ref, "link": absolute_url("incidents:my-cases"),
                                                     "unit": policy.unit_name},
        )
    notify_many(messages)


# ---------------------------------------------------------------- evidence

def _store_attachment(*, actor: User, upload: UploadedFile[bytes], report: Report | None = None,
                      case: Case | None = None, confidential: bool = False) -> Attachment:
    checked = check_upload(upload)
    attachment = Attachment(report=report, case=case, original_name=checked.original_name,
                            mimetype=checked.mimetype, size=checked.size, sha256=checked.sha256,
                            confidential=confidential, uploaded_by=actor)
    attachment.file.save("evidence", File(upload), save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit_change(actor=actor, action="attachment_add", obj=attachment, to_state=checked.sha256,
                 case_id=case.pk if case else (report.case_id if report else None))
    return attachment


@transaction.atomic
def attachment_add(*, actor: User, upload: UploadedFile[bytes], report: Report | None = None,
                   case: Case | None = None, confidential: bool = False) -> Attachment:
    """Add evidence to a report, or a document to a case. Refused (ValidationError) unless the
    content is an accepted type within the policy's size limit."""
    if (report is None) == (case is None):
        raise ValueError("attachment_add() needs exactly one of report and case")
    if report is not None:
        perms.require(report, actor, ReportAction.ADD_ATTACHMENT)
        confidential = confidential and perms.is_security_unit(actor)
        attachment = _store_attachment(actor=actor, upload=upload, report=report, confidential=confidential)
        if report.case_id:
            _touch(Case.objects.select_for_update().get(pk=report.case_id))
        return attachment
    assert case is not None  # exactly one of the two, checked above
    perms.require(case, actor, CaseAction.CHANGE)
    locked = _lock_case(case)
    attachment = _store_attachment(actor=actor, upload=upload, case=locked, confidential=confidential)
    _touch(locked)
    return attachment
# ---------------------------------------------------------------- triage

@transaction.atomic
def report_triage(*, actor: User, report: Report, priority: str, handler: User | None = None) -> Report:
    """Set a report's priority and handler. A report marked urgent is shown to the on-call
    officer, who is told at once."""
    perms.require(report, actor, ReportAction.TRIAGE)
    report = lock(report)
    REPORT_WORKFLOW.check(report.status, Report.Status.TRIAGED)
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Choose a priority.")})
    if handler is not None:
        _require_handler(handler)
    before = f"{report.status}/{report.priority or '-'}/{report.handler_id or '-'}"
    became_urgent = priority == Priority.URGENT and not report.urgent
    report.priority = priority
    report.urgent = report.urgent or priority == Priority.URGENT
    new_handler = handler is not None and handler.pk != report.handler_id
    report.handler = handler if handler is not None else report.handler
    report.status = Report.Status.TRIAGED
    report.triaged_at = timezone.now()
    report.full_clean()
    report.save(update_fields=["priority", "urgent", "handler", "status", "triaged_at"])
    audit_change(actor=actor, action="report_triage", obj=report, from_state=before,
                 to_state=f"{report.status}/{report.priority}/{report.handler_id or '-'}")
    link = absolute_url("incidents:report-detail", report.pk)
    if handler is not None and new_handler and handler.pk != actor.pk:
        tell([handler], lambda: _("Incident report %(ref)s assigned to you") % {"ref": report.reference},
             lambda: _("Incident report %(ref)s has been assigned to you. Log in to read it:\n%(link)s")
             % {"ref": report.reference, "link": link})
    if became_urgent:
        tell([u for u in users_with_role(Role.ON_CALL) if u.pk != actor.pk],
             lambda: _("Urgent incident report %(ref)s") % {"ref": report.reference},
             lambda: _("Incident report %(ref)s has been marked urgent. Log in to read it:\n%(link)s")
             % {"ref": report.reference, "link": link})
    return report


def _report_into_case(report: Report, case: Case) -> None:
    """The report (locked, checked against `REPORT_WORKFLOW`) joins `case`."""
    report.case = case
    report.status = Report.Status.IN_CASE
    report.save(update_fields=["case", "status"])


@transaction.atomic
def case_open_from_report(*, actor: User, report: Report, official: Official | None = None,
                          title: str = "") -> Case:
    """Open a new case from a report. The case's official is the one given (one of the report's
    affected officials) or the report's first affected official."""
    perms.require(report, actor, ReportAction.OPEN_CASE)
    report = lock(report)
    REPORT_WORKFLOW.check(report.status, Report.Status.IN_CASE)
    affected = list(report.affected_officials.select_related("user", "party").order_by("pk"))
    if official is None:
        official = affected[0]
    elif official.pk not in {o.pk for o in affected}:
        raise ValidationError({"official": _("The case's official must be one of the report's affected officials.")})
    now = timezone.now()
    case = Case(official=official, title=title.strip(), status=CaseStatus.NEW,
                priority=report.priority or Priority.NORMAL, handler=report.handler, opened_at=now,
                opened_by=actor, last_activity_at=now)
    case.full_clean()
    case.save()
    CaseStatusChange.objects.create(case=case, from_status="", to_status=CaseStatus.NEW, actor=actor, at=now)
    _report_into_case(report, case)
    for person in affected:
        if person.user_id:
            _grant("incidents.view_case", person.user, case)
    if case.handler_id:
        _grant("incidents.change_case", case.handler, case)
    audit_change(actor=actor, action="case_open", obj=case, to_state=case.status,
                 reason=f"from {report.reference}")
    audit_change(actor=actor, action="report_join_case", obj=report, from_state="", to_state=case.reference,
                 case_id=case.pk, official_id=official.pk)
    _notify_case_opened(case)
    signals.case_opened.send(sender=Case, case=case, report=report, actor=actor)
    return case


def _notify_case_opened(case: Case) -> None:
    official = case.official
    unit = Policy.current().unit_name
    tell([official.user] if official.user_id else [],
         lambda: _("%(unit)s has opened a case for you") % {"unit": unit},
         lambda: _("%(unit)s has opened case %(ref)s for your report. Log in to follow it:\n%(link)s")
         % {"unit": unit, "ref": case.reference, "link": absolute_url("incidents:my-cases")})
    if official.party_id:
        tell(users_with_role(Role.PARTY_CONTACT, party_id=official.party_id),
             lambda: _("A new case concerning a member of your party"),
             lambda: _("%(unit)s has opened a case (%(ref)s) concerning a member of your party. Log in to read it:"
                       "\n%(link)s") % {"unit": unit, "ref": case.reference,
                                        "link": absolute_url("incidents:case-detail", case.pk)})


@transaction.atomic
def report_join_case(*, actor: User, report: Report, case: Case) -> Report:
    """Join a report to an existing open case (an ongoing situation, or the same perpetrator)."""
    perms.require(report, actor, ReportAction.JOIN_CASE)
    perms.require(case, actor, CaseAction.CHANGE)
    report = lock(report)
    case = _lock_case(case)
    REPORT_WORKFLOW.check(report.status, Report.Status.IN_CASE)
    if not case.is_open:
        raise ValidationError({"case": _("Case %(ref)s is closed. Reopen it before joining a report to it.")
                                       % {"ref": case.reference}})
    _report_into_case(report, case)
    for person in report.affected_officials.select_related("user"):
        if person.user_id:
            _grant("incidents.view_case", person.user, case)
    _touch(case)
    audit_change(actor=actor, action="report_join_case", obj=report, from_state="", to_state=case.reference,
                 case_id=case.pk, official_id=case.official_id)
    signals.report_joined_case.send(sender=Case, case=case, report=report, actor=actor)
    return report


# ---------------------------------------------------------------- case handling

@transaction.atomic
def case_assign(*, actor: User, case: Case, handler: User) -> Case:
    perms.require(case, actor, CaseAction.CHANGE)
    _require_handler(handler)
    case = _lock_case(case)
    if case.handler_id == handler.pk:
        return case
    before = case.handler
    if before is not None:
        remove_perm("incidents.change_case", before, case)
    case.handler = handler
    case.save(update_fields=["handler"])
    _grant("incidents.change_case", handler, case)
    _touch(case)
    audit_change(actor=actor, action="case_assign", obj=case, from_state=str(before.pk if before else ""),
                 to_state=str(handler.pk))
    if handler.pk != actor.pk:
        tell([handler], lambda: _("Case %(ref)s assigned to you") % {"ref": case.reference},
             lambda: _("Case %(ref)s has been assigned to you. Log in to read it:\n%(link)s")
             % {"ref": case.reference, "link": absolute_url("incidents:case-detail", case.pk)})
    return case


@transaction.atomic
def case_set_priority(*, actor: User, case: Case, priority: str) -> Case:
    perms.require(case, actor, CaseAction.CHANGE)
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Choose a priority.")})
    case = _lock_case(case)
    if case.priority == priority:
        return case
    before = case.priority
    case.priority = priority
    case.save(update_fields=["priority"])
    _touch(case)
    audit_change(actor=actor, action="case_set_priority", obj=case, from_state=before, to_state=priority)
    return case


def allowed_statuses(case: Case) -> list[str]:
    """The statuses `case` may move to (`CASE_WORKFLOW`); kept for tests/security, which import it."""
    return CASE_WORKFLOW.allowed(case.status)


@transaction.atomic
def case_set_status(*, actor: User, case: Case, to_status: str, comment: str = "") -> Case:
    """Move a case along `CASE_WORKFLOW`, with a row in its status history; the official is told
    (the new status only)."""
    perms.require(case, actor, CaseAction.CHANGE)
    case = _lock_case(case)
    from_status = case.status
    now = timezone.now()

    def update(moved: Case, _from: str) -> list[str]:
        moved.closed_at = now if to_status == CaseStatus.CLOSED else None
        moved.last_activity_at = now
        return ["closed_at", "last_activity_at"]

    def notify(moved: Case, _from: str) -> None:
        official = moved.official
        tell([official.user] if official.user_id else [],
             lambda: _("Your case %(ref)s has a new status") % {"ref": moved.reference},
             lambda: _("The status of your case %(ref)s is now: %(status)s.\nLog in to follow it:\n%(link)s")
             % {"ref": moved.reference, "status": CASE_WORKFLOW.label(to_status),
                "link": absolute_url("incidents:my-cases")})

    case = transition(case, CASE_WORKFLOW, to_status, actor=actor, action="case_set_status", locked=True,
                      update=update, notify=notify)
    CaseStatusChange.objects.create(case=case, from_status=from_status, to_status=to_status, actor=actor, at=now,
                                    comment=comment.strip())
    signals.case_status_changed.send(sender=Case, case=case, from_status=from_status, to_status=to_status,
                                     actor=actor)
    return case


# What each piece of work is called in the audit trail (the trail is not translated).
_WORK_AUDIT = {WorkDone.ASSESSMENT: "assessment recorded", WorkDone.MEASURE_APPROVED: "measure approved",
               WorkDone.MEASURES_IN_PLACE: "measures in place"}


@transaction.atomic
def case_advance_for_work(*, case: Case, reached: str, actor: User | None, reason: str,
                          now: datetime | None = None) -> Case:
    """The work on a case moves its status on by itself: an assessment recorded → being assessed; a
    measure approved → measures; all its open measures in place → monitoring (the apps that hold that
    work call this; `reason` is a `WorkDone`). Each step goes along `CASE_WORKFLOW` through
    `core.workflow.transition` (audited with the reason), with a row in the status history that
    says what moved it — from new to being assessed through triaged, as the table has it.

    Only forward (`WORK_ORDER`): a case already as far or further — also when a handler set it there,
    or set it back later — stays where it is; a closed case is never touched. Idempotent. The
    official is not e-mailed: the work that moved the case tells them what they need to know. No
    permission of the actor's is asked: the work itself was checked by its own service."""
    if reached not in WORK_ORDER[1:]:
        raise ValueError(f"work cannot move a case to {reached!r}")
    if reason not in WorkDone.values:
        raise ValueError(f"unknown work {reason!r}")
    case = _lock_case(case)
    now = now or timezone.now()
    rank = WORK_ORDER.index
    while case.status in WORK_ORDER and rank(case.status) < rank(reached):
        current = rank(case.status)
        steps = [s for s in CASE_WORKFLOW.targets(case.status)
                 if s in WORK_ORDER and current < rank(s) <= rank(reached)]
        if not steps:
            break
        step = max(steps, key=rank)
        from_status = case.status

        def update(moved: Case, _from: str) -> list[str]:
            moved.last_activity_at = max(moved.last_activity_at, now)
            return ["last_activity_at"]

        case = transition(case, CASE_WORKFLOW, step, actor=actor, action="case_advance_for_work", locked=True,
                          update=update, audit_reason=_WORK_AUDIT[WorkDone(reason)])
        CaseStatusChange.objects.create(case=case, from_status=from_status, to_status=step,
                                        actor=actor if actor is not None and actor.is_authenticated else None,
                                        at=now, work_done=reason)
        signals.case_status_changed.send(sender=Case, case=case, from_status=from_status, to_status=step,
                                         actor=actor)
    return case


# ---------------------------------------------------------------- the end of the municipality's responsibility

@transaction.atomic
def cases_record_responsibility_ended(*, official: Official, actor: User | None = None,
                                      now: datetime | None = None) -> list[CaseEvent]:
    """The official's last assignment has ended, and with it the municipality's responsibility
    (`officials.signals.responsibility_ended`): an entry on the timeline of each of their open
    cases, with the date. Idempotent (one entry per case and date)."""
    day = official.responsibility_ended_on
    if day is None:
        return []
    now = now or timezone.now()
    who = actor if actor is not None and actor.is_authenticated else None
    written = []
    for case in Case.objects.select_for_update().filter(official=official, status__in=OPEN_STATUSES).order_by("pk"):
        event, created = CaseEvent.objects.get_or_create(case=case, kind=CaseEvent.Kind.RESPONSIBILITY_ENDED, day=day,
                                                         defaults={"at": now, "actor": who})
        if not created:
            continue
        _touch(case, now)
        audit_change(actor=who, action="case_responsibility_ended", obj=event, to_state=day.isoformat(),
                     case_id=case.pk, official_id=official.pk)
        written.append(event)
    return written


@transaction.atomic
def case_update_title(*, actor: User, case: Case, title: str) -> Case:
    perms.require(case, actor, CaseAction.CHANGE)
    case = _lock_case(case)
    case.title = title.strip()
    case.full_clean()
    case.save(update_fields=["title"])
    audit_change(actor=actor, action="case_update_title", obj=case)
    return case


@transaction.atomic
def case_add_note(*, actor: User, case: Case, text: str, confidential: bool = True) -> CaseNote:
    perms.require(case, actor, CaseAction.ADD_NOTE)
    case = _lock_case(case)
    note = CaseNote(case=case, author=actor, text=text.strip(), confidential=confidential)
    note.full_clean()
    note.save()
    _touch(case, note.created_at)
    audit_change(actor=actor, action="case_add_note", obj=note, to_state="confidential" if confidential else "shared",
                 case_id=case.pk, official_id=case.official_id)
    return note


@transaction.atomic
def case_add_contact(*, actor: User, case: Case, with_whom: str, way: str, summary: str,
                     contacted_at: datetime | None = None, confidential: bool = False,
                     next_contact_on: date | None = None) -> CaseContact:
    perms.require(case, actor, CaseAction.CHANGE)
    case = _lock_case(case)
    contact = CaseContact(case=case, recorded_by=actor, contacted_at=contacted_at or timezone.now(),
                          with_whom=with_whom, way=way, summary=summary.strip(), confidential=confidential)
    contact.full_clean()
    contact.save()
    case.last_activity_at = timezone.now()
    fields = ["last_activity_at"]
    if next_contact_on is not None:
        if next_contact_on < timezone.localdate():
            raise ValidationError({"next_contact_on": _("The next contact cannot be in the past.")})
        case.next_contact_on = next_contact_on
        fields.append("next_contact_on")
    case.save(update_fields=fields)
    audit_change(actor=actor, action="case_add_contact", obj=contact, to_state=with_whom, case_id=case.pk,
                 official_id=case.official_id)
    return contact


# ---------------------------------------------------------------- the link to the assignment, judged jointly

def _link_assessment(case: Case, actor: User) -> LinkAssessment:
    """The case's link assessment (the case locked), or a new one."""
    return LinkAssessment.objects.filter(case=case).first() or LinkAssessment(case=case, recorded_by=actor)


def _joint_outcome(assessment: LinkAssessment) -> str:
    """The outcome of the joint judgement: decided when the party and the municipality have both
    recorded the same view, yes or no; not yet decided otherwise."""
    if assessment.agreement == LinkAssessment.Agreement.AGREED:
        if assessment.party_view == YesNoUnsure.YES:
            return str(LinkAssessment.Outcome.LINKED)
        if assessment.party_view == YesNoUnsure.NO:
            return str(LinkAssessment.Outcome.NOT_LINKED)
    return str(LinkAssessment.Outcome.UNDECIDED)


def _save_link_assessment(assessment: LinkAssessment, actor: User, now: datetime) -> str:
    """Recompute the outcome, record who and when, validate (the database's rules too) and save.
    Returns the outcome before."""
    before = LinkAssessment.Outcome.UNDECIDED if assessment.pk is None else assessment.outcome
    assessment.outcome = _joint_outcome(assessment)
    assessment.recorded_by = actor
    assessment.recorded_at = now
    assessment.full_clean(exclude=["case"])
    assessment.save()
    return before


def _require_view(view: str, field: str) -> None:
    if view not in YesNoUnsure.values:
        raise ValidationError({field: _("Choose yes, no or unsure.")})


@transaction.atomic
def case_record_municipality_view(*, actor: User, case: Case, municipality_view: str,
                                  official_view: str = YesNoUnsure.UNSURE, reasoning: str = "",
                                  confidential: bool = False) -> LinkAssessment:
    """The security unit records the municipality's view on whether the threat is linked to the
    assignment (and the official's view as the official gave it), with a comment that may be for the
    unit only. The outcome follows from this view and the party's (`_joint_outcome`). A new recording
    replaces the unit's earlier one; the audit trail keeps each."""
    perms.require(case, actor, CaseAction.CHANGE)
    _require_view(municipality_view, "municipality_view")
    _require_view(official_view, "official_view")
    case = _lock_case(case)
    assessment = _link_assessment(case, actor)
    if assessment.party_view_by_id == actor.pk:
        raise ValidationError({"municipality_view": _("You recorded the party's view on this case: someone else in "
                                                      "the security unit records the municipality's.")})
    now = timezone.now()
    view_before = assessment.municipality_view if assessment.municipality_recorded else ""
    assessment.official_view = official_view
    assessment.municipality_view = municipality_view
    assessment.municipality_view_by = actor
    assessment.municipality_view_at = now
    assessment.reasoning = reasoning.strip()
    assessment.reasoning_confidential = bool(confidential) and bool(assessment.reasoning)
    party_waits = not assessment.party_recorded
    before = _save_link_assessment(assessment, actor, now)
    _touch(case, now)
    audit_change(actor=actor, action="case_record_municipality_view", obj=assessment, from_state=view_before,
                 to_state=municipality_view, case_id=case.pk, official_id=case.official_id,
                 reason=f"outcome {before} -> {assessment.outcome}")
    if party_waits and case.official.party_id:
        tell(users_with_role(Role.PARTY_CONTACT, party_id=case.official.party_id),
             lambda: _("Your party's view is asked for in case %(ref)s") % {"ref": case.reference},
             lambda: _("Whether the threat in case %(ref)s is linked to the assignment is judged jointly by the "
                       "municipality and the party. The security unit has recorded the municipality's view; log in "
                       "to record your party's:\n%(link)s")
             % {"ref": case.reference, "link": absolute_url("incidents:case-detail", case.pk)})
    return assessment


@transaction.atomic
def case_record_party_view(*, actor: User, case: Case, party_view: str, comment: str = "") -> LinkAssessment:
    """The party office of the official's party records the party's view on whether the threat is
    linked to the assignment, and may comment (`permissions.speaks_for_the_party`: never another
    party's office, never the official). The outcome follows from this view and the municipality's.
    The handler is told."""
    perms.require(case, actor, CaseAction.RECORD_PARTY_VIEW)
    _require_view(party_view, "party_view")
    case = _lock_case(case)
    assessment = _link_assessment(case, actor)
    if assessment.municipality_view_by_id == actor.pk:
        raise ValidationError({"party_view": _("You recorded the municipality's view on this case: someone else at "
                                               "the party office records the party's.")})
    now = timezone.now()
    view_before = assessment.party_view if assessment.party_recorded else ""
    assessment.party_view = party_view
    assessment.party_view_by = actor
    assessment.party_view_at = now
    assessment.party_comment = comment.strip()
    before = _save_link_assessment(assessment, actor, now)
    _touch(case, now)
    audit_change(actor=actor, action="case_record_party_view", obj=assessment, from_state=view_before,
                 to_state=party_view, case_id=case.pk, official_id=case.official_id,
                 reason=f"outcome {before} -> {assessment.outcome}")
    handler = case.handler
    if handler is not None and handler.is_active and handler.pk != actor.pk:
        tell([handler], lambda: _("The party has given its view in case %(ref)s") % {"ref": case.reference},
             lambda: _("The party office has recorded its view on the link to the assignment in case %(ref)s. Log "
                       "in to read it:\n%(link)s")
             % {"ref": case.reference, "link": absolute_url("incidents:case-detail", case.pk)})
    return assessment


@transaction.atomic
def case_record_support(*, actor: User, case: Case, kind: str, answer: str = SupportOffer.Answer.OFFERED,
                        note: str = "") -> SupportOffer:
    """Record support offered to the official (crisis support, occupational health care,
    support in the legal process, help with the police report) and their answer."""
    perms.require(case, actor, CaseAction.CHANGE)
    case = _lock_case(case)
    offer = SupportOffer(case=case, kind=kind, answer=answer, note=note.strip(), recorded_by=actor)
    offer.full_clean()
    offer.save()
    _touch(case)
    audit_change(actor=actor, action="case_record_support", obj=offer, to_state=f"{kind}:{answer}",
                 case_id=case.pk, official_id=case.official_id)
    return offer


@transaction.atomic
def case_record_police_report(*, actor: User, case: Case, report: Report, reported_on: date, reference: str,
                              helped: bool = False) -> Report:
    """Record that a report of the case has been reported to the police, with the police's
    reference number; `helped` records that the unit helped file it."""
    perms.require(case, actor, CaseAction.CHANGE)
    case = _lock_case(case)
    report = lock(report)
    if report.case_id != case.pk:
        raise ValidationError({"report": _("The report does not belong to this case.")})
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("The date cannot be in the future.")})
    before = report.police_reference
    report.police_reported = True
    report.police_report_date = reported_on
    report.police_reference = reference.strip()
    report.full_clean()
    report.save(update_fields=["police_reported", "police_report_date", "police_reference"])
    if helped:
        SupportOffer.objects.create(case=case, kind=SupportOffer.Kind.POLICE, answer=SupportOffer.Answer.GIVEN,
                                    recorded_by=actor)
    _touch(case)
    audit_change(actor=actor, action="case_record_police_report", obj=report, from_state=before,
                 to_state=report.police_reference, case_id=case.pk, official_id=case.official_id)
    return report


@transaction.atomic
def campaign_group(*, actor: User, cases: Iterable[Case], name: str = "", description: str = "",
                   campaign: Campaign | None = None) -> Campaign:
    """Group cases into a campaign (a new one named `name`, or the given one)."""
    perms.require_security_unit(actor)
    cases = list(cases)
    if not cases:
        raise ValidationError({"cases": _("Choose at least one case.")})
    if campaign is None:
        campaign = Campaign(name=name.strip(), description=description.strip(), created_by=actor)
        campaign.full_clean()
        campaign.save()
        audit_change(actor=actor, action="campaign_create", obj=campaign)
    else:
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    existing = set(campaign.cases.values_list("pk", flat=True))
    added = [c for c in cases if c.pk not in existing]
    campaign.cases.add(*added)
    for case in added:
        audit_change(actor=actor, action="campaign_add_case", obj=campaign, to_state=case.reference,
                     case_id=case.pk, official_id=case.official_id)
    return campaign


@transaction.atomic
def campaign_remove_case(*, actor: User, campaign: Campaign, case: Case) -> Campaign:
    perms.require_security_unit(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign.cases.remove(case)
    audit_change(actor=actor, action="campaign_remove_case", obj=campaign, from_state=case.reference,
                 case_id=case.pk, official_id=case.official_id)
    return campaign
