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
    """The active policy, a warning for each reason its proposals could not be decided (see
    `selectors.approval_gaps`), and the way to the admin site."""
    from .models import Policy
    from .selectors import approval_gaps

    policy = Policy.current()
    panel = Panel(_("Administration"))
    panel.lines.append((_("Active policy: %(policy)s") % {"policy": policy}, None))
    for gap in approval_gaps(policy):
        panel.lines.append((_("Warning: %(problem)s") % {"problem": gap}, reverse("admin:accounts_user_changelist")))
    panel.lines.append((_("Users, roles, policy and reference data"), reverse("admin:index")))
    return panel
