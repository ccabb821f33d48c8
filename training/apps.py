from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training and prevention")

    def ready(self) -> None:
        from .planner import register
        from .steps import STEPS

        for name, step in STEPS.items():
            register(name, step)
