"""Thin views: check the scope through `permissions`, parse the form, call a service or a
selector, render. Every export and every download is audited; so is showing the report on screen."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.audit import audit_read
from core.forms import run_service
from core.models import AuditEvent

from . import permissions as perms
from . import renderers, selectors, services
from .forms import ExportForm, PeriodForm
from .models import ExportStatus
from .tables import suppress

RECENT = 20
STALE_QUEUE_MINUTES = 5


def _list_page(request, form: ExportForm, scope: perms.Scope, *, status: int = 200) -> HttpResponse:
    exports = list(selectors.exports_for_user(request.user)[:RECENT])
    return render(request, "reports/export_list.html", {
        "form": form, "scope": scope, "exports": exports,
        "view_form": PeriodForm(prefix="view"),
    }, status=status)


@require_GET
def export_list(request):
    scope = perms.require_scope(request.user)
    return _list_page(request, ExportForm(), scope)


@require_POST
def export_create(request):
    scope = perms.require_scope(request.user)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, scope, status=400)
    # The report is written in the person's saved language (the language switch saves it).
    export = run_service(form, lambda: services.export_request(
        actor=request.user, kind=form.cleaned_data["kind"], period=form.period(), language=request.user.language))
    if export is None:
        return _list_page(request, form, scope, status=400)
    return redirect("reports:export-detail", export.pk)


def _status_context(export) -> dict:
    waiting = (export.status == ExportStatus.QUEUED
               and (timezone.now() - export.created_at).total_seconds() > STALE_QUEUE_MINUTES * 60)
    return {"export": export, "waiting_long": waiting}


@require_GET
def export_detail(request, pk: int):
    export = perms.get_export_for_user(request.user, pk)
    return render(request, "reports/export_detail.html", _status_context(export))


@require_GET
def export_status(request, pk: int):
    """The progress fragment the detail page polls with htmx until the export is finished."""
    export = perms.get_export_for_user(request.user, pk)
    return render(request, "reports/_export_status.html", _status_context(export))


@require_GET
def export_download(request, pk: int):
    export = perms.get_export_for_user(request.user, pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_read(actor=request.user, action="report_export_download", obj=export, kind=AuditEvent.Kind.EXPORT)
    with_names = {"period": export.period, "party": {"abbreviation": export.party.abbreviation}
                  if export.party is not None else None}
    response = FileResponse(handle, as_attachment=True, filename=renderers.file_name(with_names, export.kind),
                            content_type=renderers.MIMETYPES[export.kind])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def followup_detail(request):
    """The report on screen, for the chosen period and the person's scope."""
    scope = perms.require_scope(request.user)
    form = PeriodForm(request.GET or None, prefix="view")
    period = form.period()
    data = renderers.prepare(suppress(selectors.followup_data(period, party_id=scope.party_id)))
    audit_read(actor=request.user, action="report_followup_view", obj=None, kind=AuditEvent.Kind.READ)
    context = renderers.html_context(data)
    context.update({"form": form, "period": period})
    return render(request, "reports/followup_detail.html", context, status=400 if form.errors else 200)
