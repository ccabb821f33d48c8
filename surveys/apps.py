from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from training.planner import register

        from . import log_redaction
        from .services import plan_survey_rounds

        register("surveys.rounds", plan_survey_rounds)
        log_redaction.install()
