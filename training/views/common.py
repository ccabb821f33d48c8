from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from core.forms import message_of

from ..forms import CancelForm

T = TypeVar("T")


def flash(request: HttpRequest, call: Callable[[], T], success: str | Callable[[T], str]) -> T | None:
    """Run a button's service and say how it went: its refusal (a ValidationError) as an error
    message, else `success` (a text, or one made from the service's result). Returns the result,
    or None when the service refused."""
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, message_of(exc))
        return None
    messages.success(request, success if isinstance(success, str) else success(result))
    return result


def cancel_reason(request: HttpRequest) -> str:
    """The optional reason posted with a cancel button."""
    form = CancelForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


def calendar_response(name: str, content: str, mimetype: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=f"{mimetype}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
