"""The home-page panels that belong to accounts itself (the party office, administration). Every
app registers its own through `core.hooks` (the official's own data: `officials.home`)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.hooks import Panel


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
