"""The extension points through which apps add to shared pages — the menu and the home page —
so that no shared module imports an app. Each app registers in its `AppConfig.ready()`:

    from core import hooks
    hooks.register_menu_item("incidents:triage", _("Triage"), allowed=perms.may_triage, order=310)
    hooks.register_home_panel(home.incidents_panel, roles={Role.SECURITY_HANDLER}, order=300)

`allowed(user)` is a rule from the app's own `permissions` module — the same rule the page
enforces — so the menu never shows a link the page would refuse. A panel builder returns a
`Panel`, or None when it has nothing to show. Lower `order` comes first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse


@dataclass
class Panel:
    """One panel on the home page: a title and lines of (text, url or None)."""

    title: str
    lines: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: Any  # a lazy translation
    allowed: Callable[[Any], bool]
    order: int


@dataclass(frozen=True)
class PanelHook:
    build: Callable[[Any], Panel | None]
    roles: frozenset[str]
    order: int


_menu: dict[str, MenuItem] = {}
_official_audit_scopes: list[Callable[[int], Q]] = []
_panels: dict[Callable[[Any], Panel | None], PanelHook] = {}


def roles_rule(roles: Iterable[str]) -> Callable[[Any], bool]:
    """A rule for `allowed`: the user holds one of `roles`."""
    wanted = frozenset(str(r) for r in roles)
    return lambda user: bool(user.roles & wanted)


def register_menu_item(url_name: str, label: Any, *, allowed: Callable[[Any], bool], order: int) -> None:
    _menu[url_name] = MenuItem(url_name, label, allowed, order)


def register_home_panel(build: Callable[[Any], Panel | None], *, roles: Iterable[str], order: int) -> None:
    _panels[build] = PanelHook(build, frozenset(str(r) for r in roles), order)


def menu_for(user: Any) -> list[dict[str, Any]]:
    """The menu entries `user` may follow, in order."""
    items = sorted(_menu.values(), key=lambda item: (item.order, item.url_name))
    return [{"url": reverse(item.url_name), "label": item.label, "name": item.url_name}
            for item in items if item.allowed(user)]


def home_panels(user: Any) -> list[Panel]:
    """The home page's panels for `user`, in order; builders with nothing to show are left out."""
    roles = user.roles
    hooks = sorted(_panels.values(), key=lambda hook: hook.order)
    return [panel for hook in hooks if roles & hook.roles and (panel := hook.build(user)) is not None]


def register_official_audit_scope(scope: Callable[[int], Q]) -> None:
    """`scope(official_id)` selects audit rows about the official's data held by an app (e.g.
    incidents: rows tied to one of their cases), for the official's "who has read my data"."""
    if scope not in _official_audit_scopes:
        _official_audit_scopes.append(scope)


def official_audit_scopes() -> list[Callable[[int], Q]]:
    return list(_official_audit_scopes)


def menu_items() -> list[MenuItem]:
    return sorted(_menu.values(), key=lambda item: (item.order, item.url_name))
