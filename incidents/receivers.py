"""Signal receivers, connected in `IncidentsConfig.ready()`."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def on_responsibility_ended(sender: Any, official: Any, actor: Any = None, **kwargs: Any) -> None:
    """The official's last assignment has ended (sent after commit): the end of the municipality's
    responsibility goes on the timeline of each of their open cases."""
    from .services import cases_record_responsibility_ended

    with transaction.atomic():
        cases_record_responsibility_ended(official=official, actor=actor)
