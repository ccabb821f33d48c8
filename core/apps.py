from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared machinery every app uses and none bypasses: the audit trail, the outbox,
    the workflow guard, notifications, the planner registry, form plumbing and the hooks through
    which apps add menu entries and home panels. Imports no app of Värn."""

    name = "core"
    verbose_name = _("Shared machinery")

    def ready(self) -> None:
        from .audit import register_action_labels, register_state_labels
        from .audit_labels import LABELS, STATES

        register_action_labels(LABELS)
        register_state_labels(STATES)
