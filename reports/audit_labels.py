"""Readable labels of this app's audit actions and states (see `core.audit`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "report_export_request": _("Follow-up report requested"),
    "report_export_start": _("Follow-up report started"),
    "report_export_done": _("Follow-up report made"),
    "report_export_failed": _("Follow-up report failed"),
    "report_export_expired": _("Follow-up report file expired"),
    "report_export": _("Follow-up report exported"),
    "report_export_download": _("Follow-up report downloaded"),
    "report_followup_view": _("Follow-up report viewed"),
}

STATES: dict[str, str] = {}
