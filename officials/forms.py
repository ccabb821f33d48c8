"""Forms of the officials registry. They validate input only; the views hand the cleaned data to
`officials.services`, which do every write."""

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from core.dates import format_date
from core.forms import DateInput
from core.widgets import QuickSelect

from .models import Assignment, Body, Consent, Official, Party

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{4,30}$")


def _not_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))


def _phone(value):
    if value and not PHONE_RE.match(value):
        raise ValidationError(_("Enter a phone number with digits, spaces, dashes and an optional leading +."))


def _body_choices() -> list[tuple]:
    return [("", _("All bodies")), *Body.objects.order_by("kind", "name").values_list("pk", "name")]


class OfficialFilterForm(forms.Form):
    """Search and filters of the registry list. Deliberately no party filter (special category)."""

    YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]

    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    # Thousands of bodies in a national service: the choices are read as (id, name) pairs, not
    # as model instances, and rendered without a template per option.
    body = forms.TypedChoiceField(label=_("Body"), required=False, coerce=int, empty_value=None,
                                  widget=QuickSelect)
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("All roles")), *Assignment.Role.choices])
    covered = forms.ChoiceField(label=_("Covered by KL 4:18a"), required=False, choices=YES_NO)
    active = forms.ChoiceField(label=_("Active"), required=False, choices=YES_NO)
    attention = forms.ChoiceField(label=_("Needs attention"), required=False, choices=[
        ("", _("All")), ("phone_requested", _("Asks for a municipal phone")),
        ("document_awaited", _("Signed consent document awaited")),
        ("document_submitted", _("Signed consent document to check")),
    ])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = _body_choices()  # read once per form

    def filters(self) -> dict:
        """The valid filters as keyword arguments for `selectors.officials_list`; invalid ones are
        left out (and shown as errors on their fields)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        as_bool = {"yes": True, "no": False}
        return {
            "search": (data.get("q") or "").strip(),
            "body": data.get("body"),
            "role": data.get("role") or "",
            "covered": as_bool.get(data.get("covered") or ""),
            "active": as_bool.get(data.get("active") or ""),
            "attention": data.get("attention") or "",
        }


class OfficialForm(forms.ModelForm):
    """Create or edit an official. Party is set at creation and then changed through its own
    page; the municipal phone has its own workflow."""

    private_email = forms.CharField(label=_("Private e-mail"), required=False, max_length=254,
                                    validators=[EmailValidator()], widget=forms.EmailInput)
    private_phone = forms.CharField(label=_("Private phone"), required=False, max_length=40, validators=[_phone],
                                    widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))

    class Meta:
        model = Official
        fields = [
            "first_name", "last_name", "party", "user", "work_email", "work_phone", "gender", "birth_year",
            "protected_identity", "home_address", "private_phone", "private_email", "private_social",
        ]
        widgets = {
            "work_phone": forms.TextInput(attrs={"type": "tel"}),
            "home_address": forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
            "private_social": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "user": _("The login account of this official, so that they can see their data and file reports."),
            "protected_identity": _("The person has protected personal data: their home address is never "
                                    "published, even with consent."),
            "private_social": _("One account per line."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance if self.instance.pk else None
        if instance is not None:
            del self.fields["party"]
        linkable = User.objects.filter(groups__name=Role.OFFICIAL, is_active=True).filter(
            Q(official__isnull=True) | Q(official=instance) if instance else Q(official__isnull=True)
        ).order_by("last_name", "first_name", "username")
        self.fields["user"].queryset = linkable
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"
        self.fields["user"].empty_label = _("No account")
        if "party" in self.fields:
            self.fields["party"].empty_label = _("No party")
        self.fields["gender"].choices = [("", _("Not given")), *Official.Gender.choices]
        self.fields["birth_year"].widget.attrs.update({"min": 1900, "max": timezone.localdate().year})
        self.fields["work_phone"].validators.append(_phone)

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not (1900 <= year <= timezone.localdate().year - 15):
            raise ValidationError(_("Enter a birth year between 1900 and %(year)s.")
                                  % {"year": timezone.localdate().year - 15})
        return year

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("party", None)
        for name in ("home_address", "private_phone", "private_email", "private_social", "work_phone", "work_email"):
            data[name] = (data.get(name) or "").strip()
        return data


class PartyChangeForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.all(), required=False,
                                   empty_label=_("No party"))


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["body", "role", "share_percent", "designated_by_party", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}
        help_texts = {
            "share_percent": _("Full time is 100. From 40 % the official is covered by KL 4:18a."),
            "end": _("Leave empty while the assignment runs."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share_percent"].widget.attrs.update({"min": 0, "max": 100})
        self.fields["share_percent"].validators.append(MaxValueValidator(100))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        return data

    def _post_clean(self):
        # The service validates the model; the form does not build an instance without an official.
        pass


class AssignmentEndForm(forms.Form):
    end = forms.DateField(label=_("Last day of the assignment"), widget=DateInput())

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment

    def clean_end(self):
        end = self.cleaned_data["end"]
        if end < self.assignment.start:
            raise ValidationError(_("The end cannot be before the start (%(start)s).")
                                  % {"start": format_date(self.assignment.start)})
        return end


class ConsentRecordForm(forms.Form):
    """The security unit records a consent given or withdrawn on the official's behalf."""

    DECISIONS = [("given", _("Consent given")), ("withdrawn", _("Consent withdrawn"))]

    field = forms.ChoiceField(label=_("Data"), choices=Consent.Field.choices)
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DateInput(), validators=[_not_future])
    document_reference = forms.CharField(
        label=_("Signed document"), max_length=200, required=False,
        help_text=_("Reference of the signed consent form, e.g. its registration number. Required when consent "
                    "is given."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "given" and not (data.get("document_reference") or "").strip():
            self.add_error("document_reference", _("Give the signed consent document's reference."))
        return data

    @property
    def given(self) -> bool:
        return self.cleaned_data["decision"] == "given"


class OwnConsentGiveForm(forms.Form):
    """The official gives consent to publish one of their private fields."""

    decided_on = forms.DateField(label=_("Date of consent"), widget=DateInput(), validators=[_not_future])
    signed_confirmed = forms.BooleanField(
        label=_("I have signed, or will sign, the municipality's written consent form for this."),
        error_messages={"required": _("Confirm that you have signed or will sign the written consent.")},
    )


class ConsentDocumentForm(forms.Form):
    """The security unit records that the signed consent form was received on paper."""

    document_reference = forms.CharField(
        label=_("Signed document"), max_length=200,
        help_text=_("Reference of the signed consent form, e.g. its registration number."),
        error_messages={"required": _("Give the signed consent document's reference.")},
    )
    received_on = forms.DateField(label=_("Received on"), widget=DateInput(), validators=[_not_future])


class ConsentAcceptForm(forms.Form):
    """The security unit accepts the signed document the official sent in."""

    document_reference = forms.CharField(
        label=_("Reference (optional)"), max_length=200, required=False,
        help_text=_("E.g. the registration number, if the document is registered."),
    )


class ConsentRejectForm(forms.Form):
    """The security unit cannot accept the document the official sent in, and says why."""

    reason = forms.CharField(
        label=_("Why it cannot be accepted"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The official sees this on their page. Do not write private data here."),
        error_messages={"required": _("Say why the document cannot be accepted, so that the official can send "
                                      "a new one.")},
    )


class ConsentUploadForm(forms.Form):
    """The official sends in the signed consent form as a scan or photo."""

    document = forms.FileField(
        label=_("Signed consent form (scan or photo)"),
        help_text=_("PDF, JPEG, PNG or HEIC."),
        error_messages={"required": _("Choose the file with the signed consent form.")},
    )

    def __init__(self, *args: Any, max_mb: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if max_mb is not None:
            self.fields["document"].help_text = _("PDF, JPEG, PNG or HEIC, at most %(mb)s MB.") % {"mb": max_mb}
        self.fields["document"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.heic,application/pdf,image/*"


class PhoneForm(forms.Form):
    """The security unit moves the municipal phone along its workflow."""

    to = forms.ChoiceField(label=_("New state"))
    number = forms.CharField(label=_("Municipal phone number"), max_length=40, required=False, validators=[_phone],
                             widget=forms.TextInput(attrs={"type": "tel"}),
                             help_text=_("Required when the phone is issued."))

    def __init__(self, *args: Any, moves: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to"]).choices = [(v, label) for v, label in Official.MunicipalPhone.choices if v in moves]

    def clean(self):
        data = super().clean()
        if data.get("to") == Official.MunicipalPhone.ISSUED and not (data.get("number") or "").strip():
            self.add_error("number", _("Give the number of the phone that was issued."))
        return data
