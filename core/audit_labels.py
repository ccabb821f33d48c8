"""Readable labels of the core's own audit actions and of common states (see `core.audit`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "reminder_create": _("Reminder created"),
    "reminder_done": _("Reminder marked as done"),
    "planner_preview": _("Planner previewed"),
    "planner_run": _("Planner run"),
}

# Codes written as `from`/`to` that are not a choice of the object's model.
STATES = {
    "open": _("Open"),
    "done": _("Done"),
    "active": _("Active"),
    "inactive": _("Inactive"),
    "removed": _("Removed"),
    "ended": _("Ended"),
    "none": _("None"),
}
