"""Pages for the security unit: plan overview and election calendar, courses, offers, sessions
and attendance, security conversations, collaboration meetings, guideline revisions, the KL 4:18a
compliance view with exports, and reminders (for every role that gets them)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Policy
from core.audit import audit_read
from core.dates import format_date
from core.forms import run_service
from core.models import AuditEvent
from core.planner import run_planner
from core.reminders import reminder_done as reminder_mark_done

from .. import exports, forms, permissions, selectors, services
from ..calendar import next_ordinary_election, ordinary_elections, term_for
from ..models import (
    CollaborationMeeting,
    Course,
    ExtraElection,
    MeetingInvitee,
    OfferAddedOfficial,
    RevisionTask,
    SecurityConversation,
)
from .common import cancel_reason, flash

__all__ = [
    "attendance_record", "budget_view", "completion_record", "cost_book", "offer_add_official",
    "offer_remove_official", "planner_run", "compliance_export", "compliance_view", "conversation_book",
    "conversation_cancel", "conversation_create", "conversation_detail", "conversation_hold", "conversation_list",
    "conversation_notes", "course_create", "course_edit", "course_list", "election_delete", "election_list",
    "invitee_add", "invitee_remove", "meeting_cancel", "meeting_create", "meeting_detail", "meeting_edit",
    "meeting_hold", "meeting_invite", "meeting_list", "meeting_minutes", "offer_create", "offer_detail",
    "offer_invite", "offer_list", "plan_overview", "record_detail", "reminder_done", "reminder_list",
    "revision_done", "revision_list", "session_cancel", "session_create", "session_enrol_official",
    "session_invite", "session_manage",
]


def _invitations_sent(count: int) -> str:
    return _("%(count)s invitations are on their way.") % {"count": count}


def _term_param(request):
    try:
        year = int(request.GET.get("term", ""))
        return term_for(timezone.localdate().replace(year=year, month=12, day=1))
    except (TypeError, ValueError, OverflowError):
        return term_for(timezone.localdate())


# ---------------------------------------------------------------- overview and calendar


def plan_overview(request):
    permissions.require_manage(request.user)
    today = timezone.localdate()
    term = term_for(today)
    now = timezone.now()
    return render(request, "training/plan_overview.html", {
        "term": term, "today": today, "next_election": next_ordinary_election(today),
        "extra_elections": list(ExtraElection.objects.filter(election_date__gte=today)[:5]),
        "sessions": list(selectors.sessions_with_counts().filter(starts_at__gte=now, status="scheduled")
                         .select_related("offer").order_by("starts_at")[:10]),
        "conversations_due": SecurityConversation.objects.filter(status="due").count(),
        "conversations_booked": SecurityConversation.objects.filter(status="booked").count(),
        "meetings": list(CollaborationMeeting.objects.filter(term=term.year).order_by("planned_for", "id")),
        "revision": RevisionTask.objects.filter(term=term.year).first(),
        "reminders": list(selectors.reminders_for(request.user)[:10]),
    })


def election_list(request):
    permissions.require_manage(request.user)
    today = timezone.localdate()
    form = forms.ExtraElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        election = run_service(form, lambda: services.extra_election_record(actor=request.user, **form.cleaned_data))
        if election is not None:
            messages.success(request, _("The extra election is recorded. The planner plans targeted training "
                                        "before it."))
            return redirect("training:election-list")
    term = term_for(today)
    elections = ordinary_elections(term.start.replace(year=term.year - 4), term.end.replace(year=term.year + 8))
    terms = [term_for(day.replace(month=12, day=1)) for day in elections]
    return render(request, "training/election_list.html", {
        "form": form, "today": today, "term": term,
        "ordinary": list(zip(elections, terms, strict=True)),
        "extra": list(ExtraElection.objects.select_related("recorded_by")),
    }, status=400 if form.errors else 200)


@require_POST
def election_delete(request, pk):
    permissions.require_manage(request.user)
    election = ExtraElection.objects.filter(pk=pk).first()
    if election is None:
        raise Http404
    flash(request, lambda: services.extra_election_delete(actor=request.user, election=election),
          _("The extra election is removed."))
    return redirect("training:election-list")


# ---------------------------------------------------------------- courses


def course_list(request):
    permissions.require_manage(request.user)
    page = Paginator(selectors.courses(), 50).get_page(request.GET.get("page"))
    return render(request, "training/course_list.html", {"page": page})


def course_create(request):
    permissions.require_manage(request.user)
    form = forms.CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = run_service(form, lambda: services.course_create(actor=request.user, **form.cleaned_data))
        if course is not None:
            messages.success(request, _("The course is saved."))
            return redirect("training:course-list")
    return render(request, "training/course_form.html", {"form": form, "course": None},
                  status=400 if form.errors else 200)


def course_edit(request, pk):
    permissions.require_manage(request.user)
    course = Course.objects.filter(pk=pk).first()
    if course is None:
        raise Http404
    form = forms.CourseForm(request.POST or None, instance=Course.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        changed = run_service(form, lambda: services.course_update(actor=request.user, course=course,
                                                              **form.cleaned_data))
        if changed is not None:
            messages.success(request, _("The course is saved."))
            return redirect("training:course-list")
    return render(request, "training/course_form.html", {"form": form, "course": course},
                  status=400 if form.errors else 200)


# ---------------------------------------------------------------- offers and sessions


def offer_list(request):
    permissions.require_manage(request.user)
    term = _term_param(request)
    offers = list(selectors.offers_for_term(term))
    return render(request, "training/offer_list.html", {
        "term": term, "offers": offers, "previous": term.year - 4, "next": term.year + 4,
        "today": timezone.localdate(),
    })


def offer_create(request):
    permissions.require_manage(request.user)
    form = forms.OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        offer = run_service(form, lambda: services.offer_create(actor=request.user, **form.cleaned_data))
        if offer is not None:
            messages.success(request, _("The offer is saved. Add sessions to it."))
            return redirect("training:offer-detail", pk=offer.pk)
    return render(request, "training/offer_form.html", {"form": form}, status=400 if form.errors else 200)


def _offer_page(request, offer, *, session_form=None, completion_form=None, add_form=None, cost_form=None,
                status=200):
    return render(request, "training/offer_detail.html", {
        "offer": offer,
        "sessions": list(selectors.offer_sessions(offer)),
        "completions": list(offer.completions.select_related("official", "recorded_by")
                            .defer(*[f"official__{f}" for f in selectors.PRIVATE_FIELDS])
                            .order_by("official__last_name", "official__first_name", "id")),
        "added": list(selectors.added_officials(offer)),
        "costs": selectors.offer_costs(offer),
        "actions": permissions.available_actions(offer, request.user),
        "session_form": session_form or forms.SessionForm(),
        "completion_form": completion_form or forms.CompletionForm(),
        "add_form": add_form or forms.AddOfficialForm(prefix="add"),
        "cost_form": cost_form or forms.TrainingCostForm(offer=offer, prefix="cost"),
    }, status=status)


def offer_detail(request, pk):
    offer = permissions.get_offer_for_manage(request.user, pk)
    return _offer_page(request, offer)


def session_create(request, pk):
    offer = permissions.get_offer_for_manage(request.user, pk)
    if request.method != "POST":
        return redirect("training:offer-detail", pk=offer.pk)
    form = forms.SessionForm(request.POST)
    if form.is_valid():
        session = run_service(form, lambda: services.session_create(actor=request.user, offer=offer,
                                                                    **form.cleaned_data))
        if session is not None:
            messages.success(request, _("The session is added. Send the invitations when you are ready."))
            return redirect("training:session-manage", pk=session.pk)
    return _offer_page(request, offer, session_form=form, status=400)


@require_POST
def offer_invite(request, pk):
    offer = permissions.get_offer_for_manage(request.user, pk)
    flash(request, lambda: services.offer_invite(actor=request.user, offer=offer), _invitations_sent)
    return redirect("training:offer-detail", pk=offer.pk)


@require_POST
def completion_record(request, pk):
    offer = permissions.get_offer_for_manage(request.user, pk)
    form = forms.CompletionForm(request.POST)
    if form.is_valid():
        done = run_service(form, lambda: services.completion_record(actor=request.user, offer=offer,
                                                                    **form.cleaned_data))
        if done is not None:
            messages.success(request, _("Recorded in the training record."))
            return redirect("training:offer-detail", pk=offer.pk)
    return _offer_page(request, offer, completion_form=form, status=400)


@require_POST
def offer_add_official(request, pk):
    offer = permissions.get_offer_for_manage(request.user, pk)
    form = forms.AddOfficialForm(request.POST, prefix="add")
    if form.is_valid():
        added = run_service(form, lambda: services.offer_add_official(actor=request.user, offer=offer,
                                                                      official=form.cleaned_data["official"]))
        if added is not None:
            messages.success(request, _("%(name)s is added to the target group of this offer.")
                             % {"name": added.official.full_name})
            return redirect("training:offer-detail", pk=offer.pk)
    return _offer_page(request, offer, add_form=form, status=400)


@require_POST
def offer_remove_official(request, pk, added_pk):
    offer = permissions.get_offer_for_manage(request.user, pk)
    added = OfferAddedOfficial.objects.filter(pk=added_pk, offer=offer).first()
    if added is None:
        raise Http404
    flash(request, lambda: services.offer_remove_official(actor=request.user, added=added),
          _("Removed from the target group of this offer."))
    return redirect("training:offer-detail", pk=offer.pk)


@require_POST
def cost_book(request, pk):
    offer = permissions.get_offer_for_manage(request.user, pk)
    form = forms.TrainingCostForm(request.POST, offer=offer, prefix="cost")
    if form.is_valid():
        cost = run_service(form, lambda: services.training_cost_book(actor=request.user, offer=offer,
                                                                     **form.cleaned_data))
        if cost is not None:
            messages.success(request, _("The cost is booked against the training budget."))
            return redirect("training:offer-detail", pk=offer.pk)
    return _offer_page(request, offer, cost_form=form, status=400)


def budget_view(request):
    """The training budget (like the budget for measures): budget, committed, spent, remaining."""
    permissions.require_view_budget(request.user)
    policy = Policy.current()
    this_year = timezone.localdate().year
    year = this_year
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= this_year + 5:
        year = int(raw)
    overview = selectors.budget_overview(year, policy)
    return render(request, "training/budget_view.html", {
        "overview": overview, "policy": policy, "form": forms.BudgetYearForm(initial={"year": year},
                                                                             years=overview.years),
        "perms_manage": permissions.can_manage(request.user),
    })


# ---------------------------------------------------------------- the planner, for a chosen date


@require_http_methods(["GET", "POST"])
def planner_run(request):
    """Choose a date; "Preview" shows what the planner would create that day with nothing written
    (the steps run in a transaction that is rolled back), "Run now" runs it and shows what it
    created. Both are audited. Both are POSTs: the date is no secret, but a GET must never run."""
    if not permissions.can_run_planner(request.user):
        raise PermissionDenied
    form = forms.PlannerRunForm(request.POST or None, initial={"day": timezone.localdate()})
    result, ran, day = None, False, None
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["day"]
        ran = request.POST.get("action") == "run"
        result = run_planner(day, dry_run=not ran, actor=request.user)
        if ran:
            messages.success(request, _("The planner has run for %(date)s.") % {"date": format_date(day)})
    return render(request, "training/planner_run.html", {
        "form": form, "result": result, "lines": [item for items in (result or {}).values() for item in items],
        "ran": ran, "day": day,
    }, status=400 if form.errors else 200)


def _session_page(request, session, *, enrol_form=None, status=200):
    session = selectors.sessions_with_counts().select_related("offer__course").get(pk=session.pk)
    return render(request, "training/session_manage.html", {
        "session": session,
        "enrolments": list(selectors.session_enrolments(session)),
        "actions": permissions.available_actions(session, request.user),
        "enrol_form": enrol_form or forms.EnrolOfficialForm(),
        "cancel_form": forms.CancelForm(),
    }, status=status)


def session_manage(request, pk):
    session = permissions.get_session_for_manage(request.user, pk)
    return _session_page(request, session)


@require_POST
def session_invite(request, pk):
    session = permissions.get_session_for_manage(request.user, pk)
    flash(request, lambda: services.session_invite(actor=request.user, session=session), _invitations_sent)
    return redirect("training:session-manage", pk=session.pk)


@require_POST
def session_cancel(request, pk):
    session = permissions.get_session_for_manage(request.user, pk)
    flash(request, lambda: services.session_cancel(actor=request.user, session=session,
                                                   reason=cancel_reason(request)),
          _("The session is cancelled and everyone enrolled has been told."))
    return redirect("training:session-manage", pk=session.pk)


@require_POST
def session_enrol_official(request, pk):
    session = permissions.get_session_for_manage(request.user, pk)
    form = forms.EnrolOfficialForm(request.POST)
    if form.is_valid():
        enrolment = run_service(form, lambda: services.enrolment_create(actor=request.user, session=session,
                                                                   official=form.cleaned_data["official"]))
        if enrolment is not None:
            messages.success(request, _("%(name)s: %(status)s.") % {
                "name": enrolment.official.full_name, "status": enrolment.get_status_display()})
            return redirect("training:session-manage", pk=session.pk)
    return _session_page(request, session, enrol_form=form, status=400)


@require_POST
def attendance_record(request, pk):
    session = permissions.get_session_for_manage(request.user, pk)
    try:
        attended = [int(v) for v in request.POST.getlist("attended")]
    except ValueError:
        messages.error(request, _("The attendance list could not be read. Try again."))
        return redirect("training:session-manage", pk=session.pk)
    flash(request, lambda: services.attendance_record(actor=request.user, session=session, attended=attended),
          _("Attendance is recorded and the training records are updated."))
    return redirect("training:session-manage", pk=session.pk)


# ---------------------------------------------------------------- training record and compliance


def record_detail(request, pk):
    official = permissions.get_official_for_manage(request.user, pk)
    audit_read(actor=request.user, action="training_record_view", obj=official)
    return render(request, "training/record_detail.html", {"record": selectors.training_record(official)})


COMPLIANCE_PAGE_SIZE = 50


def compliance_view(request):
    permissions.require_manage(request.user)
    today = timezone.localdate()
    term = term_for(today)
    offers = selectors.required_offers(term, today)
    summary = selectors.compliance_summary(today, offers)
    page = Paginator(selectors.covered_officials(today), COMPLIANCE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/compliance_view.html", {
        "offers": offers, "page": page, "rows": selectors.compliance_rows(page.object_list, offers), "term": term,
        "today": today, "covered": summary.covered, "complete": summary.complete,
    })


def compliance_export(request, fmt):
    permissions.require_manage(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    today = timezone.localdate()
    offers, rows = selectors.compliance(today)
    audit_read(actor=request.user, action=f"compliance_export_{fmt}", obj=None, kind=AuditEvent.Kind.EXPORT)
    if fmt == "xlsx":
        return exports.compliance_xlsx(offers, rows, today)
    return exports.compliance_csv(offers, rows, today)


# ---------------------------------------------------------------- security conversations


def conversation_list(request):
    permissions.require_manage(request.user)
    status = request.GET.get("status", "")
    if status not in SecurityConversation.Status.values:
        status = ""
    page = Paginator(selectors.conversations_list(status=status), 50).get_page(request.GET.get("page"))
    return render(request, "training/conversation_list.html", {
        "page": page, "status": status, "statuses": SecurityConversation.Status.choices,
    })


def conversation_create(request):
    permissions.require_manage(request.user)
    form = forms.ConversationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        conversation = run_service(form, lambda: services.conversation_request(actor=request.user, **form.cleaned_data))
        if conversation is not None:
            messages.success(request, _("The security conversation is added. Book a time."))
            return redirect("training:conversation-detail", pk=conversation.pk)
    return render(request, "training/conversation_form.html", {"form": form}, status=400 if form.errors else 200)


def _conversation_page(request, conversation, *, status=200, **forms_in):
    conversation = SecurityConversation.objects.select_related("official", "changed_by").get(pk=conversation.pk)
    audit_read(actor=request.user, action="conversation_view", obj=conversation)
    return render(request, "training/conversation_detail.html", {
        "conversation": conversation,
        "actions": permissions.available_actions(conversation, request.user),
        "book_form": forms_in.get("book_form") or forms.ConversationBookForm(initial={
            "place": conversation.place, "duration_minutes": conversation.duration_minutes}),
        "hold_form": forms_in.get("hold_form") or forms.ConversationHoldForm(initial={"held_on": timezone.localdate()}),
        "notes_form": forms_in.get("notes_form") or forms.ConversationNotesForm(initial={"notes": conversation.notes}),
        "cancel_form": forms.CancelForm(),
    }, status=status)


def conversation_detail(request, pk):
    conversation = permissions.get_conversation_for_manage(request.user, pk)
    return _conversation_page(request, conversation)


def _conversation_action(request, pk, form_class, key, call, success):
    conversation = permissions.get_conversation_for_manage(request.user, pk)
    if request.method != "POST":
        return redirect("training:conversation-detail", pk=conversation.pk)
    form = form_class(request.POST)
    if form.is_valid() and run_service(form, lambda: call(conversation, form.cleaned_data)) is not None:
        messages.success(request, success)
        return redirect("training:conversation-detail", pk=conversation.pk)
    return _conversation_page(request, conversation, status=400, **{key: form})


def conversation_book(request, pk):
    return _conversation_action(
        request, pk, forms.ConversationBookForm, "book_form",
        lambda c, data: services.conversation_book(actor=request.user, conversation=c, **data),
        _("The conversation is booked and the official has been sent the calendar file."))


def conversation_hold(request, pk):
    return _conversation_action(
        request, pk, forms.ConversationHoldForm, "hold_form",
        lambda c, data: services.conversation_hold(actor=request.user, conversation=c, **data),
        _("The conversation is recorded as held."))


def conversation_notes(request, pk):
    return _conversation_action(
        request, pk, forms.ConversationNotesForm, "notes_form",
        lambda c, data: services.conversation_update_notes(actor=request.user, conversation=c, **data),
        _("The notes are saved."))


@require_POST
def conversation_cancel(request, pk):
    conversation = permissions.get_conversation_for_manage(request.user, pk)
    flash(request, lambda: services.conversation_cancel(actor=request.user, conversation=conversation,
                                                        reason=cancel_reason(request)),
          _("The conversation is cancelled."))
    return redirect("training:conversation-detail", pk=conversation.pk)


# ---------------------------------------------------------------- collaboration meetings


def meeting_list(request):
    permissions.require_manage(request.user)
    term = _term_param(request)
    return render(request, "training/meeting_list.html", {
        "term": term, "meetings": list(selectors.meetings_list(term.year)),
        "previous": term.year - 4, "next": term.year + 4,
    })


def meeting_create(request):
    permissions.require_manage(request.user)
    form = forms.MeetingCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = run_service(form, lambda: services.meeting_create(actor=request.user, **form.cleaned_data))
        if meeting is not None:
            messages.success(request, _("The meeting is added."))
            return redirect("training:meeting-detail", pk=meeting.pk)
    return render(request, "training/meeting_form.html", {"form": form}, status=400 if form.errors else 200)


def _meeting_page(request, meeting, *, status=200, **forms_in):
    meeting = CollaborationMeeting.objects.get(pk=meeting.pk)
    return render(request, "training/meeting_detail.html", {
        "meeting": meeting,
        "invitees": list(meeting.invitees.select_related("user")),
        "actions": permissions.available_actions(meeting, request.user),
        "edit_form": forms_in.get("edit_form") or forms.MeetingEditForm(instance=meeting),
        "invitee_form": forms_in.get("invitee_form") or forms.InviteeForm(),
        "hold_form": forms_in.get("hold_form") or forms.MeetingHoldForm(initial={"minutes": meeting.minutes}),
        "minutes_form": forms_in.get("minutes_form") or forms.MinutesForm(initial={"minutes": meeting.minutes}),
        "cancel_form": forms.CancelForm(),
    }, status=status)


def meeting_detail(request, pk):
    meeting = permissions.get_meeting_for_manage(request.user, pk)
    return _meeting_page(request, meeting)


def meeting_edit(request, pk):
    meeting = permissions.get_meeting_for_manage(request.user, pk)
    if request.method != "POST":
        return redirect("training:meeting-detail", pk=meeting.pk)
    form = forms.MeetingEditForm(request.POST, instance=CollaborationMeeting.objects.get(pk=meeting.pk))
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("title", "planned_for", "starts_at", "ends_at", "place", "agenda")}
        if run_service(form, lambda: services.meeting_update(actor=request.user, meeting=meeting, **data)) is not None:
            messages.success(request, _("The meeting is saved."))
            return redirect("training:meeting-detail", pk=meeting.pk)
    return _meeting_page(request, meeting, status=400, edit_form=form)


def invitee_add(request, pk):
    meeting = permissions.get_meeting_for_manage(request.user, pk)
    if request.method != "POST":
        return redirect("training:meeting-detail", pk=meeting.pk)
    form = forms.InviteeForm(request.POST)
    if form.is_valid():
        if run_service(form, lambda: services.invitee_add(actor=request.user, meeting=meeting, **form.cleaned_data)):
            messages.success(request, _("The invitee is added."))
            return redirect("training:meeting-detail", pk=meeting.pk)
    return _meeting_page(request, meeting, status=400, invitee_form=form)


@require_POST
def invitee_remove(request, pk, invitee_pk):
    meeting = permissions.get_meeting_for_manage(request.user, pk)
    invitee = MeetingInvitee.objects.filter(pk=invitee_pk, meeting=meeting).select_related("meeting").first()
    if invitee is None:
        raise Http404
    flash(request, lambda: services.invitee_remove(actor=request.user, invitee=invitee), _("The invitee is removed."))
    return redirect("training:meeting-detail", pk=meeting.pk)


@require_POST
def meeting_invite(request, pk):
    meeting = permissions.get_meeting_for_manage(request.user, pk)
    flash(request, lambda: services.meeting_invite(actor=request.user, meeting=meeting), _invitations_sent)
    return redirect("training:meeting-detail", pk=meeting.pk)


def meeting_hold(request, pk):
    meeting = permissions.get_meeting_for_manage(request.user, pk)
    if request.method != "POST":
        return redirect("training:meeting-detail", pk=meeting.pk)
    form = forms.MeetingHoldForm(request.POST)
    try:
        attended = [int(v) for v in request.POST.getlist("attended")]
    except ValueError:
        attended = None
        form.add_error(None, _("The attendance list could not be read. Try again."))
    if form.is_valid() and attended is not None:
        if run_service(form, lambda: services.meeting_hold(actor=request.user, meeting=meeting,
                                                     minutes=form.cleaned_data["minutes"], attended=attended)):
            messages.success(request, _("The minutes and attendance are recorded."))
            return redirect("training:meeting-detail", pk=meeting.pk)
    return _meeting_page(request, meeting, status=400, hold_form=form)


def meeting_minutes(request, pk):
    meeting = permissions.get_meeting_for_manage(request.user, pk)
    if request.method != "POST":
        return redirect("training:meeting-detail", pk=meeting.pk)
    form = forms.MinutesForm(request.POST)
    if form.is_valid():
        if run_service(form, lambda: services.meeting_update_minutes(actor=request.user, meeting=meeting,
                                                               minutes=form.cleaned_data["minutes"])):
            messages.success(request, _("The minutes are saved."))
            return redirect("training:meeting-detail", pk=meeting.pk)
    return _meeting_page(request, meeting, status=400, minutes_form=form)


@require_POST
def meeting_cancel(request, pk):
    meeting = permissions.get_meeting_for_manage(request.user, pk)
    flash(request, lambda: services.meeting_cancel(actor=request.user, meeting=meeting, reason=cancel_reason(request)),
          _("The meeting is cancelled."))
    return redirect("training:meeting-detail", pk=meeting.pk)


# ---------------------------------------------------------------- guideline revisions


def revision_list(request, form=None, status=200):
    permissions.require_manage(request.user)
    return render(request, "training/revision_list.html", {
        "revisions": list(selectors.revisions_list()), "form": form or forms.RevisionDoneForm(
            initial={"done_on": timezone.localdate()}), "failed_pk": getattr(form, "revision_pk", None),
    }, status=status)


def revision_done(request, pk):
    permissions.require_manage(request.user)
    task = RevisionTask.objects.filter(pk=pk).first()
    if task is None:
        raise Http404
    if request.method != "POST":
        return redirect("training:revision-list")
    form = forms.RevisionDoneForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.revision_complete(actor=request.user, task=task,
                                                                          **form.cleaned_data)):
        messages.success(request, _("The revision is recorded as done."))
        return redirect("training:revision-list")
    form.revision_pk = task.pk
    return revision_list(request, form=form, status=400)


# ---------------------------------------------------------------- reminders


def reminder_list(request):
    if not permissions.can_see_reminders(request.user):
        raise PermissionDenied
    page = Paginator(selectors.reminders_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "training/reminder_list.html", {
        "page": page, "today": timezone.localdate(), "perms_manage": permissions.can_manage(request.user)})


@require_POST
def reminder_done(request, pk):
    reminder = permissions.get_reminder_for_user(request.user, pk)
    flash(request, lambda: reminder_mark_done(actor=request.user, reminder=reminder), _("The reminder is done."))
    return redirect("training:reminder-list")
