from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialsConfig(AppConfig):
    name = "officials"
    verbose_name = _("Officials")

    def ready(self) -> None:
        from training.planner import register

        from .services import plan_responsibility_ended

        register("officials.responsibility_ended", plan_responsibility_ended)
