from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incident reports and cases")

    def ready(self) -> None:
        from core.audit import register_action_labels, register_state_labels

        from .audit_labels import LABELS, STATES

        register_action_labels(LABELS)  # what people see instead of the codes
        register_state_labels(STATES)

        from accounts.roles import Role
        from core import hooks
        from officials.signals import responsibility_ended

        from . import home, receivers, selectors
        from . import permissions as perms

        hooks.register_home_panel(home.incidents_panel,
                                  roles={Role.OFFICIAL, Role.PARTY_CONTACT, Role.SECURITY_HANDLER, Role.ON_CALL},
                                  order=130)
        # Each entry asks the rule its page enforces (incidents.permissions).
        hooks.register_menu_item("incidents:report-create", _("Report an incident"), allowed=perms.files_reports,
                                 order=90)
        hooks.register_menu_item("incidents:my-cases", _("My reports and cases"), allowed=perms.is_official,
                                 order=100)
        hooks.register_menu_item("incidents:triage", _("Triage"), allowed=perms.is_security_unit, order=110)
        hooks.register_menu_item("incidents:case-list", _("Cases"), allowed=perms.may_list_cases, order=120)
        hooks.register_menu_item("incidents:campaign-list", _("Campaigns"), allowed=perms.is_security_unit, order=130)
        hooks.register_menu_item("incidents:urgent-list", _("Urgent reports"), allowed=perms.may_view_urgent_reports,
                                 order=140)
        hooks.register_official_audit_scope(selectors.audit_rows_about_cases_of)
        responsibility_ended.connect(receivers.on_responsibility_ended,
                                     dispatch_uid="incidents.responsibility_ended")
