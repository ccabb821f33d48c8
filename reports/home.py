"""The follow-up reports line on the home page (registered through `core.hooks` in `apps.py`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.hooks import Panel

from . import permissions as perms
from . import selectors


def reports_panel(user: User) -> Panel | None:
    scope = perms.export_scope(user)
    if scope is None:
        return None
    panel = Panel(_("Follow-up reports"))
    year = timezone.localdate().year
    if scope.is_party:
        text = _("Export the follow-up report %(year)s for %(party)s's members") % {"year": year,
                                                                                     "party": scope.party_name}
    else:
        text = _("Export the follow-up report %(year)s as PDF, CSV or XLSX") % {"year": year}
    panel.lines.append((text, reverse("reports:export-list")))
    latest = selectors.latest_export(user)
    if latest is not None:
        panel.lines.append((_("Your latest export: %(ref)s, %(status)s") % {
            "ref": latest.reference, "status": latest.get_status_display()},
            reverse("reports:export-detail", args=[latest.pk])))
    return panel
