"""Thin views: parse the form, fetch through `permissions`, call a service, redirect or render.
Every read of a report, case or attachment writes an audit row."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Policy
from core.audit import audit_read
from core.forms import apply_errors, run_service
from core.models import AuditEvent
from core.pagination import CappedPaginator
from core.widgets import PreparedOptions

from . import hooks, package, selectors, services
from . import permissions as perms
from .forms import (
    AssignForm,
    CampaignGroupForm,
    ContactForm,
    EvidenceForm,
    JoinCaseForm,
    MunicipalityViewForm,
    NoteForm,
    OpenCaseForm,
    PartyViewForm,
    PerpetratorFormSet,
    PoliceReportForm,
    ReportForm,
    StatusForm,
    SupportForm,
    TitleForm,
    TriageForm,
)
from .models import CASE_WORKFLOW, CaseStatus, Channel, Kind, Priority, Report
from .permissions import AttachmentAction, CaseAction, ReportAction

# A report's page lists at most this many other reports of a possible campaign (the latest).
MATCHES_SHOWN = 50


# ---------------------------------------------------------------- filing

def report_create(request):
    user = request.user
    if not perms.can_file_report(user):
        raise PermissionDenied
    form = ReportForm(request.POST or None, request.FILES or None, user=user,
                      chosen=request.GET.getlist("official"), search=request.GET.get("q", ""))
    perpetrators = PerpetratorFormSet(request.POST or None, prefix="perp")
    if request.method == "POST" and form.is_valid() and perpetrators.is_valid():
        data = form.cleaned_data
        report = run_service(form, lambda: services.report_file(
            actor=user, officials=data["officials"], kinds=data["kinds"], channel=data["channel"],
            description=data["description"], occurred_at=data["occurred_at"],
            period_start=data["period_start"], period_end=data["period_end"], severity=data["severity"],
            injury=data["injury"], place=data["place"], linked_to_assignment=data["linked_to_assignment"],
            hate_crime_motive=data["hate_crime_motive"], police_reported=data["police_reported"],
            police_report_date=data["police_report_date"], police_reference=data["police_reference"],
            perpetrators=[f.cleaned_data for f in perpetrators if f.has_content()], files=data["attachments"]))
        if report is not None:
            return redirect("incidents:report-receipt", report.pk)
    return render(request, "incidents/report_form.html", {
        "form": form, "perpetrators": perpetrators, "policy": Policy.current(),
    }, status=400 if form.errors or perpetrators.total_error_count() else 200)


def report_receipt(request, pk: int):
    report = perms.get_report_for_user(request.user, pk)
    audit_read(actor=request.user, action="report_receipt_view", obj=report,
               official_id=_first_official_id(report))
    return render(request, "incidents/report_receipt.html", {
        "report": report, "attachments": report.attachments.filter(confidential=False),
        "policy": Policy.current(), "is_official": perms.is_official(request.user),
    })


def _first_official_id(report: Report) -> int | None:
    officials = list(report.affected_officials.all())
    return officials[0].pk if officials else None


# ---------------------------------------------------------------- a report

def report_detail(request, pk: int):
    report = perms.get_report_for_user(request.user, pk)
    audit_read(actor=request.user, action="report_view", obj=report, official_id=_first_official_id(report))
    return _report_page(request, report)


def _report_page(request, report: Report, status: int = 200, **forms):
    user = request.user
    actions = perms.available_actions(report, user, visible=True)
    ctx = {
        "report": report, "actions": actions,
        "attachments": selectors.visible_attachments(user).filter(report=report),
        "perpetrators": report.perpetrators.all(),
        "can_see_campaigns": perms.is_security_unit(user),
    }
    if ReportAction.ADD_ATTACHMENT in actions:
        ctx["evidence_form"] = forms.get("evidence_form") or EvidenceForm(
            show_confidential=perms.is_security_unit(user))
    if ReportAction.TRIAGE in actions:
        handlers = list(selectors.security_unit_users())
        ctx["triage_form"] = forms.get("triage_form") or TriageForm(handlers=handlers, initial={
            "priority": report.priority or Priority.NORMAL, "handler": report.handler_id or ""})
    if ReportAction.OPEN_CASE in actions:
        ctx["open_form"] = forms.get("open_form") or OpenCaseForm(report=report)
    if ReportAction.JOIN_CASE in actions:
        suggested, rest = selectors.open_cases_for_joining(user, report)
        ctx["join_form"] = forms.get("join_form") or JoinCaseForm(suggested=suggested, rest=rest)
    if perms.is_security_unit(user):
        matches = selectors.campaign_matches([report]).get(report.pk, [])
        # Newest first, and a long campaign is shown by its latest reports and its size.
        ctx["matches"], ctx["match_count"] = matches[::-1][:MATCHES_SHOWN], len(matches)
    return render(request, "incidents/report_detail.html", ctx, status=status)


@require_POST
def report_add_evidence(request, pk: int):
    report = perms.get_report_for_user(request.user, pk, ReportAction.ADD_ATTACHMENT)
    form = EvidenceForm(request.POST, request.FILES, show_confidential=perms.is_security_unit(request.user))
    if form.is_valid():
        try:
            for upload in form.cleaned_data["attachments"]:
                services.attachment_add(actor=request.user, upload=upload, report=report,
                                        confidential=form.cleaned_data.get("confidential", False))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The evidence has been attached."))
            return redirect("incidents:report-detail", report.pk)
    return _report_page(request, report, status=400, evidence_form=form)


@require_POST
def report_triage(request, pk: int):
    report = perms.get_report_for_user(request.user, pk, ReportAction.TRIAGE)
    handlers = list(selectors.security_unit_users())
    form = TriageForm(request.POST, handlers=handlers)
    if form.is_valid():
        report = run_service(form, lambda: services.report_triage(
            actor=request.user, report=report, priority=form.cleaned_data["priority"],
            handler=form.cleaned_data["handler"])) or report
    if request.htmx and request.POST.get("from") == "queue":
        row = selectors.triage_queue(request.user, status=report.status).filter(pk=report.pk).first() or report
        return render(request, "incidents/_triage_row.html", {
            "r": row, "row_errors": form.errors, "saved": not form.errors, **_row_options(handlers),
        })
    if form.errors:
        return _report_page(request, report, status=400, triage_form=form)
    messages.success(request, _("Report %(ref)s triaged.") % {"ref": report.reference})
    if request.POST.get("from") == "queue":
        return redirect("incidents:triage")
    return redirect("incidents:report-detail", report.pk)


@require_POST
def report_open_case(request, pk: int):
    report = perms.get_report_for_user(request.user, pk, ReportAction.OPEN_CASE)
    form = OpenCaseForm(request.POST, report=report)
    if form.is_valid():
        case = run_service(form, lambda: services.case_open_from_report(
            actor=request.user, report=report, official=form.cleaned_data["official"],
            title=form.cleaned_data["title"]))
        if case is not None:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return redirect("incidents:case-detail", case.pk)
    return _report_page(request, report, status=400, open_form=form)


@require_POST
def report_join_case(request, pk: int):
    report = perms.get_report_for_user(request.user, pk, ReportAction.JOIN_CASE)
    suggested, rest = selectors.open_cases_for_joining(request.user, report)
    form = JoinCaseForm(request.POST, suggested=suggested, rest=rest)
    if form.is_valid():
        case = perms.get_case_for_user(request.user, form.cleaned_data["case"].pk, CaseAction.CHANGE)
        if run_service(form, lambda: services.report_join_case(actor=request.user, report=report, case=case)):
            messages.success(request, _("Report %(ref)s joined to case %(case)s.")
                             % {"ref": report.reference, "case": case.reference})
            return redirect("incidents:case-detail", case.pk)
    return _report_page(request, report, status=400, join_form=form)


# ---------------------------------------------------------------- the triage queue

def _row_options(handlers) -> dict[str, PreparedOptions]:
    """The selects of a triage row, built once for all rows of the page."""
    return {"handler_options": PreparedOptions([(h.pk, h.display_name()) for h in handlers]),
            "priority_options": PreparedOptions(Priority.choices)}


def triage(request):
    perms.require_security_unit(request.user)
    filters = {key: request.GET.get(key, "").strip()[:20] for key in
               ("kind", "channel", "priority", "status", "handler", "age")}
    page = CappedPaginator(selectors.triage_queue(request.user, **filters), 50).get_page(request.GET.get("page"))
    handlers = list(selectors.security_unit_users())
    extra = [item for provider in hooks.triage_providers() for item in provider(request.user)]
    return render(request, "incidents/triage_queue.html", {
        "page": page, "filters": filters, "handlers": handlers, **_row_options(handlers),
        "kinds": Kind.choices, "channels": Channel.choices, "priorities": Priority.choices,
        "statuses": Report.Status.choices, "extra_items": extra,
    })


# ---------------------------------------------------------------- cases

def case_list(request):
    user = request.user
    if not perms.may_list_cases(user):
        raise PermissionDenied
    is_unit = perms.is_security_unit(user)
    party_id = perms.party_contact_party_id(user)
    filters = {key: request.GET.get(key, "").strip()[:20] for key in ("status", "priority", "handler")}
    if not is_unit:
        filters = {"status": filters["status"]}
    page = Paginator(selectors.case_list(user, **filters), 50).get_page(request.GET.get("page"))
    return render(request, "incidents/case_list.html", {
        "page": page, "filters": filters, "is_unit": is_unit, "party_view": bool(party_id) and not is_unit,
        "handlers": list(selectors.security_unit_users()) if is_unit else [],
        "statuses": CaseStatus.choices, "priorities": Priority.choices,
        "waiting_reports": (list(selectors.party_reports_without_case(user)[:50]) if party_id and not is_unit
                            else []),
    })


def case_detail(request, pk: int):
    case = selectors.case_for_page(request.user, pk)
    audit_read(actor=request.user, action="case_view", obj=case)
    return _case_page(request, case)


def _case_page(request, case, status: int = 200, **forms):
    """The case page, for the case as read by `selectors.case_for_page` (with its reports and what the panels
    read); the timeline and the campaigns are a query each."""
    user = request.user
    actions = perms.available_actions(case, user, visible=True)
    reports = selectors.case_page_reports(user, case)
    campaigns = selectors.case_campaigns(case) if CaseAction.CAMPAIGN in actions else None
    ctx = {
        "case": case, "actions": actions, "reports": reports,
        "timeline": selectors.case_timeline(user, case, reports),
        "link": selectors.link_judgement(user, case),
        "campaigns": campaigns.of_case if campaigns is not None else [],
        "panels": [html for panel in hooks.case_panels() if (html := panel(request, case, actions))],
        "sections": selectors.official_sections([case], user).get(case.pk, []),
    }
    if CaseAction.CHANGE in actions:
        handlers = list(selectors.security_unit_users())
        choices = _status_choices(case)
        la = selectors.link_assessment(case)
        ctx.update({
            "status_form": forms.get("status_form") or StatusForm(choices=choices),
            "assign_form": forms.get("assign_form") or AssignForm(handlers=handlers, initial={
                "handler": case.handler_id or "", "priority": case.priority}),
            "contact_form": forms.get("contact_form") or ContactForm(),
            "link_form": forms.get("link_form") or MunicipalityViewForm(initial={
                "official_view": la.official_view if la else _linked_view(reports),
                "municipality_view": la.municipality_view if la and la.municipality_recorded else "unsure",
                "reasoning": la.reasoning if la else "", "confidential": la.reasoning_confidential if la else False}),
            "support_form": forms.get("support_form") or SupportForm(),
            "police_form": forms.get("police_form") or PoliceReportForm(reports=reports),
            "document_form": forms.get("document_form") or EvidenceForm(show_confidential=True),
            "title_form": forms.get("title_form") or TitleForm(initial={"title": case.title}),
        })
    if CaseAction.ADD_NOTE in actions:
        ctx["note_form"] = forms.get("note_form") or NoteForm()
    if CaseAction.RECORD_PARTY_VIEW in actions:
        la = selectors.link_assessment(case)
        recorded = la is not None and la.party_recorded
        ctx["party_form"] = forms.get("party_form") or PartyViewForm(initial={
            "party_view": la.party_view if la is not None and recorded else "unsure",
            "comment": la.party_comment if la is not None and recorded else ""})
    if campaigns is not None:
        ctx["campaign_form"] = forms.get("campaign_form") or CampaignGroupForm(campaigns=campaigns.offered)
    return render(request, "incidents/case_detail.html", ctx, status=status)


def _status_choices(case) -> list[tuple[str, str]]:
    return [(s, CASE_WORKFLOW.label(s)) for s in CASE_WORKFLOW.allowed(case.status)]


def _linked_view(reports) -> str:
    views = {r.linked_to_assignment for r in reports}
    return views.pop() if len(views) == 1 else "unsure"


def _case_action(request, pk, action, form_name, form_factory, apply, done_message):
    """The shape of every POST on a case: fetch with the action, validate, call the service,
    redirect; on a bad form re-render the case page with the errors."""
    case = perms.get_case_for_user(request.user, pk, action)
    form = form_factory(case)
    if form.is_valid():
        try:
            apply(case, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done_message)
            return redirect(reverse("incidents:case-detail", args=[case.pk]))
    return _case_page(request, selectors.case_for_page(request.user, case.pk), status=400, **{form_name: form})


@require_POST
def case_status(request, pk: int):
    def factory(case):
        return StatusForm(request.POST, choices=_status_choices(case))

    return _case_action(request, pk, CaseAction.CHANGE, "status_form", factory,
                        lambda case, d: services.case_set_status(actor=request.user, case=case,
                                                                 to_status=d["to_status"], comment=d["comment"]),
                        _("The status has been changed."))


@require_POST
def case_assign(request, pk: int):
    def apply(case, d):
        if d["handler"] is not None:
            services.case_assign(actor=request.user, case=case, handler=d["handler"])
        services.case_set_priority(actor=request.user, case=case, priority=d["priority"])

    return _case_action(request, pk, CaseAction.CHANGE, "assign_form",
                        lambda case: AssignForm(request.POST, handlers=list(selectors.security_unit_users())),
                        apply, _("Handler and priority saved."))


@require_POST
def case_title(request, pk: int):
    return _case_action(request, pk, CaseAction.CHANGE, "title_form", lambda case: TitleForm(request.POST),
                        lambda case, d: services.case_update_title(actor=request.user, case=case, title=d["title"]),
                        _("Title saved."))


@require_POST
def case_note_add(request, pk: int):
    return _case_action(request, pk, CaseAction.ADD_NOTE, "note_form", lambda case: NoteForm(request.POST),
                        lambda case, d: services.case_add_note(actor=request.user, case=case, text=d["text"],
                                                               confidential=d["confidential"]),
                        _("The note has been saved."))


@require_POST
def case_contact_add(request, pk: int):
    return _case_action(request, pk, CaseAction.CHANGE, "contact_form", lambda case: ContactForm(request.POST),
                        lambda case, d: services.case_add_contact(actor=request.user, case=case, **d),
                        _("The contact has been recorded."))


@require_POST
def case_link_assessment(request, pk: int):
    """The security unit records the municipality's view on the link to the assignment."""
    return _case_action(request, pk, CaseAction.CHANGE, "link_form", lambda case: MunicipalityViewForm(request.POST),
                        lambda case, d: services.case_record_municipality_view(actor=request.user, case=case, **d),
                        _("The municipality's view on the link to the assignment has been saved."))


