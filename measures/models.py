"""Threat and risk assessments, protective and support measures, their costs, and alarm events
(DOMAIN.md › Threat and risk assessment, Protective and support measures, Alarm events).

Fields, choices, database constraints and the workflows' tables (`MEASURE_WORKFLOW`,
`ALARM_EVENT_WORKFLOW`: data for `core.workflow`) only: the rules live in `services` (writes),
`selectors` (reads) and `permissions` (who may see and do what). Two rules are kept by the
database as well as by the services, so that no path — form, URL, API, admin or shell — can
break them: the proposer of a measure never decides it (four eyes), and a case has at most one
open proposal of each measure type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core.workflow import Workflow

if TYPE_CHECKING:
    from .forms import DecisionForm, OrderForm

# ---------------------------------------------------------------- the checklist


class FactorSection(models.TextChoices):
    BEHAVIOUR = "A", _("A. The behaviour")
    PERSON = "B", _("B. The person behind it")
    VULNERABILITY = "C", _("C. The official's vulnerability")


class FactorAnswer(models.TextChoices):
    PRESENT = "present", _("Present")
    PARTLY = "partly", _("Partly")
    ABSENT = "absent", _("Absent")
    UNKNOWN = "unknown", _("Unknown")


class RiskFactor(models.Model):
    """One factor of the structured checklist (RISK.md), editable by the administrator. Saved
    assessments never point here: each keeps a copy of the exact list it was made with."""

    code = models.CharField(_("code"), max_length=8, unique=True, help_text=_("For example A1, B3, C7."))
    section = models.CharField(_("section"), max_length=1, choices=FactorSection.choices)
    text_sv = models.CharField(_("text (Swedish)"), max_length=300)
    text_en = models.CharField(_("text (English)"), max_length=300)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True,
                                    help_text=_("Factors not in use are left out of new assessments."))

    class Meta:
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")
        ordering = ["section", "position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "").startswith("en") else self.text_sv

    def snapshot(self) -> dict[str, str]:
        return {"code": self.code, "section": self.section, "text_sv": self.text_sv, "text_en": self.text_en}


# ---------------------------------------------------------------- assessments


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


LEVEL_ORDER: dict[str, int] = {RiskLevel.LOW: 1, RiskLevel.MODERATE: 2, RiskLevel.HIGH: 3, RiskLevel.VERY_HIGH: 4}

# The documented mapping from the matrix score (likelihood × consequence, 1–25) to a level.
# Scores 1–4 low, 5–9 moderate, 10–16 high, 20–25 very high (17–19 cannot occur).
MATRIX_BANDS: list[tuple[int, int, str]] = [
    (1, 4, RiskLevel.LOW),
    (5, 9, RiskLevel.MODERATE),
    (10, 16, RiskLevel.HIGH),
    (17, 25, RiskLevel.VERY_HIGH),
]

# Days to the next review, by level (RISK.md).
REVIEW_DAYS: dict[str, int] = {RiskLevel.VERY_HIGH: 7, RiskLevel.HIGH: 30, RiskLevel.MODERATE: 90, RiskLevel.LOW: 180}

LIKELIHOOD_CHOICES = [
    (1, _("1 – very unlikely")),
    (2, _("2 – unlikely")),
    (3, _("3 – possible")),
    (4, _("4 – likely")),
    (5, _("5 – very likely")),
]
CONSEQUENCE_CHOICES = [
    (1, _("1 – negligible")),
    (2, _("2 – minor")),
    (3, _("3 – serious")),
    (4, _("4 – very serious")),
    (5, _("5 – life-threatening")),
]


def matrix_level(likelihood: int, consequence: int) -> str:
    score = int(likelihood) * int(consequence)
    for low, high, level in MATRIX_BANDS:
        if low <= score <= high:
            return level
    raise ValueError(f"likelihood and consequence must be 1–5, not {likelihood} and {consequence}")


def _score_in_band(level: str, low: int, high: int) -> Q:
    score = F("likelihood") * F("consequence")
    return Q(matrix_level=level) & Q(GreaterThanOrEqual(score, low)) & Q(LessThanOrEqual(score, high))


class Assessment(models.Model):
    """One threat and risk assessment of a case. The case's assessments are its history: the
    latest is current. Never edited after saving; a reassessment is a new row."""

    case = models.ForeignKey("incidents.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                             related_name="assessments")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assessed by"),
                                    on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("assessed"), default=timezone.now, db_index=True)
    # The exact factor list used, with each answer:
    # [{"code", "section", "text_sv", "text_en", "answer", "comment"}, …]
    factors = models.JSONField(_("factors"), default=list)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), choices=LIKELIHOOD_CHOICES)
    consequence = models.PositiveSmallIntegerField(_("consequence"), choices=CONSEQUENCE_CHOICES)
    matrix_level = models.CharField(_("level by the matrix"), max_length=10, choices=RiskLevel.choices)
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    level_reason = models.TextField(_("reason for a level other than the matrix's"), blank=True)
    with_official = models.BooleanField(_("the official took part"), default=False)
    with_police = models.BooleanField(_("the police took part"), default=False)
    with_party = models.BooleanField(_("the party took part"), default=False)
    participants_note = models.CharField(_("other participants"), max_length=300, blank=True)
    conclusion = models.TextField(_("conclusion"))
    proposed_measures = models.TextField(_("measures to propose"), blank=True)
    next_review_on = models.DateField(_("next review"))

    # Not columns: set by `selectors.assessment_history` for the history page.
    previous_level: str
    trend: str

    class Meta:
        verbose_name = _("threat and risk assessment")
        verbose_name_plural = _("threat and risk assessments")
        ordering = ["-assessed_at", "-id"]
        get_latest_by = ["assessed_at", "id"]
        indexes = [models.Index(fields=["case", "-assessed_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(likelihood__gte=1, likelihood__lte=5),
                                   name="assessment_likelihood_1_5"),
            models.CheckConstraint(condition=Q(consequence__gte=1, consequence__lte=5),
                                   name="assessment_consequence_1_5"),
            models.CheckConstraint(
                condition=(_score_in_band(RiskLevel.LOW, 1, 4) | _score_in_band(RiskLevel.MODERATE, 5, 9)
                           | _score_in_band(RiskLevel.HIGH, 10, 16) | _score_in_band(RiskLevel.VERY_HIGH, 17, 25)),
                name="assessment_matrix_level_matches_score"),
            models.CheckConstraint(condition=Q(level=F("matrix_level")) | ~Q(level_reason=""),
                                   name="assessment_level_differs_with_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.assessed_at:%Y-%m-%d} {self.get_level_display()}"

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence

    @property
    def level_differs(self) -> bool:
        return self.level != self.matrix_level

    @property
    def audit_case_id(self) -> int:
        return self.case_id


class ReassessmentTrigger(models.Model):
    """Something that makes a reassessment due before its date: a new report joined the case.
    Resolved by the next assessment."""

    class Reason(models.TextChoices):
        NEW_REPORT = "new_report", _("A new report joined the case")

    case = models.ForeignKey("incidents.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="reassessment_triggers")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, default=Reason.NEW_REPORT)
    report = models.ForeignKey("incidents.Report", verbose_name=_("report"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("since"), default=timezone.now)
    resolved_by = models.ForeignKey(Assessment, verbose_name=_("resolved by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="resolved_triggers")

    class Meta:
        verbose_name = _("reassessment trigger")
        verbose_name_plural = _("reassessment triggers")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "resolved_by"])]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_reason_display()}"


# ---------------------------------------------------------------- the measure catalogue


class AlarmKind(models.TextChoices):
    PERSONAL = "personal", _("Personal alarm")
    BURGLAR = "burglar", _("Burglar alarm")
    SAFETY = "safety", _("Safety alarm")


class MeasureType(models.Model):
    """A kind of protective or support measure, editable by the administrator."""

    class Category(models.TextChoices):
        PROTECTION = "protection", _("Protection")
        SUPPORT = "support", _("Support")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices,
                                default=Category.PROTECTION)
    alarm_kind = models.CharField(_("alarm"), max_length=10, choices=AlarmKind.choices, blank=True,
                                  help_text=_("For alarms: which kind, so that the alarm centre's events "
                                              "can be matched to the measure."))
    technical = models.BooleanField(_("alarm, camera or other technical installation"), default=False,
                                    help_text=_("The technical office may order these when the policy allows it."))
    requires_order = models.BooleanField(_("must be ordered"), default=True,
                                         help_text=_("Off for measures the security unit gives itself "
                                                     "(such as a security conversation)."))
    typical_cost_sek = models.PositiveIntegerField(_("typical cost (SEK)"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("measure type")
        verbose_name_plural = _("measure types")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_sv

    @property
    def is_alarm(self) -> bool:
        return bool(self.alarm_kind)


# ---------------------------------------------------------------- measures


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ORDERED = "ordered", _("Ordered")
    IN_PLACE = "in_place", _("In place")
    UNDER_REVIEW = "under_review", _("Under review")
    ENDED = "ended", _("Ended")


S = MeasureStatus


def _already_decided(current: str, target: str) -> str | None:
    """The refusal a second decider gets when someone else decided a moment before."""
    if target in (S.APPROVED, S.REJECTED) and current in DECIDED_STATUSES:
        return gettext("This proposal has already been decided (%(status)s). Nothing was changed.") % {
            "status": str(MeasureStatus(current).label).lower()}
    return None


# The allowed moves of a measure: one table (STYLE.md › Services). A measure that needs no order
# (measure type `requires_order` off) may go from approved straight to in place; the service
# checks that per type. Rejected, withdrawn and ended are final.
MEASURE_WORKFLOW = Workflow("measure", {
    S.PROPOSED: {S.APPROVED, S.REJECTED, S.WITHDRAWN},
    S.APPROVED: {S.ORDERED, S.IN_PLACE, S.ENDED},
    S.ORDERED: {S.IN_PLACE, S.ENDED},
    S.IN_PLACE: {S.UNDER_REVIEW, S.ENDED},
    S.UNDER_REVIEW: {S.IN_PLACE, S.ENDED},
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
    S.ENDED: set(),
}, labels=MeasureStatus, refusal=_already_decided, message=_("A measure cannot go from “%(from)s” to “%(to)s”."))

OPEN_STATUSES = (S.PROPOSED, S.APPROVED, S.ORDERED, S.IN_PLACE, S.UNDER_REVIEW)
# Approved and not over: these count against the budget (committed until a cost is booked).
ACTIVE_STATUSES = (S.APPROVED, S.ORDERED, S.IN_PLACE, S.UNDER_REVIEW)
DECIDED_STATUSES = (S.APPROVED, S.REJECTED, S.ORDERED, S.IN_PLACE, S.UNDER_REVIEW, S.ENDED)
# An alarm answers to the alarm centre while it is in place (also during a review).
ALARM_LIVE_STATUSES = (S.IN_PLACE, S.UNDER_REVIEW)


class OrderedVia(models.TextChoices):
    """Who ordered the measure: the security unit, or the technical office — itself (role
    technical_office) or through the security unit, which records an order it placed through it."""

    SECURITY_UNIT = "security_unit", _("The security unit")
    TECHNICAL_OFFICE = "technical_office", _("The technical office")


class Measure(models.Model):
    """One protective or support measure in a case, from proposal to end."""

    case = models.ForeignKey("incidents.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                             related_name="measures")
    measure_type = models.ForeignKey(MeasureType, verbose_name=_("measure"), on_delete=models.PROTECT,
                                     related_name="measures")
    assessment = models.ForeignKey(Assessment, verbose_name=_("based on the assessment"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="measures")
    status = models.CharField(_("status"), max_length=14, choices=MeasureStatus.choices, default=S.PROPOSED,
                              db_index=True)
    reason = models.TextField(_("reason for the proposal"))
    details = models.CharField(_("details"), max_length=300, blank=True,
                               help_text=_("For example what is to be installed or delivered."))
    estimated_cost_sek = models.PositiveIntegerField(_("estimated cost (SEK)"))

    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"),
                                    on_delete=models.PROTECT, related_name="proposed_measures")
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="decided_measures")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ordered by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    ordered_at = models.DateTimeField(_("ordered"), null=True, blank=True)
    ordered_via = models.CharField(_("ordered by (unit)"), max_length=20, choices=OrderedVia.choices, blank=True)
    supplier = models.CharField(_("supplier"), max_length=150, blank=True)
    order_reference = models.CharField(_("order reference"), max_length=60, blank=True)
    in_place_on = models.DateField(_("in place since"), null=True, blank=True)
    review_on = models.DateField(_("next review"), null=True, blank=True)
    alarm_identifier = models.CharField(_("alarm identifier"), max_length=64, blank=True,
                                        help_text=_("The alarm's id at the alarm centre."))
    alarm_provider = models.ForeignKey("AlarmProvider", verbose_name=_("alarm centre"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="measures")
    end_flagged_at = models.DateTimeField(_("flagged for ending"), null=True, blank=True)
    end_flag_reason = models.CharField(_("why flagged"), max_length=200, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ended by"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    end_reason = models.TextField(_("reason for ending"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Not columns: set by the selectors for a page — what the user may do, and for the inbox the
    # case's report kinds, latest assessment, other measures and the decision form (see
    # `selectors.inbox_details`).
    actions: frozenset[str]
    case_kinds: list[str]
    latest: Assessment | None
    others: list[Measure]
    form: DecisionForm
    order_form: OrderForm

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["case", "status"]),
            models.Index(fields=["status", "review_on"]),
            # The approver's inbox: the proposals, oldest first, a page at a time.
            models.Index(fields=["proposed_at", "id"], condition=Q(status="proposed"), name="measure_proposals_idx"),
            # The budget: what is committed in a year (the estimates of the active measures).
            models.Index(fields=["decided_at", "estimated_cost_sek", "id"], condition=Q(status__in=ACTIVE_STATUSES),
                         name="measure_committed_idx"),
        ]
        constraints = [
            # Four eyes: whoever proposed a measure never decides it.
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                                   name="measure_four_eyes"),
            # One open proposal of a measure type per case.
            models.UniqueConstraint(fields=["case", "measure_type"], condition=Q(status="proposed"),
                                    name="measure_one_open_proposal_per_type",
                                    violation_error_message=_("This case already has an open proposal of this "
                                                              "measure type.")),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "withdrawn"], decided_by__isnull=True, decided_at__isnull=True)
                | Q(status__in=list(DECIDED_STATUSES), decided_by__isnull=False, decided_at__isnull=False),
                name="measure_decided_iff_decision"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(decision_reason=""),
                                   name="measure_rejection_has_reason"),
            models.CheckConstraint(condition=Q(GreaterThanOrEqual(F("estimated_cost_sek"), 0)),
                                   name="measure_cost_not_negative"),
            models.CheckConstraint(condition=Q(ordered_via__in=["", "security_unit", "technical_office"]),
                                   name="measure_ordered_via_known"),
            models.CheckConstraint(condition=~Q(status="ended") | Q(ended_at__isnull=False),
                                   name="measure_ended_has_time"),
            models.UniqueConstraint(fields=["alarm_identifier"],
                                    condition=~Q(alarm_identifier="") & Q(status__in=list(OPEN_STATUSES)),
                                    name="measure_alarm_identifier_unique_while_open",
                                    violation_error_message=_("Another measure in use already has this alarm "
                                                              "identifier.")),
        ]

    def __str__(self) -> str:
        return f"{self.measure_type} ({self.get_status_display()})"

    @property
    def reference(self) -> str:
        return f"M-{self.pk or 0:05d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def audit_case_id(self) -> int:
        return self.case_id


class MeasureEvent(models.Model):
    """One step of a measure's life: who, when, from → to, and why. The measure's own columns
    hold the current state; this is the history shown on the measure and the case timeline."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=14, choices=MeasureStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=14, choices=MeasureStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.TextField(_("why"), blank=True)

    class Meta:
        verbose_name = _("measure event")
        verbose_name_plural = _("measure events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.from_status or '–'} → {self.to_status}"


class MeasureCost(models.Model):
    """An actual cost (an invoice) booked on a measure, against the budget year it is booked in."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="costs")
    amount_sek = models.PositiveIntegerField(_("amount (SEK)"))
    booked_on = models.DateField(_("booked on"), default=timezone.localdate)
    note = models.CharField(_("invoice or note"), max_length=150, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT,
                                  related_name="+")
    booked_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("booked cost")
        verbose_name_plural = _("booked costs")
        ordering = ["booked_on", "id"]
        indexes = [models.Index(fields=["booked_on", "amount_sek"])]  # the year's spending, from the index alone
        constraints = [
            models.CheckConstraint(condition=Q(GreaterThan(F("amount_sek"), 0)), name="measure_cost_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_sek} SEK {self.booked_on}"


# ---------------------------------------------------------------- alarm events


class AlarmProvider(models.Model):
    """An alarm centre that reports alarm events. Only a hash of its token is stored; the token
    itself is shown once, when created."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    token_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("token begins"), max_length=20, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("alarm centre")
        verbose_name_plural = _("alarm centres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# An alarm event is received, then acknowledged once (its state is whether `acknowledged_at` is set).
ALARM_RECEIVED, ALARM_ACKNOWLEDGED = "received", "acknowledged"
ALARM_EVENT_WORKFLOW = Workflow(
    "alarm_event", {ALARM_RECEIVED: {ALARM_ACKNOWLEDGED}, ALARM_ACKNOWLEDGED: set()},
    refusal=lambda current, target: gettext("This alarm event has already been acknowledged."))


class AlarmEvent(models.Model):
    """An alarm that went off, reported by an alarm centre and matched to an official's alarm
    (an alarm measure in place). The same event id from the same centre is one event."""

    provider = models.ForeignKey(AlarmProvider, verbose_name=_("alarm centre"), on_delete=models.PROTECT,
                                 related_name="events")
    event_id = models.CharField(_("event id"), max_length=100)
    alarm_identifier = models.CharField(_("alarm identifier"), max_length=64)
    alarm_kind = models.CharField(_("alarm"), max_length=10, choices=AlarmKind.choices)
    occurred_at = models.DateTimeField(_("went off"))
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.PROTECT,
                                related_name="alarm_events")
    case = models.ForeignKey("incidents.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                             related_name="alarm_events")
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledge_note = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("alarm event")
        verbose_name_plural = _("alarm events")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="alarm_event_once_per_provider"),
            models.CheckConstraint(condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                                   | Q(acknowledged_at__isnull=False),
                                   name="alarm_event_acknowledged_has_time"),
        ]
        indexes = [models.Index(fields=["acknowledged_at", "-received_at"])]

    def __str__(self) -> str:
        return f"{self.get_alarm_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def reference(self) -> str:
        return f"AL-{self.pk or 0:05d}"

    @property
    def state(self) -> str:
        return ALARM_RECEIVED if self.acknowledged_at is None else ALARM_ACKNOWLEDGED

    @property
    def audit_case_id(self) -> int:
        return self.case_id
