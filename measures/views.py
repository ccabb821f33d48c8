"""Thin views: parse the form, fetch through `permissions`, call a service, redirect or render.
Reads of an assessment or a measure write an audit row."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Policy
from core.audit import audit_read
from core.dates import format_date
from core.forms import apply_errors, message_of, run_service
from core.workflow import InvalidTransition

from . import permissions as perms
from . import selectors, services
from .forms import (
    AcknowledgeForm,
    AssessmentForm,
    CostForm,
    DecisionForm,
    FinishReviewForm,
    InPlaceForm,
    MeasureFilterForm,
    MeasureTypeForm,
    OptionalReasonForm,
    OrderForm,
    ProposeForm,
    ReasonForm,
    RiskFactorForm,
    YearForm,
)
from .models import (
    CONSEQUENCE_CHOICES,
    LIKELIHOOD_CHOICES,
    MATRIX_BANDS,
    REVIEW_DAYS,
    Assessment,
    FactorAnswer,
    FactorSection,
    MeasureType,
    RiskFactor,
    RiskLevel,
    matrix_level,
)
from .permissions import AlarmAction, MeasureAction

# ---------------------------------------------------------------- assessments


def _matrix() -> list[dict]:
    """The 5 × 5 matrix for the form's help, consequence rows from 5 down to 1."""
    rows = []
    for consequence, consequence_label in reversed(CONSEQUENCE_CHOICES):
        cells = []
        for likelihood, _label in LIKELIHOOD_CHOICES:
            level = matrix_level(likelihood, consequence)
            cells.append({"score": likelihood * consequence, "level": level, "label": RiskLevel(level).label})
        rows.append({"label": consequence_label, "cells": cells})
    return rows


