"""Issue 15, point 12: the unit runs the planner for a chosen date — a preview that writes nothing,
or for real — from a page and from `manage.py run_planner`, and a changed policy takes effect the
same day (saving it in the admin queues a planner run on commit)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Policy
from core.models import AuditEvent, OutboxMessage, Reminder
from core.planner import run_planner
from tests.factories import AssignmentFactory, OfficialFactory
from training.models import CollaborationMeeting, RevisionTask, SecurityConversation, TrainingOffer

URL = reverse("training:planner-run")
DAY = dt.date(2029, 9, 1)  # Sigtuna: the targeted training before the 2030 election is planned this day


def _counts():
    return (TrainingOffer.objects.count(), Reminder.objects.count(), OutboxMessage.objects.count(),
            SecurityConversation.objects.count(), CollaborationMeeting.objects.count(), RevisionTask.objects.count(),
            AuditEvent.objects.exclude(action__startswith="planner_preview").exclude(kind="login").count())


@pytest.fixture
def sigtuna(use_profile, handler):
    official = OfficialFactory()
    AssignmentFactory(official=official, role="kommunalrad", share_percent=100)
    return use_profile("sigtuna")


def test_a_dry_run_shows_what_would_be_created_and_writes_nothing(sigtuna, handler):
    before = _counts()
    result = run_planner(DAY, dry_run=True, actor=handler)
    lines = [line for items in result.values() for line in items]
    assert any("2030-09-08" in line for line in result["training.offers"])
    assert any("2029-12-31" in line for line in result["training.revision"])
    assert len(lines) >= 5
    assert _counts() == before
    event = AuditEvent.objects.get(action="planner_preview")
    assert (event.actor, event.to_state) == (handler, DAY.isoformat())
    # The same run for real creates exactly what the preview showed.
    assert run_planner(DAY, actor=handler) == result
    assert TrainingOffer.objects.filter(kind=TrainingOffer.Kind.PRE_ELECTION).exists()
    assert AuditEvent.objects.filter(action="planner_run", actor=handler).exists()
    assert all(not items for items in run_planner(DAY, dry_run=True).values())


def test_the_page_previews_without_writing_and_runs_now(sigtuna, client_for, handler):
    client = client_for(handler)
    assert client.get(URL).status_code == 200
    before = _counts()
    preview = client.post(URL, {"day": DAY.isoformat(), "action": "preview"})
    assert preview.status_code == 200 and not preview.context["ran"]
    assert any("2030-09-08" in line for line in preview.context["lines"])
    assert _counts() == before
    ran = client.post(URL, {"day": DAY.isoformat(), "action": "run"})
    assert ran.status_code == 200 and ran.context["ran"]
    assert ran.context["lines"] == preview.context["lines"]
    assert TrainingOffer.objects.filter(kind=TrainingOffer.Kind.PRE_ELECTION).exists()
    assert AuditEvent.objects.filter(action="planner_run", actor=handler, to_state=DAY.isoformat()).exists()
    again = client.post(URL, {"day": DAY.isoformat(), "action": "run"})
    assert again.context["lines"] == []


@pytest.mark.parametrize("day", ["", "not a date", "1999-01-01", "2099-01-01"])
def test_a_bad_date_is_shown_next_to_the_field_and_nothing_runs(sigtuna, client_for, handler, day):
    before = _counts()
    response = client_for(handler).post(URL, {"day": day, "action": "run"})
    assert response.status_code == 400
    assert "day" in response.context["form"].errors and response.context["result"] is None
    assert _counts() == before


@pytest.mark.parametrize("persona", ["official", "party_contact", "approver", "admin_user", "body_officer"])
def test_only_the_unit_previews_or_runs_the_planner(sigtuna, client_for, request, persona):
    client = client_for(request.getfixturevalue(persona))
    before = _counts()
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"day": DAY.isoformat(), "action": "run"}).status_code == 403
    assert _counts() == before


def test_a_get_never_runs_the_planner(sigtuna, client_for, handler):
    before = _counts()
    response = client_for(handler).get(URL, {"day": DAY.isoformat(), "action": "run"})
    assert response.status_code == 200 and response.context["result"] is None
    assert _counts() == before


def test_the_command_runs_for_a_date_and_dry_run_writes_nothing(sigtuna):
    before = _counts()
    out = StringIO()
    call_command("run_planner", "--date", DAY.isoformat(), "--dry-run", stdout=out)
    assert "2030-09-08" in out.getvalue() and out.getvalue().startswith("Would create for 2029-09-01")
    assert _counts() == before
    out = StringIO()
    call_command("run_planner", "--date", DAY.isoformat(), stdout=out)
    assert out.getvalue().startswith("Created for 2029-09-01")
    assert TrainingOffer.objects.filter(kind=TrainingOffer.Kind.PRE_ELECTION).exists()
    assert AuditEvent.objects.filter(action="planner_run", reason__startswith="command").exists()
    with pytest.raises(CommandError):
        call_command("run_planner", "--date", "2029-13-01")


def test_the_command_runs_for_today_by_default(sigtuna):
    out = StringIO()
    call_command("run_planner", stdout=out)
    assert out.getvalue().startswith(f"Created for {timezone.localdate().isoformat()}")


def test_saving_the_policy_in_the_admin_runs_the_planner_today(use_profile, client_for, admin_user,
                                                               django_capture_on_commit_callbacks):
    """Fagersta turns on the yearly security conversations: the covered official's comes today."""
    policy = use_profile("fagersta")
    person = OfficialFactory()
    AssignmentFactory(official=person, role="kommunalrad", share_percent=100)
    assert not SecurityConversation.objects.exists()
    url = reverse("admin:accounts_policy_change", args=[policy.pk])
    page = client_for(admin_user).get(url)
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, list):
            import json
            value = json.dumps(value)
        data[name] = "" if value is None else (value.strftime("%H:%M:%S") if hasattr(value, "strftime") else value)
    data["yearly_conversations"] = Policy.ConversationScope.COVERED
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SecurityConversation.objects.filter(official=person).exists()
    assert AuditEvent.objects.filter(action="planner_run", reason__startswith="policy changed").exists()
