"""Home-page panels for training and prevention (registered through core.hooks in `TrainingConfig.ready`)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dates import format_date, format_datetime


def official_panel(user):
    from core.hooks import Panel
    from officials.models import Official

    from . import selectors
    from .models import Enrolment, SecurityConversation, TrainingOffer

    official = Official.objects.filter(user=user).only("id").first()
    if official is None:
        return None
    today = timezone.localdate()
    panel = Panel(_("Training and security"))
    groups = selectors.official_groups(official, today)
    offered = TrainingOffer.objects.filter(selectors.offers_for_official(official, groups)).values("pk")
    open_offers = (TrainingOffer.objects.filter(pk__in=offered, opens_on__lte=today, closes_on__gte=today)
                   .exclude(completions__official=official).count())
    upcoming = (Enrolment.objects.filter(official=official, status=Enrolment.Status.ENROLLED,
                                         session__starts_at__gte=timezone.now()).select_related("session")
                .order_by("session__starts_at").first())
    url = reverse("training:my-training")
    if upcoming is not None:
        panel.lines.append((_("Your next training: %(when)s") % {"when": format_datetime(upcoming.session.starts_at)},
                            url))
    panel.lines.append((ngettext("%(count)s training offer open to you", "%(count)s training offers open to you",
                                 open_offers) % {"count": open_offers}, url))
    booked = (SecurityConversation.objects.filter(official=official, status=SecurityConversation.Status.BOOKED)
              .order_by("booked_for").values_list("booked_for", flat=True).first())
    if booked:
        panel.lines.append((_("Your security conversation: %(when)s") % {
            "when": format_datetime(booked)}, url))
    return panel


def security_unit_panel(user):
    from core.hooks import Panel

    from . import selectors
    from .calendar import next_ordinary_election, term_for
    from .models import SecurityConversation

    today = timezone.localdate()
    panel = Panel(_("Prevention over the term"))
    panel.lines.append((_("Term %(term)s; next ordinary election %(date)s") % {
        "term": term_for(today).label, "date": format_date(next_ordinary_election(today))},
        reverse("training:plan-overview")))
    reminders = selectors.reminders_for(user).filter(due_on__lte=today + timedelta(days=30)).count()
    panel.lines.append((ngettext("%(count)s reminder due within 30 days", "%(count)s reminders due within 30 days",
                                 reminders) % {"count": reminders}, reverse("training:reminder-list")))
    due = SecurityConversation.objects.filter(status=SecurityConversation.Status.DUE).count()
    panel.lines.append((ngettext("%(count)s security conversation to book", "%(count)s security conversations to book",
                                 due) % {"count": due},
                        f"{reverse('training:conversation-list')}?status=due"))
    panel.lines.append((_("KL 4:18a: training per covered official"), reverse("training:compliance-view")))
    return panel


def reminders_panel(user):
    """For roles other than the security unit and officials: shown only when reminders are open."""
    from core.hooks import Panel

    from . import permissions, selectors

    if permissions.can_manage(user) or not permissions.can_see_reminders(user):
        return None
    count = selectors.reminders_for(user).count()
    if not count:
        return None
    return Panel(_("Reminders"), [(ngettext("%(count)s open reminder", "%(count)s open reminders", count)
                                   % {"count": count}, reverse("training:reminder-list"))])
