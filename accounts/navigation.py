"""The navigation shown to each role. Apps add their entries here as they land."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    roles: frozenset[str]


NAV_ITEMS: list[NavItem] = [
    NavItem("accounts:home", _("Home"), frozenset(Role.values)),
    NavItem("officials:me", _("My data and consents"), frozenset({Role.OFFICIAL})),
    NavItem("officials:official-list", _("Officials"), frozenset({Role.SECURITY_HANDLER})),
]


def items_for(user) -> list[dict]:
    roles = user.roles
    return [
        {"url": reverse(item.url_name), "label": item.label, "name": item.url_name}
        for item in NAV_ITEMS
        if roles & item.roles
    ]
