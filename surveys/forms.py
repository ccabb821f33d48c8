from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DateInput

from .models import Item, Round, SurveyType
from .services import WEEKS_OPEN, shown_answers


class RoundForm(forms.Form):
    survey_type = forms.ChoiceField(label=gettext_lazy("Survey"), choices=SurveyType.choices)
    reference_year = forms.IntegerField(
        label=gettext_lazy("Reference year"), min_value=2000, max_value=2100,
        help_text=gettext_lazy("The calendar year the questions on exposure ask about, usually last year."),
    )
    opens_on = forms.DateField(label=gettext_lazy("Opens"), widget=DateInput())
    closes_on = forms.DateField(label=gettext_lazy("Closes"), widget=DateInput(),
                                help_text=gettext_lazy("Answers are accepted until the end of this day."))

    def __init__(self, *args, round_: Round | None = None, **kwargs):
        today = timezone.localdate()
        if round_ is None:
            kwargs.setdefault("initial", {"survey_type": SurveyType.SAFETY, "reference_year": today.year - 1,
                                          "opens_on": today, "closes_on": today + timedelta(weeks=WEEKS_OPEN)})
        else:
            kwargs.setdefault("initial", {"survey_type": round_.survey_type, "reference_year": round_.reference_year,
                                          "opens_on": round_.opens_on, "closes_on": round_.closes_on})
        super().__init__(*args, **kwargs)
        if round_ is not None:
            del self.fields["survey_type"]
            if round_.invited_on:
                for name in ("opens_on", "reference_year"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Invitations have been sent: this can no longer be changed.")

    def clean(self):
        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The closing date must be on or after the opening date."))
        return data


@dataclass
class Question:
    item: Item
    field: forms.BoundField
    hint: str = ""

    @property
    def condition_items(self) -> str:
        return " ".join(self.item.condition_items)

    @property
    def condition_options(self) -> str:
        return " ".join(self.item.condition_options)


@dataclass
class Part:
    code: str
    title: str
    intro: str = ""
    questions: list[Question] = field(default_factory=list)

    @property
    def all_conditional(self) -> bool:
        return all(q.item.is_conditional for q in self.questions)


class AnswerForm(forms.Form):
    """One field per item of the round, all optional. Answers to items whose condition is not
    met are dropped (server-side skip logic), so the form works without JavaScript."""

    def __init__(self, *args, round_: Round, items: list[Item], **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        self.items = items
        for item in items:
            choices = [(o.code, o.label) for o in item.options.all()]
            if item.kind == Item.Kind.MULTIPLE:
                self.fields[item.code] = forms.MultipleChoiceField(
                    label=item.text, choices=choices, required=False, widget=forms.CheckboxSelectMultiple)
            else:
                self.fields[item.code] = forms.ChoiceField(
                    label=item.text, choices=choices, required=False, widget=forms.RadioSelect)

    def answers(self) -> dict[str, list[str]]:
        raw = {}
        for item in self.items:
            value = self.cleaned_data.get(item.code)
            raw[item.code] = list(value) if isinstance(value, list) else ([value] if value else [])
        return shown_answers(self.items, raw)

    def clean(self):
        data = super().clean()
        if not self.errors and not self.answers():
            raise forms.ValidationError(_("Answer at least one question."))
        return data

    def parts(self) -> list[Part]:
        """The questions grouped by part, each conditional question with a hint that says when to
        answer it (for those without JavaScript; with it, the page hides it until then)."""
        blocks = dict(Item.Block.choices)
        by_code = {item.code: item for item in self.items}
        parts: list[Part] = []
        previous_condition = None
        for item in self.items:
            if not parts or parts[-1].code != item.block:
                parts.append(Part(item.block, str(blocks.get(item.block, "")), self._intro(item.block)))
            condition = (tuple(item.condition_items), tuple(item.condition_options))
            hint = ""
            if item.condition_items and condition != previous_condition:
                hint = self._hint(item, by_code)
            previous_condition = condition
            parts[-1].questions.append(Question(item, self[item.code], hint))
        return parts

    def _intro(self, block: str) -> str:
        if block == Item.Block.EXPOSURE:
            return _("During %(year)s, in your capacity as an elected official …") % {
                "year": self.round.reference_year}
        return ""

    @staticmethod
    def _hint(item: Item, by_code: dict[str, Item]) -> str:
        sources = [by_code[code] for code in item.condition_items if code in by_code]
        if not sources:
            return ""
        labels = []
        for source in sources:
            for option in source.options.all():
                if option.code in item.condition_options and option.label not in labels:
                    labels.append(option.label)
        answers = get_text_list([f"“{label}”" for label in labels], _("or"))
        if len(sources) == 1:
            return _("Answer only if you answered %(answers)s to “%(question)s”.") % {
                "answers": answers, "question": sources[0].text}
        part = dict(Item.Block.choices).get(sources[0].block, "")
        return _("Answer only if you answered %(answers)s to any question in the part “%(part)s”.") % {
            "answers": answers, "part": part}
