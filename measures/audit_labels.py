"""Readable labels of this app's audit actions and states (see `core.audit`)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LABELS = {
    "assessment_create": _("Threat and risk assessment made"),
    "assessment_view": _("Threat and risk assessment viewed"),
    "assessment_list": _("Assessments of a case viewed"),
    "reassessment_due": _("New assessment due"),
    "measure_propose": _("Measure proposed"),
    "measure_withdraw": _("Proposal withdrawn"),
    "measure_approve": _("Measure approved"),
    "measure_reject": _("Measure rejected"),
    "measure_order": _("Measure ordered"),
    "measure_mark_in_place": _("Measure in place"),
    "measure_start_review": _("Review of a measure started"),
    "measure_finish_review": _("Review of a measure finished"),
    "measure_end": _("Measure ended"),
    "measure_flag_for_ending": _("Measure flagged for ending"),
    "measure_book_cost": _("Cost booked"),
    "measure_view": _("Measure viewed"),
    "measure_admin_save": _("Measure changed in the admin"),
    "measure_type_create": _("Measure type added"),
    "measure_type_update": _("Measure type changed"),
    "measuretype_admin_save": _("Measure type changed in the admin"),
    "risk_factor_create": _("Risk factor added"),
    "risk_factor_update": _("Risk factor changed"),
    "riskfactor_admin_save": _("Risk factor changed in the admin"),
    "alarm_event_receive": _("Alarm received"),
    "alarm_event_acknowledge": _("Alarm acknowledged"),
    "alarm_event_view": _("Alarm viewed"),
    "alarm_provider_create": _("Alarm centre added"),
    "alarm_provider_update": _("Alarm centre changed"),
    "alarm_provider_rotate_token": _("Alarm centre's key replaced"),
}

# Codes written as `from`/`to` or as the reason that are not a choice of the object's model;
# the reminders' kinds.
STATES = {
    "received": _("Received"),
    "due": pgettext_lazy("reassessment", "Due"),
    "responsibility ended": _("Municipality's responsibility ended"),
    "level differs from the matrix": _("Level differs from the matrix"),
    "new report": _("A new report joined the case"),
    "measures.review_due": _("Review of a measure due"),
    "measures.flagged_for_ending": _("Measure to end"),
    "measures.reassessment_due": _("Reassessment due"),
    "measures.reassessment_new_report": _("New report in an assessed case"),
}
