"""The roles of DOMAIN.md › People and roles. A role is a Django group named by its code;
one user may hold several."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICIAL = "official", _("Elected official")
    PARTY_CONTACT = "party_contact", _("Party security contact")
    SECURITY_HANDLER = "security_handler", _("Security unit")
    SECURITY_CHIEF = "security_chief", _("Security chief")
    APPROVER = "approver", _("Approver")
    TECHNICAL_OFFICE = "technical_office", _("Technical office")
    BODY_OFFICER = "body_officer", _("Body officer")
    ON_CALL = "on_call", _("On-call officer")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that must use two-factor login when REQUIRE_2FA is on, and that get the idle timeout.
STAFF_ROLES = frozenset({Role.SECURITY_HANDLER, Role.SECURITY_CHIEF, Role.APPROVER, Role.TECHNICAL_OFFICE,
                         Role.ON_CALL, Role.ADMINISTRATOR})

# The roles a policy may make the decider of proposed measures (`Policy.approver_role`): the
# approver (Sigtuna's deputy municipal director, a town director), the security chief (Stockholm),
# or the security unit itself — which also proposes, so it decides only where four eyes still
# leave someone (`Policy.clean`).
DECIDING_ROLES = (Role.APPROVER, Role.SECURITY_CHIEF, Role.SECURITY_HANDLER)
# The roles whose holders propose measures (measures.permissions.can_propose: the security unit).
PROPOSING_ROLES = frozenset({Role.SECURITY_HANDLER})
