"""Local safety surveys and the internal-control survey (DOMAIN.md › Prevention over the term).

Anonymity is a property of the schema:

* `Invitation` ties an official to a round and records `answered` and nothing else about the
  answer: no time of answering, no link to it. Its links (`InvitationToken`) keep only the
  hash of a random one-time token.
* `Response` and `Answer` hold no foreign key to an invitation, an official or a user, no date
  or time, and use random UUID keys, so neither a join, a time nor a key order ties an answer
  to a person (tests/surveys/test_anonymity.py inspects the models and fails if one does).
* A `Round` knows no person either (who created it is in the audit trail), so nothing reached
  from an answer leads to a person.
"""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.workflow import Workflow

from .item_bank import INTERNAL_CONTROL, SAFETY


class SurveyType(models.TextChoices):
    SAFETY = SAFETY, _("Safety survey")
    INTERNAL_CONTROL = INTERNAL_CONTROL, _("Internal-control survey")


def _in_language(sv: str, en: str) -> str:
    """The English text when English is active and one is given, else the Swedish."""
    return en if (translation.get_language() or "sv").startswith("en") and en else sv


class Item(models.Model):
    """One question of the item bank. `code` is stable across rounds and never edited."""

    class Block(models.TextChoices):
        BACKGROUND = "B", _("About you and your assignments")
        EXPOSURE = "E", _("Exposure")
        INCIDENT = "F", _("The latest or most serious incident")
        CONSEQUENCES = "C", _("Consequences for your assignment")
        WORRY = "W", _("Worry")
        SUPPORT = "S", _("The guideline, training and support")
        INTERNAL_CONTROL = "IC", _("Internal control")

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale")

    class Tag(models.TextChoices):
        SRC = "src", _("Follows the national survey (PTU)")
        OWN = "own", _("Own item")

    code = models.CharField(_("code"), max_length=8, unique=True,
                            help_text=_("Stable id (B1, E1, IC1 …): rounds are compared by it."))
    survey_type = models.CharField(_("survey"), max_length=20, choices=SurveyType.choices)
    block = models.CharField(_("part"), max_length=2, choices=Block.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    tag = models.CharField(_("source"), max_length=3, choices=Tag.choices, default=Tag.OWN)
    text_sv = models.TextField(_("question (Swedish)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    condition_items = models.JSONField(
        _("shown only after"), default=list, blank=True,
        help_text=_("Codes of earlier items, e.g. [\"C1\"]. Empty: always shown."),
    )
    condition_options = models.JSONField(
        _("… when answered"), default=list, blank=True,
        help_text=_("Option codes of those items that show this item, e.g. [\"yes\"]."),
    )
    is_active = models.BooleanField(_("asked in new rounds"), default=True)

    class Meta:
        verbose_name = _("survey item")
        verbose_name_plural = _("survey items")
        ordering = ["survey_type", "position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return _in_language(self.text_sv, self.text_en)

    @property
    def is_conditional(self) -> bool:
        return bool(self.condition_items)

    def clean(self):
        items, options = self.condition_items or [], self.condition_options or []
        if not isinstance(items, list) or not all(isinstance(c, str) for c in items):
            raise ValidationError({"condition_items": _("Give a list of item codes.")})
        if not isinstance(options, list) or not all(isinstance(c, str) for c in options):
            raise ValidationError({"condition_options": _("Give a list of option codes.")})
        if bool(items) != bool(options):
            raise ValidationError(_("Give both the items and the answers that show this item, or neither."))
        if items:
            earlier = Item.objects.filter(survey_type=self.survey_type, code__in=items, position__lt=self.position)
            if earlier.count() != len(set(items)):
                raise ValidationError({"condition_items": _(
                    "Each item must be an earlier item of the same survey."
                )})
            known = set(Option.objects.filter(item__in=earlier).values_list("code", flat=True))
            if not set(options) <= known:
                raise ValidationError({"condition_options": _("Unknown answer codes: %(codes)s") % {
                    "codes": ", ".join(sorted(set(options) - known))}})


class Option(models.Model):
    """One answer to an item. `code` is stable; `score` orders a scale (empty: not on the scale,
    e.g. "not applicable")."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(_("code"), max_length=30)
    label_sv = models.CharField(_("label (Swedish)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    score = models.SmallIntegerField(_("scale value"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["item", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="survey_option_code_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _in_language(self.label_sv, self.label_en)


class NationalFigure(models.Model):
    """Brå's national survey (PTU): share of politicians exposed in a reference year."""

    year = models.PositiveSmallIntegerField(_("reference year"), unique=True)
    exposed_percent = models.DecimalField(_("exposed (%)"), max_digits=4, decimal_places=1)
    note_sv = models.CharField(_("note (Swedish)"), max_length=200, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("national figure (PTU)")
        verbose_name_plural = _("national figures (PTU)")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"PTU {self.year}: {self.exposed_percent} %"

    @property
    def note(self) -> str:
        return _in_language(self.note_sv, self.note_en)


class Round(models.Model):
    """One round of a survey, open from `opens_on` to `closes_on` (both included) unless closed
    early. Holds no person: who created or changed it is in the audit trail."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    survey_type = models.CharField(_("survey"), max_length=20, choices=SurveyType.choices)
    reference_year = models.PositiveSmallIntegerField(
        _("reference year"), help_text=_("The calendar year the exposure questions ask about."))
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    closed_early = models.BooleanField(_("closed early"), default=False)
    planned = models.BooleanField(_("created by the planner"), default=False)
    items = models.ManyToManyField(Item, verbose_name=_("items"), related_name="rounds")
    invited_on = models.DateField(_("invitations sent"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)
    sealed = models.BooleanField(
        _("sealed"), default=False,
        help_text=_("After closing, the answers are rewritten in random order in one transaction."),
    )
    tally = models.JSONField(
        _("answer counts"), null=True, blank=True, editable=False,
        help_text=_("The counts the results are computed from, made from the answers when the round is sealed."),
    )

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-opens_on", "survey_type", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                   name="survey_round_closes_after_opening"),
            models.UniqueConstraint(fields=["survey_type", "reference_year"], condition=Q(planned=True),
                                    name="survey_one_planned_round_per_year"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.get_survey_type_display()} {self.opens_on.year}"

    def status(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if self.closed_early or today > self.closes_on:
            return self.Status.CLOSED
        if today < self.opens_on:
            return self.Status.SCHEDULED
        return self.Status.OPEN

    def status_label(self, today: date | None = None) -> str:
        return str(self.Status(self.status(today)).label)

    def is_open(self, today: date | None = None) -> bool:
        return self.status(today) == self.Status.OPEN

    def is_closed(self, today: date | None = None) -> bool:
        return self.status(today) == self.Status.CLOSED


def _round_refusal(current: str, target: str) -> str | None:
    return gettext("Only an open round can be closed.") if target == Round.Status.CLOSED else None


# A round opens and closes by its dates; the security unit may close an open round early.
ROUND_WORKFLOW = Workflow("survey_round", {
    Round.Status.SCHEDULED: {Round.Status.OPEN},
    Round.Status.OPEN: {Round.Status.CLOSED},
    Round.Status.CLOSED: set(),
}, labels=Round.Status, refusal=_round_refusal)


class Invitation(models.Model):
    """An official's right to answer a round once. Records `answered` and nothing else about the
    answer: no time, no link to it. The links sent by e-mail are `InvitationToken`s."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="invitations")
    official = models.ForeignKey("officials.Official", verbose_name=_("official"), on_delete=models.CASCADE,
                                 related_name="survey_invitations")
    answered = models.BooleanField(_("answered"), default=False)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [models.UniqueConstraint(fields=["round", "official"], name="survey_one_invitation_each")]
        indexes = [models.Index(fields=["round", "answered"])]

    def __str__(self) -> str:
        return f"{self.round} – {self.official_id}"

    @property
    def audit_official_id(self) -> int:
        return self.official_id


class InvitationToken(models.Model):
    """One link sent by e-mail (the invitation, each reminder). Only the SHA-256 of the random
    token is kept; every link of an invitation works until the invitation is answered."""

    invitation = models.ForeignKey(Invitation, verbose_name=_("invitation"), on_delete=models.CASCADE,
                                   related_name="tokens")
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("invitation link")
        verbose_name_plural = _("invitation links")

    def __str__(self) -> str:
        return f"{self.invitation_id}: {self.token_hash[:8]}…"


class Response(models.Model):
    """One anonymous answer sheet. No person, no time, a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="responses")

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return str(self.round)


class Answer(models.Model):
    """One chosen option on a response (several rows for a multiple-choice item)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE,
                                 related_name="answers")
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, verbose_name=_("answer"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [models.UniqueConstraint(fields=["response", "option"], name="survey_answer_once")]
        indexes = [models.Index(fields=["item", "option"])]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.option_id}"
