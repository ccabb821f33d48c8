"""The period (and format) of a follow-up report."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from .models import ExportKind
from .periods import EARLIEST, MAX_DAYS, Period

YEARS_BACK = 8


def year_choices(today: dt.date | None = None) -> list[tuple[int, str]]:
    today = today or timezone.localdate()
    return [(y, str(y)) for y in range(today.year, today.year - YEARS_BACK, -1)]


class PeriodForm(forms.Form):
    """A calendar year, or (when both dates are given) any period of up to three years."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=(), required=False)
    start = forms.DateField(label=_("Or from"), required=False, widget=DateInput(),
                            help_text=_("Leave both dates empty for the whole year."))
    end = forms.DateField(label=_("to"), required=False, widget=DateInput())

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        cast(forms.TypedChoiceField, self.fields["year"]).choices = year_choices(self.today)
        self.fields["year"].initial = self.today.year
        for name in ("start", "end"):
            self.fields[name].widget.attrs.update({"min": EARLIEST.isoformat(),
                                                   "max": dt.date(self.today.year, 12, 31).isoformat()})

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if bool(start) != bool(end):
            self.add_error("end" if start else "start", _("Give both dates, or neither for the whole year."))
            return data
        if start and end:
            if end < start:
                self.add_error("end", _("The period must end on or after the day it starts."))
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error("end", _("A report covers at most three years."))
            elif start < EARLIEST:
                self.add_error("start", _("Choose a date in %(year)s or later.") % {"year": EARLIEST.year})
            elif end > dt.date(self.today.year, 12, 31):
                self.add_error("end", _("Choose a date no later than the end of this year."))
        return data

    def period(self) -> Period:
        """The chosen period (the current year when the form is unbound or empty)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound and self.is_valid() else {}
        if data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        return Period.year(data.get("year") or self.today.year)


class ExportForm(PeriodForm):
    kind = forms.ChoiceField(label=_("Format"), choices=ExportKind.choices, initial=ExportKind.PDF,
                             widget=forms.RadioSelect)

    field_order = ["kind", "year", "start", "end"]
