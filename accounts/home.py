"""The home-page panels that belong to accounts itself (the official's own data, the party
office, administration). Every app registers its own through `core.hooks`."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.hooks import Panel


def official_panel(user) -> Panel:
    panel = Panel(_("Your cases and data"))
    official = getattr(user, "official", None)
    if official is None:
        panel.lines.append((_("Your account is not linked to an official in the registry."), None))
        return panel
    panel.lines.append((_("See what the municipality publishes about you and manage your consents"),
                        reverse("officials:me")))
    panel.lines.append((_("See who in the municipality has read your data and your cases"),
                        reverse("accounts:my-access-log")))
    return panel


def party_panel(user) -> Panel:
    panel = Panel(_("Party office"))
    party = user.party.name if user.party_id else _("no party set")
    panel.lines.append((_("You are the security contact for: %(party)s") % {"party": party}, None))
    return panel


def admin_panel(user) -> Panel:
    from .models import Policy

    policy = Policy.current()
    panel = Panel(_("Administration"))
    panel.lines.append((_("Active policy: %(policy)s") % {"policy": policy}, None))
    panel.lines.append((_("Users, roles, policy and reference data"), reverse("admin:index")))
    return panel
