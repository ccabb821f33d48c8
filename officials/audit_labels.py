"""Readable labels of this app's audit actions and states (see `core.audit`)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LABELS = {
    "official_create": _("Added to the registry"),
    "official_update": _("Data changed"),
    "official_change_party": _("Party changed"),
    "assignment_add": _("Assignment added"),
    "assignment_end": _("Assignment ended"),
    "assignment_designate": _("Party designation changed"),
    "consent_record": _("Consent decision recorded"),
    "consent_give": _("Consent given"),
    "consent_renew": _("Consent renewed with a new signed document"),
    "consent_record_document": _("Signed consent document recorded"),
    "consent_upload_document": _("Signed consent document sent in"),
    "consent_accept_document": _("Signed consent document accepted"),
    "consent_reject_document": _("Signed consent document not accepted"),
    "consent_withdraw": _("Consent withdrawn"),
    "consent_document_download": _("Signed consent document downloaded"),
    "municipal_phone_change": _("Municipal phone changed"),
    "official_responsibility_end": _("Municipality's responsibility ended"),
    "official_responsibility_resume": _("Municipality's responsibility resumed"),
    "official_view_private": _("Private data viewed"),
    "official_view_own": _("Viewed by the official"),
    "official_export": _("Registry of officials exported"),
}

# Codes written as `from`/`to` that are not a choice of the object's model; a reminder's kind.
STATES = {
    "given": pgettext_lazy("consent", "Given"),
    "withdrawn": _("Withdrawn"),
    "designated": _("Designated by the party"),
    "officials.assignment_ending": _("Assignment ending"),
}
