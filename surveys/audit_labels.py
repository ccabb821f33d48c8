"""Readable labels of this app's audit actions and states (see `core.audit`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "survey_round_create": _("Survey round created"),
    "survey_round_update": _("Survey round changed"),
    "survey_invitations_send": _("Survey invitations sent"),
    "survey_invitation_resend": _("Survey invitation sent again"),
    "survey_reminders_send": _("Survey reminders sent"),
    "survey_round_close": _("Survey round closed"),
    "survey_round_seal": _("Survey round sealed"),
    "survey_nonrespondents_view": _("List of those who have not answered viewed"),
    "survey_item_create": _("Survey question added"),
    "survey_item_update": _("Survey question changed"),
}

# Codes written as `from`/`to` that are not a choice of the object's model.
STATES = {
    "sealed": _("Sealed"),
}
