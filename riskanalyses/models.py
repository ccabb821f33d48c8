"""Risk analyses outside cases (DOMAIN.md › Risk analyses outside cases; Stockholm's instruction,
seed 002).

* `PartyRiskAnalysis`: a party office's analysis before an assignment of its members. When the
  risk cannot be judged within the party it is escalated (`Escalation`) to the security unit,
  which answers; the answer comes back to the party.
* `BodyRiskAnalysis`: a committee's or company's risk and consequence analysis of its own
  activity (a meeting, an inauguration, a forum), with its checklist (`ChecklistCheck`) ticked
  against the body's own copy (`BodyChecklistItem`) of the administrator's template
  (`ChecklistTemplateItem`).

Fields, choices, database constraints and the workflows' tables (`PARTY_WORKFLOW`,
`BODY_WORKFLOW`: data for `core.workflow`) only: writes live in `services`, reads in `selectors`,
who may do what in `permissions`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.workflow import Workflow


class Judgement(models.TextChoices):
    """The party office's own judgement of the risk."""

    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    CANNOT_JUDGE = "cannot_judge", _("Cannot be judged within the party")


# The judgements a party may record itself; "cannot judge" is recorded by escalating.
PARTY_JUDGEMENTS = (Judgement.LOW, Judgement.MODERATE, Judgement.HIGH)


class RiskLevel(models.TextChoices):
    """The security unit's risk level (the same scale as its threat and risk assessments)."""

    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


class Level(models.TextChoices):
    """Likelihood and consequence in a body's risk and consequence analysis."""

    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")


