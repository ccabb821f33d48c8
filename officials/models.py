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


class Consent(models.Model):
    """One recorded decision to give or withdraw consent to publish one private field.
    The latest row per (official, field) is in force; earlier rows are the history."""

    class Field(models.TextChoices):
        HOME_ADDRESS = "home_address", _("Home address")
        PRIVATE_PHONE = "private_phone", _("Private phone")
        PRIVATE_EMAIL = "private_email", _("Private e-mail")
        PRIVATE_SOCIAL = "private_social", _("Private social media accounts")

    official = models.ForeignKey(Official, verbose_name=_("official"), on_delete=models.CASCADE,
                                 related_name="consents")
    field = models.CharField(_("data"), max_length=20, choices=Field.choices)
    given = models.BooleanField(_("consent given"))
    decided_on = models.DateField(_("date"))
    document_reference = models.CharField(_("signed document"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("publication consent")
        verbose_name_plural = _("publication consents")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["official", "field", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.official}: {self.get_field_display()} {'✓' if self.given else '✗'}"


# A publication consent's state for one private field is read from its latest `Consent` row.
CONSENT_NONE, CONSENT_GIVEN, CONSENT_WITHDRAWN = "none", "given", "withdrawn"
# The consent workflow: consent is given (again, with a new signed document: a renewal) or
# withdrawn; only a consent in force can be withdrawn. Who may make which move:
# `permissions.consent_moves` (an official does not renew their own consent).
CONSENT_WORKFLOW = Workflow("consent", {
    CONSENT_NONE: {CONSENT_GIVEN},
    CONSENT_GIVEN: {CONSENT_GIVEN, CONSENT_WITHDRAWN},
    CONSENT_WITHDRAWN: {CONSENT_GIVEN},
}, message=_("There is no consent in force to withdraw."))


def consent_state(in_force: Consent | None) -> str:
    """The state of one field's consent, from the latest decision (None: never recorded)."""
    if in_force is None:
        return CONSENT_NONE
    return CONSENT_GIVEN if in_force.given else CONSENT_WITHDRAWN
