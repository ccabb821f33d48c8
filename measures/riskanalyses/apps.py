from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskAnalysesConfig(AppConfig):
    """Risk analyses outside cases (DOMAIN.md › Risk analyses outside cases): party offices'
    analyses before assignments, escalated to the security unit when the party cannot judge the
    risk, and committees' and companies' analyses of their own activities with their checklists."""

    name = "measures.riskanalyses"
    label = "riskanalyses"
    verbose_name = _("Risk analyses outside cases")

    def ready(self) -> None:
        from incidents import hooks
        from training.planner import register

        from . import selectors
        from .planner import plan_risk_analysis_reminders

        hooks.register_triage_provider(selectors.escalations_for_triage)
        hooks.register_timeline_provider(selectors.case_timeline_items)
        hooks.register_case_sections(selectors.case_sections)
        register("riskanalyses.reminders", plan_risk_analysis_reminders)
