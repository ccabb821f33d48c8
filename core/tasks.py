"""The outbox's tasks and the heartbeat. Thin: each calls one function of `core.notify`."""

import logging

from celery import shared_task
from django.utils import timezone

log = logging.getLogger(__name__)


@shared_task(name="core.tasks.heartbeat", ignore_result=False)
def heartbeat() -> str:
    """A no-op task proving that beat and a worker are alive; returns the worker's time."""
    now = timezone.now().isoformat()
    log.info("heartbeat %s", now)
    return now


@shared_task(name="core.tasks.deliver_outbox", acks_late=True)
def deliver_outbox(pk: int) -> bool:
    from .notify import deliver

    return deliver(pk)


@shared_task(name="core.tasks.deliver_outbox_batch", acks_late=True)
def deliver_outbox_batch(ids: list[int]) -> int:
    """Several outbox messages queued by one change; returns how many were sent now (each is
    sent once, whatever retries: see `deliver`)."""
    from .notify import deliver

    return sum(deliver(pk) for pk in ids)


@shared_task(name="core.tasks.flush_outbox", acks_late=True)
def flush_outbox() -> int:
    from .notify import flush

    return flush()
