"""`{% contact_card official %}`: the one way to show an official to others (party contacts,
other officials, exports). Private data appears only as `selectors.published_fields` allows."""

from django import template
from django.utils.translation import gettext_lazy as _

from officials.selectors import PublicContact, public_contact

register = template.Library()


@register.inclusion_tag("officials/_contact_card.html")
def contact_card(official_or_card, heading: str = "h3"):
    card = official_or_card if isinstance(official_or_card, PublicContact) else public_contact(official_or_card)
    return {"card": card, "heading": heading}


AUDIT_ACTIONS = {
    "official_create": _("Added to the registry"),
    "official_update": _("Data changed"),
    "official_change_party": _("Party changed"),
    "assignment_add": _("Assignment added"),
    "assignment_end": _("Assignment ended"),
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
}


@register.filter
def audit_action_label(action: str) -> str:
    """A readable, translated name for an audit row's action code."""
    return str(AUDIT_ACTIONS.get(action, action))
