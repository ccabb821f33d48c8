"""Home-page panels for surveys (registered through core.hooks in `SurveysConfig.ready`)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import format_date

from . import selectors
from .models import Round


def official_panel(user):
    """An official with an unanswered invitation to an open round is asked to answer."""
    from core.hooks import Panel

    invitations = selectors.open_invitations_for(user)
    if not invitations:
        return None
    panel = Panel(_("Surveys"))
    for invitation in invitations:
        panel.lines.append((_("The %(survey)s is open until %(closes)s: answer with the link in your e-mail") % {
            "survey": invitation.round.label, "closes": format_date(invitation.round.closes_on)},
            reverse("surveys:invitation-list")))
    return panel


def security_unit_panel(user):
    """Open and coming rounds with their response rates; the latest closed round's results."""
    from core.hooks import Panel

    today = timezone.localdate()
    rounds = list(selectors.rounds_list().filter(closes_on__gte=today, closed_early=False)[:5])
    latest = (Round.objects.filter(Q(closed_early=True) | Q(closes_on__lt=today))
              .order_by("-closes_on", "-id").first())
    if not rounds and latest is None:
        return None
    panel = Panel(_("Surveys"))
    for round_ in rounds:
        url = reverse("surveys:round-detail", args=[round_.pk])
        if round_.is_open(today):
            panel.lines.append((_("%(round)s: %(answered)s of %(invited)s have answered, closes %(closes)s") % {
                "round": round_.label, "answered": round_.answered_count, "invited": round_.invited_count,
                "closes": format_date(round_.closes_on)}, url))
        else:
            panel.lines.append((_("%(round)s opens %(opens)s") % {
                "round": round_.label, "opens": format_date(round_.opens_on)}, url))
    if latest is not None:
        panel.lines.append((_("Results of %(round)s") % {"round": latest.label},
                            reverse("surveys:round-results", args=[latest.pk])))
    return panel
