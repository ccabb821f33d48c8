from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import Policy
from core.audit import audit_read
from core.disclosure import SUPPRESS_BELOW, legend
from core.forms import message_of, run_service

from . import charts, permissions, selectors, services
from .forms import AnswerForm, RoundForm
from .models import Round, SurveyType


def _data(request):
    """The posted data, also when empty (an empty POST must still bind the form)."""
    return request.POST if request.method == "POST" else None


# --- the security unit ----------------------------------------------------------------------


def round_list(request):
    permissions.require_results(request.user)
    return render(request, "surveys/round_list.html", {
        "rounds": selectors.rounds_list(),
        "can_manage": permissions.can_manage(request.user),
        "today": timezone.localdate(),
    })


def round_create(request):
    permissions.require_manage(request.user)
    form = RoundForm(_data(request))
    if request.method == "POST" and form.is_valid():
        round_ = run_service(form, lambda: services.round_create(actor=request.user, **form.cleaned_data))
        if round_ is not None:
            messages.success(request, _("The round has been created."))
            return redirect("surveys:round-detail", pk=round_.pk)
    return render(request, "surveys/round_form.html", {"form": form})


def round_detail(request, pk: int):
    round_ = permissions.get_round_for_user(request.user, pk)
    today = timezone.localdate()
    invited, answered = selectors.round_counts(round_)
    return render(request, "surveys/round_detail.html", {
        "round": round_,
        "status": round_.status(today),
        "invited": invited,
        "answered": answered,
        "rate": selectors.Share(answered, invited),
        "candidates": len(services.invitation_candidates(round_, today)) if round_.is_open(today) else 0,
        "actions": permissions.available_actions(round_, request.user, today),
        "items": round_.items.order_by("position", "code"),
    })


def round_update(request, pk: int):
    round_ = permissions.get_round_for_user(request.user, pk, "edit")
    form = RoundForm(_data(request), round_=round_)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = run_service(form, lambda: services.round_update(
                actor=request.user, round_=round_, opens_on=data["opens_on"], closes_on=data["closes_on"],
                reference_year=data["reference_year"]))
        except services.SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            if changed is not None:
                messages.success(request, _("The round has been updated."))
                return redirect("surveys:round-detail", pk=round_.pk)
    return render(request, "surveys/round_form.html", {"form": form, "round": round_})


def _action(request, pk: int, action: str, run):
    """A POST button on a round: check the action is allowed now, run it, report the outcome."""
    round_ = permissions.get_round_for_user(request.user, pk, action)
    try:
        message = run(round_)
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:  # the workflow refused the move (someone else closed it first)
        messages.error(request, message_of(exc))
    else:
        messages.success(request, message)
    return redirect("surveys:round-detail", pk=round_.pk)


@require_POST
def round_invite(request, pk: int):
    def run(round_: Round) -> str:
        count = services.invitations_send(actor=request.user, round_=round_)
        if not count:
            return _("Every active official with an e-mail address is already invited.")
        return ngettext("%(count)s official invited.", "%(count)s officials invited.", count) % {"count": count}

    return _action(request, pk, "invite", run)


@require_POST
def round_remind(request, pk: int):
    def run(round_: Round) -> str:
        count = services.reminders_send(actor=request.user, round_=round_)
        return ngettext("Reminder sent to %(count)s official.", "Reminders sent to %(count)s officials.",
                        count) % {"count": count}

    return _action(request, pk, "remind", run)


@require_POST
def round_close(request, pk: int):
    def run(round_: Round) -> str:
        services.round_close(actor=request.user, round_=round_)
        return _("The round is closed. No more answers are accepted.")

    return _action(request, pk, "close", run)


def round_nonrespondents(request, pk: int):
    round_ = permissions.get_round_for_user(request.user, pk)
    invitations = list(selectors.nonrespondents(round_))
    audit_read(actor=request.user, action="survey_nonrespondents_view", obj=round_)
    return render(request, "surveys/round_nonrespondents.html", {"round": round_, "invitations": invitations})


