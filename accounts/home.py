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
    panel.lines.append((_("See who in the municipality has read your data and your cases"),
                        reverse("accounts:my-access-log")))
    return panel


def _handler_panel(user) -> Panel:
    from officials.models import Official

    panel = Panel(_("Security unit"))
    panel.lines.append((_("%(count)s officials in the registry") % {"count": Official.objects.count()},
                        reverse("officials:official-list")))
    from officials.home import handler_lines

    panel.lines += handler_lines(user)
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


_BUILDERS = {
    Role.OFFICIAL: _official_panel,
    Role.PARTY_CONTACT: _party_panel,
    Role.SECURITY_HANDLER: _handler_panel,
    Role.APPROVER: lambda user: _measures_panel("decisions_panel")(user),
    Role.BODY_OFFICER: lambda user: _riskanalyses_panel("body_panel")(user),
    Role.ON_CALL: lambda user: _measures_panel("alarms_panel")(user),
    Role.ADMINISTRATOR: _admin_panel,
}


def _training_panel(name: str):
    def build(user):
        from training import home

        return getattr(home, name)(user)

    return build


def _incidents_panel(name: str):
    def build(user):
        from incidents import home

        return getattr(home, name)(user)

    return build


def _surveys_panel(name: str):
    def build(user):
        from surveys import home

        return getattr(home, name)(user)

    return build


def _riskanalyses_panel(name: str):
    def build(user):
        from measures.riskanalyses import home

        return getattr(home, name)(user)

    return build


def _reports_panel(user):
    from reports.home import reports_panel

    return reports_panel(user)


def _measures_panel(name: str):
    def build(user):
        from measures import panels

        return getattr(panels, name)(user)

    return build


# More panels per role, after the role's own; a builder may return None when it has nothing to show.
EXTRA_BUILDERS: list[tuple[frozenset[str], object]] = [
    (frozenset({Role.OFFICIAL}), _training_panel("official_panel")),
    (frozenset({Role.SECURITY_HANDLER}), _training_panel("security_unit_panel")),
    (frozenset(Role.values) - {Role.OFFICIAL, Role.SECURITY_HANDLER}, _training_panel("reminders_panel")),
    (frozenset({Role.OFFICIAL, Role.PARTY_CONTACT, Role.SECURITY_HANDLER, Role.ON_CALL}),
     _incidents_panel("incidents_panel")),
    (frozenset({Role.OFFICIAL}), _surveys_panel("official_panel")),
    (frozenset({Role.SECURITY_HANDLER}), _surveys_panel("security_unit_panel")),
    (frozenset({Role.SECURITY_HANDLER}), _riskanalyses_panel("security_unit_panel")),
    (frozenset({Role.PARTY_CONTACT}), _riskanalyses_panel("party_panel")),
    (frozenset({Role.ADMINISTRATOR}), _riskanalyses_panel("administrator_panel")),
    (frozenset({Role.SECURITY_HANDLER}), _measures_panel("security_unit_panel")),
    (frozenset({Role.SECURITY_HANDLER}), _measures_panel("unit_decisions_panel")),
    (frozenset({Role.SECURITY_HANDLER}), _measures_panel("unit_alarms_panel")),
    (frozenset({Role.ADMINISTRATOR, Role.SECURITY_HANDLER, Role.PARTY_CONTACT}), _reports_panel),
]


def home_panels(user) -> list[Panel]:
    panels = [builder(user) for role, builder in _BUILDERS.items() if role in user.roles]
    for roles, builder in EXTRA_BUILDERS:
        if user.roles & roles and (panel := builder(user)) is not None:
            panels.append(panel)
    return panels
