"""The registry's home-page panels: the official's own data, and the security unit's lines about
the registry (registered through `core.hooks` in `apps.py`)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Policy, User
from accounts.policy_texts import conversation_promise
from core.hooks import Panel

from . import selectors


def official_panel(user: User) -> Panel:
    """The official's own data and who has read it."""
    panel = Panel(_("Your cases and data"))
    official = getattr(user, "official", None)
    if official is None:
        panel.lines.append((_("Your account is not linked to an official in the registry."), None))
        return panel
    panel.lines.append((_("See what the municipality publishes about you and manage your consents"),
                        reverse("officials:me")))
    awaiting = selectors.own_consents_awaiting(official)
    if awaiting:
        panel.lines.append((ngettext(
            "%(n)s consent waits for your signed consent form: nothing is published until the form arrives",
            "%(n)s consents wait for your signed consent forms: nothing is published until the forms arrive",
            awaiting) % {"n": awaiting}, reverse("officials:me") + "#consents-h"))
    panel.lines.append((_("See who in the municipality has read your data and your cases"),
                        reverse("accounts:my-access-log")))
    policy = Policy.current()
    panel.lines.append((_("%(unit)s: %(phone)s, %(email)s (office hours: %(hours)s)")
                        % {"unit": policy.unit_name, "phone": policy.unit_phone, "email": policy.unit_email,
                           "hours": policy.office_hours}, None))
    panel.lines.append((conversation_promise(policy, covered=official.is_covered()), None))
    return panel


def handler_lines(user: User) -> list[tuple[str, str | None]]:
    counts = selectors.attention_counts()
    url = reverse("officials:official-list")
    lines: list[tuple[str, str | None]] = []
    if counts["phone_requested"]:
        n = counts["phone_requested"]
        lines.append((ngettext("%(n)s official asks for a municipal phone",
                               "%(n)s officials ask for a municipal phone", n) % {"n": n},
                      f"{url}?attention=phone_requested"))
    if counts["document_awaited"]:
        n = counts["document_awaited"]
        lines.append((ngettext("%(n)s official has given consent on the web: signed document awaited",
                               "%(n)s officials have given consent on the web: signed document awaited", n)
                      % {"n": n}, f"{url}?attention=document_awaited"))
    if counts["document_submitted"]:
        n = counts["document_submitted"]
        lines.append((ngettext("%(n)s official has sent in a signed consent document to check",
                               "%(n)s officials have sent in signed consent documents to check", n) % {"n": n},
                      f"{url}?attention=document_submitted"))
    if not lines:
        lines.append((_("No municipal-phone requests or consent documents waiting."), None))
    return lines


def handler_panel(user: User) -> Panel:
    """The security unit's panel: the registry and what in it waits for them."""
    panel = Panel(_("Security unit"))
    panel.lines.append((_("%(count)s officials in the registry") % {"count": selectors.official_count()},
                        reverse("officials:official-list")))
    panel.lines += handler_lines(user)
    return panel
