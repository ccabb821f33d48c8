import logging

from celery import shared_task
from django.utils import timezone

log = logging.getLogger(__name__)


@shared_task(name="accounts.tasks.heartbeat", ignore_result=False)
def heartbeat() -> str:
    """A no-op task proving that beat and a worker are alive; returns the worker's time."""
    now = timezone.now().isoformat()
    log.info("heartbeat %s", now)
    return now


@shared_task(name="accounts.tasks.send_mail", autoretry_for=(OSError,), retry_backoff=True, max_retries=8,
             acks_late=True)
def send_mail_task(subject: str, body: str, recipients: list[str]) -> int:
    """Send one e-mail. Callers put no private or confidential content in subject or body."""
    from django.conf import settings
    from django.core.mail import send_mail

    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
