"""Readable labels of this app's audit actions and states (see `core.audit`)."""

from django.utils.translation import gettext_lazy as _

from .roles import Role

LABELS = {
    "login": _("Logged in"),
    "logout": _("Logged out"),
    "logout_idle": _("Logged out after inactivity"),
    "login_locked_out": _("Login blocked after too many attempts"),
    "two_factor_enrol": _("Two-factor login set up"),
    "two_factor_replace": _("Two-factor login replaced"),
    "two_factor_reset": _("Two-factor login reset"),
    "two_factor_verify": _("Logged in with the second factor"),
    "two_factor_verify_failed": _("Wrong second-factor code"),
    "recovery_code_used": _("Logged in with a recovery code"),
    "recovery_codes_generate": _("New recovery codes made"),
    "user_set_roles": _("Roles changed"),
    "policy_load": _("Policy profile loaded"),
    "policy_add": _("Policy added"),
    "policy_change": _("Policy changed"),
    "audit_export": _("Audit trail exported"),
}

# Codes written as `from`/`to` that are not a choice of the object's model: roles, a second factor.
STATES = {
    **{role.value: role.label for role in Role},
    "totp": _("Authenticator app"),
}
