import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation

from core.models import AuditEvent, OutboxMessage
from core.workflow import InvalidTransition
from tests.factories import UserFactory
from training import services
from training.models import Completion, Enrolment, Session, TargetGroup

from .conftest import move_to_past

E = Enrolment.Status


@pytest.fixture
def people(make_official):
    return [make_official(user=UserFactory(roles=["official"])) for _ in range(4)]


def enrol(person, session):
    return services.enrolment_create(actor=person.user, session=session, official=person)


def test_enrol_takes_a_place_then_the_waiting_list(people, make_session):
    session = make_session(capacity=2)
    statuses = [enrol(p, session).status for p in people[:3]]
    assert statuses == [E.ENROLLED, E.ENROLLED, E.WAITING]
    # The two with a place get the calendar file; the one waiting is told without one.
    assert OutboxMessage.objects.filter(attachment_mimetype="text/calendar").count() == 2
    assert OutboxMessage.objects.filter(to=people[2].user.email, attachment_name="").count() == 1
    assert AuditEvent.objects.filter(action="enrolment_create").count() == 3


def test_cancelling_a_place_moves_the_first_waiting_up(people, make_session):
    session = make_session(capacity=1)
    first, second, third = (enrol(p, session) for p in people[:3])
    services.enrolment_cancel(actor=people[0].user, enrolment=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (E.ENROLLED, E.WAITING)
    assert AuditEvent.objects.filter(action="enrolment_promote", object_id=str(second.pk)).exists()
    promoted_mail = OutboxMessage.objects.filter(to=people[1].user.email).order_by("-id").first()
    assert promoted_mail.attachment_mimetype == "text/calendar"


def test_cancelling_from_the_waiting_list_promotes_nobody(people, make_session):
    session = make_session(capacity=1)
    first, second, third = (enrol(p, session) for p in people[:3])
    services.enrolment_cancel(actor=people[1].user, enrolment=second)
    third.refresh_from_db()
    assert third.status == E.WAITING


def test_cannot_enrol_twice_but_can_again_after_cancelling(people, make_session):
    session = make_session()
    first = enrol(people[0], session)
    with pytest.raises(InvalidTransition):
        enrol(people[0], session)
    services.enrolment_cancel(actor=people[0].user, enrolment=first)
    assert enrol(people[0], session).status == E.ENROLLED


def test_the_database_refuses_two_active_enrolments(people, make_session):
    session = make_session()
    enrol(people[0], session)
    with pytest.raises(IntegrityError):
        Enrolment.objects.create(session=session, official=people[0], status=E.WAITING)


def test_an_official_cannot_enrol_someone_else(people, make_session):
    with pytest.raises(PermissionDenied):
        services.enrolment_create(actor=people[0].user, session=make_session(), official=people[1])


def test_the_security_unit_can_enrol_anyone(people, make_session, handler, make_offer):
    session = make_session(offer=make_offer(target_group=TargetGroup.COVERED))
    assert services.enrolment_create(actor=handler, session=session, official=people[0]).status == E.ENROLLED


def test_an_official_outside_the_target_group_cannot_enrol(people, make_session, make_offer):
    session = make_session(offer=make_offer(target_group=TargetGroup.COVERED))
    with pytest.raises(InvalidTransition):
        enrol(people[0], session)


@pytest.mark.parametrize("state", ["started", "cancelled", "held"])
def test_enrolment_is_closed_unless_the_session_is_upcoming(people, make_session, handler, state):
    session = make_session()
    if state == "cancelled":
        services.session_cancel(actor=handler, session=session)
    else:
        move_to_past(session)
        if state == "held":
            services.attendance_record(actor=handler, session=session, attended=[])
    with pytest.raises(InvalidTransition):
        enrol(people[0], session)


@pytest.mark.parametrize("state", [E.CANCELLED, E.ATTENDED, E.ABSENT])
def test_cancel_enrolment_from_illegal_states(people, make_session, state):
    enrolment = enrol(people[0], make_session())
    Enrolment.objects.filter(pk=enrolment.pk).update(status=state)
    with pytest.raises(InvalidTransition):
        services.enrolment_cancel(actor=people[0].user, enrolment=enrolment)


def test_session_cancel_tells_everyone_and_frees_the_places(people, make_session, handler):
    session = make_session(capacity=1)
    enrol(people[0], session), enrol(people[1], session)
    OutboxMessage.objects.all().delete()
    services.session_cancel(actor=handler, session=session, reason="Sjukdom")
    assert set(Enrolment.objects.values_list("status", flat=True)) == {E.CANCELLED}
    sent = list(OutboxMessage.objects.all())
    assert len(sent) == 2 and all("STATUS:CANCELLED" in m.attachment_content for m in sent)
    session.refresh_from_db()
    assert session.sequence == 1
    with pytest.raises(InvalidTransition):
        services.session_cancel(actor=handler, session=session)


def test_session_cancel_from_held_is_illegal(make_session, handler):
    session = move_to_past(make_session())
    services.attendance_record(actor=handler, session=session, attended=[])
    with pytest.raises(InvalidTransition):
        services.session_cancel(actor=handler, session=session)


def test_attendance_completes_the_offer_and_can_be_corrected(people, make_session, handler):
    session = make_session(capacity=2)
    came, stayed_away, waiting = (enrol(p, session) for p in people[:3])
    move_to_past(session)
    services.attendance_record(actor=handler, session=session, attended=[came.pk])
    statuses = dict(Enrolment.objects.values_list("pk", "status"))
    assert statuses == {came.pk: E.ATTENDED, stayed_away.pk: E.ABSENT, waiting.pk: E.WAITING}
    assert list(Completion.objects.values_list("official_id", "source")) == [(people[0].pk, "attended")]
    session.refresh_from_db()
    assert session.status == Session.Status.HELD and session.attendance_recorded_by == handler
    # Correction: the other one came after all, the first did not.
    services.attendance_record(actor=handler, session=session, attended=[stayed_away.pk])
    assert list(Completion.objects.values_list("official_id", flat=True)) == [people[1].pk]


def test_attendance_before_the_session_or_on_a_cancelled_one_is_refused(people, make_session, handler):
    session = make_session()
    with pytest.raises(InvalidTransition):
        services.attendance_record(actor=handler, session=session, attended=[])
    services.session_cancel(actor=handler, session=session)
    move_to_past(session)
    with pytest.raises(InvalidTransition):
        services.attendance_record(actor=handler, session=session, attended=[])


def test_attendance_refuses_strangers_and_officials(people, make_session, handler, make_offer):
    session = move_to_past(make_session())
    other = make_session()
    stranger = enrol(people[0], other)
    with pytest.raises(ValidationError):
        services.attendance_record(actor=handler, session=session, attended=[stranger.pk])
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=people[0].user, session=session, attended=[])


