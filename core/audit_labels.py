"""Readable labels of the core's own audit actions (see `core.audit.register_action_labels`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "reminder_create": _("Reminder created"),
    "reminder_done": _("Reminder marked as done"),
    "planner_preview": _("Planner previewed"),
    "planner_run": _("Planner run"),
}