class PartyRiskAnalysis(models.Model):
    """A party office's risk analysis before an assignment (Stockholm: meetings with known or
    unknown persons, public appearances, travel, party events, issues expected to be sensitive)."""

    class Kind(models.TextChoices):
        KNOWN_RISK_PERSONS = "known_risk_persons", _("Meeting with known persons where risks may exist")
        UNKNOWN_PERSONS = "unknown_persons", _("Meeting with unknown persons")
        PUBLIC_APPEARANCE = "public_appearance", _("Public appearance")
        TRAVEL = "travel", _("Travel")
        PARTY_EVENT = "party_event", _("Event arranged by the party")
        SENSITIVE_ISSUE = "sensitive_issue", _("Issue expected to be sensitive or to provoke strong reactions")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        JUDGED = "judged", _("Judged by the party")
        ESCALATED = "escalated", _("Escalated to the security unit")
        ANSWERED = "answered", _("Answered by the security unit")
        CLOSED = "closed", _("Closed")

    party = models.ForeignKey("officials.Party", verbose_name=_("party"), on_delete=models.PROTECT,
                              related_name="risk_analyses")
    kind = models.CharField(_("kind of assignment"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("what"), max_length=150,
                             help_text=_("A short description, e.g. \"Debate on the new asylum housing\"."))
    occurs_on = models.DateField(_("date"), db_index=True)
    ends_on = models.DateField(_("last day"), null=True, blank=True,
                               help_text=_("For travel or events over several days."))
    place = models.CharField(_("place"), max_length=200)
    members = models.ManyToManyField("officials.Official", verbose_name=_("members involved"),
                                     related_name="party_risk_analyses")
    risks = models.TextField(_("identified risks"), blank=True)
    judgement = models.CharField(_("judgement"), max_length=16, choices=Judgement.choices, blank=True)
    measures_taken = models.TextField(_("measures taken"), blank=True)
    notes = models.TextField(_("other information"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("judged by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    judged_at = models.DateTimeField(_("judged"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closing_comment = models.TextField(_("comment on closing"), blank=True)

    class Meta:
        verbose_name = _("party risk analysis")
        verbose_name_plural = _("party risk analyses")
        ordering = ["-occurs_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("occurs_on")),
                                   name="party_analysis_ends_after_start"),
            models.CheckConstraint(condition=~Q(status="judged") | Q(judgement__in=["low", "moderate", "high"]),
                                   name="party_analysis_judged_has_judgement"),
            models.CheckConstraint(condition=Q(status="closed", closed_at__isnull=False)
                                   | ~Q(status="closed") & Q(closed_at__isnull=True),
                                   name="party_analysis_closed_at_iff_closed"),
        ]
        indexes = [models.Index(fields=["party", "-occurs_on"]), models.Index(fields=["status", "occurs_on"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"RA-{self.pk or 0:05d}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class Escalation(models.Model):
    """A party's question to the security unit about one analysis, and the unit's answer.
    At most one is open per analysis (the database enforces it); answered ones are the history."""

    analysis = models.ForeignKey(PartyRiskAnalysis, verbose_name=_("risk analysis"), on_delete=models.CASCADE,
                                 related_name="escalations")
    question = models.TextField(_("what the party needs the security unit to assess"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("escalated by"), on_delete=models.PROTECT,
                                 related_name="+")
    asked_at = models.DateTimeField(_("escalated"), default=timezone.now, db_index=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    advice = models.TextField(_("the security unit's advice"), blank=True)
    risk_level = models.CharField(_("the security unit's risk level"), max_length=10, choices=RiskLevel.choices,
                                  blank=True)
    case = models.ForeignKey("incidents.Case", verbose_name=_("linked case"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="risk_analysis_escalations")
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("escalation to the security unit")
        verbose_name_plural = _("escalations to the security unit")
        ordering = ["asked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["analysis"], condition=Q(answered_at__isnull=True, withdrawn_at__isnull=True),
                                    name="one_open_escalation_per_analysis"),
            models.CheckConstraint(condition=Q(answered_at__isnull=True)
                                   | Q(answered_by__isnull=False) & ~Q(advice=""),
                                   name="escalation_answer_has_advice_and_handler"),
            models.CheckConstraint(condition=Q(answered_at__isnull=True) | Q(withdrawn_at__isnull=True),
                                   name="escalation_answered_or_withdrawn"),
        ]

    def __str__(self) -> str:
        return f"{self.analysis.reference} {self.asked_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.withdrawn_at is None

    @property
    def audit_case_id(self) -> int | None:
        return self.case_id


# ---------------------------------------------------------------- committees and companies


class Phase(models.TextChoices):
    BEFORE = "before", _("Before")
    DURING = "during", _("During")
    AFTER = "after", _("After")


class ChecklistTemplateItem(models.Model):
    """One item of the administrator's template for the bodies' written routines (checklists)."""

    phase = models.CharField(_("when"), max_length=8, choices=Phase.choices, default=Phase.BEFORE)
    text = models.CharField(_("what to do"), max_length=300)
    responsible_role = models.CharField(_("responsible role"), max_length=100,
                                        help_text=_("A role, not a person, e.g. \"Committee secretary\"."))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("checklist template item")
        verbose_name_plural = _("checklist template items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class BodyChecklist(models.Model):
    """A committee's or company's own written routine: a copy of the template it may adjust."""

    body = models.OneToOneField("officials.Body", verbose_name=_("body"), on_delete=models.PROTECT,
                                related_name="risk_checklist")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("body checklist")
        verbose_name_plural = _("body checklists")

    def __str__(self) -> str:
        return str(self.body)


class BodyChecklistItem(models.Model):
    """One item of a body's checklist. Removing an item takes it out of use; it is never deleted,
    so that analyses which recorded it keep their record."""

    checklist = models.ForeignKey(BodyChecklist, verbose_name=_("checklist"), on_delete=models.CASCADE,
                                  related_name="items")
    template_item = models.ForeignKey(ChecklistTemplateItem, verbose_name=_("from template item"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="copies")
    phase = models.CharField(_("when"), max_length=8, choices=Phase.choices, default=Phase.BEFORE)
    text = models.CharField(_("what to do"), max_length=300)
    responsible_role = models.CharField(_("responsible role"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("body checklist item")
        verbose_name_plural = _("body checklist items")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "template_item"], condition=Q(template_item__isnull=False),
                                    name="checklist_copies_template_item_once"),
        ]

    def __str__(self) -> str:
        return self.text


class BodyRiskAnalysis(models.Model):
    """A committee's or company's risk and consequence analysis of its own activity."""

    class Activity(models.TextChoices):
        MEETING = "meeting", _("Meeting of the committee or board")
        INAUGURATION = "inauguration", _("Inauguration")
        FORUM = "forum", _("Forum or public meeting")
        VISIT = "visit", _("Study visit or site visit")
        OTHER = "other", _("Other activity")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        READY = "ready", _("Ready and shared")
        FOLLOWED_UP = "followed_up", _("Followed up")
        CANCELLED = "cancelled", _("Cancelled")

    body = models.ForeignKey("officials.Body", verbose_name=_("committee or company"), on_delete=models.PROTECT,
                             related_name="risk_analyses")
    activity = models.CharField(_("activity"), max_length=16, choices=Activity.choices)
    title = models.CharField(_("what"), max_length=150)
    occurs_on = models.DateField(_("date"), db_index=True)
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    participants = models.ManyToManyField("officials.Official", verbose_name=_("elected officials taking part"),
                                          related_name="body_risk_analyses", blank=True)
    other_participants = models.CharField(_("others taking part"), max_length=300, blank=True)
    risks = models.TextField(_("risks"), blank=True)
    consequences = models.TextField(_("consequences"), blank=True)
    likelihood = models.CharField(_("likelihood"), max_length=8, choices=Level.choices, blank=True)
    consequence = models.CharField(_("consequence"), max_length=8, choices=Level.choices, blank=True)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=Level.choices, blank=True)
    measures = models.TextField(_("measures"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    shared_at = models.DateTimeField(_("shared with the party offices"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity risk analysis")
        verbose_name_plural = _("activity risk analyses")
        ordering = ["-occurs_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "cancelled"]) | ~Q(likelihood="") & ~Q(consequence="")
                & ~Q(risk_level=""),
                name="body_analysis_judged_unless_draft"),
            models.CheckConstraint(condition=Q(status="draft") | Q(status="cancelled") | Q(shared_at__isnull=False),
                                   name="body_analysis_ready_is_shared"),
        ]
        indexes = [models.Index(fields=["body", "-occurs_on"]), models.Index(fields=["status", "occurs_on"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"AA-{self.pk or 0:05d}"


class ChecklistCheck(models.Model):
    """What one analysis recorded about one checklist item: done or not, by which role and who
    recorded it. The item's text and role are copied, so the record stays as it was."""

    analysis = models.ForeignKey(BodyRiskAnalysis, verbose_name=_("analysis"), on_delete=models.CASCADE,
                                 related_name="checks")
    item = models.ForeignKey(BodyChecklistItem, verbose_name=_("checklist item"), on_delete=models.PROTECT,
                             related_name="checks")
    item_text = models.CharField(_("what to do"), max_length=300)
    responsible_role = models.CharField(_("responsible role"), max_length=100)
    done = models.BooleanField(_("done"), default=False)
    done_by_role = models.CharField(_("done by (role)"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("checklist record")
        verbose_name_plural = _("checklist records")
        ordering = ["item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "item"], name="check_once_per_analysis_item"),
            models.CheckConstraint(condition=Q(done=False) | ~Q(done_by_role=""), name="check_done_names_role"),
        ]

    def __str__(self) -> str:
        return f"{self.analysis.reference}: {self.item_text}"


# ---------------------------------------------------------------- the workflows (STYLE.md › Services)


def _cannot_now(labels: type[models.TextChoices]) -> Callable[[str, str], str]:
    """The refusal of every move a table does not allow: the state the analysis is in."""
    return lambda current, target: gettext("This cannot be done now: the analysis is %(status)s.") % {
        "status": str(labels(current).label).lower()}


# A party analysis: judged by the party (again, if it changes its mind), or escalated when the party
# cannot judge the risk; the security unit answers; the party may ask again after an answer; any open
# analysis may be closed (an escalation is then withdrawn).
_P = PartyRiskAnalysis.Status
PARTY_WORKFLOW = Workflow("party_risk_analysis", {
    _P.DRAFT: {_P.JUDGED, _P.ESCALATED, _P.CLOSED},
    _P.JUDGED: {_P.JUDGED, _P.ESCALATED, _P.CLOSED},
    _P.ESCALATED: {_P.ANSWERED, _P.CLOSED},
    _P.ANSWERED: {_P.ESCALATED, _P.CLOSED},
    _P.CLOSED: set(),
}, labels=_P, refusal=_cannot_now(_P))

# A body analysis: made ready (and so shared with the party offices of the members taking part),
# taken back to draft to revise, followed up after the activity, or cancelled.
_B = BodyRiskAnalysis.Status
BODY_WORKFLOW = Workflow("body_risk_analysis", {
    _B.DRAFT: {_B.READY, _B.CANCELLED},
    _B.READY: {_B.DRAFT, _B.FOLLOWED_UP, _B.CANCELLED},
    _B.FOLLOWED_UP: set(),
    _B.CANCELLED: set(),
}, labels=_B, refusal=_cannot_now(_B))