def test_session_must_start_in_the_future_and_end_after_start(make_offer, handler):
    now = timezone.now()
    with pytest.raises(ValidationError):
        services.session_create(actor=handler, offer=make_offer(), starts_at=now - dt.timedelta(hours=1),
                                ends_at=now + dt.timedelta(hours=1), place="x", capacity=5)
    with pytest.raises(ValidationError):
        services.session_create(actor=handler, offer=make_offer(), starts_at=now + dt.timedelta(days=1),
                                ends_at=now + dt.timedelta(hours=1), place="x", capacity=5)


def test_no_sessions_on_a_closed_offer(make_offer, handler):
    today = timezone.localdate()
    offer = make_offer(opens_on=today - dt.timedelta(days=30), closes_on=today - dt.timedelta(days=1))
    start = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(InvalidTransition):
        services.session_create(actor=handler, offer=offer, starts_at=start, ends_at=start + dt.timedelta(hours=1),
                                place="x", capacity=5)


def test_invitations_go_to_the_target_group_with_a_calendar_file(people, make_session, handler, make_official):
    make_official(covered=True)  # no user: the assignment address is used
    session = make_session()
    enrol(people[0], session)
    OutboxMessage.objects.all().delete()
    count = services.session_invite(actor=handler, session=session)
    assert count == 4  # everyone active except the one already enrolled
    message = OutboxMessage.objects.first()
    assert f"/training/sessions/{session.pk}/" in message.body
    assert message.attachment_mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in message.attachment_content
    assert f"UID:training-session-{session.pk}@" in message.attachment_content
    mail.outbox.clear()


