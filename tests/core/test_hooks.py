"""Menu entries and home panels come from the apps through core.hooks, each entry asking the
rule its page enforces."""

import pytest
from django.urls import reverse

from core import hooks


@pytest.mark.django_db
def test_the_menu_shows_only_what_the_pages_let_the_person_open(client_for, official, handler, approver):
    names = {role: {item["name"] for item in hooks.menu_for(user)}
             for role, user in (("official", official), ("handler", handler), ("approver", approver))}
    assert "incidents:triage" in names["handler"] and "incidents:triage" not in names["official"]
    assert "officials:me" in names["official"] and "officials:me" not in names["handler"]
    for role, user in (("official", official), ("handler", handler), ("approver", approver)):
        client = client_for(user)
        for name in names[role]:
            assert client.get(reverse(name)).status_code == 200, (role, name)


@pytest.mark.django_db
def test_menu_entries_come_in_their_order():
    orders = [item.order for item in hooks.menu_items()]
    assert orders == sorted(orders) and len(orders) >= 20


@pytest.mark.django_db
def test_home_panels_follow_the_roles_and_leave_out_empty_ones(official, handler):
    def nothing(user):
        return None

    hooks.register_home_panel(nothing, roles={"official"}, order=1)
    try:
        titles = [panel.title for panel in hooks.home_panels(official)]
        assert titles and None not in titles
        assert [p.title for p in hooks.home_panels(handler)] != titles
    finally:
        hooks._panels.pop(nothing)