def round_results(request, pk: int):
    """The round's results: only what `selectors.round_results` lets through (protected cells,
    never a raw count), in tables and in the charts drawn from the same cells."""
    round_ = permissions.get_round_for_user(request.user, pk, "results")
    results = selectors.round_results(round_)
    years = selectors.exposure_by_year(results)
    overview = selectors.overview(results)
    return render(request, "surveys/round_results.html", {
        "round": round_,
        "results": results,
        "years": years,
        "exposure_chart": _exposure_chart(years),
        "overview": overview,
        "overview_chart": _overview_chart(overview),
        "can_manage": permissions.can_manage(request.user),
        "suppress_below": SUPPRESS_BELOW,
        "legend": legend(),
    })


def _exposure_chart(years: list[selectors.YearRow]):
    """Sweden's PTU series and this municipality's rounds, by reference year."""
    if not years:
        return None
    bars = []
    for row in years:
        if row.national is not None:
            bars.append(charts.Bar(_("Sweden (PTU) %(year)s") % {"year": row.year}, float(row.national.percent),
                                   f"{row.national.percent:.0f} %", "national"))
        if row.local is not None:
            bars.append(charts.Bar(_("This municipality %(year)s") % {"year": row.year}, row.local.number,
                                   row.local.display))
    return charts.bar_chart(
        chart_id="exposure-chart",
        title=_("Share exposed by reference year: this municipality and Sweden (PTU)"),
        description=_("Bar chart. The same figures are in the table below."),
        bars=bars,
    )


def _overview_chart(overview: selectors.Overview | None):
    """The share answering the first answer (“yes”) per item of the internal-control survey."""
    if overview is None:
        return None
    first = overview.columns[0]
    return charts.bar_chart(
        chart_id="overview-chart",
        title=_("Share answering “%(answer)s” per question") % {"answer": first},
        description=_("Bar chart. The same figures are in the table below."),
        bars=[charts.Bar(f"{row.code} {row.text}", row.cells[0].number, row.cells[0].display)
              for row in overview.rows],
    )


# --- the official ---------------------------------------------------------------------------


def invitation_list(request):
    """The official's own survey invitations, with a button to get the link again."""
    return render(request, "surveys/invitation_list.html", {
        "invitations": list(selectors.own_invitations(request.user)),
        "today": timezone.localdate(),
    })


@require_POST
def invitation_resend(request, pk: int):
    invitation = permissions.get_own_invitation(request.user, pk)
    try:
        services.invitation_resend(actor=request.user, invitation=invitation)
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("A new link has been sent to your e-mail."))
    return redirect("surveys:invitation-list")


# --- answering (no login: the one-time link is the credential) ------------------------------


def _private(response):
    """Keep the link out of caches, referrers and search engines. `strict-origin` sends only the
    site's origin as referrer, even to the site itself (so the token is not in the Referer of
    the page's own static files), and keeps the Origin header that the CSRF check needs."""
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _link_problem(request, kind: str, round_: Round | None = None):
    status = {"unknown": 404, "answered": 410, "closed": 410, "scheduled": 403}[kind]
    return _private(render(request, "surveys/response_unavailable.html",
                           {"kind": kind, "round": round_, "policy": Policy.current()}, status=status))


@login_not_required
@never_cache
def response_create(request, token: str):
    """The answering page. Nothing about the visit or the person is recorded, and the token is
    never logged; the response is stored without any link to the invitation."""
    try:
        state = services.link_state(token)
    except services.UnknownLink:
        return _link_problem(request, "unknown")
    round_ = state.round
    if state.answered:
        return _link_problem(request, "answered", round_)
    status = round_.status()
    if status != Round.Status.OPEN:
        return _link_problem(request, status, round_)
    items = list(round_.items.order_by("position", "code").prefetch_related("options"))
    form = AnswerForm(_data(request), round_=round_, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(token=token, answers=form.answers())
        except services.UnknownLink:
            return _link_problem(request, "unknown")
        except services.AlreadyAnswered:
            return _link_problem(request, "answered", round_)
        except services.RoundNotOpen:
            return _link_problem(request, "closed", round_)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(reverse("surveys:response-done") + f"?survey={round_.survey_type}")
    return _private(render(request, "surveys/response_form.html", {"round": round_, "form": form}))


@login_not_required
@never_cache
def response_done(request):
    survey_type = request.GET.get("survey")
    return _private(render(request, "surveys/response_done.html", {
        "survey_label": SurveyType(survey_type).label if survey_type in SurveyType.values else "",
    }))
