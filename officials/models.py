import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.workflow import Workflow

from .fields import EncryptedTextField

COVERED_SHARE_PERCENT = 40
COMMISSIONER_ROLES = ("kommunalrad", "borgarrad")
# Assignments held by employees rather than elected officials: never covered, and in a training's
# target group only where the offer says so (`training.models.TargetGroup.WITH_SECRETARIES`).
STAFF_ROLES = ("politisk_sekreterare", "namndsekreterare")

# Covered by KL 4:18a (DOMAIN.md › Officials): the ONE rule, as a filter on assignments and, the
# same, on one assignment in Python (`covers`). An elected official's assignment covers its holder
# when it is full time or at least 40 % of full time, a municipal commissioner's, or one the party
# has designated as specially remunerated (Stockholm: group leaders, the council's presidium),
# whatever its share. A secretary's (an employee's) never does.
COVERING = ((Q(share_percent__gte=COVERED_SHARE_PERCENT) | Q(role__in=COMMISSIONER_ROLES)
             | Q(designated_by_party=True)) & ~Q(role__in=STAFF_ROLES))


def covers(*, share_percent: int, role: str, designated_by_party: bool) -> bool:
    """`COVERING` for one assignment's values."""
    if role in STAFF_ROLES:
        return False
    return share_percent >= COVERED_SHARE_PERCENT or role in COMMISSIONER_ROLES or designated_by_party