@require_POST
def case_party_view(request, pk: int):
    """The party office records the party's view on the link to the assignment."""
    return _case_action(request, pk, CaseAction.RECORD_PARTY_VIEW, "party_form",
                        lambda case: PartyViewForm(request.POST),
                        lambda case, d: services.case_record_party_view(actor=request.user, case=case, **d),
                        _("The party's view on the link to the assignment has been saved."))


@require_POST
def case_support_add(request, pk: int):
    return _case_action(request, pk, CaseAction.CHANGE, "support_form", lambda case: SupportForm(request.POST),
                        lambda case, d: services.case_record_support(actor=request.user, case=case, **d),
                        _("The support has been recorded."))


@require_POST
def case_police_report(request, pk: int):
    return _case_action(
        request, pk, CaseAction.CHANGE, "police_form",
        lambda case: PoliceReportForm(request.POST, reports=selectors.case_reports(request.user, case)),
        lambda case, d: services.case_record_police_report(actor=request.user, case=case, **d),
        _("The police report has been recorded."))


@require_POST
def case_document_add(request, pk: int):
    def apply(case, d):
        for upload in d["attachments"]:
            services.attachment_add(actor=request.user, upload=upload, case=case, confidential=d["confidential"])

    return _case_action(request, pk, CaseAction.CHANGE, "document_form",
                        lambda case: EvidenceForm(request.POST, request.FILES, show_confidential=True), apply,
                        _("The document has been added."))


