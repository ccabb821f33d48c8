"""Form plumbing every app uses: a service's errors shown on the form, date and time inputs.

A service raises `ValidationError` (a dict names fields); the view shows it where it belongs:

    result = run_service(form, lambda: case_add_note(actor=request.user, case=case, **form.cleaned_data))
    if result is None:   # refused: the form now carries the messages, next to their fields
        return render(...)

Fields render through `templates/core/_field.html` (label, help, error tied to the input) and
lists page through `templates/core/_pagination.html`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError

T = TypeVar("T")


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has that field,
    else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def run_service(form: forms.BaseForm, call: Callable[[], T]) -> T | None:
    """Run a service; a ValidationError becomes form errors (see `apply_errors`).
    Returns the service's result, or None when it refused."""
    try:
        return call()
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


def message_of(error: ValidationError) -> str:
    """A refusal as one line, for a flash message."""
    return " ".join(str(m) for m in error.messages)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)
