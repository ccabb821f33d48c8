"""Thin views: parse the form, fetch through `permissions`, call one service, redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import audit_read
from core.forms import apply_errors, message_of

from . import permissions as perms
from . import selectors, services
from .forms import (
    AnswerForm,
    BodyAnalysisForm,
    ChecklistForm,
    ChecklistItemForm,
    CloseForm,
    EscalateForm,
    FollowUpForm,
    JudgeForm,
    PartyAnalysisCreateForm,
    PartyAnalysisForm,
)
from .models import BodyRiskAnalysis, PartyRiskAnalysis
from .permissions import BodyAction, ChecklistAction, PartyAction

PAGE_SIZE = 25


def _filters(request) -> dict[str, str]:
    return {key: request.GET.get(key, "").strip()[:20] for key in ("status", "when")}


# ---------------------------------------------------------------- party analyses


def party_analysis_list(request):
    user = request.user
    perms.require(perms.can_list_party_analyses(user))
    filters = _filters(request)
    page = Paginator(selectors.party_analysis_list(user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "riskanalyses/party_analysis_list.html", {
        "page": page, "filters": filters,
        "statuses": PartyRiskAnalysis.Status.choices, "is_unit": perms.is_security_unit(user),
        "can_record": perms.can_record_party_analysis(user),
    })


def party_analysis_create(request):
    user = request.user
    perms.require(perms.can_record_party_analysis(user))
    form = PartyAnalysisCreateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            analysis = services.party_analysis_create(
                actor=user, kind=data["kind"], title=data["title"], occurs_on=data["occurs_on"],
                ends_on=data["ends_on"], place=data["place"], members=data["members"], risks=data["risks"],
                measures_taken=data["measures_taken"], notes=data["notes"], judgement=data["judgement"],
                question=data["question"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if analysis.status == PartyRiskAnalysis.Status.ESCALATED:
                messages.success(request, _("The risk analysis was saved and sent to the security unit."))
            else:
                messages.success(request, _("The risk analysis was saved."))
            return redirect("riskanalyses:party-analysis-detail", analysis.pk)
    return render(request, "riskanalyses/party_analysis_form.html", {"form": form, "analysis": None},
                  status=400 if form.errors else 200)


def party_analysis_detail(request, pk: int):
    analysis = perms.get_party_analysis_for_user(request.user, pk)
    audit_read(actor=request.user, action="party_analysis_view", obj=analysis)
    return _party_page(request, analysis)


def _party_page(request, analysis: PartyRiskAnalysis, status: int = 200, **forms):
    user = request.user
    actions = perms.available_actions(analysis, user)
    ctx = {
        "analysis": analysis, "actions": actions, "members": selectors.party_analysis_members(analysis),
        "escalations": selectors.escalations_of(analysis), "is_unit": perms.is_security_unit(user),
    }
    if PartyAction.JUDGE in actions:
        ctx["judge_form"] = forms.get("judge_form") or JudgeForm(
            initial={"judgement": analysis.judgement if analysis.judgement != "cannot_judge" else ""})
    if PartyAction.ESCALATE in actions:
        ctx["escalate_form"] = forms.get("escalate_form") or EscalateForm()
    if PartyAction.CLOSE in actions:
        ctx["close_form"] = forms.get("close_form") or CloseForm()
    return render(request, "riskanalyses/party_analysis_detail.html", ctx, status=status)


def party_analysis_update(request, pk: int):
    user = request.user
    analysis = perms.get_party_analysis_for_user(user, pk, PartyAction.EDIT)
    initial = {name: getattr(analysis, name) for name in services.PARTY_FIELDS}
    initial["members"] = list(analysis.members.values_list("pk", flat=True))
    form = PartyAnalysisForm(request.POST or None, user=user, analysis=analysis, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.party_analysis_update(
                actor=user, analysis=analysis, members=data["members"],
                **{name: data[name] for name in services.PARTY_FIELDS})
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The risk analysis was updated.") if changed else _("Nothing was changed."))
            return redirect("riskanalyses:party-analysis-detail", analysis.pk)
    return render(request, "riskanalyses/party_analysis_form.html", {"form": form, "analysis": analysis},
                  status=400 if form.errors else 200)


def _party_move(request, pk: int, action: str, form_class, form_name: str, apply, done: str):
    analysis = perms.get_party_analysis_for_user(request.user, pk, action)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            apply(analysis, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("riskanalyses:party-analysis-detail", analysis.pk)
    return _party_page(request, analysis, status=400, **{form_name: form})


@require_POST
def party_analysis_judge(request, pk: int):
    return _party_move(
        request, pk, PartyAction.JUDGE, JudgeForm, "judge_form",
        lambda a, d: services.party_analysis_judge(actor=request.user, analysis=a, judgement=d["judgement"]),
        _("The judgement was recorded."))


@require_POST
def party_analysis_escalate(request, pk: int):
    return _party_move(
        request, pk, PartyAction.ESCALATE, EscalateForm, "escalate_form",
        lambda a, d: services.party_analysis_escalate(actor=request.user, analysis=a, question=d["question"]),
        _("The analysis was sent to the security unit. You will be told when it has answered."))


@require_POST
def party_analysis_close(request, pk: int):
    return _party_move(
        request, pk, PartyAction.CLOSE, CloseForm, "close_form",
        lambda a, d: services.party_analysis_close(actor=request.user, analysis=a, comment=d["comment"]),
        _("The risk analysis was closed."))


def party_analysis_answer(request, pk: int):
    """The security unit's page for an escalated analysis: the whole analysis and the answer form."""
    user = request.user
    analysis = perms.get_party_analysis_for_user(user, pk)
    if not perms.is_security_unit(user):
        raise PermissionDenied
    if PartyAction.ANSWER not in perms.available_actions(analysis, user):
        messages.info(request, _("This analysis is not waiting for an answer from the security unit."))
        return redirect("riskanalyses:party-analysis-detail", analysis.pk)
    form = AnswerForm(request.POST or None, cases=selectors.open_cases_of_members(analysis))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.party_analysis_answer(actor=user, analysis=analysis, advice=data["advice"],
                                           risk_level=data["risk_level"], case=data["case"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The answer was sent to the party office."))
            return redirect("riskanalyses:party-analysis-detail", analysis.pk)
    if request.method == "GET":
        audit_read(actor=user, action="party_analysis_view", obj=analysis)
    escalations = selectors.escalations_of(analysis)
    return render(request, "riskanalyses/party_analysis_answer.html", {
        "analysis": analysis, "members": selectors.party_analysis_members(analysis), "form": form,
        "escalations": escalations, "open_escalation": next((e for e in escalations if e.is_open), None),
        "is_unit": True,
    }, status=400 if form.errors else 200)


# ---------------------------------------------------------------- body analyses


def body_analysis_list(request):
    user = request.user
    perms.require(perms.can_list_body_analyses(user))
    filters = _filters(request)
    page = Paginator(selectors.body_analysis_list(user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "riskanalyses/body_analysis_list.html", {
        "page": page, "filters": filters,
        "statuses": BodyRiskAnalysis.Status.choices, "can_record": perms.can_record_body_analysis(user),
        "officer_body": user.body if perms.officer_body_id(user) else None,
        "party_view": bool(perms.contact_party_id(user)) and not perms.is_security_unit(user)
        and not perms.officer_body_id(user),
        "officer_without_body": perms.officer_body_id(user) is None and perms.is_body_officer(user),
    })


def body_analysis_create(request):
    user = request.user
    perms.require(perms.can_record_body_analysis(user))
    body = user.body
    form = BodyAnalysisForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            analysis = services.body_analysis_create(actor=user, participants=data["participants"],
                                                     **{name: data[name] for name in services.BODY_FIELDS})
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The risk analysis was saved as a draft. Go through the checklist below."))
            return redirect("riskanalyses:body-analysis-detail", analysis.pk)
    return render(request, "riskanalyses/body_analysis_form.html", {"form": form, "analysis": None, "body": body},
                  status=400 if form.errors else 200)


def body_analysis_detail(request, pk: int):
    analysis = perms.get_body_analysis_for_user(request.user, pk)
    audit_read(actor=request.user, action="body_analysis_view", obj=analysis)
    return _body_page(request, analysis)


def _body_page(request, analysis: BodyRiskAnalysis, status: int = 200, errors: list[str] | None = None, **forms):
    user = request.user
    actions = perms.available_actions(analysis, user, visible=True)
    rows = selectors.checklist_rows(analysis)
    is_officer = perms.officer_body_id(user) == analysis.body_id
    ctx = {
        "analysis": analysis, "actions": actions, "participants": selectors.visible_participants(analysis, user),
        "rows": rows, "errors": errors or [], "is_officer": is_officer,
        "show_recorder": is_officer or perms.is_security_unit(user),
        "has_checklist": selectors.body_checklist(analysis.body) is not None,
    }
    if BodyAction.CHECKLIST in actions:
        ctx["checklist_form"] = forms.get("checklist_form") or ChecklistForm(rows=rows)
    if BodyAction.FOLLOW_UP in actions:
        ctx["follow_up_form"] = forms.get("follow_up_form") or FollowUpForm()
    return render(request, "riskanalyses/body_analysis_detail.html", ctx, status=status)


def body_analysis_update(request, pk: int):
    user = request.user
    analysis = perms.get_body_analysis_for_user(user, pk, BodyAction.EDIT)
    initial = {name: getattr(analysis, name) for name in services.BODY_FIELDS}
    initial["participants"] = list(analysis.participants.values_list("pk", flat=True))
    form = BodyAnalysisForm(request.POST or None, body=analysis.body, analysis=analysis, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.body_analysis_update(actor=user, analysis=analysis, participants=data["participants"],
                                                    **{name: data[name] for name in services.BODY_FIELDS})
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The risk analysis was updated.") if changed else _("Nothing was changed."))
            return redirect("riskanalyses:body-analysis-detail", analysis.pk)
    return render(request, "riskanalyses/body_analysis_form.html",
                  {"form": form, "analysis": analysis, "body": analysis.body}, status=400 if form.errors else 200)


@require_POST
def body_analysis_checklist(request, pk: int):
    analysis = perms.get_body_analysis_for_user(request.user, pk, BodyAction.CHECKLIST)
    form = ChecklistForm(request.POST, rows=selectors.checklist_rows(analysis))
    if form.is_valid():
        try:
            services.body_analysis_record_checklist(actor=request.user, analysis=analysis, entries=form.entries())
        except ValidationError as exc:
            return _body_page(request, analysis, status=400, errors=exc.messages)
        messages.success(request, _("The checklist was saved."))
        return redirect("riskanalyses:body-analysis-detail", analysis.pk)
    return _body_page(request, analysis, status=400, checklist_form=form,
                      errors=[_("The checklist was not saved: please correct the fields marked below.")])


def _body_move(request, pk: int, action: str, apply, done: str):
    analysis = perms.get_body_analysis_for_user(request.user, pk, action)
    try:
        apply(analysis)
    except ValidationError as exc:
        return _body_page(request, analysis, status=400, errors=exc.messages)
    messages.success(request, done)
    return redirect("riskanalyses:body-analysis-detail", analysis.pk)


@require_POST
def body_analysis_ready(request, pk: int):
    return _body_move(request, pk, BodyAction.MARK_READY,
                      lambda a: services.body_analysis_mark_ready(actor=request.user, analysis=a),
                      _("The analysis is ready and shared with the party offices of the members taking part."))


@require_POST
def body_analysis_reopen(request, pk: int):
    return _body_move(request, pk, BodyAction.REOPEN,
                      lambda a: services.body_analysis_reopen(actor=request.user, analysis=a),
                      _("The analysis is a draft again."))


@require_POST
def body_analysis_cancel(request, pk: int):
    return _body_move(request, pk, BodyAction.CANCEL,
                      lambda a: services.body_analysis_cancel(actor=request.user, analysis=a),
                      _("The activity was marked as cancelled."))


@require_POST
def body_analysis_follow_up(request, pk: int):
    analysis = perms.get_body_analysis_for_user(request.user, pk, BodyAction.FOLLOW_UP)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.body_analysis_follow_up(actor=request.user, analysis=analysis,
                                             follow_up=form.cleaned_data["follow_up"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The follow-up was recorded."))
            return redirect("riskanalyses:body-analysis-detail", analysis.pk)
    return _body_page(request, analysis, status=400, follow_up_form=form)


# ---------------------------------------------------------------- a body's checklist


def checklist_mine(request):
    perms.require(perms.can_open_own_checklist(request.user))
    return redirect("riskanalyses:checklist-detail", perms.officer_body_id(request.user))


def checklist_detail(request, body_pk: int):
    body = perms.get_body_for_checklist(request.user, body_pk)
    return _checklist_page(request, body)


def _checklist_page(request, body, status: int = 200, item_form=None):
    checklist = selectors.body_checklist(body)
    can_edit = ChecklistAction.EDIT in perms.checklist_actions(body.pk, request.user)
    ctx = {"body": body, "checklist": checklist, "can_edit": can_edit,
           "items": selectors.checklist_items(checklist) if checklist else [],
           "template_items": selectors.template_items() if checklist is None else []}
    if checklist is not None and can_edit:
        ctx["missing"] = list(services.template_items_missing(checklist))
        ctx["item_form"] = item_form or ChecklistItemForm()
    return render(request, "riskanalyses/checklist_detail.html", ctx, status=status)


@require_POST
def checklist_create(request, body_pk: int):
    body = perms.get_body_for_checklist(request.user, body_pk, ChecklistAction.EDIT)
    try:
        services.checklist_create_from_template(actor=request.user, body=body)
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("Your checklist was created from the template. Adjust it to your body."))
    return redirect("riskanalyses:checklist-detail", body.pk)


def _require_checklist(body):
    checklist = selectors.body_checklist(body)
    if checklist is None:
        raise PermissionDenied
    return checklist


@require_POST
def checklist_add_template_items(request, body_pk: int):
    body = perms.get_body_for_checklist(request.user, body_pk, ChecklistAction.EDIT)
    copied = services.checklist_add_template_items(actor=request.user, checklist=_require_checklist(body))
    messages.success(request, _("%(n)s items were added from the template.") % {"n": copied})
    return redirect("riskanalyses:checklist-detail", body.pk)


@require_POST
def checklist_item_add(request, body_pk: int):
    body = perms.get_body_for_checklist(request.user, body_pk, ChecklistAction.EDIT)
    checklist = _require_checklist(body)
    form = ChecklistItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.checklist_item_add(actor=request.user, checklist=checklist, phase=data["phase"],
                                        text=data["text"], responsible_role=data["responsible_role"],
                                        position=data["position"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The item was added."))
            return redirect("riskanalyses:checklist-detail", body.pk)
    return _checklist_page(request, body, status=400, item_form=form)


def checklist_item_update(request, pk: int):
    item = perms.get_checklist_item_for_user(request.user, pk, ChecklistAction.EDIT)
    form = ChecklistItemForm(request.POST or None, initial={
        "phase": item.phase, "text": item.text, "responsible_role": item.responsible_role, "position": item.position})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.checklist_item_update(actor=request.user, item=item, phase=data["phase"], text=data["text"],
                                           responsible_role=data["responsible_role"],
                                           position=data["position"] if data["position"] is not None else item.position)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The item was changed."))
            return redirect("riskanalyses:checklist-detail", item.checklist.body_id)
    return render(request, "riskanalyses/checklist_item_form.html", {
        "form": form, "item": item, "body": item.checklist.body,
        "cancel_url": "riskanalyses:checklist-detail", "cancel_arg": item.checklist.body_id,
    }, status=400 if form.errors else 200)


@require_POST
def checklist_item_remove(request, pk: int):
    item = perms.get_checklist_item_for_user(request.user, pk, ChecklistAction.EDIT)
    try:
        services.checklist_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("The item was removed from your checklist."))
    return redirect("riskanalyses:checklist-detail", item.checklist.body_id)


# ---------------------------------------------------------------- the template (administrator)


def template_list(request, item_form=None, status: int = 200):
    perms.require(perms.can_edit_template(request.user))
    return render(request, "riskanalyses/template_list.html", {
        "items": selectors.template_items(), "item_form": item_form or ChecklistItemForm(),
    }, status=status)


@require_POST
def template_item_add(request):
    perms.require(perms.can_edit_template(request.user))
    form = ChecklistItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.template_item_add(actor=request.user, phase=data["phase"], text=data["text"],
                                       responsible_role=data["responsible_role"], position=data["position"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The item was added to the template."))
            return redirect("riskanalyses:template-list")
    return template_list(request, item_form=form, status=400)


def template_item_update(request, pk: int):
    item = perms.get_template_item_for_user(request.user, pk)
    form = ChecklistItemForm(request.POST or None, initial={
        "phase": item.phase, "text": item.text, "responsible_role": item.responsible_role, "position": item.position})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.template_item_update(actor=request.user, item=item, phase=data["phase"], text=data["text"],
                                          responsible_role=data["responsible_role"],
                                          position=data["position"] if data["position"] is not None else item.position)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The template item was changed. The bodies' own checklists are not changed."))
            return redirect("riskanalyses:template-list")
    return render(request, "riskanalyses/checklist_item_form.html", {
        "form": form, "item": item, "body": None, "cancel_url": "riskanalyses:template-list", "cancel_arg": None,
    }, status=400 if form.errors else 200)


@require_POST
def template_item_remove(request, pk: int):
    item = perms.get_template_item_for_user(request.user, pk)
    try:
        services.template_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("The item was removed from the template."))
    return redirect("riskanalyses:template-list")