@require_POST
def case_campaign(request, pk: int):
    def apply(case, d):
        services.campaign_group(actor=request.user, cases=[case], name=d.get("name", ""),
                                description=d.get("description", ""), campaign=d.get("campaign"))

    return _case_action(request, pk, CaseAction.CAMPAIGN, "campaign_form",
                        lambda case: CampaignGroupForm(request.POST, campaigns=selectors.campaigns_to_offer()),
                        apply, _("The case has been added to the campaign."))


# ---------------------------------------------------------------- evidence

def attachment_download(request, pk: int):
    attachment = perms.get_attachment_for_user(request.user, pk, AttachmentAction.DOWNLOAD)
    audit_read(actor=request.user, action="attachment_download", obj=attachment)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.mimetype)
    return _harden(response)


def case_evidence_package(request, pk: int):
    case = perms.get_case_for_user(request.user, pk, CaseAction.EXPORT)
    audit_read(actor=request.user, action="case_evidence_package", obj=case, kind=AuditEvent.Kind.EXPORT)
    stream, name = package.build(case, request.user)
    response = FileResponse(stream, as_attachment=True, filename=name, content_type="application/zip")
    return _harden(response)


def _harden(response: HttpResponseBase) -> HttpResponseBase:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- campaigns

def campaign_list(request):
    perms.require_security_unit(request.user)
    return render(request, "incidents/campaign_list.html", {"campaigns": selectors.campaigns_list()})


