"""Incident reports, cases and their evidence (DOMAIN.md › Incident reports and cases).

Fields, choices and database constraints only: the rules live in `services` (writes),
`selectors` (reads) and `permissions` (who may see and do what).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.sql import split_codes
from core.workflow import Workflow


class Kind(models.TextChoices):
    THREAT = "threat", _("Threat")
    HATE = "hate", _("Hate")
    VIOLENCE = "violence", _("Violence")
    HARASSMENT = "harassment", _("Harassment")
    STALKING = "stalking", _("Stalking")
    EXTORTION = "extortion", _("Extortion")
    DAMAGE = "damage", _("Damage to property")
    BRIBERY = "bribery", _("Improper offer or bribery attempt")
    UNDUE_INFLUENCE = "undue_influence", _("Other undue influence")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    SOCIAL = "social", _("Social media")
    HOME = "home", _("At home")
    MEETING = "meeting", _("At a meeting or public event")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2, "low": 3, "": 4}


class YesNoUnsure(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSURE = "unsure", _("Unsure")


def triage_order() -> dict[str, models.Expression]:
    """The triage queue's order: new before triaged, unassigned first, then by priority (then
    oldest first). Shared by the queue's query and the index that serves it, which must hold
    the very same expressions for PostgreSQL to read the queue in index order."""
    return {
        "status_rank": models.Case(models.When(status="new", then=models.Value(0)),
                                   models.When(status="triaged", then=models.Value(1)),
                                   default=models.Value(2), output_field=models.IntegerField()),
        "unassigned_rank": models.Case(models.When(handler__isnull=True, then=models.Value(0)),
                                       default=models.Value(1), output_field=models.IntegerField()),
        "priority_rank": models.Case(*[models.When(priority=p, then=models.Value(i)) for i, p in enumerate(
            ["urgent", "high", "normal", "low"])], default=models.Value(9), output_field=models.IntegerField()),
    }


TRIAGE_WAITING = ("new", "triaged")


class Report(models.Model):
    """An incident report (händelserapport) about one or more officials."""

    class Severity(models.TextChoices):
        NEAR_MISS = "near_miss", _("Near miss")
        INCIDENT = "incident", _("Incident")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TRIAGED = "triaged", _("Triaged")
        IN_CASE = "in_case", _("In a case")

    class HateMotive(models.TextChoices):
        NONE = "none", _("No")
        UNSURE = "unsure", _("Unsure")
        ETHNICITY = "ethnicity", _("Ethnicity, skin colour or national origin")
        RELIGION = "religion", _("Religion or belief")
        SEXUAL_ORIENTATION = "sexual_orientation", _("Sexual orientation")
        GENDER_IDENTITY = "gender_identity", _("Transgender identity or expression")
        DISABILITY = "disability", _("Disability")
        GENDER = "gender", _("Gender")
        OTHER = "other", _("Other")

    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT,
                                 related_name="filed_reports")
    filed_at = models.DateTimeField(_("filed"), default=timezone.now, db_index=True)
    on_behalf = models.BooleanField(_("filed on behalf of the official"), default=False)
    affected_officials = models.ManyToManyField("officials.Official", verbose_name=_("affected officials"),
                                                related_name="incident_reports")
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    severity = models.CharField(_("near miss or incident"), max_length=10, choices=Severity.choices,
                                default=Severity.INCIDENT)
    injury = models.BooleanField(_("someone was injured"), default=False)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("what happened"))
    linked_to_assignment = models.CharField(_("linked to the assignment (your view)"), max_length=8,
                                            choices=YesNoUnsure.choices, default=YesNoUnsure.UNSURE)
    hate_crime_motive = models.CharField(_("hate-crime motive"), max_length=20, choices=HateMotive.choices,
                                         default=HateMotive.NONE)
    police_reported = models.BooleanField(_("reported to the police"), default=False)
    police_report_date = models.DateField(_("police report date"), null=True, blank=True)
    police_reference = models.CharField(_("police reference number"), max_length=40, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False, db_index=True,
                                 help_text=_("Set by the policy's urgent kinds or by triage."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW,
                              db_index=True)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, blank=True)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handler"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="handled_reports")
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    case = models.ForeignKey("Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="reports")

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(injury=True, severity="near_miss"),
                                   name="report_injury_is_incident"),
            models.CheckConstraint(condition=Q(occurred_at__isnull=False) | Q(period_start__isnull=False),
                                   name="report_has_time_or_period"),
            models.CheckConstraint(condition=Q(period_end__isnull=True) | Q(period_start__isnull=False)
                                   & Q(period_end__gte=F("period_start")), name="report_period_ordered"),
            models.CheckConstraint(condition=~Q(status="in_case") | Q(case__isnull=False),
                                   name="report_in_case_has_case"),
        ]
        indexes = [
            models.Index(fields=["status", "filed_at"]), models.Index(fields=["case", "filed_at"]),
            models.Index(*triage_order().values(), "filed_at", "id", name="report_triage_order_idx",
                         condition=Q(status__in=TRIAGE_WAITING)),
        ]
        permissions = [("triage_report", "Can triage report")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"R-{self.pk or 0:05d}"

    @property
    def audit_case_id(self) -> int | None:
        return self.case_id

    @property
    def kind_values(self) -> list[str]:
        """Uses the kinds read with the report (`kind_codes`, see incidents.selectors) or
        prefetched kinds when present."""
        if "kind_codes" in self.__dict__:
            return split_codes(self.__dict__["kind_codes"])
        return [k.kind for k in self.kinds.all()]

    def kind_labels(self) -> list[str]:
        return [str(Kind(k).label) for k in self.kind_values]


class ReportKind(models.Model):
    """One kind of a report (a report may be several kinds): a small table, so that every
    database can filter by kind."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="kinds")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)

    class Meta:
        verbose_name = _("kind of report")
        verbose_name_plural = _("kinds of report")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["report", "kind"], name="report_kind_once")]

    def __str__(self) -> str:
        return self.get_kind_display()


