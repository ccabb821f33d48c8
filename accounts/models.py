from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.sql import split_codes

from .roles import DECIDING_ROLES, PROPOSING_ROLES, STAFF_ROLES, Role

# Who may order approved measures (`Policy.orderers`); the same codes as measures.OrderedVia.
ORDERERS = ("security_unit", "technical_office")


class User(AbstractUser):
    """A person who logs in. Roles are groups named by `Role` codes."""

    email = models.EmailField(_("e-mail"), blank=True)
    party = models.ForeignKey(
        "officials.Party",
        verbose_name=_("party (for a party security contact)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    body = models.ForeignKey(
        "officials.Body",
        verbose_name=_("body (for a body officer)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="sv")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.is_authenticated or not self.is_active:
            return frozenset()
        if "role_codes" in self.__dict__:  # read with the user (accounts.backends)
            return frozenset(split_codes(self.__dict__["role_codes"]))
        return frozenset(g.name for g in self.groups.all())

    def has_role(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)

    @property
    def is_staff_role(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Policy(models.Model):
    """The organisation's policy: everything that differs between municipalities.

    There is one active policy; `Policy.current()` returns it. The five shipped profiles live
    in `accounts.policy_profiles` and are loaded with `manage.py load_policy <name>`.
    """

    class ConversationScope(models.TextChoices):
        NONE = "none", _("No yearly security conversations")
        COVERED = "covered", _("Covered officials (KL 4:18a)")
        ALL = "all", _("All officials")

    profile = models.CharField(_("profile"), max_length=32)
    municipality_name = models.CharField(_("municipality"), max_length=100)
    unit_name = models.CharField(_("security unit's name"), max_length=100)
    unit_phone = models.CharField(_("security unit's phone"), max_length=40)
    unit_email = models.EmailField(_("security unit's e-mail"))
    office_hours = models.CharField(_("office hours"), max_length=100)
    office_opens = models.TimeField(_("office opens"))
    office_closes = models.TimeField(_("office closes"))
    approver_title = models.CharField(_("approver's title"), max_length=100)
    approver_role = models.CharField(
        _("role that approves measures"), max_length=32, choices=[(r.value, r.label) for r in DECIDING_ROLES],
        default=Role.APPROVER,
        help_text=_("Whoever holds this role decides on proposed measures, never their own proposal. The security "
                    "unit proposes, so it can be the deciding role only when at least two active people hold it."))
    orderers = models.JSONField(_("who may order measures"), default=list,
                                help_text=_("Any of: security_unit, technical_office"))
    training_every_months = models.PositiveSmallIntegerField(
        _("training offered every (months)"), default=0, help_text=_("0: only at the start of each term")
    )
    onsite_training_before_election = models.BooleanField(_("targeted on-site training before elections"),
                                                          default=False)
    web_course = models.BooleanField(_("general web course open all term"), default=True)
    yearly_conversations = models.CharField(_("yearly security conversations"), max_length=10,
                                            choices=ConversationScope.choices, default=ConversationScope.NONE)
    meetings_per_term = models.PositiveSmallIntegerField(_("collaboration meetings per term"), default=0)
    guideline_revision_year_before_election = models.BooleanField(
        _("guideline revised the year before the election"), default=True
    )
    budget_measures_sek = models.PositiveIntegerField(_("yearly budget for measures (SEK)"), default=0)
    budget_training_sek = models.PositiveIntegerField(_("yearly budget for training (SEK)"), default=0)
    survey_around_elections = models.BooleanField(_("local safety survey the year before and after elections"),
                                                  default=False)
    internal_control_survey = models.BooleanField(_("internal-control survey"), default=False)
    evidence_max_mb = models.PositiveSmallIntegerField(_("largest attachment (MB)"), default=25)
    idle_timeout_minutes = models.PositiveSmallIntegerField(_("idle timeout for staff (minutes)"), default=30)
    urgent_kinds = models.JSONField(_("report kinds that alert the on-call officer"), default=list)
    kind_definitions = models.JSONField(
        _("the municipality's definitions of report kinds"), default=dict, blank=True,
        help_text=_("Shown beside the kinds on the report form. A report kind's code (threat, hate, violence, "
                    "harassment, stalking, extortion, damage, bribery, undue_influence) with its definition in "
                    'Swedish and English: {"threat": {"sv": "…", "en": "…"}}. Leave empty for none.'))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True),
                                    name="one_active_policy"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_name} ({self.profile})"

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.office_opens and self.office_closes and self.office_opens >= self.office_closes:
            errors.setdefault("office_closes", []).append(_("The office must close after it opens."))
        orderers = self.orderers
        if (not isinstance(orderers, list) or not orderers
                or any(not isinstance(o, str) or o not in ORDERERS for o in orderers)):
            errors.setdefault("orderers", []).append(
                _("Give a list of who may order: security_unit and/or technical_office."))
        if self.approver_role in PROPOSING_ROLES and self.approver_holders(self.approver_role) < 2:
            errors.setdefault("approver_role", []).append(
                _("The security unit proposes measures and no one decides their own proposal, so it can decide only "
                  "when at least two active people hold the role. Choose another role, or give the role to more "
                  "people first."))
        if not _valid_definitions(self.kind_definitions):
            errors.setdefault("kind_definitions", []).append(
                _('Write the definitions as {"threat": {"sv": "…", "en": "…"}, …}: a kind\'s code, then its text in '
                  "Swedish (needed) and English."))
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def approver_holders(role: str) -> int:
        """How many active people hold `role`."""
        return User.objects.filter(groups__name=str(role), is_active=True).distinct().count()

    def offers_yearly_conversation(self, *, covered: bool) -> bool:
        """Whether an official (covered by KL 4:18a or not) is offered a yearly security
        conversation under this policy."""
        scope = self.yearly_conversations
        return scope == self.ConversationScope.ALL or (scope == self.ConversationScope.COVERED and covered)

    def definition_of(self, kind: str, language: str) -> str:
        """The municipality's definition of a report kind in `language` (Swedish when there is
        no English text), or ""."""
        entry = (self.kind_definitions or {}).get(kind) or {}
        if not isinstance(entry, dict):
            return ""
        text = entry.get("en") if language.startswith("en") else ""
        return str(text or entry.get("sv") or "")

    def save(self, *args, **kwargs):
        from .request_cache import forget

        super().save(*args, **kwargs)
        forget("policy")

    @classmethod
    def current(cls) -> "Policy":
        """The active policy; the Sigtuna profile's defaults if none has been loaded. Read once
        per request (see accounts.request_cache)."""
        from .request_cache import memoized

        def read() -> "Policy":
            policy = cls.objects.filter(is_active=True).first()
            if policy is None:
                from .policy_profiles import policy_from_profile

                policy = policy_from_profile("sigtuna")
            return policy

        return memoized("policy", read)

    def is_office_hours(self, when) -> bool:
        local = timezone.localtime(when)
        return local.weekday() < 5 and self.office_opens <= local.time() < self.office_closes


def _valid_definitions(value) -> bool:
    if not isinstance(value, dict):
        return False
    for code, entry in value.items():
        if not isinstance(code, str) or not isinstance(entry, dict) or set(entry) - {"sv", "en"}:
            return False
        if not isinstance(entry.get("sv"), str) or not entry["sv"].strip():
            return False
        if not isinstance(entry.get("en", ""), str):
            return False
    return True
