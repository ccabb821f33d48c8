"""The active policy's texts for any template (see `accounts.policy_texts`):

    {% load policy_tags %}
    {% kind_definitions form.kinds.field.choices as definitions %}
    {% conversation_promise official.is_covered %}
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from accounts import policy_texts
from accounts.models import Policy

register = template.Library()


@register.simple_tag
def kind_definitions(choices: Iterable[tuple[Any, Any]]) -> list[dict[str, str]]:
    return policy_texts.kind_definitions(Policy.current(), choices)


@register.simple_tag
def conversation_promise(covered: bool) -> str:
    return policy_texts.conversation_promise(Policy.current(), covered=bool(covered))
