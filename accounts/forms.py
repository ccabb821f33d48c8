"""Forms for account security: the second factor and the audit-trail filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.models import AuditEvent

from .selectors import object_type_choices


class AuthenticatorCodeForm(forms.Form):
    """The six-digit code from the authenticator app, to confirm enrolment."""

    code = forms.CharField(
        label=_("Code from the app"), max_length=12,
        help_text=_("The six digits your authenticator app shows now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autocapitalize": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the six digits shown in your authenticator app."))
        return code


class SecondFactorForm(forms.Form):
    """At login: a code from the authenticator app or one recovery code."""

    code = forms.CharField(
        label=_("Code"), max_length=24,
        help_text=_("The six digits from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off",
                                      "spellcheck": "false", "autofocus": True}),
    )


class AuditFilterForm(forms.Form):
    """Filters for the audit trail. Every field is optional."""

    actor = forms.CharField(label=_("Who (username or name)"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *AuditEvent.Kind.choices])
    action = forms.CharField(label=_("Action contains"), required=False, max_length=64)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    case_id = forms.CharField(label=_("Case number"), required=False, max_length=20,
                              help_text=_("For example C-00012 or 12."))
    official_id = forms.IntegerField(label=_("Official id"), required=False, min_value=1, max_value=2**62)
    date_from = forms.DateField(label=_("From date"), required=False,
                                widget=DateInput())
    date_to = forms.DateField(label=_("To date"), required=False,
                              widget=DateInput())

    FILTERS = ("actor", "kind", "action", "object_type", "object_id", "case_id", "official_id", "date_from",
               "date_to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All object types")), *object_type_choices()]
        for name in ("date_from", "date_to"):
            self.fields[name].input_formats = ["%Y-%m-%d"]

    def clean_case_id(self) -> int | None:
        raw = self.cleaned_data["case_id"].strip().upper().removeprefix("C-").removeprefix("C")
        if not raw:
            return None
        if not raw.isdigit() or not 0 < int(raw) < 2**62:
            raise forms.ValidationError(_("Enter a case number such as C-00012 or 12."))
        return int(raw)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned

    def filters(self) -> dict:
        """The filled-in filters, as keyword arguments for `selectors.audit_events`."""
        values = {name: self.cleaned_data.get(name) for name in self.FILTERS}
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items() if v not in (None, "")}

    def summary(self) -> str:
        """The filters in words for the export's audit row (no private data: ids and codes only)."""
        return "; ".join(f"{k}={v}" for k, v in self.filters().items())