def _report_refusal(current: str, target: str) -> str | None:
    if current == Report.Status.IN_CASE:
        return str(_("The report is already in a case; triage the case instead.") if target == Report.Status.TRIAGED
                   else _("The report is already in a case."))
    return None


# A report waits for triage (which may be done again while it waits) until it joins a case, a new
# one or an open one; after that it is handled in its case.
REPORT_WORKFLOW = Workflow("report", {
    Report.Status.NEW: {Report.Status.TRIAGED, Report.Status.IN_CASE},
    Report.Status.TRIAGED: {Report.Status.TRIAGED, Report.Status.IN_CASE},
    Report.Status.IN_CASE: set(),
}, labels=Report.Status, refusal=_report_refusal)


class Perpetrator(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="perpetrators")
    known = models.BooleanField(_("known to the official"), default=False)
    name = models.CharField(_("name"), max_length=150, blank=True)
    alias = models.CharField(_("alias"), max_length=150, blank=True)
    handle = models.CharField(_("account handle"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("perpetrator")
        verbose_name_plural = _("perpetrators")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.alias or self.handle or str(_("Unknown"))


class PerpetratorIdentifier(models.Model):
    """A normalised identifier of a perpetrator, for campaign detection across reports."""

    class IdKind(models.TextChoices):
        NAME = "name", _("Name")
        HANDLE = "handle", _("Account handle")
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")

    perpetrator = models.ForeignKey(Perpetrator, on_delete=models.CASCADE, related_name="identifiers")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("kind"), max_length=8, choices=IdKind.choices)
    value = models.CharField(_("normalised value"), max_length=254)

    class Meta:
        verbose_name = _("perpetrator identifier")
        verbose_name_plural = _("perpetrator identifiers")
        # Value first: campaign matching looks up values whatever their kind.
        indexes = [models.Index(fields=["value", "kind"], name="perp_ident_value_idx")]
        constraints = [models.UniqueConstraint(fields=["perpetrator", "kind", "value"], name="perp_ident_once")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    BEING_ASSESSED = "being_assessed", _("Being assessed")
    MEASURES = "measures", _("Measures")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")


# The allowed moves of a case: one table (STYLE.md › Services). Reopening a closed case takes it
# back to assessment, since something new has happened.
CASE_WORKFLOW = Workflow("case", {
    CaseStatus.NEW: {CaseStatus.TRIAGED, CaseStatus.CLOSED},
    CaseStatus.TRIAGED: {CaseStatus.BEING_ASSESSED, CaseStatus.CLOSED},
    CaseStatus.BEING_ASSESSED: {CaseStatus.MEASURES, CaseStatus.MONITORING, CaseStatus.CLOSED},
    CaseStatus.MEASURES: {CaseStatus.BEING_ASSESSED, CaseStatus.MONITORING, CaseStatus.CLOSED},
    CaseStatus.MONITORING: {CaseStatus.BEING_ASSESSED, CaseStatus.MEASURES, CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.BEING_ASSESSED},
}, labels=CaseStatus, message=_("A case cannot go from “%(from)s” to “%(to)s”."))

OPEN_STATUSES = tuple(s for s in CaseStatus.values if s != CaseStatus.CLOSED)

# The order in which the work on a case moves it forward (`services.case_advance_for_work`): never back,
# and never out of or into "closed".
WORK_ORDER = (CaseStatus.NEW, CaseStatus.TRIAGED, CaseStatus.BEING_ASSESSED, CaseStatus.MEASURES,
              CaseStatus.MONITORING)


class WorkDone(models.TextChoices):
    """What moved a case on by itself (`services.case_advance_for_work`), shown on its timeline."""

    ASSESSMENT = "assessment", _("An assessment was recorded")
    MEASURE_APPROVED = "measure_approved", _("A measure was approved")
    MEASURES_IN_PLACE = "measures_in_place", _("All measures are in place")


class Case(models.Model):
    """A case (ärende): one official's threat situation, built from one or more reports.
    The party is never copied here: it is read from the official's current party, so a change
    of party moves the party office's access at once."""

    official = models.ForeignKey("officials.Official", verbose_name=_("official"), on_delete=models.PROTECT,
                                 related_name="cases")
    title = models.CharField(_("short title"), max_length=150, blank=True,
                             help_text=_("For the security unit's lists; never sent by e-mail."))
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.NEW,
                              db_index=True)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handler"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="handled_cases")
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    next_contact_on = models.DateField(_("next contact"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-last_activity_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status="closed", closed_at__isnull=False)
                                   | ~Q(status="closed") & Q(closed_at__isnull=True),
                                   name="case_closed_at_iff_closed"),
        ]
        indexes = [models.Index(fields=["status", "-last_activity_at"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"C-{self.pk or 0:05d}"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def audit_case_id(self) -> int:
        return self.pk

    @property
    def audit_official_id(self) -> int:
        return self.official_id


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Per-person grants on a case (django-guardian, direct foreign key)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case permission (person)")
        verbose_name_plural = _("case permissions (person)")


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("case permission (group)")
        verbose_name_plural = _("case permissions (group)")


class ReportUserObjectPermission(UserObjectPermissionBase):
    """Per-person grants on a report (django-guardian, direct foreign key)."""

    content_object = models.ForeignKey(Report, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("report permission (person)")
        verbose_name_plural = _("report permissions (person)")


class ReportGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Report, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("report permission (group)")
        verbose_name_plural = _("report permissions (group)")


class CaseStatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=CaseStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    # Set when the work on the case moved it on (`services.case_advance_for_work`), not a person's choice.
    work_done = models.CharField(_("moved on by"), max_length=20, choices=WorkDone.choices, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    text = models.TextField(_("note"))
    confidential = models.BooleanField(_("security unit only"), default=True,
                                       help_text=_("Hidden from the official and the party office."))

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} note {self.pk}"

    @property
    def audit_case_id(self) -> int:
        return self.case_id


class CaseContact(models.Model):
    class With(models.TextChoices):
        OFFICIAL = "official", _("The official")
        POLICE = "police", _("Police")
        SAPO = "sapo", _("Swedish Security Service")
        PARTY = "party", _("Party office")
        EMPLOYER = "employer", _("Municipal administration")
        HEALTH = "health", _("Occupational health care")
        OTHER = "other", _("Other")

    class Way(models.TextChoices):
        PHONE = "phone", _("Phone")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("E-mail")
        VIDEO = "video", _("Video call")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    contacted_at = models.DateTimeField(_("when"), default=timezone.now)
    with_whom = models.CharField(_("with"), max_length=10, choices=With.choices)
    way = models.CharField(_("how"), max_length=10, choices=Way.choices, default=Way.PHONE)
    summary = models.TextField(_("summary"))
    confidential = models.BooleanField(_("security unit only"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["contacted_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_with_whom_display()}"


class CaseEvent(models.Model):
    """Something that happened to a case outside the work on it, written on its timeline when it
    happens: the end of the municipality's responsibility (the official's last assignment ended,
    `officials.signals.responsibility_ended`) on each of the official's open cases."""

    class Kind(models.TextChoices):
        RESPONSIBILITY_ENDED = "responsibility_ended", _("The municipality's responsibility ended")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=24, choices=Kind.choices)
    day = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "day"], name="case_event_once")]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.day}"

    @property
    def audit_case_id(self) -> int:
        return self.case_id


class LinkAssessment(models.Model):
    """Whether the threat is linked to the assignment: judged jointly by the municipality and the
    official's party (DOMAIN.md; Fagersta: "i samverkan mellan kommunen och berört politiskt parti").
    The party office records the party's view itself, the security unit the municipality's (and the
    official's view as the official gave it); each with who, when and a comment. The outcome follows
    from the two views (`services`): linked or not linked when they agree, not yet decided while one
    is missing or they differ. Two different people record the two views (also a database rule)."""

    class Outcome(models.TextChoices):
        UNDECIDED = "undecided", _("Not yet decided")
        LINKED = "linked", _("Linked to the assignment")
        NOT_LINKED = "not_linked", _("Not linked to the assignment")

    class Agreement(models.TextChoices):
        AWAITING_BOTH = "awaiting_both", _("Awaiting the party's and the municipality's views")
        AWAITING_PARTY = "awaiting_party", _("Awaiting the party's view")
        AWAITING_MUNICIPALITY = "awaiting_municipality", _("Awaiting the municipality's view")
        AGREED = "agreed", _("The party and the municipality agree")
        DIFFERING = "differing", _("The party's and the municipality's views differ")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="link_assessment")
    official_view = models.CharField(_("the official's view"), max_length=8, choices=YesNoUnsure.choices,
                                     default=YesNoUnsure.UNSURE)
    party_view = models.CharField(_("the party's view"), max_length=8, choices=YesNoUnsure.choices,
                                  default=YesNoUnsure.UNSURE)
    party_view_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("the party's view recorded by"),
                                      null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    party_view_at = models.DateTimeField(_("the party's view recorded"), null=True, blank=True)
    party_comment = models.TextField(_("the party's comment"), blank=True)
    municipality_view = models.CharField(_("the municipality's view"), max_length=8, choices=YesNoUnsure.choices,
                                         default=YesNoUnsure.UNSURE)
    municipality_view_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                             verbose_name=_("the municipality's view recorded by"), null=True,
                                             blank=True, on_delete=models.PROTECT, related_name="+")
    municipality_view_at = models.DateTimeField(_("the municipality's view recorded"), null=True, blank=True)
    reasoning = models.TextField(_("the municipality's comment"), blank=True)
    reasoning_confidential = models.BooleanField(_("security unit only"), default=False,
                                                 help_text=_("Hidden from the official and the party office."))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.UNDECIDED)
    # The latest recording, of either view.
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("link-to-assignment assessment")
        verbose_name_plural = _("link-to-assignment assessments")
        constraints = [
            models.CheckConstraint(condition=Q(party_view_by__isnull=True, party_view_at__isnull=True)
                                   | Q(party_view_by__isnull=False, party_view_at__isnull=False),
                                   name="link_party_view_by_and_at"),
            models.CheckConstraint(condition=Q(municipality_view_by__isnull=True, municipality_view_at__isnull=True)
                                   | Q(municipality_view_by__isnull=False, municipality_view_at__isnull=False),
                                   name="link_municipality_view_by_and_at"),
            # Jointly: the party's view and the municipality's are never one person's.
            models.CheckConstraint(condition=Q(party_view_by__isnull=True) | Q(municipality_view_by__isnull=True)
                                   | ~Q(party_view_by=F("municipality_view_by")),
                                   name="link_views_by_two_people",
                                   violation_error_message=_("The party's view and the municipality's view must be "
                                                             "recorded by two different people.")),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_outcome_display()}"

    @property
    def party_recorded(self) -> bool:
        return self.party_view_at is not None

    @property
    def municipality_recorded(self) -> bool:
        return self.municipality_view_at is not None

    @property
    def agreement(self) -> str:
        """Where the joint judgement stands (`Agreement`)."""
        if self.party_recorded and self.municipality_recorded:
            return self.Agreement.AGREED if self.party_view == self.municipality_view else self.Agreement.DIFFERING
        if self.municipality_recorded:
            return self.Agreement.AWAITING_PARTY
        if self.party_recorded:
            return self.Agreement.AWAITING_MUNICIPALITY
        return self.Agreement.AWAITING_BOTH

    def get_agreement_display(self) -> str:
        return str(self.Agreement(self.agreement).label)