class Party(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=10, unique=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Body(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "kf", _("Municipal council")
        EXECUTIVE = "ks", _("Municipal executive board")
        COMMITTEE = "namnd", _("Committee")
        SUBCOMMITTEE = "utskott", _("Sub-committee")
        COMPANY = "bolag", _("Company board")
        FEDERATION = "forbund", _("Federation of municipalities")
        FOUNDATION = "stiftelse", _("Foundation")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class OfficialQuerySet(models.QuerySet["Official"]):
    def active(self, on: date | None = None) -> "OfficialQuerySet":
        on = on or timezone.localdate()
        return self.filter(
            Q(assignments__start__lte=on) & (Q(assignments__end__isnull=True) | Q(assignments__end__gte=on))
        ).distinct()

    def covered(self, on: date | None = None) -> "OfficialQuerySet":
        """Covered by KL 4:18a: an active covering assignment (`COVERING`)."""
        on = on or timezone.localdate()
        return self.filter(
            id__in=Assignment.objects.current(on).covering().values("official_id"),
        )


class Official(models.Model):
    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        OTHER = "other", _("Other / prefer not to say")

    class MunicipalPhone(models.TextChoices):
        NONE = "none", _("Not offered")
        REQUESTED = "requested", _("Requested by the official")
        OFFERED = "offered", _("Offered")
        ISSUED = "issued", _("Issued")
        DECLINED = "declined", _("Declined")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="official",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    party = models.ForeignKey(Party, verbose_name=_("party"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="members")
    work_email = models.EmailField(_("e-mail (assignment)"), blank=True)
    work_phone = models.CharField(_("phone (assignment)"), max_length=40, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    protected_identity = models.BooleanField(_("protected personal data"), default=False)
    # Private data: encrypted at rest, published only with an active consent per field.
    home_address = EncryptedTextField(_("home address"), blank=True)
    private_phone = EncryptedTextField(_("private phone"), blank=True)
    private_email = EncryptedTextField(_("private e-mail"), blank=True)
    private_social = EncryptedTextField(_("private social media accounts"), blank=True)
    municipal_phone = models.CharField(_("municipal phone"), max_length=10, choices=MunicipalPhone.choices,
                                       default=MunicipalPhone.NONE)
    municipal_phone_number = models.CharField(_("municipal phone number"), max_length=40, blank=True)
    # Set when the last assignment has ended and responsibility_ended was sent; cleared by a new one.
    responsibility_ended_on = models.DateField(_("municipality's responsibility ended"), null=True, blank=True,
                                               editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OfficialQuerySet.as_manager()

    class Meta:
        verbose_name = _("elected official")
        verbose_name_plural = _("elected officials")
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def audit_official_id(self) -> int:
        return self.pk

    def current_assignments(self, on: date | None = None) -> list["Assignment"]:
        """Uses prefetched assignments when present."""
        on = on or timezone.localdate()
        return [a for a in self.assignments.all() if a.is_current(on)]

    def is_active(self, on: date | None = None) -> bool:
        return bool(self.current_assignments(on))

    def is_covered(self, on: date | None = None) -> bool:
        return any(a.is_covering for a in self.current_assignments(on))

    def is_treated_as_employee(self, on: date | None = None) -> bool:
        return any(a.role in Assignment.COMMISSIONER_ROLES for a in self.current_assignments(on))


_PHONE = Official.MunicipalPhone
# The municipal-phone workflow: from state → states it may move to (who may make which move:
# `permissions.phone_moves`).
PHONE_WORKFLOW = Workflow("municipal_phone", {
    _PHONE.NONE: {_PHONE.REQUESTED, _PHONE.OFFERED, _PHONE.ISSUED},
    _PHONE.REQUESTED: {_PHONE.OFFERED, _PHONE.ISSUED, _PHONE.DECLINED, _PHONE.NONE},
    _PHONE.OFFERED: {_PHONE.REQUESTED, _PHONE.ISSUED, _PHONE.DECLINED, _PHONE.NONE},
    _PHONE.ISSUED: {_PHONE.NONE},
    _PHONE.DECLINED: {_PHONE.REQUESTED, _PHONE.OFFERED, _PHONE.NONE},
}, labels=_PHONE, message=_("The municipal phone cannot go from “%(from)s” to “%(to)s”."))


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def current(self, on: date | None = None) -> "AssignmentQuerySet":
        on = on or timezone.localdate()
        return self.filter(Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on)))

    def covering(self) -> "AssignmentQuerySet":
        return self.filter(COVERING)


class Assignment(models.Model):
    class Role(models.TextChoices):
        MEMBER = "ledamot", _("Member")
        SUBSTITUTE = "ersattare", _("Substitute")
        CHAIR = "ordforande", _("Chair")
        VICE_CHAIR = "vice_ordforande", _("Vice chair")
        PRESIDIUM = "presidium", _("Presidium")
        COMMISSIONER = "kommunalrad", _("Municipal commissioner")
        MAYOR_COMMISSIONER = "borgarrad", _("Municipal commissioner (borgarråd)")
        GROUP_LEADER = "gruppledare", _("Group leader")
        SECRETARY = "politisk_sekreterare", _("Political secretary")
        COMMITTEE_SECRETARY = "namndsekreterare", _("Committee secretary")

    COMMISSIONER_ROLES = COMMISSIONER_ROLES

    official = models.ForeignKey(Official, verbose_name=_("official"), on_delete=models.CASCADE,
                                 related_name="assignments")
    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    share_percent = models.PositiveSmallIntegerField(_("share of full time (%)"), default=0)
    designated_by_party = models.BooleanField(
        _("specially remunerated by the party's designation"), default=False,
        help_text=_("The party has designated this assignment as specially remunerated (for example a group "
                    "leader or the council's presidium): covered by KL 4:18a whatever the share of full time."))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(share_percent__lte=100), name="assignment_share_at_most_100"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="assignment_end_after_start"),
            # Secretaries are employees: KL 4:18a does not cover them, whoever designates them.
            models.CheckConstraint(condition=Q(designated_by_party=False) | ~Q(role__in=STAFF_ROLES),
                                   name="assignment_staff_not_designated",
                                   violation_error_message=_("A secretary's assignment cannot be designated as "
                                                             "specially remunerated.")),
        ]
        indexes = [
            models.Index(fields=["official", "start", "end"]),
            # The few covering assignments (KL 4:18a): finding the covered officials reads this
            # small index rather than every assignment. The condition of `covering()`.
            models.Index(fields=["official", "start", "end"], name="assignment_covering_idx", condition=COVERING),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}, {self.body}"

    def is_current(self, on: date) -> bool:
        return self.start <= on and (self.end is None or self.end >= on)

    @property
    def may_be_designated(self) -> bool:
        """Whether the party's designation (`designated_by_party`) can apply: not to a secretary's."""
        return self.role not in STAFF_ROLES

    @property
    def is_covering(self) -> bool:
        return covers(share_percent=self.share_percent, role=self.role, designated_by_party=self.designated_by_party)


def _consent_document_path(instance: "Consent", filename: str) -> str:
    """A random name under consents/: the original name is kept only in the database."""
    return f"consents/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class ConsentQuerySet(models.QuerySet["Consent"]):
    def in_force(self) -> "ConsentQuerySet":
        """Consents that publish: the signed document is recorded and the consent not withdrawn.
        The one definition of "in force" — every reader of published data goes through it
        (`officials.selectors.published_fields`)."""
        return self.filter(status=Consent.Status.IN_FORCE)

    def open(self) -> "ConsentQuerySet":
        """Consents not yet ended: awaiting their signed document, being checked, or in force."""
        return self.filter(status__in=Consent.OPEN)


class Consent(models.Model):
    """The official's consent to publish one private field, from its giving to its end.

    Given on the web it awaits the signed document (Fagersta: "lämnat skriftligt medgivande");
    it publishes nothing until the security unit has recorded that document — the signed paper
    received, or a scan or photo the official uploaded and the unit accepted — and stops
    publishing the moment it is withdrawn. The moves: `CONSENT_WORKFLOW` below. A field has at most
    one open consent (database constraint); ended ones are its history."""

    class Field(models.TextChoices):
        HOME_ADDRESS = "home_address", _("Home address")
        PRIVATE_PHONE = "private_phone", _("Private phone")
        PRIVATE_EMAIL = "private_email", _("Private e-mail")
        PRIVATE_SOCIAL = "private_social", _("Private social media accounts")

    class Status(models.TextChoices):
        AWAITING = "awaiting_document", _("Signed document awaited")
        SUBMITTED = "document_submitted", _("Signed document sent in, to be checked")
        IN_FORCE = "in_force", _("In force")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REPLACED = "replaced", _("Replaced by a renewed consent")

    OPEN = ("awaiting_document", "document_submitted", "in_force")

    official = models.ForeignKey(Official, verbose_name=_("official"), on_delete=models.CASCADE,
                                 related_name="consents")
    field = models.CharField(_("data"), max_length=20, choices=Field.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AWAITING)
    decided_on = models.DateField(_("date of consent"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The signed document: the paper the unit received (its reference, e.g. a registration
    # number) or the file the official uploaded; recorded by the unit with date and who.
    document_reference = models.CharField(_("signed document"), max_length=200, blank=True)
    document_received_on = models.DateField(_("signed document received"), null=True, blank=True)
    document_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed document recorded by"),
                                             null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    document_recorded_at = models.DateTimeField(_("signed document recorded"), null=True, blank=True)
    document_file = models.FileField(_("uploaded signed document"), upload_to=_consent_document_path, max_length=200,
                                     blank=True)
    document_name = models.CharField(_("file name"), max_length=200, blank=True)
    document_mimetype = models.CharField(_("type"), max_length=100, blank=True)
    document_size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    document_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    document_uploaded_at = models.DateTimeField(_("uploaded"), null=True, blank=True)
    # The last upload the unit could not accept, and why (shown to the official).
    rejection_reason = models.TextField(_("why the document was not accepted"), blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("not accepted by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    rejected_at = models.DateTimeField(_("not accepted"), null=True, blank=True)
    withdrawn_on = models.DateField(_("date of withdrawal"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("withdrawal recorded by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawal recorded"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication consent")
        verbose_name_plural = _("publication consents")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["official", "field", "-created_at"]),
            models.Index(fields=["status", "official"], name="consent_status_idx"),
        ]
        constraints = [
            # One open consent per private field (several would make "which one publishes" a question).
            models.UniqueConstraint(fields=["official", "field"], condition=Q(status__in=(
                "awaiting_document", "document_submitted", "in_force")), name="consent_one_open_per_field"),
            # Nothing is in force without its signed document recorded, with when and a reference or file.
            models.CheckConstraint(
                condition=~Q(status="in_force") | (Q(document_recorded_at__isnull=False)
                                                   & (~Q(document_reference="") | ~Q(document_file=""))),
                name="consent_in_force_has_document"),
            models.CheckConstraint(condition=~Q(status="withdrawn") | Q(withdrawn_on__isnull=False),
                                   name="consent_withdrawn_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.official}: {self.get_field_display()} ({self.get_status_display()})"

    @property
    def audit_official_id(self) -> int:
        return self.official_id

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def has_upload(self) -> bool:
        return bool(self.document_file)


# The state of one private field's consent: its open consent's status, or "none" when the field
# has no open consent (never given, or the last one withdrawn).
CONSENT_NONE = "none"
_CONSENT = Consent.Status


def _consent_refusal(current: str, target: str) -> str | None:
    """The helpful message for a refused consent move (else the general one)."""
    if target == _CONSENT.WITHDRAWN:
        return str(_("There is no consent to withdraw."))
    if current in (_CONSENT.WITHDRAWN, _CONSENT.REPLACED):
        return str(_("This consent has ended. Give a new consent instead."))
    if current == _CONSENT.IN_FORCE and target in (_CONSENT.IN_FORCE, _CONSENT.SUBMITTED, _CONSENT.AWAITING):
        return str(_("The signed document is already recorded: the consent is in force."))
    if current == _CONSENT.SUBMITTED and target == _CONSENT.SUBMITTED:
        return str(_("A signed document has already been sent in and is being checked."))
    if current == _CONSENT.AWAITING and target == _CONSENT.AWAITING:
        return str(_("No signed document has been sent in to check."))
    if current == CONSENT_NONE:
        return str(_("There is no consent for this yet."))
    return None


# The consent workflow: from state → states it may move to. Giving creates the consent (from
# "none"): on the web it awaits the signed document, recorded by the unit with the document it is
# in force at once. The document is then recorded by the unit, or uploaded by the official and
# accepted (or not, back to awaiting) by the unit. Any open consent can be withdrawn; one in force
# can be renewed by the unit with a new signed document (the old one is then replaced).
# Who may make which move: `permissions.CONSENT_MOVES`.
CONSENT_WORKFLOW = Workflow("consent", {
    CONSENT_NONE: {_CONSENT.AWAITING, _CONSENT.IN_FORCE},
    _CONSENT.AWAITING: {_CONSENT.SUBMITTED, _CONSENT.IN_FORCE, _CONSENT.WITHDRAWN},
    _CONSENT.SUBMITTED: {_CONSENT.IN_FORCE, _CONSENT.AWAITING, _CONSENT.WITHDRAWN},
    _CONSENT.IN_FORCE: {_CONSENT.WITHDRAWN, _CONSENT.REPLACED},
    _CONSENT.WITHDRAWN: set(),
    _CONSENT.REPLACED: set(),
}, labels={CONSENT_NONE: _("No consent"), **dict(Consent.Status.choices)}, refusal=_consent_refusal,
    message=_("The consent cannot go from “%(from)s” to “%(to)s”."))


def consent_state(consent: Consent | None) -> str:
    """The workflow state of one field from its latest consent (None: never given)."""
    if consent is None or not consent.is_open:
        return CONSENT_NONE
    return str(consent.status)
