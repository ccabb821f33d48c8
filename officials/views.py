"""Screens of the officials registry (security unit) and "my data and consents" (the official).

Thin: fetch through `permissions`, validate with `forms`, write through `services`, render."""

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Policy
from core.audit import audit_read
from core.forms import apply_errors, message_of, run_service
from core.models import AuditEvent
from core.workflow import InvalidTransition

from . import permissions, selectors, services
from .documents import max_bytes
from .forms import (
    AssignmentEndForm,
    AssignmentForm,
    ConsentAcceptForm,
    ConsentDocumentForm,
    ConsentRecordForm,
    ConsentRejectForm,
    ConsentUploadForm,
    OfficialFilterForm,
    OfficialForm,
    OwnConsentGiveForm,
    PartyChangeForm,
    PhoneForm,
)
from .models import Consent, Official

PAGE_SIZE = 50


# ---------------------------------------------------------------------------------------------
# The security unit: the registry


@require_http_methods(["GET"])
def official_list(request):
    permissions.require_registry(request.user)
    form = OfficialFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    page = Paginator(selectors.officials_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "officials/official_list.html", {
        "form": form, "page": page, "filtered": any(v not in (None, "") for v in filters.values()),
    })


@require_http_methods(["GET"])
def official_export(request):
    """The filtered list as CSV contact cards: private data only with consent in force."""
    permissions.require_registry(request.user)
    form = OfficialFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    cards = selectors.public_contacts(selectors.officials_list(**form.filters()))
    audit_read(actor=request.user, action="official_export", obj=None, kind=AuditEvent.Kind.EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="officials-{timezone.localdate().isoformat()}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    labels = dict(Consent.Field.choices)
    writer.writerow([_("Name"), _("Party"), _("E-mail (assignment)"), _("Phone (assignment)"),
                     _("Municipal phone"), _("Current assignments"),
                     *[str(labels[name]) for name in selectors.PRIVATE_FIELDS]])
    for card in cards:
        writer.writerow([_cell(v) for v in (
            card.name, card.party, card.work_email, card.work_phone, card.municipal_phone_number,
            "; ".join(card.assignments), *[card.published_by_field.get(name, "") for name in selectors.PRIVATE_FIELDS],
        )])
    return response


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas in exported cells."""
    value = str(value or "")
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_http_methods(["GET", "POST"])
def official_create(request):
    permissions.require_registry(request.user)
    form = OfficialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        official = run_service(form, lambda: services.official_create(
            actor=request.user, party=form.cleaned_data.get("party"), **data))
        if official is not None:
            messages.success(request, _("The official was added to the registry."))
            return redirect("officials:official-detail", pk=official.pk)
    return render(request, "officials/official_form.html", {"form": form, "official": None},
                  status=400 if form.errors else 200)


@require_http_methods(["GET"])
def official_detail(request, pk: int):
    official = permissions.get_official_for_user(request.user, pk)
    audit_read(actor=request.user, action="official_view_private", obj=official, official_id=official.pk)
    return render(request, "officials/official_detail.html", {
        "official": official,
        "actions": permissions.available_actions(official, request.user),
        "current": official.current_assignments(),
        "ended": [a for a in official.assignments.all() if a.end is not None and a.end < timezone.localdate()],
        "upcoming": [a for a in official.assignments.all() if a.start > timezone.localdate()],
        "private_fields": [{"state": state, "moves": permissions.consent_moves(request.user, official, state.name,
                                                                               state.consent)}
                           for state in selectors.private_field_states(official)],
        "card": selectors.public_contact(official),
        "trail": selectors.official_audit_trail(official),
        "phone_moves": permissions.phone_moves(request.user, official),
    })


@require_http_methods(["GET", "POST"])
def official_update(request, pk: int):
    official = permissions.get_official_for_user(request.user, pk)
    form = OfficialForm(request.POST or None, instance=official)
    if request.method == "POST" and form.is_valid():
        changed = run_service(form, lambda: services.official_update(actor=request.user, official=official,
                                                                     **form.service_kwargs()))
        if changed is not None:
            messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
            return redirect("officials:official-detail", pk=official.pk)
    # The form shows the private fields: every rendering is a read.
    audit_read(actor=request.user, action="official_view_private", obj=official, official_id=official.pk)
    return render(request, "officials/official_form.html", {"form": form, "official": official},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def official_change_party(request, pk: int):
    official = permissions.get_official_for_user(request.user, pk)
    form = PartyChangeForm(request.POST or None, initial={"party": official.party})
    if request.method == "POST" and form.is_valid():
        services.official_change_party(actor=request.user, official=official, party=form.cleaned_data["party"])
        messages.success(request, _("The party was changed."))
        return redirect("officials:official-detail", pk=official.pk)
    return render(request, "officials/official_party.html",
                  {"form": form, "official": official, "heading": _("Change party")},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def assignment_create(request, pk: int):
    official = permissions.get_official_for_user(request.user, pk)
    form = AssignmentForm(request.POST or None, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.assignment_add(actor=request.user, official=official,
                                                             **form.cleaned_data)) is not None:
            messages.success(request, _("The assignment was added."))
            return redirect("officials:official-detail", pk=official.pk)
    return render(request, "officials/assignment_form.html",
                  {"form": form, "official": official, "heading": _("Add assignment")},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def assignment_end(request, pk: int):
    assignment = permissions.get_assignment_for_user(request.user, pk)
    official = assignment.official
    form = AssignmentEndForm(request.POST or None, assignment=assignment, initial={"end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.assignment_end(actor=request.user, assignment=assignment,
                                                             end=form.cleaned_data["end"])) is not None:
            messages.success(request, _("The assignment was ended."))
            return redirect("officials:official-detail", pk=official.pk)
    return render(request, "officials/assignment_end.html",
                  {"form": form, "official": official, "assignment": assignment, "heading": _("End assignment")},
                  status=400 if form.errors else 200)


@require_POST
def assignment_designate(request, pk: int):
    """The party's designation as specially remunerated (KL 4:18a), set or removed by the unit."""
    assignment = permissions.get_assignment_for_user(request.user, pk)
    designated = request.POST.get("designated") == "1"
    try:
        services.assignment_designate(actor=request.user, assignment=assignment, designated=designated)
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("The assignment is marked as designated by the party: covered by KL 4:18a.")
                         if designated else _("The party's designation is removed."))
    return redirect("officials:official-detail", pk=assignment.official_id)


