from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DateTimeInput
from core.widgets import QuickSelect
from officials.models import Official

from . import permissions as perms
from .evidence import check_upload, max_bytes
from .models import (
    CaseContact,
    Channel,
    Kind,
    Priority,
    Report,
    SupportOffer,
    YesNoUnsure,
)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; each is checked by content (see `incidents.evidence`) and every
    refusal is reported by name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        errors = []
        checked = []
        limit = max_bytes()
        for upload in files[:20]:
            try:
                check_upload(upload, limit=limit)
                checked.append(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if len(files) > 20:
            errors.append(_("Attach at most 20 files at a time."))
        if errors:
            errors.append(_("Nothing else you wrote has been lost: choose the files again and send."))
            raise ValidationError(errors)
        return checked


def _official_label(official) -> str:
    return f"{official.full_name} ({official.party.abbreviation})" if official.party_id else official.full_name


def _evidence_help() -> str:
    return _("Screenshots, photos, letters (PDF), recordings, e-mails or text, at most %(mb)s MB each. "
             "Programs and SVG images are not accepted.") % {"mb": max_bytes() // (1024 * 1024)}


class OfficialsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Official) -> str:
        return _official_label(obj)


@dataclass(frozen=True)
class Found:
    """An official found by name on the report form, with the query string that chooses them."""

    official: Official
    choose_query: str


class ReportForm(forms.Form):
    officials = OfficialsField(
        label=_("Who is the report about?"), queryset=Official.objects.none(),
        help_text=_("Choose one or more officials. Hold Ctrl (or Cmd) to choose several."))
    kinds = forms.MultipleChoiceField(label=_("What happened?"), choices=Kind.choices,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("Choose every kind that fits."))
    occurred_at = forms.DateTimeField(label=_("When did it happen?"), required=False, widget=DateTimeInput(),
                                      help_text=_("Give the date and time, or a period below if it went on "
                                                  "over time."))
    period_start = forms.DateField(label=_("Over a period: from"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Over a period: to"), required=False, widget=DateInput())
    severity = forms.ChoiceField(label=_("Near miss or incident?"), choices=Report.Severity.choices,
                                 initial=Report.Severity.INCIDENT, widget=forms.RadioSelect,
                                 help_text=_("A near miss is something that could have led to harm. Anything "
                                             "that caused injury is always an incident."))
    injury = forms.BooleanField(label=_("Someone was injured"), required=False)
    channel = forms.ChoiceField(label=_("How or where did it reach you?"),
                                choices=[("", _("Choose…")), *Channel.choices])
    place = forms.CharField(label=_("Place"), required=False, max_length=200,
                            help_text=_("For example a street, a meeting or a web address."))
    description = forms.CharField(label=_("Describe what happened"), widget=forms.Textarea(attrs={"rows": 6}),
                                  max_length=20000)
    linked_to_assignment = forms.ChoiceField(
        label=_("Do you think it is linked to the assignment?"), choices=YesNoUnsure.choices,
        initial=YesNoUnsure.UNSURE, widget=forms.RadioSelect)
    hate_crime_motive = forms.ChoiceField(
        label=_("Could the motive be hatred of a group (hate crime)?"), choices=Report.HateMotive.choices,
        initial=Report.HateMotive.NONE)
    police_reported = forms.BooleanField(label=_("I have reported it to the police"), required=False)
    police_report_date = forms.DateField(label=_("Date of the police report"), required=False, widget=DateInput())
    police_reference = forms.CharField(label=_("The police's reference number"), required=False, max_length=40)
    attachments = MultipleFileField(label=_("Attach evidence"))

    # Who files for others chooses among all their officials when they are this few (a party
    # office); more (the security unit: every official there is) are found by name instead.
    LIST_UP_TO = 200
    FOUND_UP_TO = 50

    def __init__(self, *args, user, chosen=(), search: str = "", **kwargs):
        """`chosen` and `search`: the officials already chosen and the name searched for, from the
        query string, when the officials are found by name (`search_mode`)."""
        super().__init__(*args, **kwargs)
        self.user = user
        qs = perms.fileable_officials(user).order_by("last_name", "first_name", "pk")
        officials = self.fields["officials"]
        assert isinstance(officials, OfficialsField)
        officials.queryset = qs
        self.fields["attachments"].help_text = _evidence_help()
        own = perms.own_official(user)
        if own is not None and not perms.may_file_for(user, [own]):
            own = None
        self.files_for_others = perms.is_security_unit(user) or bool(perms.party_contact_party_id(user))
        if not self.files_for_others:
            self.fields["officials"].widget = forms.MultipleHiddenInput()
            self.fields["officials"].required = False
        if own is not None:
            self.fields["officials"].initial = [own.pk]
        if self.files_for_others and not self.is_bound and chosen:
            self.fields["officials"].initial = list(chosen)
        self.own_official = own
        self._query = (qs, chosen, search.strip()[:100])
        if self.files_for_others:  # read when the field is shown, not when a valid form is saved
            self.fields["officials"].widget.choices = lambda: self._shown["choices"]
        for name in ("place", "police_reference"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    @property
    def search_mode(self) -> bool:
        return self.files_for_others and self._shown["search_mode"]

    @cached_property
    def _shown(self) -> dict:
        """The options of `officials`: all when few; otherwise those chosen (from the query string,
        or as sent) and, as `found`, those whose name matches the search. The choice is validated
        against all the officials the person may file for, whatever is shown."""
        qs, chosen, search = self._query
        first = list(qs[:self.LIST_UP_TO + 1])
        if len(first) <= self.LIST_UP_TO:
            return {"search_mode": False, "choices": [(o.pk, _official_label(o)) for o in first]}
        ids = (self.data.getlist("officials") if hasattr(self.data, "getlist") else self.data.get("officials", [])
               ) if self.is_bound else chosen
        ids = [int(pk) for pk in ids if str(pk).isdigit()][:20]
        picked = list(qs.filter(pk__in=ids)) if ids else []
        found = []
        if search:
            words = Q()
            for word in search.split()[:4]:
                words &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
            for official in qs.filter(words).exclude(pk__in=[o.pk for o in picked])[:self.FOUND_UP_TO]:
                query = urlencode([("official", o.pk) for o in picked] + [("official", official.pk)])
                found.append(Found(official, query))
        return {"search_mode": True, "choices": [(o.pk, _official_label(o)) for o in picked], "chosen": picked,
                "found": found, "search": search}

    @property
    def chosen(self) -> list:
        return self._shown.get("chosen", [])

    @property
    def found(self) -> list[Found]:
        return self._shown.get("found", [])

    @property
    def search(self) -> str:
        return self._shown.get("search", "")

    def clean_officials(self):
        chosen = list(self.cleaned_data.get("officials") or [])
        if not chosen and self.own_official is not None and not self.files_for_others:
            chosen = [self.own_official]
        if not chosen:
            raise ValidationError(_("Choose the official the report is about."))
        return chosen

    def clean(self):
        data = super().clean()
        occurred_at, start, end = data.get("occurred_at"), data.get("period_start"), data.get("period_end")
        now = timezone.now()
        if not occurred_at and not start and "occurred_at" not in self.errors:
            self.add_error("occurred_at", _("Give when it happened, or the period it went on."))
        if occurred_at and occurred_at > now + timedelta(minutes=5):
            self.add_error("occurred_at", _("The time cannot be in the future."))
        if end and not start:
            self.add_error("period_start", _("Give when the period started."))
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        if start and start > timezone.localdate():
            self.add_error("period_start", _("The period cannot start in the future."))
        if data.get("injury"):
            data["severity"] = Report.Severity.INCIDENT
        if not data.get("police_reported"):
            data["police_report_date"], data["police_reference"] = None, ""
        return data


class PerpetratorForm(forms.Form):
    known = forms.TypedChoiceField(
        label=_("Do you know who it is?"), choices=[("0", _("No, unknown")), ("1", _("Yes, known"))],
        coerce=lambda v: v == "1", initial="0", widget=forms.RadioSelect, required=False)
    name = forms.CharField(label=_("Name"), required=False, max_length=150)
    alias = forms.CharField(label=_("Alias or signature"), required=False, max_length=150)
    handle = forms.CharField(label=_("Account or profile (e.g. @name)"), required=False, max_length=150)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=40,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))

    def has_content(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return any(data.get(k) for k in ("name", "alias", "handle", "phone", "email")) or bool(data.get("known"))


PerpetratorFormSet = forms.formset_factory(PerpetratorForm, extra=2, max_num=5, validate_max=True)


class EvidenceForm(forms.Form):
    attachments = MultipleFileField(label=_("Add evidence"))
    confidential = forms.BooleanField(label=_("Security unit only"), required=False)

    def __init__(self, *args, show_confidential: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].required = True
        self.fields["attachments"].help_text = _evidence_help()
        if not show_confidential:
            del self.fields["confidential"]

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if not files:
            raise ValidationError(_("Choose a file to attach."))
        return files


def _handler_choices(handlers, blank_label):
    return [("", blank_label)] + [(str(u.pk), u.display_name()) for u in handlers]


class TriageForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    handler = forms.ChoiceField(label=_("Handler"), required=False)

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.handlers = {str(u.pk): u for u in handlers}
        self.fields["handler"].choices = _handler_choices(handlers, _("Not assigned"))

    def clean_handler(self):
        value = self.cleaned_data.get("handler")
        return self.handlers.get(value) if value else None


class OpenCaseForm(forms.Form):
    title = forms.CharField(label=_("Short title"), required=False, max_length=150,
                            help_text=_("For the security unit's lists; never sent by e-mail."))
    official = forms.ChoiceField(label=_("The case's official"))

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.officials = {str(o.pk): o for o in report.affected_officials.all()}
        self.fields["official"].choices = [(pk, o.full_name) for pk, o in self.officials.items()]

    def clean_official(self):
        return self.officials[self.cleaned_data["official"]]


class JoinCaseForm(forms.Form):
    case = forms.ChoiceField(label=_("Case to join"))

    def __init__(self, *args, suggested, rest, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = {str(c.pk): c for c in [*suggested, *rest]}

        def label(c):
            return f"{c.reference} · {c.official.full_name}{' · ' + c.title if c.title else ''}"

        choices = [("", _("Choose a case…"))]
        if suggested:
            choices.append((_("Suggested"), [(str(c.pk), label(c)) for c in suggested]))
        if rest:
            choices.append((_("Other open cases"), [(str(c.pk), label(c)) for c in rest]))
        self.fields["case"].choices = choices

    def clean_case(self):
        return self.cases[self.cleaned_data["case"]]


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), widget=QuickSelect)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=2000)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices


class AssignForm(forms.Form):
    handler = forms.ChoiceField(label=_("Handler"), widget=QuickSelect)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, widget=QuickSelect)

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.handlers = {str(u.pk): u for u in handlers}
        self.fields["handler"].choices = _handler_choices(handlers, _("Not assigned"))
        self.fields["handler"].required = False

    def clean_handler(self):
        value = self.cleaned_data.get("handler")
        return self.handlers.get(value) if value else None


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    confidential = forms.BooleanField(label=_("Security unit only (hidden from the official and the party office)"),
                                      required=False, initial=True)


