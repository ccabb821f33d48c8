"""Pages for officials: my training, a session (from the invitation link), enrol and cancel,
calendar files, marking the web course done."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import message_of

from .. import permissions, selectors, services
from ..models import Enrolment
from .common import calendar_response, flash

__all__ = ["conversation_calendar", "enrolment_cancel", "my_training", "offer_complete", "session_calendar",
           "session_detail", "session_enrol"]


def my_training(request):
    official = permissions.get_own_official(request.user)
    return render(request, "training/my_training.html", {"data": selectors.my_training(official)})


def session_detail(request, pk):
    session, official = permissions.get_session_for_user(request.user, pk)
    session = selectors.sessions_with_counts().select_related("offer__course").get(pk=session.pk)
    enrolment = selectors.own_enrolment(session, official)
    in_group = official is not None and selectors.in_audience(official, session.offer, timezone.localdate())
    actions = permissions.available_actions(session, request.user, official=official, enrolment=enrolment,
                                            in_group=in_group)
    return render(request, "training/session_detail.html", {
        "session": session, "enrolment": enrolment, "actions": actions, "official": official,
        "can_manage": permissions.can_manage(request.user),
    })


@require_POST
def session_enrol(request, pk):
    session, official = permissions.get_session_for_user(request.user, pk)
    if official is None:
        messages.error(request, _("Your account is not linked to an official."))
        return redirect("training:session-detail", pk=session.pk)
    try:
        enrolment = services.enrolment_create(actor=request.user, session=session, official=official)
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    else:
        if enrolment.status == Enrolment.Status.ENROLLED:
            messages.success(request, _("You are enrolled. A confirmation with the calendar file is on its way."))
        else:
            messages.info(request, _("The session is full: you are on the waiting list."))
    return redirect("training:session-detail", pk=session.pk)


@require_POST
def enrolment_cancel(request, pk):
    enrolment = permissions.get_enrolment_for_user(request.user, pk)
    flash(request, lambda: services.enrolment_cancel(actor=request.user, enrolment=enrolment),
          _("The enrolment is cancelled."))
    nxt = request.POST.get("next")
    if nxt == "manage" and permissions.can_manage(request.user):
        return redirect("training:session-manage", pk=enrolment.session_id)
    if nxt == "my":
        return redirect("training:my-training")
    return redirect("training:session-detail", pk=enrolment.session_id)


def session_calendar(request, pk):
    session, _official = permissions.get_session_for_user(request.user, pk)
    return calendar_response(*services.session_calendar_file(session))


def conversation_calendar(request, pk):
    conversation = permissions.get_own_conversation(request.user, pk)
    if conversation.booked_for is None:
        raise Http404
    return calendar_response(*services.conversation_calendar_file(conversation))


@require_POST
def offer_complete(request, pk):
    offer, official = permissions.get_offer_for_official(request.user, pk)
    flash(request, lambda: services.completion_self_report(actor=request.user, offer=offer, official=official),
          _("Marked done. It is now in your training record."))
    return redirect("training:my-training")
