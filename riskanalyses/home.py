"""The risk-analysis panels on the home page (counts and links only)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.hooks import Panel

from . import permissions as perms
from . import selectors


def security_unit_panel(user) -> Panel | None:
    counts = selectors.counts_for_home(user)
    if "escalated" not in counts:
        return None
    n = counts["escalated"]
    panel = Panel(_("Risk analyses"))
    panel.lines.append((ngettext("%(n)s escalated risk analysis waits for your answer",
                                 "%(n)s escalated risk analyses wait for your answer", n) % {"n": n},
                        reverse("riskanalyses:party-analysis-list") + "?status=escalated"))
    panel.lines.append((_("Committees' and companies' activity analyses"), reverse("riskanalyses:body-analysis-list")))
    return panel


def party_panel(user) -> Panel | None:
    if not perms.contact_party_id(user):
        return None
    counts = selectors.counts_for_home(user)
    panel = Panel(_("Risk analyses before assignments"))
    n = counts["party_unjudged_soon"]
    panel.lines.append((ngettext("%(n)s analysis of the next two weeks is not judged yet",
                                 "%(n)s analyses of the next two weeks are not judged yet", n) % {"n": n},
                        reverse("riskanalyses:party-analysis-list") + "?status=draft&when=upcoming"))
    n = counts["party_answered"]
    panel.lines.append((ngettext("%(n)s analysis answered by the security unit",
                                 "%(n)s analyses answered by the security unit", n) % {"n": n},
                        reverse("riskanalyses:party-analysis-list") + "?status=answered"))
    n = counts["shared_upcoming"]
    panel.lines.append((ngettext("%(n)s upcoming committee or company activity with your members",
                                 "%(n)s upcoming committee or company activities with your members", n) % {"n": n},
                        reverse("riskanalyses:body-analysis-list") + "?when=upcoming"))
    panel.lines.append((_("Record a risk analysis"), reverse("riskanalyses:party-analysis-create")))
    return panel


def body_panel(user) -> Panel:
    panel = Panel(_("Your body's risk analyses"))
    if not perms.officer_body_id(user):
        panel.lines.append((_("Your account is not linked to a committee or company. Ask the administrator to "
                              "link it."), None))
        return panel
    counts = selectors.counts_for_home(user)
    n = counts["body_draft_soon"]
    panel.lines.append((ngettext("%(n)s analysis of the next two weeks is still a draft",
                                 "%(n)s analyses of the next two weeks are still drafts", n) % {"n": n},
                        reverse("riskanalyses:body-analysis-list") + "?status=draft&when=upcoming"))
    n = counts["body_to_follow_up"]
    panel.lines.append((ngettext("%(n)s activity to follow up", "%(n)s activities to follow up", n) % {"n": n},
                        reverse("riskanalyses:body-analysis-list") + "?status=ready&when=past"))
    panel.lines.append((_("Record an activity risk analysis"), reverse("riskanalyses:body-analysis-create")))
    panel.lines.append((_("Our checklist"), reverse("riskanalyses:checklist-mine")))
    return panel


def administrator_panel(user) -> Panel:
    return Panel(_("Risk analyses"), [(_("Checklist template for committees and companies"),
                                       reverse("riskanalyses:template-list"))])