@require_http_methods(["GET", "POST"])
def consent_create(request, pk: int):
    official = permissions.get_official_for_user(request.user, pk)
    initial = {"decided_on": timezone.localdate(), "decision": "given"}
    if request.GET.get("field") in Consent.Field.values:
        initial["field"] = request.GET["field"]
    form = ConsentRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.consent_record(
                actor=request.user, official=official, field=form.cleaned_data["field"], given=form.given,
                decided_on=form.cleaned_data["decided_on"], document_reference=form.cleaned_data["document_reference"],
        )) is not None:
            messages.success(request, _("The consent was recorded."))
            return redirect(reverse("officials:official-detail", args=[official.pk]) + "#private-data")
    return render(request, "officials/consent_form.html", {
        "form": form, "official": official, "heading": _("Record consent"),
    }, status=400 if form.errors else 200)


def _private_data_url(official: Official, field: str = "") -> str:
    return reverse("officials:official-detail", args=[official.pk]) + (f"#field-{field}" if field else "#private-data")


@require_http_methods(["GET", "POST"])
def consent_document(request, pk: int):
    """The security unit records that the signed paper was received: the consent is in force."""
    consent = permissions.get_consent_for_user(request.user, pk, manage=True)
    official = consent.official
    form = ConsentDocumentForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.consent_record_document(
                actor=request.user, consent=consent, document_reference=form.cleaned_data["document_reference"],
                received_on=form.cleaned_data["received_on"])) is not None:
            messages.success(request, _("The signed document was recorded: %(field)s is now published.")
                             % {"field": consent.get_field_display()})
            return redirect(_private_data_url(official, consent.field))
    return render(request, "officials/consent_document.html", {
        "form": form, "official": official, "consent": consent, "heading": _("Record the signed document"),
    }, status=400 if form.errors else 200)


