from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training and prevention")

    def ready(self) -> None:
        from core.audit import register_action_labels, register_state_labels

        from .audit_labels import LABELS, STATES

        register_action_labels(LABELS)  # what people see instead of the codes
        register_state_labels(STATES)

        from core.planner import register

        from .steps import STEPS

        for name, step in STEPS.items():
            register(name, step)

        from core.planner import policy_changed

        from .receivers import run_planner_after_policy_change

        policy_changed.connect(run_planner_after_policy_change, dispatch_uid="training.run_planner_after_policy_change")

        from accounts.roles import Role
        from core import hooks, reminders

        from . import home, permissions

        reminders.register_list_page("training:reminder-list")
        hooks.register_home_panel(home.official_panel, roles={Role.OFFICIAL}, order=100)
        hooks.register_home_panel(home.security_unit_panel, roles={Role.SECURITY_HANDLER}, order=110)
        hooks.register_home_panel(home.reminders_panel, roles=set(Role.values) - {Role.OFFICIAL, Role.SECURITY_HANDLER},
                                  order=120)
        hooks.register_menu_item("training:my-training", _("My training"),
                                 allowed=permissions.can_see_own_training, order=60)
        hooks.register_menu_item("training:plan-overview", _("Training and prevention"),
                                 allowed=permissions.can_manage, order=70)
        hooks.register_menu_item("training:compliance-view", _("KL 4:18a"),
                                 allowed=permissions.can_manage, order=80)
        hooks.register_menu_item("training:budget", _("Training budget"),
                                 allowed=permissions.can_view_budget, order=185)
