from django import template

register = template.Library()


@register.filter
def sek(value) -> str:
    """Whole kronor with a non-breaking space between thousands: 2 000 000."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return "–" if value in (None, "") else str(value)
    return f"{number:,}".replace(",", "\u00a0")
