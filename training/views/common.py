from django.core.exceptions import ValidationError
from django.http import HttpResponse


def apply(form, call):
    """Run a service; a ValidationError becomes form errors (tied to fields where it names one).
    Returns the service's result, or None when it refused."""
    try:
        return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


def message_of(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def calendar_response(name: str, content: str, mimetype: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=f"{mimetype}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