def campaign_detail(request, pk: int):
    campaign = perms.get_campaign_for_user(request.user, pk)
    return render(request, "incidents/campaign_detail.html", {
        "campaign": campaign, "cases": selectors.campaign_cases(campaign),
    })


@require_POST
def campaign_remove_case(request, pk: int, case_pk: int):
    campaign = perms.get_campaign_for_user(request.user, pk)
    case = perms.get_case_for_user(request.user, case_pk, CaseAction.CAMPAIGN)
    services.campaign_remove_case(actor=request.user, campaign=campaign, case=case)
    messages.success(request, _("Case %(ref)s removed from the campaign.") % {"ref": case.reference})
    return redirect("incidents:campaign-detail", campaign.pk)


# ---------------------------------------------------------------- the official

def my_cases(request):
    user = request.user
    if not perms.is_official(user):
        raise PermissionDenied
    cases = list(selectors.own_cases(user))
    reports = list(selectors.own_reports(user))
    sections = selectors.official_sections(cases, user)
    for case in cases:
        case.official_sections = sections.get(case.pk, [])
    return render(request, "incidents/my_cases.html", {
        "cases": cases, "reports": reports, "official": perms.own_official(user),
        "policy": Policy.current(), "can_file": perms.can_file_report(user),
    })


# ---------------------------------------------------------------- the on-call officer

def urgent_list(request):
    user = request.user
    if not perms.may_view_urgent_reports(user):
        raise PermissionDenied
    page = Paginator(selectors.urgent_reports(user), 50).get_page(request.GET.get("page"))
    return render(request, "incidents/urgent_list.html", {"page": page, "policy": Policy.current()})