class ContactForm(forms.Form):
    with_whom = forms.ChoiceField(label=_("Contact with"), choices=CaseContact.With.choices, widget=QuickSelect)
    way = forms.ChoiceField(label=_("How"), choices=CaseContact.Way.choices, widget=QuickSelect)
    contacted_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput(), required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
    confidential = forms.BooleanField(label=_("Security unit only"), required=False)
    next_contact_on = forms.DateField(label=_("Next contact with the official"), required=False, widget=DateInput())

    def clean_next_contact_on(self):
        value = self.cleaned_data.get("next_contact_on")
        if value and value < timezone.localdate():
            raise ValidationError(_("The next contact cannot be in the past."))
        return value


class MunicipalityViewForm(forms.Form):
    """The security unit's side of the joint judgement of the link to the assignment."""

    municipality_view = forms.ChoiceField(label=_("The municipality's view: is it linked to the assignment?"),
                                          choices=YesNoUnsure.choices, widget=QuickSelect)
    official_view = forms.ChoiceField(label=_("The official's view, as the official gave it"),
                                      choices=YesNoUnsure.choices, widget=QuickSelect)
    reasoning = forms.CharField(label=_("The municipality's comment"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    confidential = forms.BooleanField(label=_("Comment for the security unit only (hidden from the official and the "
                                              "party office)"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "link_%s")
        super().__init__(*args, **kwargs)


class PartyViewForm(forms.Form):
    """The party office's side of the joint judgement of the link to the assignment."""

    party_view = forms.ChoiceField(label=_("The party's view: is it linked to the assignment?"),
                                   choices=YesNoUnsure.choices, widget=QuickSelect)
    comment = forms.CharField(label=_("The party's comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=5000, help_text=_("Seen by the security unit and the official."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "party_%s")
        super().__init__(*args, **kwargs)


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Support"), choices=SupportOffer.Kind.choices, widget=QuickSelect)
    answer = forms.ChoiceField(label=_("Answer"), choices=SupportOffer.Answer.choices, widget=QuickSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class PoliceReportForm(forms.Form):
    report = forms.ChoiceField(label=_("Report"), widget=QuickSelect)
    reported_on = forms.DateField(label=_("Reported on"), widget=DateInput())
    reference = forms.CharField(label=_("Police reference number"), max_length=40)
    helped = forms.BooleanField(label=_("The security unit helped file it"), required=False)

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.reports = {str(r.pk): r for r in reports}
        self.fields["report"].choices = [(pk, r.reference) for pk, r in self.reports.items()]

    def clean_report(self):
        return self.reports[self.cleaned_data["report"]]

    def clean_reported_on(self):
        value = self.cleaned_data["reported_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class TitleForm(forms.Form):
    title = forms.CharField(label=_("Short title"), required=False, max_length=150)


class CampaignGroupForm(forms.Form):
    campaign = forms.ChoiceField(label=_("Add to campaign"), required=False, widget=QuickSelect)
    name = forms.CharField(label=_("Or start a new campaign named"), required=False, max_length=150)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  max_length=5000)

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaigns = {str(c.pk): c for c in campaigns}  # selectors.campaigns_to_offer
        self.fields["campaign"].choices = [("", _("Choose…"))] + [(pk, c.name) for pk, c in self.campaigns.items()]

    def clean(self):
        data = super().clean()
        data["campaign"] = self.campaigns.get(data.get("campaign") or "")
        if not data["campaign"] and not data.get("name", "").strip():
            raise ValidationError(_("Choose a campaign or give a name for a new one."))
        return data
