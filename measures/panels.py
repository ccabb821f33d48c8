"""What this app adds to other pages: the assessment and measures panel on the case page
(`incidents.hooks.register_case_panel`) and the home-page panels (`accounts.home`)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Policy
from core.dates import format_datetime

from . import permissions as perms
from . import selectors


def case_panel(request, case, actions) -> str:
    """The security unit's (and the approver's) view of the case's assessments and measures."""
    user = request.user
    policy = Policy.current()
    unit = perms.is_security_unit(user)
    if not unit and not perms.holds_approver_role(user, policy):
        return ""
    # Read with the case on its page (selectors.case_page_query); no query of their own there.
    latest = selectors.case_page_assessment(case)
    state = selectors.reassessment_state(case, latest=latest, open_trigger=selectors.case_page_open_trigger(case))
    measures = selectors.case_page_measures(case)
    for measure in measures:
        measure.actions = perms.available_actions(measure, user, policy=policy, visible=True)
    return render_to_string("measures/_case_panel.html", {
        "case": case, "latest": latest, "state": state, "measures": measures, "unit": unit,
        "can_assess": unit and perms.can_assess(user, case), "can_propose": unit and perms.can_propose(user, case),
        "policy": policy,
    }, request=request)


# ---------------------------------------------------------------- home page

def security_unit_panel(user):
    from core.hooks import Panel

    if not perms.is_security_unit(user):
        return None
    counts = selectors.counts_for_home(user)
    panel = Panel(_("Assessments and measures"))
    measure_list = reverse("measures:measure-list")
    panel.lines.append((ngettext("%(count)s case due for reassessment", "%(count)s cases due for reassessment",
                                 counts["reassessments_due"]) % {"count": counts["reassessments_due"]},
                        reverse("incidents:case-list")))
    panel.lines.append((ngettext("%(count)s proposal waiting for a decision", "%(count)s proposals waiting for a decision",
                                 counts["waiting"]) % {"count": counts["waiting"]}, reverse("measures:measure-inbox")))
    panel.lines.append((ngettext("%(count)s approved measure to order", "%(count)s approved measures to order",
                                 counts["to_order"]) % {"count": counts["to_order"]}, reverse("measures:order-queue")))
    panel.lines.append((ngettext("%(count)s measure due for review", "%(count)s measures due for review",
                                 counts["review_due"]) % {"count": counts["review_due"]}, f"{measure_list}?review_due=on"))
    if counts["flagged"]:
        panel.lines.append((ngettext("%(count)s measure to end (responsibility ended)",
                                     "%(count)s measures to end (responsibility ended)", counts["flagged"])
                            % {"count": counts["flagged"]}, f"{measure_list}?flagged=on"))
    year = timezone.localdate().year
    total = selectors.budget_overview(year).total
    panel.lines.append((_("Budget for measures %(year)s: %(remaining)s SEK remaining")
                        % {"year": year, "remaining": f"{total.remaining:,}".replace(",", "\u00a0")},
                        reverse("measures:budget-dashboard")))
    return panel


def decisions_panel(user):
    """A deciding role's own panel (always a panel; the approver, the security chief): what waits
    for their decision, or who decides under the current policy when it is another role."""
    from core.hooks import Panel

    policy = Policy.current()
    if perms.holds_approver_role(user, policy):
        return _decisions(user, policy)
    return Panel(_("Decisions on measures"), [(
        _("Under the current policy, measures are decided by: %(title)s.") % {"title": policy.approver_title}, None)])


def unit_decisions_panel(user):
    """For the security unit when the policy makes it the deciding role (and the handler holds no
    deciding role of its own, whose panel says it)."""
    from accounts.roles import Role

    policy = Policy.current()
    if user.has_role(Role.APPROVER, Role.SECURITY_CHIEF) or not perms.holds_approver_role(user, policy):
        return None
    return _decisions(user, policy)


def order_queue_panel(user):
    """The technical office's own panel (always a panel): the approved measures waiting for its
    order, or who orders under the current policy when it is not the technical office."""
    from core.hooks import Panel

    policy = Policy.current()
    panel = Panel(_("Measures to order"))
    if perms.order_scope(user, policy) is None:
        panel.lines.append((_("Under the current policy the technical office does not order measures: %(unit)s "
                              "orders them.") % {"unit": policy.unit_name}, None))
        return panel
    count = selectors.counts_for_home(user, policy=policy).get("to_order", 0)
    panel.lines.append((ngettext("%(count)s approved measure waits for your order",
                                 "%(count)s approved measures wait for your order", count) % {"count": count},
                        reverse("measures:order-queue")))
    return panel


def _decisions(user, policy):
    from core.hooks import Panel

    count = selectors.counts_for_home(user, policy=policy).get("for_my_decision", 0)
    panel = Panel(_("Decisions on measures"))
    panel.lines.append((ngettext("%(count)s proposal waits for your decision",
                                 "%(count)s proposals wait for your decision", count) % {"count": count},
                        reverse("measures:measure-inbox")))
    panel.lines.append((_("Budget for measures"), reverse("measures:budget-dashboard")))
    return panel


def alarms_panel(user):
    """The on-call officer's own panel (always a panel): alarm events not yet acknowledged,
    newest first."""
    from core.hooks import Panel

    events = selectors.open_alarm_events()
    panel = Panel(_("Alarm events"))
    if not events:
        panel.lines.append((_("No alarm events waiting."), reverse("measures:alarmevent-list")))
        return panel
    for event in events:
        panel.lines.append((_("ALARM %(when)s: %(kind)s — not yet acknowledged")
                            % {"when": format_datetime(event.occurred_at), "kind": event.get_alarm_kind_display()},
                            reverse("measures:alarmevent-detail", args=[event.pk])))
    return panel


def unit_alarms_panel(user):
    """The security unit (unless also on call): only when alarm events wait."""
    from accounts.roles import Role

    if user.has_role(Role.ON_CALL) or not perms.can_view_alarms(user) or not selectors.open_alarm_events(1):
        return None
    return alarms_panel(user)
