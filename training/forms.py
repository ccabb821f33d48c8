from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from core.dates import format_datetime
from core.forms import DateInput
from officials.models import Official

from .models import CollaborationMeeting, Course, ExtraElection, Session, TargetGroup

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label, required=True, help_text=""):
    return forms.DateTimeField(
        label=label, required=required, help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


def _date_field(label, required=True, initial=None, help_text=""):
    return forms.DateField(label=label, required=required, initial=initial, help_text=help_text, widget=DateInput())


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


def active_officials():
    today = timezone.localdate()
    return Official.objects.filter(
        id__in=Official.objects.active(today).values("id")
    ).only("id", "first_name", "last_name").order_by("last_name", "first_name", "id")


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "description", "kind", "format", "target_group", "web_url", "is_active"]


class OfferForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.filter(is_active=True))
    title = forms.CharField(label=_("Title"), max_length=200)
    target_group = forms.ChoiceField(label=_("Target group"), choices=TargetGroup.choices)
    opens_on = _date_field(_("Open from"))
    closes_on = _date_field(_("Open until"))
    required = forms.BooleanField(label=_("Required for covered officials (KL 4:18a)"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The offer must close on or after the day it opens."))
        return data


class SessionForm(forms.Form):
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    place = forms.CharField(label=_("Place"), max_length=200)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000, initial=20)
    estimated_cost_sek = forms.IntegerField(
        label=_("Estimated cost (SEK)"), min_value=0, max_value=100_000_000, required=False,
        help_text=_("Trainer, room and the like: counts against the training budget until a cost is booked."))

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The session must end after it starts."))
        return data


class EnrolOfficialForm(forms.Form):
    official = OfficialChoiceField(label=_("Official"), queryset=Official.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = active_officials()


class CompletionForm(EnrolOfficialForm):
    completed_on = _date_field(_("Completed on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate()


class AddOfficialForm(EnrolOfficialForm):
    """Someone to add to an offer's target group."""


class TrainingCostForm(forms.Form):
    amount_sek = forms.IntegerField(label=_("Amount (SEK)"), min_value=1, max_value=100_000_000)
    booked_on = _date_field(_("Booked on"), help_text=_("The cost counts against this date's budget year."))
    session = forms.ModelChoiceField(label=_("Session (optional)"), required=False, queryset=Session.objects.none(),
                                     help_text=_("A cost booked on a session replaces its estimate."))
    note = forms.CharField(label=_("Invoice or note"), max_length=150, required=False)

    def __init__(self, *args, offer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booked_on"].initial = timezone.localdate()
        if offer is not None:
            self.fields["session"].queryset = offer.sessions.order_by("starts_at", "id")
        self.fields["session"].label_from_instance = lambda s: f"{format_datetime(s.starts_at)}, {s.place}"


class PlannerRunForm(forms.Form):
    """The day to run the planner for: from a year back to a term ahead."""

    day = _date_field(_("Run for the date"))

    BACK_DAYS, AHEAD_DAYS = 366, 4 * 366

    def clean_day(self):
        day = self.cleaned_data["day"]
        today = timezone.localdate()
        first, last = today - timedelta(days=self.BACK_DAYS), today + timedelta(days=self.AHEAD_DAYS)
        if not first <= day <= last:
            raise forms.ValidationError(_("Choose a date from %(first)s to %(last)s.")
                                        % {"first": first.isoformat(), "last": last.isoformat()})
        return day


class BudgetYearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class ConversationRequestForm(EnrolOfficialForm):
    due_by = _date_field(_("Due by"))


class ConversationBookForm(forms.Form):
    booked_for = _datetime_field(_("Time"))
    duration_minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=15, max_value=480, initial=60)
    place = forms.CharField(label=_("Place"), max_length=200)


class ConversationHoldForm(forms.Form):
    held_on = _date_field(_("Held on"))
    notes = forms.CharField(label=_("Notes (security unit only)"), required=False, widget=forms.Textarea,
                            help_text=_("Never shown to the official."))


class ConversationNotesForm(forms.Form):
    notes = forms.CharField(label=_("Notes (security unit only)"), required=False, widget=forms.Textarea,
                            help_text=_("Never shown to the official."))


class MeetingCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    planned_for = _date_field(_("Planned for"))


class MeetingEditForm(forms.ModelForm):
    starts_at = _datetime_field(_("Starts"), required=False)
    ends_at = _datetime_field(_("Ends"), required=False)
    planned_for = _date_field(_("Planned for"))

    class Meta:
        model = CollaborationMeeting
        fields = ["title", "planned_for", "starts_at", "ends_at", "place", "agenda"]


class InviteeForm(forms.Form):
    organisation = forms.CharField(label=_("Organisation"), max_length=150,
                                   help_text=_("For example the police, Säpo or a party's security organisation."))
    name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    user = forms.ModelChoiceField(label=_("Or a user of Värn"), required=False, queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True, groups__name__in=[Role.PARTY_CONTACT, Role.SECURITY_HANDLER])
            .distinct().order_by("last_name", "first_name", "id"))
        self.fields["user"].label_from_instance = lambda u: u.display_name()


class MeetingHoldForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea)


class RevisionDoneForm(forms.Form):
    done_on = _date_field(_("Done on"))
    decision_reference = forms.CharField(label=_("Decision (reference number)"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ExtraElectionForm(forms.ModelForm):
    election_date = _date_field(_("Election day"))

    class Meta:
        model = ExtraElection
        fields = ["election_date", "description", "targeted_training"]