def _render_review(request, consent: Consent, *, accept: ConsentAcceptForm | None = None,
                   reject: ConsentRejectForm | None = None, status: int = 200):
    return render(request, "officials/consent_review.html", {
        "official": consent.official, "consent": consent, "heading": _("Check the signed document"),
        "accept_form": accept or ConsentAcceptForm(), "reject_form": reject or ConsentRejectForm(),
        "moves": permissions.consent_moves(request.user, consent.official, consent.field, consent),
    }, status=status)


@require_http_methods(["GET"])
def consent_review(request, pk: int):
    """The security unit checks a signed document the official sent in: accept it or say why not."""
    return _render_review(request, permissions.get_consent_for_user(request.user, pk, manage=True))


@require_POST
def consent_accept(request, pk: int):
    consent = permissions.get_consent_for_user(request.user, pk, manage=True)
    form = ConsentAcceptForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.consent_accept_document(
            actor=request.user, consent=consent, document_reference=form.cleaned_data["document_reference"])
    ) is not None:
        messages.success(request, _("The signed document was accepted: %(field)s is now published.")
                         % {"field": consent.get_field_display()})
        return redirect(_private_data_url(consent.official, consent.field))
    return _render_review(request, consent, accept=form, status=400)


@require_POST
def consent_reject(request, pk: int):
    consent = permissions.get_consent_for_user(request.user, pk, manage=True)
    form = ConsentRejectForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.consent_reject_document(
            actor=request.user, consent=consent, reason=form.cleaned_data["reason"])) is not None:
        messages.success(request, _("The document was not accepted. The official has been told to send a new one."))
        return redirect(_private_data_url(consent.official, consent.field))
    return _render_review(request, consent, reject=form, status=400)


@require_http_methods(["GET"])
def consent_file(request, pk: int):
    """The signed document the official sent in: the security unit and the official themselves."""
    consent = permissions.get_consent_for_user(request.user, pk)
    if not consent.document_file:
        raise Http404
    audit_read(actor=request.user, action="consent_document_download", obj=consent)
    response = FileResponse(consent.document_file.open("rb"), as_attachment=True, filename=consent.document_name,
                            content_type=consent.document_mimetype)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def official_phone(request, pk: int):
    official = permissions.get_official_for_user(request.user, pk)
    moves = permissions.phone_moves(request.user, official)
    form = PhoneForm(request.POST or None, moves=moves,
                     initial={"number": official.municipal_phone_number})
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.municipal_phone_change(
                actor=request.user, official=official, to=form.cleaned_data["to"], number=form.cleaned_data["number"])) is not None:
            messages.success(request, _("The municipal phone was updated."))
            return redirect("officials:official-detail", pk=official.pk)
    return render(request, "officials/official_phone.html",
                  {"form": form, "official": official, "heading": _("Municipal phone")},
                  status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------
# The official: my data and consents


def _render_me(request, official: Official, *, bound: dict | None = None, status: int = 200):
    """The page; `bound` holds a submitted form per field to show with its errors."""
    audit_read(actor=request.user, action="official_view_own", obj=official, official_id=official.pk)
    bound = bound or {}
    max_mb = max_bytes() // (1024 * 1024)
    fields: list[dict[str, Any]] = []
    for state in selectors.private_field_states(official):
        moves = permissions.consent_moves(request.user, official, state.name, state.consent)
        form = None
        if "give" in moves:
            form = bound.get(state.name) or OwnConsentGiveForm(prefix=state.name,
                                                               initial={"decided_on": timezone.localdate()})
        elif "upload" in moves:
            form = bound.get(state.name) or ConsentUploadForm(prefix=state.name, max_mb=max_mb)
        fields.append({"state": state, "moves": moves, "form": form})
    return render(request, "officials/official_me.html", {
        "official": official,
        "current": official.current_assignments(),
        "past": [a for a in official.assignments.all() if a not in official.current_assignments()],
        "fields": fields,
        "card": selectors.public_contact(official),
        "published": selectors.published_private_data(official),
        "phone_moves": permissions.phone_moves(request.user, official),
        "policy": Policy.current(),
        "errors_in": [f for f in fields if f["form"] is not None and f["form"].errors],
    }, status=status)


@require_http_methods(["GET"])
def me(request):
    return _render_me(request, permissions.get_own_official(request.user))


def _own_field(request, field: str) -> Official:
    official = permissions.get_own_official(request.user)
    if field not in Consent.Field.values:
        raise Http404
    return official


@require_POST
def me_consent_give(request, field: str):
    official = _own_field(request, field)
    form = OwnConsentGiveForm(request.POST, prefix=field)
    if form.is_valid():
        try:
            services.consent_give(actor=request.user, official=official, field=field,
                                  decided_on=form.cleaned_data["decided_on"], signed_confirmed=True)
        except InvalidTransition as error:
            # The state changed meanwhile (e.g. sent twice): say so on the fresh page.
            messages.error(request, message_of(error))
            return redirect(reverse("officials:me") + f"#consent-{field}")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your consent was recorded. %(field)s is published once %(unit)s has your "
                                        "signed consent form: send it, or upload a scan or photo of it below.")
                             % {"field": Consent.Field(field).label, "unit": Policy.current().unit_name})
            return redirect(reverse("officials:me") + f"#consent-{field}")
    return _render_me(request, official, bound={field: form}, status=400)


