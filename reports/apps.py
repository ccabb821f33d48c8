from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Follow-up reports")

    def ready(self) -> None:
        from core.audit import register_action_labels, register_state_labels

        from .audit_labels import LABELS, STATES

        register_action_labels(LABELS)  # what people see instead of the codes
        register_state_labels(STATES)

        from accounts.roles import Role
        from core import hooks

        from . import home, permissions

        hooks.register_home_panel(home.reports_panel,
                                  roles={Role.ADMINISTRATOR, Role.SECURITY_HANDLER, Role.PARTY_CONTACT}, order=220)
        hooks.register_menu_item("reports:export-list", _("Follow-up reports"), allowed=permissions.can_export,
                                 order=260)
