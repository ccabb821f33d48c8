"""Form widgets shared by the apps."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """Django's <select>, markup for markup, written here instead of through two template
    includes per option: the case page holds some seventy options in its forms, and a filter of
    bodies at national scale some three thousand."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        selected = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        parts: list[str] = [format_html('<select name="{}"{}>', name, _attrs(final_attrs))]
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # an optgroup
                parts.append(format_html('\n  <optgroup label="{}">', option_value))
                parts.extend(_option(v, text, selected) for v, text in label)
                parts.append("\n  </optgroup>")
            else:
                parts.append(_option(option_value, label, selected))
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every part above is escaped


def _option(value: Any, label: Any, selected: set[str]) -> str:
    value = "" if value is None else str(value)
    return (f'\n  <option value="{escape(value)}"{" selected" if value in selected else ""}>'
            f"{escape(label)}</option>\n")


def _attrs(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html: in order, False left out, True as a bare name."""
    return mark_safe("".join(  # noqa: S308 — each part escaped by format_html
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items() if value is not False))


class PreparedOptions:
    """The <option> elements of a short list built once and reused in every row of a page (a
    queue with a select per row), each row only choosing which one is selected:
    `{% options prepared value %}` (incidents_tags) or `prepared.html(value)`."""

    def __init__(self, pairs: Iterable[tuple[Any, Any]]) -> None:
        self._options = [(str(value), format_html('<option value="{}">{}</option>', value, label),
                          format_html('<option value="{}" selected>{}</option>', value, label))
                         for value, label in pairs]

    def html(self, selected: Any) -> str:
        selected = "" if selected is None else str(selected)
        return mark_safe("".join(chosen if value == selected else plain  # noqa: S308 — built by format_html
                                 for value, plain, chosen in self._options))
