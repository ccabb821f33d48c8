"""Every write of assessments, measures, costs, the catalogue and alarm events. Services take
`actor`, lock, check, audit and notify (STYLE.md › Services)."""

from .alarms import (
    UnknownAlarm,
    alarm_event_acknowledge,
    alarm_event_receive,
    alarm_provider_create,
    alarm_provider_rotate_token,
    hash_token,
    provider_for_token,
)
from .assessments import assessment_create, default_review_on, reassessment_trigger_record
from .catalogue import measure_type_save, risk_factor_save
from .measures import (
    FourEyesViolation,
    measure_approve,
    measure_book_cost,
    measure_end,
    measure_finish_review,
    measure_mark_in_place,
    measure_order,
    measure_propose,
    measure_reject,
    measure_start_review,
    measure_withdraw,
    measures_flag_for_ending,
)
from .planning import plan_measure_reminders

__all__ = [
    "FourEyesViolation", "UnknownAlarm", "alarm_event_acknowledge", "alarm_event_receive",
    "alarm_provider_create", "alarm_provider_rotate_token", "assessment_create", "default_review_on", "hash_token",
    "measure_approve", "measure_book_cost", "measure_end", "measure_finish_review", "measure_mark_in_place",
    "measure_order", "measure_propose", "measure_reject", "measure_start_review", "measure_type_save",
    "measure_withdraw", "measures_flag_for_ending", "plan_measure_reminders", "provider_for_token",
    "reassessment_trigger_record", "risk_factor_save",
]
