from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# A queue page repeats the same short lists in every row, where a template loop over them costs
# most of the page's time: these build the <option> elements in Python.


@register.simple_tag
def user_options(users, selected_id=None):
    """`<option>` elements for users, the one with `selected_id` selected."""
    return format_html_join("", "<option value=\"{}\"{}>{}</option>", (
        (str(u.pk), mark_safe(" selected") if u.pk == selected_id else "", u.display_name()) for u in users))


@register.simple_tag
def choice_options(choices, selected=""):
    """`<option>` elements for (value, label) pairs, the one whose value is `selected` selected."""
    return format_html_join("", "<option value=\"{}\"{}>{}</option>", (
        (value, mark_safe(" selected") if value == selected else "", label) for value, label in choices))
