from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialsConfig(AppConfig):
    name = "officials"
    verbose_name = _("Officials")

    def ready(self) -> None:
        from core.audit import register_action_labels, register_state_labels

        from .audit_labels import LABELS, STATES

        register_action_labels(LABELS)  # what people see instead of the codes
        register_state_labels(STATES)

        from core.planner import register

        from .services import plan_responsibility_ended

        register("officials.responsibility_ended", plan_responsibility_ended)

        from accounts.roles import Role
        from core import hooks

        from . import home, permissions

        hooks.register_home_panel(home.official_panel, roles={Role.OFFICIAL}, order=0)
        hooks.register_home_panel(home.handler_panel, roles={Role.SECURITY_HANDLER}, order=20)
        hooks.register_menu_item("officials:me", _("My data and consents"),
                                 allowed=permissions.can_see_own_data, order=10)
        hooks.register_menu_item("officials:official-list", _("Officials"),
                                 allowed=permissions.can_manage_registry, order=20)
