"""Two approvers decide the same proposal at once: the row lock makes one decision win and the
other get a clear message. Needs PostgreSQL (SQLite has no row locks and serialises writers)."""

import threading

import pytest
from django.db import close_old_connections, connection

from core.workflow import InvalidTransition
from measures import services
from measures.models import Measure, MeasureEvent, MeasureStatus

from .conftest import propose

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (run with DATABASE_URL=postgres://…)")


def test_two_approvers_at_once_one_wins(case, handler, approver, other_approver):
    measure = propose(handler, case)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def decide(name, actor, approve):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            if approve:
                services.measure_approve(actor=actor, measure=Measure(pk=measure.pk), reason="Beviljas.")
            else:
                services.measure_reject(actor=actor, measure=Measure(pk=measure.pk), reason="Avslås.")
            outcomes[name] = "ok"
        except InvalidTransition as exc:
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=("a", approver, True)),
               threading.Thread(target=decide, args=("b", other_approver, False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    results = sorted(outcomes.values(), key=lambda v: v != "ok")
    assert results[0] == "ok", outcomes
    assert isinstance(results[1], InvalidTransition), outcomes
    assert "already been decided" in " ".join(results[1].messages) or "redan" in " ".join(results[1].messages)
    measure.refresh_from_db()
    assert measure.status in (MeasureStatus.APPROVED, MeasureStatus.REJECTED)
    assert MeasureEvent.objects.filter(measure=measure).exclude(to_status=MeasureStatus.PROPOSED).count() == 1
