"""Readable labels of this app's audit actions and states (see `core.audit`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "report_file": _("Incident report filed"),
    "report_view": _("Incident report viewed"),
    "report_receipt_view": _("Receipt of a report viewed"),
    "report_triage": _("Incident report triaged"),
    "report_join_case": _("Report joined to a case"),
    "case_open": _("Case opened"),
    "case_view": _("Case viewed"),
    "case_advance_for_work": _("Case status moved on by the work done"),
    "case_record_municipality_view": _("The municipality's view on the link to the assignment recorded"),
    "case_record_party_view": _("The party's view on the link to the assignment recorded"),
    "case_responsibility_ended": _("The municipality's responsibility ended (case timeline)"),
    "case_assign": _("Handler assigned"),
    "case_set_status": _("Case status changed"),
    "case_set_priority": _("Case priority changed"),
    "case_update_title": _("Case title changed"),
    "case_add_note": _("Note added"),
    "case_add_contact": _("Contact recorded"),
    "case_record_support": _("Support recorded"),
    "case_record_police_report": _("Police report recorded"),
    "case_record_link_assessment": _("Link to the assignment assessed"),
    "case_evidence_package": _("Evidence package downloaded"),
    "attachment_add": _("File added"),
    "attachment_download": _("File downloaded"),
    "campaign_create": _("Campaign created"),
    "campaign_add_case": _("Case added to a campaign"),
    "campaign_remove_case": _("Case removed from a campaign"),
}

# Codes written as `from`/`to` or as the reason that are not a choice of the object's model.
STATES = {
    "confidential": _("Security unit only"),
    "shared": _("Shared"),
    "on behalf": _("Filed on behalf of the official"),
}
