"""What the active policy says to people, in the reader's language: what an official is promised
about yearly security conversations, and the municipality's own definitions of the report kinds.
Pages use them through the `policy_tags` template library, panels and e-mails directly."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import Policy


def conversation_promise(policy: Policy, *, covered: bool) -> str:
    """What the policy promises an official (covered by KL 4:18a or not) about security
    conversations, naming the unit: yearly where the policy gives one to them (all officials,
    or the covered ones), otherwise only on request."""
    unit = policy.unit_name
    if policy.offers_yearly_conversation(covered=covered):
        return _("%(unit)s offers you a security conversation about your personal safety at least once a year, "
                 "and whenever you need one.") % {"unit": unit}
    if policy.yearly_conversations == Policy.ConversationScope.COVERED:
        return _("Under the municipality's policy, yearly security conversations are for officials covered by KL "
                 "4:18a (at least 40 per cent of full time). Ask %(unit)s for one whenever you need to talk about "
                 "your safety.") % {"unit": unit}
    return _("The municipality's policy gives no yearly security conversations. Ask %(unit)s for one whenever you "
             "need to talk about your safety.") % {"unit": unit}


def kind_definitions(policy: Policy, choices: Iterable[tuple[Any, Any]]) -> list[dict[str, str]]:
    """The policy's definition of each of `choices` (a kinds field's (code, label) pairs) that it
    defines, in the reader's language, in the form's order."""
    language = get_language() or ""
    rows = []
    for code, label in choices:
        text = policy.definition_of(str(code), language)
        if text:
            rows.append({"code": str(code), "label": str(label), "text": text})
    return rows
