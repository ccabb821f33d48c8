"""Signals for the apps built on cases. Sent inside the service's transaction, after the change
is saved, so a receiver's writes commit or roll back with it.

    report_filed(sender=Report, report, actor)
    case_opened(sender=Case, case, report, actor)
    report_joined_case(sender=Case, case, report, actor)     # e.g. a reassessment becomes due
    case_status_changed(sender=Case, case, from_status, to_status, actor)
"""

from django.dispatch import Signal

report_filed = Signal()
case_opened = Signal()
report_joined_case = Signal()
case_status_changed = Signal()
