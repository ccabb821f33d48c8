from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def sek(value) -> str:
    """Whole kronor with a non-breaking space between thousands: 300 000 (as on the measures budget)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return "–" if value in (None, "") else str(value)
    return f"{number:,}".replace(",", "\u00a0")