def test_invitations_are_written_in_each_recipients_language(make_official, make_session, handler):
    """A Swedish-speaking handler sends the invitations: the official who reads Värn in English
    gets English, the one who reads it in Swedish gets Swedish (and one without an account the
    municipality's language), calendar file and all."""
    english = make_official(user=UserFactory(roles=["official"], language="en"))
    swedish = make_official(user=UserFactory(roles=["official"], language="sv"))
    no_account = make_official(work_email="utan.konto@kommun.example")
    handler.language = "sv"
    handler.save(update_fields=["language"])
    session = make_session()
    OutboxMessage.objects.all().delete()
    with translation.override("sv"):  # the handler's request
        services.session_invite(actor=handler, session=session)
    to_english = OutboxMessage.objects.get(to=english.user.email)
    assert to_english.subject.startswith("Invitation: ") and "You are invited to" in to_english.body
    assert to_english.attachment_mimetype == "text/calendar"
    for person in (swedish.user.email, no_account.work_email):
        assert OutboxMessage.objects.get(to=person).subject.startswith("Inbjudan: ")


def test_invitations_refused_for_a_started_session(make_session, handler):
    session = move_to_past(make_session())
    with pytest.raises(InvalidTransition):
        services.session_invite(actor=handler, session=session)


def test_web_course_self_report_and_handler_record(people, make_offer, web_course, handler):
    offer = make_offer(the_course=web_course)
    completion = services.completion_self_report(actor=people[0].user, offer=offer, official=people[0])
    assert completion.source == Completion.Source.SELF_REPORTED
    with pytest.raises(InvalidTransition):
        services.completion_self_report(actor=people[0].user, offer=offer, official=people[0])
    recorded = services.completion_record(actor=handler, offer=offer, official=people[1],
                                          completed_on=timezone.localdate())
    assert recorded.recorded_by == handler
    with pytest.raises(InvalidTransition):
        services.completion_record(actor=handler, offer=offer, official=people[1], completed_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.completion_record(actor=handler, offer=offer, official=people[2],
                                   completed_on=timezone.localdate() + dt.timedelta(days=1))


def test_on_site_training_cannot_be_self_reported(people, make_offer):
    with pytest.raises(InvalidTransition):
        services.completion_self_report(actor=people[0].user, offer=make_offer(), official=people[0])


def test_web_offer_invitation(people, make_offer, web_course, handler):
    offer = make_offer(the_course=web_course)
    assert services.offer_invite(actor=handler, offer=offer) == 4
    assert "https://utbildning.example/kurs" in OutboxMessage.objects.first().body
    with pytest.raises(InvalidTransition):
        services.offer_invite(actor=handler, offer=make_offer())


@pytest.mark.django_db(transaction=True)
def test_capacity_holds_when_many_enrol_at_once(make_official, make_offer, handler, settings):
    """Ten officials take the last two places at the same moment: the session row lock lets exactly
    two in (PostgreSQL; SQLite serialises writers anyway)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    people = [make_official(user=UserFactory(roles=["official"])) for _ in range(10)]
    start = timezone.now() + dt.timedelta(days=3)
    session = services.session_create(actor=handler, offer=make_offer(), starts_at=start,
                                      ends_at=start + dt.timedelta(hours=1), place="x", capacity=2)
    barrier = threading.Barrier(len(people))
    errors = []

    def worker(person):
        try:
            barrier.wait()
            services.enrolment_create(actor=person.user, session=session, official=person)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Enrolment.objects.filter(session=session, status=E.ENROLLED).count() == 2
    assert Enrolment.objects.filter(session=session, status=E.WAITING).count() == 8
