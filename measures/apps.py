from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Assessments and measures")

    def ready(self):
        from django.db.models.signals import post_migrate

        from accounts.roles import Role
        from incidents import hooks
        from incidents.signals import report_joined_case
        from officials.signals import responsibility_ended
        from training.planner import register

        from . import panels, permissions, receivers, selectors
        from .defaults import seed_reference_data
        from .services import plan_measure_reminders

        hooks.register_timeline_provider(selectors.timeline_items)
        hooks.register_official_section_provider(selectors.official_sections)
        hooks.register_case_panel(panels.case_panel)
        hooks.register_case_sections(selectors.case_sections)
        hooks.register_case_scope(Role.APPROVER, permissions.approver_case_scope)
        hooks.register_case_scope(Role.ON_CALL, permissions.on_call_case_scope)
        report_joined_case.connect(receivers.on_report_joined_case, dispatch_uid="measures.report_joined_case")
        responsibility_ended.connect(receivers.on_responsibility_ended, dispatch_uid="measures.responsibility_ended")
        register("measures.reminders", plan_measure_reminders)
        post_migrate.connect(seed_reference_data, sender=self, dispatch_uid="measures.seed_reference_data")
