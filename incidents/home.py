"""The incidents panel on the home page: what needs each person's attention (counts only)."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.hooks import Panel

from . import permissions as perms
from . import selectors


def incidents_panel(user) -> Panel | None:
    counts = selectors.counts_for_home(user)
    panel = Panel(_("Incident reports and cases"))
    if perms.is_security_unit(user):
        n = counts["new_unassigned"]
        panel.lines.append((ngettext("%(n)s new unassigned report", "%(n)s new unassigned reports", n) % {"n": n},
                            reverse("incidents:triage") + "?status=new&handler=none"))
        n = counts["my_cases"]
        panel.lines.append((ngettext("%(n)s open case assigned to you", "%(n)s open cases assigned to you", n)
                            % {"n": n}, reverse("incidents:case-list") + f"?handler={user.pk}"))
    if perms.is_official(user):
        official = perms.own_official(user)
        if official is not None and official.responsibility_ended_on is not None:
            panel.lines.append((_("The municipality's responsibility for your protection ended on %(date)s.")
                                % {"date": date_format(official.responsibility_ended_on)},
                                reverse("incidents:my-cases")))
        n = counts["own_open_cases"]
        panel.lines.append((ngettext("You have %(n)s open case", "You have %(n)s open cases", n) % {"n": n},
                            reverse("incidents:my-cases")))
    if "members_open_cases" in counts:
        n = counts["members_open_cases"]
        panel.lines.append((ngettext("%(n)s open case of your party's members",
                                     "%(n)s open cases of your party's members", n) % {"n": n},
                            reverse("incidents:case-list")))
    if "urgent_open" in counts:
        n = counts["urgent_open"]
        panel.lines.append((ngettext("%(n)s urgent report not yet in a case",
                                     "%(n)s urgent reports not yet in a case", n) % {"n": n},
                            reverse("incidents:urgent-list")))
    if perms.can_file_report(user):
        panel.lines.append((_("Report an incident"), reverse("incidents:report-create")))
    return panel if panel.lines else None