def assessment_create(request, case_pk: int):
    case = perms.get_case_for_assessment(request.user, case_pk, write=True)
    factors = list(RiskFactor.objects.filter(is_active=True).order_by("section", "position", "code"))
    latest = selectors.latest_assessment(case)
    previous_answers = {f["code"]: f for f in latest.factors} if latest else {}
    form = AssessmentForm(request.POST or None, factors=factors, previous_answers=previous_answers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assessment = run_service(form, lambda: services.assessment_create(
            actor=request.user, case=case, answers=form.answers(), likelihood=data["likelihood"],
            consequence=data["consequence"], level=data["level"], level_reason=data["level_reason"],
            with_official=data["with_official"], with_police=data["with_police"], with_party=data["with_party"],
            participants_note=data["participants_note"], conclusion=data["conclusion"],
            proposed_measures=data["proposed_measures"], next_review_on=data["next_review_on"]))
        if assessment is not None:
            messages.success(request, _("The assessment was saved: %(level)s risk. Next review %(date)s.")
                             % {"level": assessment.get_level_display().lower(),
                                "date": format_date(assessment.next_review_on)})
            return redirect("incidents:case-detail", case.pk)
    return render(request, "measures/assessment_form.html", {
        "case": case, "form": form, "latest": latest, "matrix": _matrix(), "likelihoods": LIKELIHOOD_CHOICES,
        "bands": [(low, high, RiskLevel(level).label) for low, high, level in MATRIX_BANDS],
        "review_days": [(RiskLevel(level).label, days) for level, days in REVIEW_DAYS.items()],
    }, status=400 if form.errors else 200)


def assessment_list(request, case_pk: int):
    case = perms.get_case_for_assessment(request.user, case_pk)
    history = selectors.assessment_history(case)
    audit_read(actor=request.user, action="assessment_list", obj=case)
    return render(request, "measures/assessment_list.html", {
        "case": case, "history": history, "state": selectors.reassessment_state(case, latest=history[0] if history
                                                                                  else None),
        "can_assess": perms.can_assess(request.user, case), "trend_labels": selectors.Trend.LABELS,
    })


def assessment_detail(request, pk: int):
    assessment = (Assessment.objects.select_related("case__official", "assessed_by").filter(pk=_int(pk)).first())
    if assessment is None:
        raise Http404
    case = perms.get_case_for_assessment(request.user, assessment.case_id)
    audit_read(actor=request.user, action="assessment_view", obj=assessment, case_id=case.pk,
               official_id=case.official_id)
    answers = dict(FactorAnswer.choices)
    sections = []
    for value, label in FactorSection.choices:
        rows = [{**f, "answer_label": answers.get(f.get("answer"), f.get("answer")),
                 "text": f["text_en"] if request.LANGUAGE_CODE == "en" else f["text_sv"]}
                for f in assessment.factors if f.get("section") == value]
        if rows:
            sections.append((label, rows))
    return render(request, "measures/assessment_detail.html", {
        "case": case, "assessment": assessment, "sections": sections,
    })


# ---------------------------------------------------------------- proposing and the measure page


def measure_propose(request, case_pk: int):
    case = perms.get_case_for_assessment(request.user, case_pk, write=True)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        measure = run_service(form, lambda: services.measure_propose(
            actor=request.user, case=case, measure_type=data["measure_type"], reason=data["reason"],
            details=data["details"], estimated_cost_sek=data["estimated_cost_sek"]))
        if measure is not None:
            messages.success(request, _("%(measure)s was proposed. It now waits for the decision of: %(title)s.")
                             % {"measure": measure.measure_type.name, "title": Policy.current().approver_title})
            return redirect("incidents:case-detail", case.pk)
    return render(request, "measures/measure_form.html", {
        "case": case, "form": form, "latest": selectors.latest_assessment(case),
        "types": MeasureType.objects.filter(is_active=True).order_by("position", "code"),
    }, status=400 if form.errors else 200)


_FORMS = {
    MeasureAction.WITHDRAW: ("withdraw_form", "withdraw", ReasonForm),
    MeasureAction.START_REVIEW: ("review_form", "review", OptionalReasonForm),
    MeasureAction.FINISH_REVIEW: ("finish_form", "finish", FinishReviewForm),
    MeasureAction.END: ("end_form", "end", ReasonForm),
    MeasureAction.BOOK_COST: ("cost_form", "cost", CostForm),
}


def _action_form(action: str, measure, policy, data=None, *, user=None):
    if action == MeasureAction.ORDER:
        return OrderForm(data, prefix="order", choices=perms.order_choices(measure, policy, user))
    if action == MeasureAction.MARK_IN_PLACE:
        return InPlaceForm(data, prefix="inplace", alarm=measure.measure_type.is_alarm)
    if action in (MeasureAction.APPROVE, MeasureAction.REJECT):
        return DecisionForm(data, prefix=f"m{measure.pk}")
    _name, prefix, form_class = _FORMS[action]
    return form_class(data, prefix=prefix)


_CONTEXT_NAMES = {MeasureAction.ORDER: "order_form", MeasureAction.MARK_IN_PLACE: "in_place_form",
                  MeasureAction.APPROVE: "decision_form", MeasureAction.REJECT: "decision_form",
                  **{action: name for action, (name, _p, _c) in _FORMS.items()}}


def _measure_page(request, measure, *, status: int = 200, bound: tuple[str, object] | None = None):
    user = request.user
    policy = Policy.current()
    actions = perms.available_actions(measure, user, policy=policy, visible=True)
    ctx = {"measure": measure, "case": measure.case, "actions": actions, "policy": policy,
           "history": selectors.measure_history(measure), "costs": selectors.measure_costs(measure),
           "latest": selectors.latest_assessment(measure.case)}
    ctx["booked_total"] = sum(c.amount_sek for c in ctx["costs"])
    for action in actions - {MeasureAction.VIEW}:
        ctx[_CONTEXT_NAMES[action]] = _action_form(action, measure, policy, user=user)
    if bound is not None:
        ctx[bound[0]] = bound[1]
    return render(request, "measures/measure_detail.html", ctx, status=status)


def measure_detail(request, pk: int):
    measure = perms.get_measure_for_user(request.user, pk)
    audit_read(actor=request.user, action="measure_view", obj=measure, case_id=measure.case_id,
               official_id=measure.case.official_id)
    return _measure_page(request, measure)


def _run(request, pk: int, action: str, call, success: str):
    """Fetch the measure (404 unless visible), refuse a person who may never do the action (403),
    validate the form, call the service; a move someone else already made is a clear message."""
    user = request.user
    measure = perms.get_measure_for_user(user, pk)
    unit_actions = {MeasureAction.WITHDRAW, MeasureAction.ORDER, MeasureAction.MARK_IN_PLACE,
                    MeasureAction.START_REVIEW, MeasureAction.FINISH_REVIEW, MeasureAction.END,
                    MeasureAction.BOOK_COST}
    if action in unit_actions and not perms.is_security_unit(user):
        raise PermissionDenied
    policy = Policy.current()
    form = _action_form(action, measure, policy, request.POST, user=user)
    if form.is_valid():
        try:
            call(measure, form.cleaned_data)
        except InvalidTransition as exc:
            messages.error(request, message_of(exc))
            return redirect("measures:measure-detail", measure.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("measures:measure-detail", measure.pk)
    return _measure_page(request, measure, status=400, bound=(_CONTEXT_NAMES[action], form))


@require_POST
def measure_withdraw(request, pk: int):
    return _run(request, pk, MeasureAction.WITHDRAW, lambda m, d: services.measure_withdraw(
        actor=request.user, measure=m, reason=d["reason"]), _("The proposal was withdrawn."))


@require_POST
def measure_order(request, pk: int):
    return _run(request, pk, MeasureAction.ORDER, lambda m, d: services.measure_order(
        actor=request.user, measure=m, ordered_via=d["ordered_via"], supplier=d["supplier"],
        order_reference=d["order_reference"]), _("The order was recorded."))


@require_POST
def measure_in_place(request, pk: int):
    return _run(request, pk, MeasureAction.MARK_IN_PLACE, lambda m, d: services.measure_mark_in_place(
        actor=request.user, measure=m, in_place_on=d["in_place_on"], review_on=d["review_on"],
        alarm_identifier=d.get("alarm_identifier", ""), alarm_provider=d.get("alarm_provider"),
        comment=d["comment"]), _("The measure is in place."))


@require_POST
def measure_review_start(request, pk: int):
    return _run(request, pk, MeasureAction.START_REVIEW, lambda m, d: services.measure_start_review(
        actor=request.user, measure=m, reason=d["reason"]), _("The review has started."))


@require_POST
def measure_review_finish(request, pk: int):
    return _run(request, pk, MeasureAction.FINISH_REVIEW, lambda m, d: services.measure_finish_review(
        actor=request.user, measure=m, comment=d["comment"], review_on=d["review_on"]),
        _("The review is finished: the measure stays in place."))


@require_POST
def measure_end(request, pk: int):
    return _run(request, pk, MeasureAction.END, lambda m, d: services.measure_end(
        actor=request.user, measure=m, reason=d["reason"]), _("The measure has ended."))


@require_POST
def measure_cost_add(request, pk: int):
    return _run(request, pk, MeasureAction.BOOK_COST, lambda m, d: services.measure_book_cost(
        actor=request.user, measure=m, amount_sek=d["amount_sek"], booked_on=d["booked_on"], note=d["note"]),
        _("The cost was booked."))


# ---------------------------------------------------------------- deciding


def measure_inbox(request):
    user = request.user
    policy = Policy.current()
    if not perms.can_use_inbox(user, policy):
        if perms.can_open_inbox(user):  # the approver role, while the policy gives the decisions to another role
            return render(request, "measures/measure_inbox.html", {"policy": policy, "not_decider": True})
        raise PermissionDenied
    return _inbox_page(request, policy)


# Proposals per page: each is a screenful with its decision form, and deciding one brings in the
# next, so the approver works through the first page like a queue.
INBOX_PAGE_SIZE = 5


def _inbox_page(request, policy, *, status: int = 200, bound: dict | None = None, page_number=None):
    """One page of the inbox, oldest proposal first; `bound` maps a measure to its decision form
    with errors."""
    user = request.user
    page = Paginator(selectors.inbox(user, policy), INBOX_PAGE_SIZE).get_page(
        page_number or request.GET.get("page"))
    page.object_list = selectors.inbox_details(page.object_list, user, policy)
    bound = bound or {}
    for measure in page.object_list:
        if MeasureAction.APPROVE in measure.actions:
            measure.form = bound.get(measure.pk) or DecisionForm(prefix=f"m{measure.pk}")
    year = timezone.localdate().year
    return render(request, "measures/measure_inbox.html", {
        "page": page, "proposals": page.object_list, "policy": policy,
        "decider": perms.holds_approver_role(user, policy), "budget": selectors.budget_total(year, policy),
        "year": year,
    }, status=status)


@require_POST
def measure_decide(request, pk: int):
    """Approve or reject from the inbox (or the measure page). A proposal someone else decided a
    moment before gets a clear message; the proposer is refused (four eyes)."""
    user = request.user
    policy = Policy.current()
    measure = perms.get_measure_for_user(user, pk, policy=policy)
    if not perms.holds_approver_role(user, policy):
        raise PermissionDenied
    form = DecisionForm(request.POST, prefix=f"m{measure.pk}")
    back = request.POST.get("back") == "measure"
    if form.is_valid():
        service = services.measure_approve if form.cleaned_data["decision"] == "approve" else services.measure_reject
        try:
            decided = service(actor=user, measure=measure, reason=form.cleaned_data["reason"])
        except (InvalidTransition, services.FourEyesViolation) as exc:
            messages.error(request, message_of(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, (_("Approved: %(measure)s in case %(ref)s.") if decided.status == "approved"
                                       else _("Rejected: %(measure)s in case %(ref)s."))
                             % {"measure": decided.measure_type.name, "ref": decided.case.reference})
        if not form.errors:
            if back:
                return redirect("measures:measure-detail", measure.pk)
            page = request.POST.get("page", "")
            return redirect(reverse("measures:measure-inbox") + (f"?page={page}" if page.isdigit() else ""))
    if back:
        return _measure_page(request, measure, status=400, bound=("decision_form", form))
    position = selectors.inbox_position(user, measure, policy)
    return _inbox_page(request, policy, status=400, bound={measure.pk: form},
                       page_number=position // INBOX_PAGE_SIZE + 1)


# ---------------------------------------------------------------- the order queue


def order_queue(request):
    """The approved measures waiting to be ordered, oldest decision first, each with its order
    form: the security unit's and, where the policy lets it order (Sigtuna), the technical
    office's — which sees only the measures it may order, and of each only what it needs."""
    user = request.user
    perms.require(perms.can_open_order_queue(user))
    policy = Policy.current()
    if perms.order_scope(user, policy) is None:
        return render(request, "measures/order_queue.html", {"policy": policy, "may_order": False})
    return _order_queue_page(request, policy)


ORDER_QUEUE_PAGE_SIZE = 20


def _order_queue_page(request, policy, *, status: int = 200, bound: dict | None = None, page_number=None):
    """One page of the queue; `bound` maps a measure to its order form with errors."""
    user = request.user
    page = Paginator(selectors.order_queue(user, policy), ORDER_QUEUE_PAGE_SIZE).get_page(
        page_number or request.GET.get("page"))
    bound = bound or {}
    for measure in page.object_list:
        measure.order_form = bound.get(measure.pk) or OrderForm(prefix=f"o{measure.pk}",
                                                                choices=perms.order_choices(measure, policy, user))
    return render(request, "measures/order_queue.html", {
        "policy": policy, "may_order": True, "page": page, "measures": page.object_list,
        "unit": perms.is_security_unit(user),
    }, status=status)


@require_POST
def order_queue_order(request, pk: int):
    """Order a measure from the queue. One ordered a moment before by someone else gets a clear
    message; a way of ordering the policy does not allow, a message next to the field."""
    user = request.user
    policy = Policy.current()
    measure = perms.get_measure_to_order(user, pk, policy)
    form = OrderForm(request.POST, prefix=f"o{measure.pk}", choices=perms.order_choices(measure, policy, user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.measure_order(actor=user, measure=measure, ordered_via=data["ordered_via"],
                                   supplier=data["supplier"], order_reference=data["order_reference"])
        except InvalidTransition as exc:
            messages.error(request, message_of(exc))
            return redirect("measures:order-queue")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Ordered: %(measure)s for %(name)s.")
                             % {"measure": measure.measure_type.name, "name": measure.case.official.full_name})
            return redirect("measures:order-queue")
    position = selectors.order_queue_position(user, measure, policy)
    return _order_queue_page(request, policy, status=400, bound={measure.pk: form},
                             page_number=position // ORDER_QUEUE_PAGE_SIZE + 1)


# ---------------------------------------------------------------- lists


def measure_list(request):
    user = request.user
    perms.require(perms.can_list_measures(user))
    form = MeasureFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.measure_list(
        user, status=filters.get("status") or "", measure_type=str(filters["measure_type"].pk)
        if filters.get("measure_type") else "", flagged=bool(filters.get("flagged")),
        review_due=bool(filters.get("review_due")))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "measures/measure_list.html", {"form": form, "page": page})


def budget_dashboard(request):
    user = request.user
    perms.require(perms.can_view_budget(user))
    policy = Policy.current()
    this_year = timezone.localdate().year
    year = this_year
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= this_year + 1:
        year = int(raw)
    overview = selectors.budget_overview(year, policy)
    form = YearForm(initial={"year": year}, years=overview.years)
    return render(request, "measures/budget_dashboard.html", {"overview": overview, "form": form, "policy": policy})


# ---------------------------------------------------------------- reference data (the administrator)


def measuretype_list(request):
    perms.require(perms.can_manage_catalogue(request.user))
    types = MeasureType.objects.order_by("position", "code")
    return render(request, "measures/measuretype_list.html", {"types": types})


def measuretype_edit(request, pk: int | None = None):
    perms.require(perms.can_manage_catalogue(request.user))
    instance = None
    if pk is not None:
        instance = MeasureType.objects.filter(pk=_int(pk)).first()
        if instance is None:
            raise Http404
    form = MeasureTypeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = run_service(form, lambda: services.measure_type_save(actor=request.user,
                                                                     measure_type=form.save(commit=False)))
        if saved is not None:
            messages.success(request, _("Saved: %(name)s.") % {"name": saved.name})
            return redirect("measures:measuretype-list")
    return render(request, "measures/measuretype_form.html", {"form": form, "instance": instance},
                  status=400 if form.errors else 200)


def riskfactor_list(request):
    perms.require(perms.can_manage_catalogue(request.user))
    factors = RiskFactor.objects.order_by("section", "position", "code")
    return render(request, "measures/riskfactor_list.html", {"factors": factors})


def riskfactor_edit(request, pk: int | None = None):
    perms.require(perms.can_manage_catalogue(request.user))
    instance = None
    if pk is not None:
        instance = RiskFactor.objects.filter(pk=_int(pk)).first()
        if instance is None:
            raise Http404
    form = RiskFactorForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = run_service(form, lambda: services.risk_factor_save(actor=request.user, factor=form.save(commit=False)))
        if saved is not None:
            messages.success(request, _("Saved: %(code)s.") % {"code": saved.code})
            return redirect("measures:riskfactor-list")
    return render(request, "measures/riskfactor_form.html", {"form": form, "instance": instance},
                  status=400 if form.errors else 200)


# ---------------------------------------------------------------- alarm events


def alarmevent_list(request):
    user = request.user
    perms.require(perms.can_view_alarms(user))
    open_only = request.GET.get("open") == "1"
    page = Paginator(selectors.alarm_event_list(user, open_only=open_only), 50).get_page(request.GET.get("page"))
    return render(request, "measures/alarmevent_list.html", {"page": page, "open_only": open_only})


def alarmevent_detail(request, pk: int, form=None, status: int = 200):
    event = perms.get_alarm_event_for_user(request.user, pk)
    audit_read(actor=request.user, action="alarm_event_view", obj=event, case_id=event.case_id,
               official_id=event.case.official_id)
    actions = perms.alarm_actions(event, request.user)
    if AlarmAction.ACKNOWLEDGE in actions and form is None:
        form = AcknowledgeForm()
    return render(request, "measures/alarmevent_detail.html", {
        "event": event, "actions": actions, "form": form,
        "case_url": reverse("incidents:case-detail", args=[event.case_id]),
    }, status=status)


@require_POST
def alarmevent_acknowledge(request, pk: int):
    event = perms.get_alarm_event_for_user(request.user, pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.alarm_event_acknowledge(actor=request.user, event=event, note=form.cleaned_data["note"])
        except InvalidTransition as exc:
            messages.error(request, message_of(exc))
            return redirect("measures:alarmevent-detail", event.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The alarm event was acknowledged."))
            return redirect("measures:alarmevent-detail", event.pk)
    return alarmevent_detail(request, pk, form=form, status=400)


def _int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
