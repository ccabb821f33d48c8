"""Follow-up report exports (DOMAIN.md › Follow-up reports).

Fields, choices and constraints only: the rules live in `services` (writes), `selectors` (reads)
and `permissions` (who may do what). An export's file is kept under MEDIA_ROOT (outside the web
root) with a random name, and is served only through the permission-checked download view.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.workflow import Workflow

from .periods import Period


class ExportKind(models.TextChoices):
    PDF = "pdf", _("PDF report")
    CSV = "csv", _("CSV files (zip)")
    XLSX = "xlsx", _("Excel workbook (XLSX)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Removed")


_S = ExportStatus
# An export's status moves (the task makes it; old files expire). Failed and expired are final.
EXPORT_WORKFLOW = Workflow("export", {
    _S.QUEUED: {_S.RUNNING, _S.FAILED},
    _S.RUNNING: {_S.DONE, _S.FAILED},
    _S.DONE: {_S.EXPIRED},
    _S.FAILED: set(),
    _S.EXPIRED: set(),
}, labels=ExportStatus, message=_("An export that is “%(from)s” cannot become “%(to)s”."))


def _export_path(instance: "Export", filename: str) -> str:
    """A random name: the file name the person sees is made at download."""
    today = timezone.localdate()
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"reports/{today:%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Export(models.Model):
    """One follow-up report asked for by one person: a period, a scope (the whole municipality, or
    one party's members for a party office) and a format."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="report_exports")
    kind = models.CharField(_("format"), max_length=4, choices=ExportKind.choices, default=ExportKind.PDF)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    party = models.ForeignKey("officials.Party", verbose_name=_("party (party version)"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+",
                              help_text=_("Empty: the whole municipality."))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="sv")
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED,
                              db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=_export_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    error = models.CharField(_("why it failed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up report export")
        verbose_name_plural = _("follow-up report exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="export_period_ordered"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_at_most_100"),
            models.CheckConstraint(condition=~Q(status="done") | (~Q(file="") & Q(finished_at__isnull=False)),
                                   name="export_done_has_file"),
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(error=""), name="export_failed_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()} {self.period_start}–{self.period_end}"

    @property
    def reference(self) -> str:
        return f"U-{self.pk or 0:05d}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED)

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)
