from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and audit")

    def ready(self):
        from core.audit import register_action_labels, register_state_labels

        from .audit_labels import LABELS, STATES

        register_action_labels(LABELS)  # what people see instead of the codes
        register_state_labels(STATES)

        from core import hooks, planner

        from . import home, permissions, signals  # noqa: F401  (signals: audit receivers for logins and lockouts)
        from .models import Policy
        from .roles import Role

        planner.register_policy_source(Policy.current)
        hooks.register_home_panel(home.party_panel, roles={Role.PARTY_CONTACT}, order=10)
        hooks.register_home_panel(home.admin_panel, roles={Role.ADMINISTRATOR}, order=60)
        hooks.register_menu_item("accounts:home", _("Home"), allowed=permissions.can_open_home, order=0)
        hooks.register_menu_item("accounts:my-access-log", _("Who has read my data"),
                                 allowed=permissions.can_see_own_access_log, order=30)
        hooks.register_menu_item("accounts:audit-list", _("Audit trail"),
                                 allowed=permissions.can_browse_audit, order=40)
        hooks.register_menu_item("accounts:2fa-admin", _("Staff two-factor login"),
                                 allowed=permissions.can_manage_two_factor, order=50)
