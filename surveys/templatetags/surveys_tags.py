from django import template

from surveys import charts
from surveys.selectors import format_percent

register = template.Library()


@register.simple_tag
def percent(value):
    """A share in per cent, rounded: "29 %" (– when there is none)."""
    return format_percent(value)


@register.simple_tag
def inline_bar(value):
    """A small decorative bar (aria-hidden) beside a figure that is written out."""
    return charts.inline_bar(value)
