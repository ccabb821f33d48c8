"""The roles of DOMAIN.md › People and roles. A role is a Django group named by its code;
one user may hold several."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICIAL = "official", _("Elected official")
    PARTY_CONTACT = "party_contact", _("Party security contact")
    SECURITY_HANDLER = "security_handler", _("Security unit")
    APPROVER = "approver", _("Approver")
    BODY_OFFICER = "body_officer", _("Body officer")
    ON_CALL = "on_call", _("On-call officer")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that must use two-factor login when REQUIRE_2FA is on, and that get the idle timeout.
STAFF_ROLES = frozenset({Role.SECURITY_HANDLER, Role.APPROVER, Role.ON_CALL, Role.ADMINISTRATOR})
