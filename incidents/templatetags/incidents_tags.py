from django import template

register = template.Library()


@register.simple_tag
def options(prepared, selected=None):
    """The <option> elements of a `core.widgets.PreparedOptions`, `selected` selected."""
    return prepared.html(selected)
