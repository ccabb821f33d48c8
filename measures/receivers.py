"""Signal receivers, connected in `MeasuresConfig.ready()`."""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def on_report_joined_case(sender, case, report, actor=None, **kwargs) -> None:
    """A new report joined the case: a reassessment is due (sent inside the joining transaction)."""
    from .services import reassessment_trigger_record

    reassessment_trigger_record(case=case, report=report, actor=actor)


def on_responsibility_ended(sender, official, actor=None, **kwargs) -> None:
    """The official's last assignment has ended (sent after commit): flag their open measures for
    review and ending, and tell them."""
    from .services import measures_flag_for_ending

    with transaction.atomic():
        flagged = measures_flag_for_ending(official=official, actor=actor)
    if flagged:
        log.info("responsibility ended for official %s: %s measures flagged", official.pk, len(flagged))
