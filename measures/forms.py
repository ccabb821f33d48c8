"""Forms of assessments, measures, the budget, the catalogue and alarm events. They validate input
only; the views hand the cleaned data to `measures.services`, which do every write and repeat
every rule."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from .models import (
    CONSEQUENCE_CHOICES,
    LIKELIHOOD_CHOICES,
    AlarmProvider,
    FactorAnswer,
    FactorSection,
    MeasureStatus,
    MeasureType,
    OrderedVia,
    RiskFactor,
    RiskLevel,
    matrix_level,
)


def _text(label, *, required=True, rows=3, max_length=4000, help_text=""):
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


# ---------------------------------------------------------------- assessments

FactorRow = tuple[RiskFactor, forms.BoundField, forms.BoundField]  # a factor, its answer and its comment

class AssessmentForm(forms.Form):
    """The checklist (one answer and comment per factor, from the administrator's current list),
    the matrix, the level, participants, conclusion and next review."""

    likelihood = forms.TypedChoiceField(label=_("Likelihood"), coerce=int,
                                        choices=[("", _("Choose …")), *LIKELIHOOD_CHOICES])
    consequence = forms.TypedChoiceField(label=_("Consequence"), coerce=int,
                                         choices=[("", _("Choose …")), *CONSEQUENCE_CHOICES])
    level = forms.ChoiceField(label=_("Risk level"), required=False,
                              choices=[("", _("As the matrix gives")), *RiskLevel.choices],
                              help_text=_("You set the level. Where it differs from the matrix, write why."))
    level_reason = _text(_("Reason for a level other than the matrix's"), required=False)
    with_official = forms.BooleanField(label=_("The official took part"), required=False)
    with_police = forms.BooleanField(label=_("The police took part"), required=False)
    with_party = forms.BooleanField(label=_("The party took part"), required=False)
    participants_note = forms.CharField(label=_("Other participants"), required=False, max_length=300)
    conclusion = _text(_("Conclusion"), rows=5)
    proposed_measures = _text(_("Measures to propose"), required=False,
                              help_text=_("Propose each measure for decision from the case page afterwards."))
    next_review_on = forms.DateField(
        label=_("Next review"), required=False, widget=DateInput(),
        help_text=_("Leave empty for the default by level: very high 7 days, high 30, moderate 90, low 180."))

    def __init__(self, *args, factors: list[RiskFactor], previous_answers: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.factors = factors
        previous_answers = previous_answers or {}
        for factor in factors:
            before = previous_answers.get(factor.code, {})
            self.fields[f"factor_{factor.code}"] = forms.ChoiceField(
                label=f"{factor.code} {factor.text}", choices=FactorAnswer.choices, required=False,
                initial=before.get("answer", FactorAnswer.UNKNOWN))
            self.fields[f"comment_{factor.code}"] = forms.CharField(
                label=_("Comment on %(code)s") % {"code": factor.code}, required=False, max_length=1000,
                initial=before.get("comment", ""))

    def factor_sections(self) -> list[tuple[StrOrPromise, list[FactorRow]]]:
        sections: list[tuple[StrOrPromise, list[FactorRow]]] = []
        for value, label in FactorSection.choices:
            rows = [(f, self[f"factor_{f.code}"], self[f"comment_{f.code}"]) for f in self.factors if f.section == value]
            if rows:
                sections.append((label, rows))
        return sections

    def other_fields(self):
        return [self[name] for name in ("likelihood", "consequence", "level", "level_reason")]

    def clean(self):
        data = super().clean()
        likelihood, consequence = data.get("likelihood"), data.get("consequence")
        level = data.get("level")
        if likelihood and consequence and level:
            by_matrix = matrix_level(likelihood, consequence)
            if level != by_matrix and not (data.get("level_reason") or "").strip():
                self.add_error("level_reason", _("The level you set differs from the matrix (%(matrix)s): write why.")
                               % {"matrix": RiskLevel(by_matrix).label.lower()})
        review = data.get("next_review_on")
        if review and review <= timezone.localdate():
            self.add_error("next_review_on", _("The next review must be after today."))
        return data

    def answers(self) -> dict[str, dict[str, str]]:
        return {f.code: {"answer": self.cleaned_data.get(f"factor_{f.code}") or FactorAnswer.UNKNOWN,
                         "comment": self.cleaned_data.get(f"comment_{f.code}", "")} for f in self.factors}


# ---------------------------------------------------------------- measures

class ProposeForm(forms.Form):
    measure_type = forms.ModelChoiceField(label=_("Measure"), queryset=MeasureType.objects.none(),
                                          empty_label=_("Choose …"))
    reason = _text(_("Why this measure"), rows=4,
                   help_text=_("What in the assessment the measure answers. The decider reads this."))
    details = forms.CharField(label=_("Details"), required=False, max_length=300,
                              help_text=_("For example what is to be installed or delivered."))
    estimated_cost_sek = forms.IntegerField(label=_("Estimated cost (SEK)"), min_value=0, max_value=100_000_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure_type"].queryset = MeasureType.objects.filter(is_active=True).order_by("position", "code")


class DecisionForm(forms.Form):
    """The decision itself comes from the button pressed (`<prefix>-decision`: approve or reject)."""

    DECISIONS = ("approve", "reject")

    reason = _text(_("Reason for your decision"), required=False, rows=2,
                   help_text=_("Required when you reject the proposal."))

    def clean(self):
        data = super().clean()
        decision = self.data.get(self.add_prefix("decision"))
        if decision not in self.DECISIONS:
            raise ValidationError(_("Choose to approve or to reject."))
        data["decision"] = decision
        if decision == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Write the reason for rejecting the proposal."))
        return data


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), rows=2)


class OptionalReasonForm(forms.Form):
    reason = _text(_("Why the review"), required=False, rows=2)


class OrderForm(forms.Form):
    ordered_via = forms.ChoiceField(label=_("Ordered by"))
    supplier = forms.CharField(label=_("Supplier"), required=False, max_length=150)
    order_reference = forms.CharField(label=_("Order reference"), required=False, max_length=60)

    def __init__(self, *args, choices: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["ordered_via"])
        field.choices = [(c, OrderedVia(c).label) for c in choices]
        if choices:
            field.initial = choices[0]
        if len(choices) == 1:  # nothing to choose: the one way open goes with the form
            field.widget = forms.HiddenInput()


class InPlaceForm(forms.Form):
    in_place_on = forms.DateField(label=_("In place since"), widget=DateInput())
    review_on = forms.DateField(label=_("Next review"), required=False, widget=DateInput(),
                                help_text=_("Leave empty for the default by the case's risk level."))
    alarm_identifier = forms.CharField(label=_("Alarm identifier at the alarm centre"), max_length=64)
    alarm_provider = forms.ModelChoiceField(label=_("Alarm centre"), queryset=AlarmProvider.objects.none(),
                                            required=False, empty_label=_("Any alarm centre"))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=300)

    def __init__(self, *args, alarm: bool, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("in_place_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        if alarm:
            cast(forms.ModelChoiceField, self.fields["alarm_provider"]).queryset = AlarmProvider.objects.filter(
                is_active=True)
        else:
            del self.fields["alarm_identifier"]
            del self.fields["alarm_provider"]

    def clean_in_place_on(self):
        value = self.cleaned_data["in_place_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class FinishReviewForm(forms.Form):
    comment = _text(_("Outcome of the review"), rows=2)
    review_on = forms.DateField(label=_("Next review"), required=False, widget=DateInput(),
                                help_text=_("Leave empty for the default by the case's risk level."))


class CostForm(forms.Form):
    amount_sek = forms.IntegerField(label=_("Amount (SEK)"), min_value=1, max_value=100_000_000)
    booked_on = forms.DateField(label=_("Booked on"), widget=DateInput(),
                                help_text=_("The cost counts against this date's budget year."))
    note = forms.CharField(label=_("Invoice or note"), required=False, max_length=150)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("booked_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_booked_on(self):
        value = self.cleaned_data["booked_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class MeasureFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), ("open", _("Open")), *MeasureStatus.choices])
    measure_type = forms.ModelChoiceField(label=_("Measure"), required=False, queryset=MeasureType.objects.all(),
                                          empty_label=_("All measures"))
    flagged = forms.BooleanField(label=_("Flagged for ending"), required=False)
    review_due = forms.BooleanField(label=_("Due for review"), required=False)


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [(y, str(y)) for y in years]


# ---------------------------------------------------------------- reference data

class MeasureTypeForm(forms.ModelForm):
    class Meta:
        model = MeasureType
        fields = ["code", "name_sv", "name_en", "category", "alarm_kind", "technical", "requires_order",
                  "typical_cost_sek", "position", "is_active"]


class RiskFactorForm(forms.ModelForm):
    class Meta:
        model = RiskFactor
        fields = ["code", "section", "text_sv", "text_en", "position", "is_active"]


# ---------------------------------------------------------------- alarm events

class AcknowledgeForm(forms.Form):
    note = _text(_("What was done"), rows=3,
                 help_text=_("For example: called the official, alerted the police, false alarm."))
