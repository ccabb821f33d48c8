"""The one workflow mechanism (core.workflow): the table as data, the one InvalidTransition, and
`transition()` — lock, state before actor, who/when/why, save, audit, notify."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation

from core.models import AuditEvent
from core.workflow import InvalidTransition, Workflow, transition
from reports.models import EXPORT_WORKFLOW, Export, ExportStatus

S = ExportStatus


def test_the_table_is_data_and_answers_what_is_allowed():
    flow = Workflow("demo", {"a": {"b", "c"}, "b": {"c"}, "c": set()})
    assert flow.allows("a", "b") and not flow.allows("b", "a") and not flow.allows("x", "a")
    assert flow.targets("c") == frozenset()
    assert flow.allowed("a", order=["c", "b", "a"]) == ["c", "b"]
    assert flow.states() == frozenset({"a", "b", "c"})


def test_a_refused_move_raises_the_one_invalid_transition_with_labels():
    with translation.override("en"), pytest.raises(InvalidTransition) as refused:
        EXPORT_WORKFLOW.check(S.DONE, S.RUNNING)
    assert str(refused.value.messages[0]) == "An export that is “Ready” cannot become “Being made”."
    assert refused.value.code == "invalid_transition"


def test_a_workflow_may_explain_a_particular_refusal():
    flow = Workflow("demo", {"open": {"shut"}, "shut": set()},
                    refusal=lambda current, target: "already shut" if current == "shut" else None)
    with pytest.raises(InvalidTransition, match="already shut"):
        flow.check("shut", "shut")
    with pytest.raises(InvalidTransition) as refused:
        flow.check("open", "open")
    assert "already shut" not in str(refused.value)


@pytest.fixture
def export(db, admin_user):
    return Export.objects.create(requested_by=admin_user, period_start=dt.date(2026, 1, 1),
                                 period_end=dt.date(2026, 12, 31))


@pytest.mark.django_db(transaction=True)
def test_transition_moves_saves_audits_and_notifies_after_the_state_check(export, admin_user):
    told = []
    with transaction.atomic():
        moved = transition(export, EXPORT_WORKFLOW, S.RUNNING, actor=admin_user, action="export_start",
                           authorize=lambda obj: None, stamp={"at": "started_at"},
                           notify=lambda obj, before: told.append((obj.pk, before)))
    export.refresh_from_db()
    assert export.status == S.RUNNING == moved.status and export.started_at is not None
    row = AuditEvent.objects.get(action="export_start")
    assert (row.from_state, row.to_state, row.actor) == (S.QUEUED, S.RUNNING, admin_user)
    assert row.object_type == "reports.export" and row.object_id == str(export.pk)
    assert told == [(export.pk, S.QUEUED)]


@pytest.mark.django_db(transaction=True)
def test_an_illegal_move_changes_nothing_and_is_refused_before_the_actor_is_asked(export, admin_user):
    asked = []
    with pytest.raises(InvalidTransition), transaction.atomic():
        transition(export, EXPORT_WORKFLOW, S.DONE, actor=admin_user, action="export_finish",
                   authorize=lambda obj: asked.append(obj))
    export.refresh_from_db()
    assert export.status == S.QUEUED and asked == []
    assert not AuditEvent.objects.filter(action="export_finish").exists()


@pytest.mark.django_db(transaction=True)
def test_an_actor_who_may_not_is_refused_and_nothing_is_written(export, admin_user):
    def deny(obj):
        raise PermissionDenied

    with pytest.raises(PermissionDenied), transaction.atomic():
        transition(export, EXPORT_WORKFLOW, S.RUNNING, actor=admin_user, action="export_start", authorize=deny)
    export.refresh_from_db()
    assert export.status == S.QUEUED and not AuditEvent.objects.filter(action="export_start").exists()


@pytest.mark.django_db(transaction=True)
def test_transition_reads_the_state_from_the_locked_row_not_the_stale_object(export, admin_user):
    stale = Export.objects.get(pk=export.pk)
    Export.objects.filter(pk=export.pk).update(status=S.FAILED, error="x")  # someone else got there first
    with pytest.raises(InvalidTransition), transaction.atomic():
        transition(stale, EXPORT_WORKFLOW, S.RUNNING, actor=admin_user, action="export_start")
    assert Export.objects.get(pk=export.pk).status == S.FAILED