class SupportOffer(models.Model):
    class Kind(models.TextChoices):
        CRISIS = "crisis", _("Crisis support")
        HEALTH = "health", _("Occupational health care")
        LEGAL = "legal", _("Support in the legal process")
        POLICE = "police", _("Help with the police report")

    class Answer(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        GIVEN = "given", _("Given")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_offers")
    kind = models.CharField(_("support"), max_length=8, choices=Kind.choices)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, default=Answer.OFFERED)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("support offered")
        verbose_name_plural = _("support offered")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_answer_display()}"


def _evidence_path(instance, filename: str) -> str:
    """A random name under evidence/: the original name is kept only in the database."""
    today = timezone.localdate()
    return f"evidence/{today:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """Evidence on a report, or a document on a case. Stored under MEDIA_ROOT (outside the web
    root) with a random name; served only through the permission-checked download view."""

    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(_("file"), upload_to=_evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    mimetype = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    confidential = models.BooleanField(_("security unit only"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(report__isnull=False) | Q(case__isnull=False),
                                   name="attachment_has_parent"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_case_id(self) -> int | None:
        if self.case_id:
            return self.case_id
        report = self.report
        return report.case_id if report is not None else None


class Campaign(models.Model):
    """Cases the security unit judges to be one campaign (the same perpetrators against several
    officials)."""

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    cases = models.ManyToManyField(Case, verbose_name=_("cases"), related_name="campaigns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
