from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Assessments and measures")

    def ready(self):
        from core.audit import register_action_labels, register_state_labels

        from .audit_labels import LABELS, STATES

        register_action_labels(LABELS)  # what people see instead of the codes
        register_state_labels(STATES)

        from django.db.models.signals import post_migrate

        from accounts.roles import DECIDING_ROLES, Role
        from core.planner import register
        from incidents import hooks
        from incidents.signals import report_joined_case
        from officials.signals import responsibility_ended

        from . import panels, permissions, receivers, selectors
        from .defaults import seed_reference_data
        from .services import plan_measure_reminders

        for source in selectors.TIMELINE_SOURCES:
            hooks.register_timeline_source(source)
        hooks.register_official_section_provider(selectors.official_sections)
        hooks.register_case_panel(panels.case_panel)
        hooks.register_case_page_query(selectors.case_page_query)
        for role in DECIDING_ROLES:  # whichever the policy names sees the cases with proposals for it
            hooks.register_case_scope(role, permissions.approver_case_scope)
        hooks.register_case_scope(Role.ON_CALL, permissions.on_call_case_scope)
        report_joined_case.connect(receivers.on_report_joined_case, dispatch_uid="measures.report_joined_case")
        responsibility_ended.connect(receivers.on_responsibility_ended, dispatch_uid="measures.responsibility_ended")
        register("measures.reminders", plan_measure_reminders)
        post_migrate.connect(seed_reference_data, sender=self, dispatch_uid="measures.seed_reference_data")

        from core import hooks as core_hooks

        core_hooks.register_home_panel(panels.decisions_panel, roles={Role.APPROVER, Role.SECURITY_CHIEF}, order=30)
        core_hooks.register_home_panel(panels.order_queue_panel, roles={Role.TECHNICAL_OFFICE}, order=40)
        core_hooks.register_home_panel(panels.alarms_panel, roles={Role.ON_CALL}, order=50)
        core_hooks.register_home_panel(panels.security_unit_panel, roles={Role.SECURITY_HANDLER}, order=190)
        core_hooks.register_home_panel(panels.unit_decisions_panel, roles={Role.SECURITY_HANDLER}, order=200)
        core_hooks.register_home_panel(panels.unit_alarms_panel, roles={Role.SECURITY_HANDLER}, order=210)
        core_hooks.register_menu_item("measures:measure-inbox", _("Decisions on measures"),
                                      allowed=permissions.can_open_inbox, order=160)
        core_hooks.register_menu_item("measures:order-queue", _("Measures to order"),
                                      allowed=permissions.can_open_order_queue, order=165)
        core_hooks.register_menu_item("measures:measure-list", _("Measures"),
                                      allowed=permissions.can_list_measures, order=170)
        core_hooks.register_menu_item("measures:budget-dashboard", _("Budget"),
                                      allowed=permissions.has_budget_role, order=180)
        core_hooks.register_menu_item("measures:alarmevent-list", _("Alarm events"),
                                      allowed=permissions.can_view_alarms, order=190)
        core_hooks.register_menu_item("measures:measuretype-list", _("Measure catalogue"),
                                      allowed=permissions.can_manage_catalogue, order=200)
        core_hooks.register_menu_item("measures:riskfactor-list", _("Risk checklist"),
                                      allowed=permissions.can_manage_catalogue, order=210)
