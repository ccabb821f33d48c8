from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incident reports and cases")

    def ready(self) -> None:
        from accounts.roles import Role
        from core import hooks

        from . import home

        hooks.register_home_panel(home.incidents_panel,
                                  roles={Role.OFFICIAL, Role.PARTY_CONTACT, Role.SECURITY_HANDLER, Role.ON_CALL},
                                  order=130)
        hooks.register_menu_item("incidents:report-create", _("Report an incident"),
                                 allowed=hooks.roles_rule({Role.OFFICIAL, Role.PARTY_CONTACT, Role.SECURITY_HANDLER}),
                                 order=90)
        hooks.register_menu_item("incidents:my-cases", _("My reports and cases"),
                                 allowed=hooks.roles_rule({Role.OFFICIAL}), order=100)
        hooks.register_menu_item("incidents:triage", _("Triage"),
                                 allowed=hooks.roles_rule({Role.SECURITY_HANDLER}), order=110)
        hooks.register_menu_item("incidents:case-list", _("Cases"),
                                 allowed=hooks.roles_rule({Role.SECURITY_HANDLER, Role.PARTY_CONTACT}), order=120)
        hooks.register_menu_item("incidents:campaign-list", _("Campaigns"),
                                 allowed=hooks.roles_rule({Role.SECURITY_HANDLER}), order=130)
        hooks.register_menu_item("incidents:urgent-list", _("Urgent reports"),
                                 allowed=hooks.roles_rule({Role.ON_CALL}), order=140)
