from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskAnalysesConfig(AppConfig):
    """Risk analyses outside cases (DOMAIN.md › Risk analyses outside cases): party offices'
    analyses before assignments, escalated to the security unit when the party cannot judge the
    risk, and committees' and companies' analyses of their own activities with their checklists."""

    name = "riskanalyses"
    label = "riskanalyses"
    verbose_name = _("Risk analyses outside cases")

    def ready(self) -> None:
        from core.audit import register_action_labels, register_state_labels

        from .audit_labels import LABELS, STATES

        register_action_labels(LABELS)  # what people see instead of the codes
        register_state_labels(STATES)

        from core.planner import register
        from incidents import hooks

        from . import selectors
        from .planner import plan_risk_analysis_reminders

        hooks.register_triage_provider(selectors.escalations_for_triage)
        hooks.register_timeline_source(selectors.CASE_TIMELINE_SOURCE)
        register("riskanalyses.reminders", plan_risk_analysis_reminders)

        from accounts.roles import Role
        from core import hooks as core_hooks

        from . import home, permissions

        core_hooks.register_home_panel(home.body_panel, roles={Role.BODY_OFFICER}, order=40)
        core_hooks.register_home_panel(home.security_unit_panel, roles={Role.SECURITY_HANDLER}, order=160)
        core_hooks.register_home_panel(home.party_panel, roles={Role.PARTY_CONTACT}, order=170)
        core_hooks.register_home_panel(home.administrator_panel, roles={Role.ADMINISTRATOR}, order=180)
        core_hooks.register_menu_item("riskanalyses:party-analysis-list", _("Risk analyses"),
                                      allowed=permissions.can_list_party_analyses, order=220)
        core_hooks.register_menu_item("riskanalyses:body-analysis-list", _("Activity risk analyses"),
                                      allowed=permissions.is_body_officer, order=230)
        core_hooks.register_menu_item("riskanalyses:checklist-mine", _("Our checklist"),
                                      allowed=permissions.can_open_own_checklist, order=240)
        core_hooks.register_menu_item("riskanalyses:template-list", _("Checklist template"),
                                      allowed=permissions.can_edit_template, order=250)
