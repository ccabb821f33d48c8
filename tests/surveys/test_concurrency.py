"""One answer per invitation under concurrent submissions (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection, connections

from surveys.models import Answer, Invitation, Response
from surveys.services import AlreadyAnswered, item_bank_load, response_submit

from .conftest import invite, make_round

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _race(jobs):
    """Run each job in its own thread and database connection, released together."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            job()
            outcomes[index] = "ok"
        except AlreadyAnswered:
            outcomes[index] = "already"
        except Exception as exc:  # noqa: BLE001 — reported in the assertion
            outcomes[index] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempts", [2, 4])
def test_one_answer_per_token_under_concurrent_submissions(attempts):
    item_bank_load()
    round_ = make_round()
    invitation, token = invite(round_)
    outcomes = _race([lambda: response_submit(token=token, answers={"E1": ["yes_once"]})] * attempts)
    assert sorted(outcomes) == ["already"] * (attempts - 1) + ["ok"]
    assert Response.objects.filter(round=round_).count() == 1
    assert Answer.objects.count() == 1
    assert Invitation.objects.get(pk=invitation.pk).answered


@pytest.mark.django_db(transaction=True)
def test_different_people_answer_at_the_same_time_without_deadlock():
    item_bank_load()
    round_ = make_round()
    tokens = [invite(round_)[1] for _n in range(4)]
    outcomes = _race([lambda t=t: response_submit(token=t, answers={"E1": ["no"]}) for t in tokens])
    assert outcomes == ["ok"] * 4
    assert Response.objects.filter(round=round_).count() == 4
    assert Invitation.objects.filter(round=round_, answered=True).count() == 4


@pytest.mark.django_db(transaction=True)
def test_answering_leaves_no_transaction_id_that_singles_out_the_invitation():
    """PostgreSQL stamps each row version with the id of the transaction that wrote it (xmin).
    The submission rewrites every invitation of the round, so the response's xmin matches all
    of them, not only the one that was answered."""
    item_bank_load()
    round_ = make_round()
    invitations = [invite(round_) for _n in range(5)]
    _answered, token = invitations[2]
    response_submit(token=token, answers={"E1": ["no"]})
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM surveys_response")
        (response_xmin,) = cursor.fetchone()
        cursor.execute("SELECT id, xmin::text FROM surveys_invitation WHERE round_id = %s", [round_.pk])
        rows = cursor.fetchall()
    matching = [pk for pk, xmin in rows if xmin == response_xmin]
    assert len(matching) == 5
