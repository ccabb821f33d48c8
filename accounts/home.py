"""What needs each person's attention, on their home page. One panel per role they hold;
apps add panel builders here as they land."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import Role


@dataclass
class Panel:
    title: str
    lines: list[tuple[str, str | None]] = field(default_factory=list)  # (text, url or None)


def _official_panel(user) -> Panel:
    panel = Panel(_("Your cases and data"))
    official = getattr(user, "official", None)
    if official is None:
        panel.lines.append((_("Your account is not linked to an official in the registry."), None))
        return panel
    panel.lines.append((_("See what the municipality publishes about you and manage your consents"),
                        reverse("officials:me")))
    return panel


def _handler_panel(user) -> Panel:
    from officials.models import Official

    panel = Panel(_("Security unit"))
    panel.lines.append((_("%(count)s officials in the registry") % {"count": Official.objects.count()},
                        reverse("officials:official-list")))
    return panel


def _admin_panel(user) -> Panel:
    from .models import Policy

    policy = Policy.current()
    panel = Panel(_("Administration"))
    panel.lines.append((_("Active policy: %(policy)s") % {"policy": policy}, None))
    panel.lines.append((_("Users, roles, policy and reference data"), reverse("admin:index")))
    return panel


def _party_panel(user) -> Panel:
    panel = Panel(_("Party office"))
    party = user.party.name if user.party_id else _("no party set")
    panel.lines.append((_("You are the security contact for: %(party)s") % {"party": party}, None))
    return panel


def _generic_panel(title: str) -> Panel:
    return Panel(title, [(_("Nothing needs your attention right now."), None)])


_BUILDERS = {
    Role.OFFICIAL: _official_panel,
    Role.PARTY_CONTACT: _party_panel,
    Role.SECURITY_HANDLER: _handler_panel,
    Role.APPROVER: lambda user: _generic_panel(_("Decisions on measures")),
    Role.BODY_OFFICER: lambda user: _generic_panel(_("Your body's risk analyses")),
    Role.ON_CALL: lambda user: _generic_panel(_("On call")),
    Role.ADMINISTRATOR: _admin_panel,
}


def home_panels(user) -> list[Panel]:
    return [builder(user) for role, builder in _BUILDERS.items() if role in user.roles]
