"""Prevention over the term: election calendar, training, security conversations, collaboration
meetings and guideline revision (reminders are `core.models.Reminder`). Fields, constraints and
each workflow's table of allowed moves; rules live in services."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.texts import render
from core.workflow import Workflow
from officials.fields import EncryptedTextField

from .calendar import Term, add_months


class ExtraElection(models.Model):
    """An extra election (extra val) within a term, entered by the security unit. It does not move
    the term; the planner plans targeted training before it."""

    election_date = models.DateField(_("election day"), unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    targeted_training = models.BooleanField(_("plan targeted training before this election"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("extra election")
        verbose_name_plural = _("extra elections")
        ordering = ["election_date"]

    def __str__(self) -> str:
        return f"{self.election_date:%Y-%m-%d}"


class TargetGroup(models.TextChoices):
    """Who an offer is for (`training.selectors.officials_in_group`); the security unit may add
    more people to one offer's target group (`OfferAddedOfficial`)."""

    ALL = "all", _("All elected officials")
    WITH_SECRETARIES = "everyone", _("Elected officials, political secretaries and committee secretaries")
    COVERED = "covered", _("Covered officials (KL 4:18a)")
    EXPOSED = "exposed", _("The most exposed: covered officials and the municipal executive board")


def generated_text() -> models.JSONField:
    """The column beside a text the system wrote: its message id and parameters (`core.texts`),
    so that it is shown in the reader's language. Emptied when a person rewrites the text."""
    return models.JSONField(_("generated text"), null=True, blank=True, editable=False)


