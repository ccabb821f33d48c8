from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import DateInput, TimeInput
from officials.models import Body, Official

from . import permissions as perms
from .models import (
    PARTY_JUDGEMENTS,
    BodyRiskAnalysis,
    Judgement,
    Level,
    PartyRiskAnalysis,
    Phase,
    RiskLevel,
)

SHARED_HELP = _("Shared with the party offices of the members taking part: describe people by role, not by name.")


class OfficialsField(forms.ModelMultipleChoiceField):
    """Officials chosen in a list eight rows high, by name ("Last, First"), with their party's
    abbreviation when `with_party`. The form sets who may be chosen (`queryset`)."""

    def __init__(self, *, with_party: bool = False, **kwargs: Any) -> None:
        self.with_party = with_party
        super().__init__(queryset=Official.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8}), **kwargs)

    def label_from_instance(self, obj: Official) -> str:
        label = f"{obj.last_name}, {obj.first_name}"
        return f"{label} ({obj.party.abbreviation})" if self.with_party and obj.party else label


def _place() -> forms.CharField:
    return forms.CharField(label=_("Place"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))


# ---------------------------------------------------------------- party analyses


class PartyAnalysisForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of assignment?"), choices=PartyRiskAnalysis.Kind.choices,
                             widget=forms.RadioSelect)
    title = forms.CharField(label=_("What"), max_length=150,
                            help_text=_("A short description, e.g. \"Debate on the new asylum housing\"."))
    occurs_on = forms.DateField(label=_("Date"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), required=False, widget=DateInput(),
                              help_text=_("For travel or events over several days."))
    place = _place()
    members = OfficialsField(
        label=_("Members involved"),
        help_text=_("Your party's members who take part. Hold Ctrl (or Cmd) to choose several."))
    risks = forms.CharField(label=_("Identified risks"), required=False, max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("Who or what could cause harm, and how. Known persons, earlier incidents, "
                                        "how the assignment has been announced."))
    measures_taken = forms.CharField(label=_("Measures taken"), required=False, max_length=10000,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label=_("Other information"), required=False, max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: User, analysis: PartyRiskAnalysis | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(OfficialsField, self.fields["members"]).queryset = perms.selectable_members(user, analysis)

    def clean(self):
        data = super().clean()
        occurs_on, ends_on = data.get("occurs_on"), data.get("ends_on")
        if occurs_on and ends_on and ends_on < occurs_on:
            self.add_error("ends_on", _("The last day cannot be before the first."))
        return data


class PartyAnalysisCreateForm(PartyAnalysisForm):
    judgement = forms.ChoiceField(
        label=_("Your judgement of the risk"), required=False, widget=forms.RadioSelect, initial="",
        choices=[("", _("Not judged yet (save as a draft)")), *Judgement.choices],
        help_text=_("If the risk cannot be judged within the party, the analysis goes to the security unit."))
    question = forms.CharField(
        label=_("What do you need the security unit to assess?"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the risk cannot be judged within the party."))

    def clean(self):
        data = super().clean()
        if data.get("judgement") == Judgement.CANNOT_JUDGE and not (data.get("question") or "").strip():
            self.add_error("question", _("Tell the security unit what you need it to assess."))
        return data


class JudgeForm(forms.Form):
    judgement = forms.ChoiceField(label=_("Your judgement of the risk"), widget=forms.RadioSelect,
                                  choices=[(v, label) for v, label in Judgement.choices if v in PARTY_JUDGEMENTS])


class EscalateForm(forms.Form):
    question = forms.CharField(label=_("What do you need the security unit to assess?"), max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("E.g. the assignment went well, or it was cancelled."))


class AnswerForm(forms.Form):
    advice = forms.CharField(label=_("Advice to the party"), max_length=20000,
                             widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("Your assessment and the measures you advise. The party's security "
                                         "contacts read it."))
    risk_level = forms.ChoiceField(label=_("Risk level"), required=False,
                                   choices=[("", _("Not stated")), *RiskLevel.choices])
    case = forms.ChoiceField(label=_("Link to a case"), required=False,
                             help_text=_("An open case about one of the members, if the analysis belongs with it."))

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = {str(c.pk): c for c in cases}
        self.fields["case"].choices = [("", _("No case"))] + [
            (pk, f"{c.reference} · {c.official.full_name}") for pk, c in self.cases.items()]

    def clean_case(self):
        value = self.cleaned_data.get("case")
        return self.cases.get(value) if value else None


# ---------------------------------------------------------------- body analyses


class BodyAnalysisForm(forms.Form):
    activity = forms.ChoiceField(label=_("Activity"), choices=BodyRiskAnalysis.Activity.choices,
                                 widget=forms.RadioSelect)
    title = forms.CharField(label=_("What"), max_length=150,
                            help_text=_("E.g. \"Committee meeting on the school closures\"."))
    occurs_on = forms.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Starts at"), required=False, widget=TimeInput())
    place = _place()
    participants = OfficialsField(
        label=_("Elected officials taking part"), with_party=True, required=False,
        help_text=_("The body's members who take part. Their party offices see the analysis once it is ready. "
                    "Hold Ctrl (or Cmd) to choose several."))
    other_participants = forms.CharField(label=_("Others taking part"), required=False, max_length=300,
                                         help_text=_("By role, e.g. \"the public, about 50 people; two officers\"."))
    risks = forms.CharField(label=_("Risks"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=SHARED_HELP)
    consequences = forms.CharField(label=_("Consequences"), required=False, max_length=10000,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("What would happen to the officials, staff, the public and the "
                                               "activity if the risks came true."))
    likelihood = forms.ChoiceField(label=_("Likelihood"), required=False, widget=forms.RadioSelect, initial="",
                                   choices=[("", _("Not judged yet")), *Level.choices])
    consequence = forms.ChoiceField(label=_("Consequence"), required=False, widget=forms.RadioSelect, initial="",
                                    choices=[("", _("Not judged yet")), *Level.choices])
    measures = forms.CharField(label=_("Measures"), required=False, max_length=10000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("What is done to make the activity safe, and by which role."))

    def __init__(self, *args: Any, body: Body, analysis: BodyRiskAnalysis | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(OfficialsField, self.fields["participants"]).queryset = perms.selectable_participants(body, analysis)


class FollowUpForm(forms.Form):
    follow_up = forms.CharField(label=_("How did it go?"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("Did anything happen? Report incidents to the security unit as well. "
                                            "What should be done differently next time?"))


class ChecklistForm(forms.Form):
    """One row per checklist item in use: done, by which role, a note. Field names carry the item's
    id; the template renders them in a table with one fieldset-like row per item."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in rows:
            if row.item is None:
                continue
            pk, check = row.item.pk, row.check
            self.fields[f"done_{pk}"] = forms.BooleanField(
                label=_("Done: %(item)s") % {"item": row.item.text}, required=False,
                initial=bool(check and check.done))
            self.fields[f"role_{pk}"] = forms.CharField(
                label=_("Done by (role)"), required=False, max_length=100,
                initial=(check.done_by_role if check and check.done else row.item.responsible_role))
            self.fields[f"note_{pk}"] = forms.CharField(label=_("Note"), required=False, max_length=300,
                                                        initial=check.note if check else "")
            self.rows.append((row, self[f"done_{pk}"], self[f"role_{pk}"], self[f"note_{pk}"]))

    def entries(self):
        from .services import CheckEntry

        return [CheckEntry(item=row.item, done=self.cleaned_data[f"done_{row.item.pk}"],
                           done_by_role=self.cleaned_data[f"role_{row.item.pk}"],
                           note=self.cleaned_data[f"note_{row.item.pk}"]) for row, *_ in self.rows]


class ChecklistItemForm(forms.Form):
    phase = forms.ChoiceField(label=_("When"), choices=Phase.choices)
    text = forms.CharField(label=_("What to do"), max_length=300)
    responsible_role = forms.CharField(label=_("Responsible role"), max_length=100,
                                       help_text=_("A role, not a person, e.g. \"Committee secretary\"."))
    position = forms.IntegerField(label=_("Order"), required=False, min_value=0, max_value=32000,
                                  help_text=_("Within before, during and after, items are listed by this number, lowest first."))
