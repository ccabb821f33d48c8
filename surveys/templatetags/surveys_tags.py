from django import template

from surveys import charts

register = template.Library()


@register.simple_tag
def inline_bar(value):
    """A small decorative bar (aria-hidden) beside a figure that is written out."""
    return charts.inline_bar(value)