class Course(models.Model):
    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", _("Introduction for the term")
        PERSONAL_SECURITY = "personal_security", _("Personal-security training")
        RECURRING = "recurring", _("Recurring training on threats, hate and violence")
        TARGETED = "targeted", _("Targeted on-site training before an election")
        WEB = "web", _("General web course")
        OTHER = "other", _("Other training")

    class Format(models.TextChoices):
        WEB = "web", _("Web course")
        ONSITE = "onsite", _("On site")

    code = models.SlugField(_("code"), max_length=40, unique=True, null=True, blank=True,
                            help_text=_("Set on the standard courses the planner offers."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.ONSITE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_group = models.CharField(_("target group"), max_length=10, choices=TargetGroup.choices,
                                    default=TargetGroup.ALL)
    web_url = models.URLField(_("web course address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    title_text = generated_text()
    description_text = generated_text()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title in the reader's language (a standard course's), else as written."""
        return render(self.title_text, self.title)

    @property
    def display_description(self) -> str:
        return render(self.description_text, self.description)


class TrainingOffer(models.Model):
    """One offer of a course to its target group, for a window of dates. The planner creates one
    per (kind, term, period) as they fall due; the security unit may add more (kind `manual`)."""

    class Kind(models.TextChoices):
        TERM_START_INTRODUCTION = "term_intro", _("Introduction at the start of the term")
        TERM_START_SECURITY = "term_security", _("Personal-security training at the start of the term")
        RECURRING = "recurring", _("Recurring training")
        PRE_ELECTION = "pre_election", _("Targeted training before the ordinary election")
        EXTRA_ELECTION = "extra_election", _("Targeted training before an extra election")
        WEB_COURSE = "web_course", _("General web course for the term")
        MANUAL = "manual", _("Added by the security unit")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    term = models.PositiveSmallIntegerField(_("term (start year)"))
    period = models.CharField(_("period"), max_length=20, blank=True)
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="offers")
    title = models.CharField(_("title"), max_length=200)
    target_group = models.CharField(_("target group"), max_length=10, choices=TargetGroup.choices)
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    required = models.BooleanField(_("required for covered officials (KL 4:18a)"), default=False)
    created_on = models.DateField(_("created on"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    title_text = generated_text()

    class Meta:
        verbose_name = _("training offer")
        verbose_name_plural = _("training offers")
        ordering = ["-opens_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "term", "period"], condition=~Q(kind="manual"),
                                    name="training_offer_once_per_kind_term_period"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                   name="training_offer_closes_after_opening"),
        ]
        indexes = [models.Index(fields=["term", "opens_on"])]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title in the reader's language (a planned offer's), else as written."""
        return render(self.title_text, self.title)

    @property
    def term_label(self) -> str:
        return Term(self.term).label

    def is_open(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.opens_on <= on <= self.closes_on

    def has_closed(self, on: date | None = None) -> bool:
        return self.closes_on < (on or timezone.localdate())

    @property
    def is_web(self) -> bool:
        return self.course.format == Course.Format.WEB


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    offer = models.ForeignKey(TrainingOffer, verbose_name=_("offer"), on_delete=models.PROTECT,
                              related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("places"))
    estimated_cost_sek = models.PositiveIntegerField(
        _("estimated cost (SEK)"), default=0,
        help_text=_("Counts against the training budget of the session's year until a cost is booked on it."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    invited_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    attendance_recorded_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("attendance recorded by"),
                                               null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.offer.display_title}, {local:%Y-%m-%d %H:%M}"


SESSION_WORKFLOW = Workflow("training_session", {
    Session.Status.SCHEDULED: {Session.Status.HELD, Session.Status.CANCELLED},
    Session.Status.HELD: {Session.Status.HELD},  # attendance may be corrected after the session
    Session.Status.CANCELLED: set(),
}, labels=Session.Status)


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")

    ACTIVE = ("enrolled", "waiting", "attended", "absent")

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE,
                                related_name="enrolments")
    official = models.ForeignKey("officials.Official", verbose_name=_("official"), on_delete=models.CASCADE,
                                 related_name="enrolments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "official"], condition=~Q(status="cancelled"),
                                    name="one_active_enrolment_per_session"),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.official} – {self.session} ({self.get_status_display()})"

    @property
    def audit_official_id(self) -> int:
        return self.official_id


ENROLMENT_WORKFLOW = Workflow("training_enrolment", {
    Enrolment.Status.ENROLLED: {Enrolment.Status.CANCELLED, Enrolment.Status.ATTENDED, Enrolment.Status.ABSENT},
    Enrolment.Status.WAITING: {Enrolment.Status.ENROLLED, Enrolment.Status.CANCELLED, Enrolment.Status.ATTENDED},
    Enrolment.Status.ATTENDED: {Enrolment.Status.ABSENT, Enrolment.Status.ATTENDED},
    Enrolment.Status.ABSENT: {Enrolment.Status.ATTENDED, Enrolment.Status.ABSENT},
    Enrolment.Status.CANCELLED: set(),
}, labels=Enrolment.Status)


class Completion(models.Model):
    """The training record: an official has completed an offer (attended a session, finished the
    web course, or the security unit recorded it)."""

    class Source(models.TextChoices):
        ATTENDED = "attended", _("Attended a session")
        SELF_REPORTED = "self", _("Marked done by the official")
        RECORDED = "recorded", _("Recorded by the security unit")

    official = models.ForeignKey("officials.Official", verbose_name=_("official"), on_delete=models.CASCADE,
                                 related_name="training_completions")
    offer = models.ForeignKey(TrainingOffer, verbose_name=_("offer"), on_delete=models.PROTECT,
                              related_name="completions")
    session = models.ForeignKey(Session, verbose_name=_("session"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    completed_on = models.DateField(_("completed"))
    source = models.CharField(_("how"), max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("completed training")
        verbose_name_plural = _("completed training")
        ordering = ["-completed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["official", "offer"], name="one_completion_per_offer"),
        ]

    def __str__(self) -> str:
        return f"{self.official} – {self.offer}"

    @property
    def audit_official_id(self) -> int:
        return self.official_id


class OfferAddedOfficial(models.Model):
    """Someone the security unit added to one offer's target group (e.g. a committee chair for the
    targeted training before an election): invited, and may enrol, as if in the group."""

    offer = models.ForeignKey(TrainingOffer, verbose_name=_("offer"), on_delete=models.CASCADE,
                              related_name="added_officials")
    official = models.ForeignKey("officials.Official", verbose_name=_("official"), on_delete=models.CASCADE,
                                 related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("official added to the target group")
        verbose_name_plural = _("officials added to the target group")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "official"], name="offer_added_official_once"),
        ]

    def __str__(self) -> str:
        return f"{self.official} – {self.offer}"

    @property
    def audit_official_id(self) -> int:
        return self.official_id


class TrainingCost(models.Model):
    """An actual cost (an invoice: a trainer, a room) booked on an offer, or on one of its
    sessions, against the training budget of the year it is booked in."""

    offer = models.ForeignKey(TrainingOffer, verbose_name=_("offer"), on_delete=models.PROTECT, related_name="costs")
    session = models.ForeignKey(Session, verbose_name=_("session"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="costs")
    amount_sek = models.PositiveIntegerField(_("amount (SEK)"))
    booked_on = models.DateField(_("booked on"), default=timezone.localdate)
    note = models.CharField(_("invoice or note"), max_length=150, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT,
                                  related_name="+")
    booked_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("booked training cost")
        verbose_name_plural = _("booked training costs")
        ordering = ["booked_on", "id"]
        indexes = [models.Index(fields=["booked_on", "amount_sek"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_sek__gt=0), name="training_cost_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_sek} SEK {self.booked_on}"


class SecurityConversation(models.Model):
    """A security conversation with one official: yearly (planned per term year) or on request.
    Notes are for the security unit only and never shown to the official."""

    class Reason(models.TextChoices):
        YEARLY = "yearly", _("Yearly")
        REQUESTED = "requested", _("On request")

    class Status(models.TextChoices):
        DUE = "due", _("To be booked")
        BOOKED = "booked", _("Booked")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    official = models.ForeignKey("officials.Official", verbose_name=_("official"), on_delete=models.CASCADE,
                                 related_name="security_conversations")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    term = models.PositiveSmallIntegerField(_("term (start year)"))
    period = models.PositiveSmallIntegerField(_("year of the term"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DUE)
    due_by = models.DateField(_("due by"))
    booked_for = models.DateTimeField(_("booked for"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    place = models.CharField(_("place"), max_length=200, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    notes = EncryptedTextField(_("notes (security unit only)"), blank=True)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    created_on = models.DateField(_("created on"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("security conversation")
        verbose_name_plural = _("security conversations")
        ordering = ["due_by", "id"]
        constraints = [
            models.UniqueConstraint(fields=["official", "term", "period"], condition=Q(reason="yearly"),
                                    name="one_yearly_conversation_per_term_year"),
            models.CheckConstraint(condition=Q(reason="requested") | Q(period__isnull=False),
                                   name="yearly_conversation_has_period"),
            models.CheckConstraint(condition=~Q(status="held") | Q(held_on__isnull=False),
                                   name="held_conversation_has_date"),
        ]
        indexes = [models.Index(fields=["status", "due_by"]), models.Index(fields=["official", "held_on"])]

    def __str__(self) -> str:
        return f"{self.official} – {self.get_reason_display()} ({self.due_by:%Y-%m-%d})"

    @property
    def audit_official_id(self) -> int:
        return self.official_id

    @property
    def next_due(self) -> date | None:
        return add_months(self.held_on, 12) if self.held_on else None


CONVERSATION_WORKFLOW = Workflow("security_conversation", {
    SecurityConversation.Status.DUE: {SecurityConversation.Status.BOOKED, SecurityConversation.Status.HELD,
                                      SecurityConversation.Status.CANCELLED},
    # booked → booked: a new time
    SecurityConversation.Status.BOOKED: {SecurityConversation.Status.BOOKED, SecurityConversation.Status.HELD,
                                         SecurityConversation.Status.CANCELLED},
    SecurityConversation.Status.HELD: set(),
    SecurityConversation.Status.CANCELLED: set(),
}, labels=SecurityConversation.Status)


class CollaborationMeeting(models.Model):
    """A collaboration meeting with the police, Säpo and the parties' security organisations."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        INVITED = "invited", _("Invitations sent")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    term = models.PositiveSmallIntegerField(_("term (start year)"))
    number = models.PositiveSmallIntegerField(_("number in the term"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    planned_for = models.DateField(_("planned for"))
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    created_on = models.DateField(_("created on"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    title_text = generated_text()

    class Meta:
        verbose_name = _("collaboration meeting")
        verbose_name_plural = _("collaboration meetings")
        ordering = ["planned_for", "id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], condition=Q(number__isnull=False),
                                    name="one_planned_meeting_per_term_slot"),
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=True)
                                   | Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title in the reader's language (a planned meeting's), else as written."""
        return render(self.title_text, self.title)


MEETING_WORKFLOW = Workflow("collaboration_meeting", {
    CollaborationMeeting.Status.PLANNED: {CollaborationMeeting.Status.INVITED, CollaborationMeeting.Status.HELD,
                                          CollaborationMeeting.Status.CANCELLED},
    # invited → invited: invitations sent again
    CollaborationMeeting.Status.INVITED: {CollaborationMeeting.Status.INVITED, CollaborationMeeting.Status.HELD,
                                          CollaborationMeeting.Status.CANCELLED},
    CollaborationMeeting.Status.HELD: set(),
    CollaborationMeeting.Status.CANCELLED: set(),
}, labels=CollaborationMeeting.Status)
# A meeting's details and invitees may change until it is held or cancelled.
MEETING_EDITABLE = (CollaborationMeeting.Status.PLANNED, CollaborationMeeting.Status.INVITED)


class MeetingInvitee(models.Model):
    """An invited organisation (police, Säpo, a party's security organisation …) with a contact
    person — a user of Värn or just an e-mail address — and whether they attended."""

    meeting = models.ForeignKey(CollaborationMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="invitees")
    organisation = models.CharField(_("organisation"), max_length=150)
    name = models.CharField(_("contact person"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    organisation_text = generated_text()

    class Meta:
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        ordering = ["organisation", "id"]

    def __str__(self) -> str:
        name = self.display_organisation
        return f"{name} ({self.name or self.email})" if (self.name or self.email) else name

    @property
    def display_organisation(self) -> str:
        """The organisation in the reader's language (the usual invitees the planner adds)."""
        return render(self.organisation_text, self.organisation)

    @property
    def address(self) -> str:
        return self.email or (self.user.email if self.user is not None else "")


class RevisionTask(models.Model):
    """The guideline's revision, once per term, done the year before the ordinary election."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    term = models.PositiveSmallIntegerField(_("term (start year)"), unique=True)
    election_date = models.DateField(_("ordinary election"))
    opens_on = models.DateField(_("from"))
    due_by = models.DateField(_("due by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    decision_reference = models.CharField(_("decision (reference number)"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_on = models.DateField(_("created on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("guideline revision")
        verbose_name_plural = _("guideline revisions")
        ordering = ["-term"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="done") | Q(done_on__isnull=False),
                                   name="revision_done_has_date"),
        ]

    def __str__(self) -> str:
        return f"{Term(self.term).label}"


REVISION_WORKFLOW = Workflow("guideline_revision", {
    RevisionTask.Status.OPEN: {RevisionTask.Status.DONE},
    RevisionTask.Status.DONE: set(),
}, labels=RevisionTask.Status)