@require_POST
def me_consent_upload(request, field: str):
    official, consent = permissions.get_own_open_consent(request.user, field)
    form = ConsentUploadForm(request.POST, request.FILES, prefix=field, max_mb=max_bytes() // (1024 * 1024))
    if consent is None:
        messages.error(request, _("There is no consent for this yet."))
        return redirect(reverse("officials:me") + f"#consent-{field}")
    if form.is_valid():
        try:
            services.consent_upload_document(actor=request.user, consent=consent,
                                             upload=form.cleaned_data["document"])
        except InvalidTransition as error:
            messages.error(request, message_of(error))
            return redirect(reverse("officials:me") + f"#consent-{field}")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. %(unit)s will check the signed document; %(field)s is published "
                                        "once it is accepted.")
                             % {"unit": Policy.current().unit_name, "field": Consent.Field(field).label})
            return redirect(reverse("officials:me") + f"#consent-{field}")
    return _render_me(request, official, bound={field: form}, status=400)


@require_POST
def me_consent_withdraw(request, field: str):
    _official, consent = permissions.get_own_open_consent(request.user, field)
    try:
        if consent is None:
            raise InvalidTransition(_("There is no consent to withdraw."))
        services.consent_withdraw(actor=request.user, consent=consent)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, _("Your consent was withdrawn: %(field)s is no longer published.")
                         % {"field": Consent.Field(field).label})
    return redirect(reverse("officials:me") + f"#consent-{field}")


@require_POST
def me_phone(request):
    official = permissions.get_own_official(request.user)
    to = request.POST.get("to", "")
    if to not in permissions.phone_moves(request.user, official):
        messages.error(request, _("That is not possible for your municipal phone right now."))
        return redirect(reverse("officials:me") + "#phone")
    try:
        services.municipal_phone_change(actor=request.user, official=official, to=to)
    except (ValidationError, PermissionDenied):
        messages.error(request, _("That is not possible for your municipal phone right now."))
    else:
        messages.success(request, _("Thank you. %(unit)s has been told that you want a municipal phone.")
                         % {"unit": Policy.current().unit_name}
                         if to == Official.MunicipalPhone.REQUESTED else _("You declined the municipal phone."))
    return redirect(reverse("officials:me") + "#phone")
