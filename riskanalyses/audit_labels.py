"""Readable labels of this app's audit actions and states (see `core.audit`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "party_analysis_create": _("Party risk analysis recorded"),
    "party_analysis_update": _("Party risk analysis changed"),
    "party_analysis_judge": _("Party's judgement recorded"),
    "party_analysis_escalate": _("Risk analysis escalated"),
    "party_analysis_answer": _("Escalated risk analysis answered"),
    "party_analysis_close": _("Party risk analysis closed"),
    "party_analysis_view": _("Party risk analysis viewed"),
    "body_analysis_create": _("Activity risk analysis recorded"),
    "body_analysis_update": _("Activity risk analysis changed"),
    "body_analysis_checklist": _("Checklist recorded"),
    "body_analysis_ready": _("Activity risk analysis ready"),
    "body_analysis_follow_up": _("Activity followed up"),
    "body_analysis_reopen": _("Activity risk analysis reopened"),
    "body_analysis_cancel": _("Activity risk analysis cancelled"),
    "body_analysis_view": _("Activity risk analysis viewed"),
    "checklist_create": _("Checklist created"),
    "checklist_add_template_items": _("Template items added to a checklist"),
    "checklist_item_add": _("Checklist item added"),
    "checklist_item_update": _("Checklist item changed"),
    "checklist_item_remove": _("Checklist item removed"),
    "template_item_add": _("Template item added"),
    "template_item_update": _("Template item changed"),
    "template_item_remove": _("Template item removed"),
}

# The reminders' kinds and a reason the code writes.
STATES = {
    "riskanalyses.party_unjudged": _("Party risk analysis not judged"),
    "riskanalyses.escalation_unanswered": _("Escalated risk analysis not answered"),
    "riskanalyses.body_unjudged": _("Activity risk analysis not judged"),
    "escalation withdrawn": _("Escalation withdrawn"),
}
