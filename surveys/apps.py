from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from core.audit import register_action_labels, register_state_labels

        from .audit_labels import LABELS, STATES

        register_action_labels(LABELS)  # what people see instead of the codes
        register_state_labels(STATES)

        from core.planner import register

        from . import log_redaction
        from .services import plan_survey_rounds

        register("surveys.rounds", plan_survey_rounds)
        log_redaction.install()

        from accounts.roles import Role
        from core import hooks

        from . import home, permissions

        hooks.register_home_panel(home.official_panel, roles={Role.OFFICIAL}, order=140)
        hooks.register_home_panel(home.security_unit_panel, roles={Role.SECURITY_HANDLER}, order=150)
        hooks.register_menu_item("surveys:round-list", _("Surveys"), allowed=permissions.can_read_results, order=150)
