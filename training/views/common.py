from django.http import HttpResponse


def calendar_response(name: str, content: str, mimetype: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=f"{mimetype}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
