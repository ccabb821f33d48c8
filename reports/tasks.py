"""Celery tasks of the reports app: thin, they take ids and call one service."""

from celery import shared_task


@shared_task(name="reports.tasks.run_export", acks_late=True, soft_time_limit=240, time_limit=300)
def run_export(export_id: int) -> str:
    """Make one follow-up report export. Idempotent: a finished export is left alone, so a task
    delivered twice does no harm."""
    from .services import export_run

    export = export_run(export_id=export_id)
    return export.status if export is not None else "skipped"


@shared_task(name="reports.tasks.purge_exports", acks_late=True)
def purge_exports() -> int:
    """Remove exported files older than a week (scheduled daily in config.schedules)."""
    from .services import export_purge

    return export_purge()
