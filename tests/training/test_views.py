"""Every view: allowed and denied; bad input gives errors, not 500s; list pages keep a constant
number of queries."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from core.models import Reminder
from core.reminders import reminder_ensure
from tests.factories import UserFactory
from training import services
from training.models import (
    CollaborationMeeting,
    Completion,
    Course,
    Enrolment,
    ExtraElection,
    RevisionTask,
    SecurityConversation,
    Session,
    TargetGroup,
)

from .conftest import move_to_past


@pytest.fixture
def world(db, handler, covered_official, make_offer, web_course, make_session):
    """One of everything, owned by the `official` persona where it is personal."""
    person = covered_official.official
    offer = make_offer()
    web = make_offer(the_course=web_course, title="Webbkurs")
    covered_only = make_offer(target_group=TargetGroup.COVERED, title="Riktad")
    session = make_session(offer=offer)
    covered_session = make_session(offer=covered_only)
    enrolment = services.enrolment_create(actor=covered_official, session=session, official=person)
    conversation = services.conversation_request(actor=handler, official=person,
                                                 due_by=timezone.localdate() + dt.timedelta(days=20))
    services.conversation_book(actor=handler, conversation=conversation, place="Rum 1",
                               booked_for=timezone.now() + dt.timedelta(days=2))
    meeting = services.meeting_create(actor=handler, title="Samverkansmöte 1", planned_for=timezone.localdate())
    invitee = services.invitee_add(actor=handler, meeting=meeting, organisation="Polisen", email="p@polisen.example")
    revision = RevisionTask.objects.create(term=2026, election_date=dt.date(2030, 9, 8), opens_on=dt.date(2029, 1, 1),
                                           due_by=dt.date(2029, 12, 31))
    reminder, _ = reminder_ensure(kind="training.test", obj=meeting, due_on=timezone.localdate(),
                                  message="Skicka kallelse", recipients_role=Role.SECURITY_HANDLER)
    election = services.extra_election_record(actor=handler, election_date=dt.date(2031, 3, 2))
    return {"offer": offer, "web": web, "covered_only": covered_only, "session": session,
            "covered_session": covered_session, "enrolment": enrolment, "conversation": conversation,
            "meeting": meeting, "invitee": invitee, "revision": revision, "reminder": reminder,
            "election": election, "person": person, "course": offer.course}


MANAGE_GET = [
    ("training:plan-overview", None), ("training:election-list", None), ("training:course-list", None),
    ("training:course-create", None), ("training:course-edit", "course"), ("training:offer-list", None),
    ("training:offer-create", None), ("training:offer-detail", "offer"), ("training:session-manage", "session"),
    ("training:record-detail", "person"), ("training:compliance-view", None),
    ("training:conversation-list", None), ("training:conversation-create", None),
    ("training:conversation-detail", "conversation"), ("training:meeting-list", None),
    ("training:meeting-create", None), ("training:meeting-detail", "meeting"), ("training:revision-list", None),
]
MANAGE_POST = [
    ("training:election-delete", "election"), ("training:session-create", "offer"),
    ("training:offer-invite", "web"), ("training:completion-record", "offer"), ("training:session-invite", "session"),
    ("training:session-cancel", "session"), ("training:session-enrol-official", "session"),
    ("training:session-attendance", "session"), ("training:conversation-book", "conversation"),
    ("training:conversation-hold", "conversation"), ("training:conversation-notes", "conversation"),
    ("training:conversation-cancel", "conversation"), ("training:meeting-edit", "meeting"),
    ("training:meeting-invitee-add", "meeting"), ("training:meeting-invite", "meeting"),
    ("training:meeting-hold", "meeting"), ("training:meeting-minutes", "meeting"),
    ("training:meeting-cancel", "meeting"), ("training:revision-done", "revision"),
]


def url(world, name, key):
    return reverse(name, args=[world[key].pk]) if key else reverse(name)


@pytest.mark.parametrize(("name", "key"), MANAGE_GET)
def test_security_unit_pages_open_for_the_unit(world, client_for, handler, name, key):
    response = client_for(handler).get(url(world, name, key))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "key"), MANAGE_GET + MANAGE_POST)
@pytest.mark.parametrize("persona", ["covered_official", "party_contact", "approver"])
def test_security_unit_pages_are_denied_to_others(world, client_for, request, persona, name, key):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    response = client.post(url(world, name, key), {}) if (name, key) in MANAGE_POST else \
        client.get(url(world, name, key))
    assert response.status_code == 403


def test_unknown_objects_are_404_for_the_unit(world, client_for, handler):
    client = client_for(handler)
    for name in ("training:offer-detail", "training:session-manage", "training:conversation-detail",
                 "training:meeting-detail", "training:record-detail", "training:course-edit"):
        assert client.get(reverse(name, args=[999999])).status_code == 404
    assert client.post(reverse("training:meeting-invitee-remove", args=[world["meeting"].pk, 999999])).status_code \
        == 404
    assert client.get(reverse("training:compliance-export", args=["pdf"])).status_code == 404


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(reverse("training:my-training"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---------------------------------------------------------------- official pages


def test_my_training_shows_offers_enrolments_and_conversations_but_never_notes(world, client_for, covered_official,
                                                                                handler):
    SecurityConversation.objects.filter(pk=world["conversation"].pk).update(notes="")
    services.conversation_hold(actor=handler, conversation=world["conversation"], held_on=timezone.localdate(),
                               notes="Hemlig anteckning")
    response = client_for(covered_official).get(reverse("training:my-training"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Webbkurs" in body and world["offer"].title in body and "Riktad" in body
    assert "Hemlig anteckning" not in body


def test_my_training_is_denied_without_the_official_role(world, client_for, handler):
    assert client_for(handler).get(reverse("training:my-training")).status_code == 403


def test_my_training_404_for_an_official_without_a_record(db, client_for):
    user = UserFactory(roles=[Role.OFFICIAL])
    assert client_for(user).get(reverse("training:my-training")).status_code == 404


def test_session_page_from_the_invitation(world, client_for, other_official):
    session = world["session"]
    response = client_for(other_official).get(reverse("training:session-detail", args=[session.pk]))
    assert response.status_code == 200
    assert reverse("training:session-enrol", args=[session.pk]).encode() in response.content


def test_session_page_is_404_outside_the_target_group(world, client_for, other_official):
    response = client_for(other_official).get(reverse("training:session-detail", args=[world["covered_session"].pk]))
    assert response.status_code == 404


def test_enrol_from_the_session_page(world, client_for, other_official):
    session = world["session"]
    response = client_for(other_official).post(reverse("training:session-enrol", args=[session.pk]))
    assert response.status_code == 302
    assert Enrolment.objects.filter(session=session, official=other_official.official, status="enrolled").exists()


def test_enrol_denied_outside_the_target_group(world, client_for, other_official):
    response = client_for(other_official).post(reverse("training:session-enrol", args=[world["covered_session"].pk]))
    assert response.status_code == 404
    assert not Enrolment.objects.filter(official=other_official.official).exists()


def test_enrol_twice_shows_a_message_not_an_error(world, client_for, covered_official):
    response = client_for(covered_official).post(reverse("training:session-enrol", args=[world["session"].pk]),
                                                 follow=True)
    assert response.status_code == 200
    assert list(response.context["messages"])


def test_calendar_download(world, client_for, covered_official):
    response = client_for(covered_official).get(reverse("training:session-calendar", args=[world["session"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert b"BEGIN:VEVENT" in response.content


def test_calendar_download_denied_outside_the_group(world, client_for, other_official):
    response = client_for(other_official).get(reverse("training:session-calendar",
                                                      args=[world["covered_session"].pk]))
    assert response.status_code == 404


def test_cancel_own_enrolment(world, client_for, covered_official):
    response = client_for(covered_official).post(reverse("training:enrolment-cancel",
                                                         args=[world["enrolment"].pk]), {"next": "my"})
    assert response.status_code == 302 and response["Location"] == reverse("training:my-training")
    world["enrolment"].refresh_from_db()
    assert world["enrolment"].status == "cancelled"


def test_cancel_someone_elses_enrolment_is_404(world, client_for, other_official):
    response = client_for(other_official).post(reverse("training:enrolment-cancel", args=[world["enrolment"].pk]))
    assert response.status_code == 404


def test_mark_the_web_course_done(world, client_for, covered_official):
    response = client_for(covered_official).post(reverse("training:offer-complete", args=[world["web"].pk]))
    assert response.status_code == 302
    assert Completion.objects.filter(offer=world["web"], official=world["person"], source="self").exists()


def test_mark_done_denied_to_the_security_unit(world, client_for, handler):
    assert client_for(handler).post(reverse("training:offer-complete", args=[world["web"].pk])).status_code == 403


def test_conversation_calendar_for_the_official(world, client_for, covered_official):
    response = client_for(covered_official).get(reverse("training:conversation-calendar",
                                                        args=[world["conversation"].pk]))
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.content


def test_conversation_calendar_404_for_another_official(world, client_for, other_official):
    response = client_for(other_official).get(reverse("training:conversation-calendar",
                                                      args=[world["conversation"].pk]))
    assert response.status_code == 404


# ---------------------------------------------------------------- security unit actions


def test_record_an_extra_election_and_bad_input(world, client_for, handler):
    client = client_for(handler)
    response = client.post(reverse("training:election-list"), {"election_date": "2029-04-01",
                                                                "description": "Extra val", "targeted_training": "on"})
    assert response.status_code == 302
    assert ExtraElection.objects.filter(election_date=dt.date(2029, 4, 1)).exists()
    response = client.post(reverse("training:election-list"), {"election_date": "2030-09-08"})
    assert response.status_code == 400
    assert "election_date" in response.context["form"].errors
    response = client.post(reverse("training:election-list"), {"election_date": "not a date"})
    assert response.status_code == 400


def test_delete_extra_election(world, client_for, handler):
    client_for(handler).post(reverse("training:election-delete", args=[world["election"].pk]))
    assert not ExtraElection.objects.filter(pk=world["election"].pk).exists()


def test_course_create_and_edit(world, client_for, handler):
    client = client_for(handler)
    data = {"title": "Hot i sociala medier", "description": "", "kind": "other", "format": "onsite",
            "target_group": "all", "web_url": "", "is_active": "on"}
    assert client.post(reverse("training:course-create"), data).status_code == 302
    course = Course.objects.get(title="Hot i sociala medier")
    data["title"] = "Hot och hat i sociala medier"
    assert client.post(reverse("training:course-edit", args=[course.pk]), data).status_code == 302
    course.refresh_from_db()
    assert course.title == "Hot och hat i sociala medier"
    assert client.post(reverse("training:course-create"), {"title": ""}).status_code == 400


def test_offer_create(world, client_for, handler):
    client = client_for(handler)
    response = client.post(reverse("training:offer-create"), {
        "course": world["course"].pk, "title": "Extra utbildning", "target_group": "all",
        "opens_on": "2026-11-01", "closes_on": "2026-12-01"})
    assert response.status_code == 302
    response = client.post(reverse("training:offer-create"), {
        "course": world["course"].pk, "title": "Bad", "target_group": "all",
        "opens_on": "2026-12-01", "closes_on": "2026-11-01"})
    assert response.status_code == 400 and "closes_on" in response.context["form"].errors


def test_session_create_and_bad_input(world, client_for, handler):
    client = client_for(handler)
    start = (timezone.localtime() + dt.timedelta(days=10)).replace(second=0, microsecond=0)
    data = {"starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "place": "Sal B", "capacity": 12}
    response = client.post(reverse("training:session-create", args=[world["offer"].pk]), data)
    assert response.status_code == 302
    assert Session.objects.filter(place="Sal B", capacity=12).exists()
    past = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("training:session-create", args=[world["offer"].pk]),
                           {**data, "starts_at": past})
    assert response.status_code == 400
    assert "starts_at" in response.context["session_form"].errors
    response = client.post(reverse("training:session-create", args=[world["offer"].pk]), {**data, "capacity": 0})
    assert response.status_code == 400


def test_session_invite_enrol_cancel_and_attendance(world, client_for, handler, other_official):
    client = client_for(handler)
    session = world["session"]
    assert client.post(reverse("training:session-invite", args=[session.pk])).status_code == 302
    session.refresh_from_db()
    assert session.invited_at is not None
    response = client.post(reverse("training:session-enrol-official", args=[session.pk]),
                           {"official": other_official.official.pk})
    assert response.status_code == 302
    response = client.post(reverse("training:session-enrol-official", args=[session.pk]), {"official": "x"})
    assert response.status_code == 400
    move_to_past(session)
    response = client.post(reverse("training:session-attendance", args=[session.pk]),
                           {"attended": [world["enrolment"].pk]})
    assert response.status_code == 302
    assert Completion.objects.filter(official=world["person"], offer=world["offer"]).exists()
    response = client.post(reverse("training:session-attendance", args=[session.pk]), {"attended": ["nope"]},
                           follow=True)
    assert response.status_code == 200 and list(response.context["messages"])


def test_session_cancel_view(world, client_for, handler):
    client_for(handler).post(reverse("training:session-cancel", args=[world["session"].pk]), {"reason": "Sjuk"})
    world["session"].refresh_from_db()
    assert world["session"].status == "cancelled"


def test_completion_record_view(world, client_for, handler, other_official):
    client = client_for(handler)
    response = client.post(reverse("training:completion-record", args=[world["web"].pk]),
                           {"official": other_official.official.pk, "completed_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    response = client.post(reverse("training:completion-record", args=[world["web"].pk]),
                           {"official": other_official.official.pk, "completed_on": timezone.localdate().isoformat()})
    assert response.status_code == 400  # already recorded: an error tied to the form


def test_offer_invite_view(world, client_for, handler):
    response = client_for(handler).post(reverse("training:offer-invite", args=[world["web"].pk]), follow=True)
    assert response.status_code == 200
    world["web"].refresh_from_db()
    assert world["web"].invitations_sent_at is not None


def test_conversation_views(world, client_for, handler, covered_official):
    client = client_for(handler)
    conversation = world["conversation"]
    response = client.post(reverse("training:conversation-book", args=[conversation.pk]),
                           {"booked_for": "2001-01-01T10:00", "duration_minutes": 60, "place": "x"})
    assert response.status_code == 400 and "booked_for" in response.context["book_form"].errors
    response = client.post(reverse("training:conversation-hold", args=[conversation.pk]),
                           {"held_on": timezone.localdate().isoformat(), "notes": "Anteckning"})
    assert response.status_code == 302
    response = client.post(reverse("training:conversation-notes", args=[conversation.pk]), {"notes": "Ny"})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.notes == "Ny"
    response = client.post(reverse("training:conversation-cancel", args=[conversation.pk]), follow=True)
    assert response.status_code == 200 and list(response.context["messages"])  # held: cannot cancel
    response = client.post(reverse("training:conversation-create"),
                           {"official": world["person"].pk, "due_by": "2027-01-31"})
    assert response.status_code == 302
    assert SecurityConversation.objects.filter(reason="requested", due_by=dt.date(2027, 1, 31)).exists()


def test_conversation_detail_shows_notes_to_the_unit_and_is_audited(world, client_for, handler):
    from core.models import AuditEvent

    SecurityConversation.objects.filter(pk=world["conversation"].pk).update(status="held",
                                                                            held_on=timezone.localdate())
    services.conversation_update_notes(actor=handler, conversation=world["conversation"], notes="Synlig för enheten")
    response = client_for(handler).get(reverse("training:conversation-detail", args=[world["conversation"].pk]))
    assert "Synlig för enheten" in response.content.decode()
    assert AuditEvent.objects.filter(action="conversation_view", actor=handler).exists()


def test_meeting_views(world, client_for, handler):
    client = client_for(handler)
    meeting = world["meeting"]
    start = (timezone.localtime() + dt.timedelta(days=5)).replace(second=0, microsecond=0)
    data = {"title": meeting.title, "planned_for": start.date().isoformat(),
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "place": "Polishuset",
            "agenda": "1. Läget"}
    assert client.post(reverse("training:meeting-edit", args=[meeting.pk]), data).status_code == 302
    bad = {**data, "ends_at": ""}
    assert client.post(reverse("training:meeting-edit", args=[meeting.pk]), bad).status_code == 400
    assert client.post(reverse("training:meeting-invitee-add", args=[meeting.pk]),
                       {"organisation": "Säpo", "email": "sapo@example.se"}).status_code == 302
    assert client.post(reverse("training:meeting-invitee-add", args=[meeting.pk]),
                       {"organisation": "", "email": "bad"}).status_code == 400
    assert client.post(reverse("training:meeting-invite", args=[meeting.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "invited"
    assert client.post(reverse("training:meeting-invitee-remove",
                               args=[meeting.pk, world["invitee"].pk])).status_code == 302
    CollaborationMeeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2),
                                                              ends_at=timezone.now() - dt.timedelta(hours=1))
    assert client.post(reverse("training:meeting-hold", args=[meeting.pk]), {"minutes": ""}).status_code == 400
    assert client.post(reverse("training:meeting-hold", args=[meeting.pk]),
                       {"minutes": "Protokoll", "attended": []}).status_code == 302
    assert client.post(reverse("training:meeting-minutes", args=[meeting.pk]),
                       {"minutes": "Rättat protokoll"}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == ("held", "Rättat protokoll")
    response = client.post(reverse("training:meeting-cancel", args=[meeting.pk]), follow=True)
    assert list(response.context["messages"])  # held: cannot be cancelled


def test_meeting_create_view(world, client_for, handler):
    client = client_for(handler)
    assert client.post(reverse("training:meeting-create"), {"title": "Extra möte",
                                                            "planned_for": "2027-02-01"}).status_code == 302
    assert client.post(reverse("training:meeting-create"), {"title": ""}).status_code == 400


def test_revision_done_view(world, client_for, handler):
    client = client_for(handler)
    response = client.post(reverse("training:revision-done", args=[world["revision"].pk]),
                           {"done_on": "2999-01-01"})
    assert response.status_code == 400
    response = client.post(reverse("training:revision-done", args=[world["revision"].pk]),
                           {"done_on": timezone.localdate().isoformat(), "decision_reference": "KS 2029/12"})
    assert response.status_code == 302
    world["revision"].refresh_from_db()
    assert world["revision"].status == "done"


def test_reminders_allowed_for_the_unit_and_done(world, client_for, handler):
    client = client_for(handler)
    response = client.get(reverse("training:reminder-list"))
    assert response.status_code == 200 and "Skicka kallelse" in response.content.decode()
    assert client.post(reverse("training:reminder-done", args=[world["reminder"].pk])).status_code == 302
    assert Reminder.objects.get(pk=world["reminder"].pk).done_at is not None


def test_reminders_denied_to_officials_and_other_roles_reminders_404(world, client_for, covered_official,
                                                                     approver):
    assert client_for(covered_official).get(reverse("training:reminder-list")).status_code == 403
    assert client_for(approver).get(reverse("training:reminder-list")).status_code == 200
    assert client_for(approver).post(reverse("training:reminder-done", args=[world["reminder"].pk])).status_code == 404


# ---------------------------------------------------------------- compliance


def test_compliance_lists_exactly_the_covered_officials_and_what_each_misses(world, client_for, handler,
                                                                           make_official):
    spare_time = make_official(first_name="Fritids", last_name="Politiker")
    covered = make_official(covered=True, first_name="Gruppledare", last_name="Heltid")
    Completion.objects.create(official=covered, offer=world["web"], completed_on=timezone.localdate(),
                              source="recorded")
    response = client_for(handler).get(reverse("training:compliance-view"))
    rows = response.context["rows"]
    assert {r.official.pk for r in rows} == {world["person"].pk, covered.pk}
    assert spare_time.pk not in {r.official.pk for r in rows}
    by_pk = {r.official.pk: r for r in rows}
    required = {o.pk for o in response.context["offers"]}
    assert required == {world["offer"].pk, world["web"].pk, world["covered_only"].pk}
    assert {o.pk for o in by_pk[covered.pk].missing} == {world["offer"].pk, world["covered_only"].pk}
    assert {o.pk for o in by_pk[world["person"].pk].missing} == required


def test_compliance_updates_when_attendance_is_recorded(world, client_for, handler):
    client = client_for(handler)
    before = {r.official.pk: r for r in client.get(reverse("training:compliance-view")).context["rows"]}
    assert world["offer"] in before[world["person"].pk].missing
    move_to_past(world["session"])
    services.attendance_record(actor=handler, session=world["session"], attended=[world["enrolment"].pk])
    after = {r.official.pk: r for r in client.get(reverse("training:compliance-view")).context["rows"]}
    assert world["offer"] not in after[world["person"].pk].missing


def test_compliance_exports(world, client_for, handler):
    from core.models import AuditEvent

    client = client_for(handler)
    response = client.get(reverse("training:compliance-export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2 and rows[1][0] == "Anna Lindqvist"
    response = client.get(reverse("training:compliance-export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=1).value == "Anna Lindqvist"
    assert sheet.max_row == 2
    assert AuditEvent.objects.filter(kind="export", action__startswith="compliance_export").count() == 2


def test_csv_export_neutralises_formulas(world, client_for, handler):
    world["person"].first_name = "=HYPERLINK(1)"
    world["person"].save()
    response = client_for(handler).get(reverse("training:compliance-export", args=["csv"]))
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


def test_no_party_filter_anywhere(world, client_for, handler):
    client = client_for(handler)
    for name in ("training:compliance-view", "training:conversation-list", "training:offer-list"):
        content = client.get(reverse(name)).content.decode()
        assert 'name="party"' not in content


# ---------------------------------------------------------------- query budgets


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _grow(world, handler, make_official, n, offset=0):
    from training.models import TrainingOffer

    for i in range(offset, offset + n):
        person = make_official(covered=True, user=UserFactory(roles=[Role.OFFICIAL]))
        services.enrolment_create(actor=handler, session=world["session"], official=person)
        Completion.objects.create(official=person, offer=world["web"], completed_on=timezone.localdate(),
                                  source="recorded")
        services.conversation_request(actor=handler, official=person, due_by=dt.date(2027, 1, 1) + dt.timedelta(i))
        services.meeting_create(actor=handler, title=f"Möte {i}", planned_for=timezone.localdate())
        reminder_ensure(kind="training.test", obj=person.assignments.get(), due_on=timezone.localdate(),
                        message=f"R {i}", recipients_role=Role.SECURITY_HANDLER, notify_by_email=False)
        TrainingOffer.objects.create(kind="manual", term=2026, course=world["course"], title=f"Extra {i}",
                                     target_group="all", opens_on=timezone.localdate(),
                                     closes_on=timezone.localdate() + dt.timedelta(days=30))
        Course.objects.create(title=f"Kurs {i}")
        RevisionTask.objects.create(term=2000 + 4 * i, election_date=dt.date(2004 + 4 * i, 9, 12),
                                    opens_on=dt.date(2003 + 4 * i, 1, 1), due_by=dt.date(2003 + 4 * i, 12, 31))


@pytest.mark.parametrize("name", ["training:compliance-view", "training:offer-list", "training:conversation-list",
                                  "training:meeting-list", "training:reminder-list", "training:course-list",
                                  "training:revision-list", "training:plan-overview", "training:session-manage",
                                  "training:offer-detail"])
def test_list_pages_use_a_constant_number_of_queries(world, client_for, handler, make_official,
                                                     django_assert_num_queries, name):
    client = client_for(handler)
    path = reverse(name, args=[world["session" if "session" in name else "web"].pk]) if "-manage" in name or \
        "offer-detail" in name else reverse(name)
    _grow(world, handler, make_official, 2)
    client.get(path)  # warm caches (content types, session)
    small = _count(client, path)
    _grow(world, handler, make_official, 6, offset=10)
    with django_assert_num_queries(small):
        client.get(path)


def test_my_training_uses_a_constant_number_of_queries(world, client_for, covered_official, handler,
                                                       make_session, django_assert_num_queries):
    client = client_for(covered_official)
    path = reverse("training:my-training")
    client.get(path)
    small = _count(client, path)
    for _ in range(4):
        session = make_session(offer=world["offer"])
        services.enrolment_create(actor=covered_official, session=session, official=world["person"])
        make_session(offer=world["covered_only"])
    with django_assert_num_queries(small):
        client.get(path)


def test_record_detail_uses_a_constant_number_of_queries(world, client_for, handler, make_session,
                                                         django_assert_num_queries):
    client = client_for(handler)
    path = reverse("training:record-detail", args=[world["person"].pk])
    client.get(path)
    small = _count(client, path)
    for _ in range(3):
        session = make_session(offer=world["offer"])
        services.enrolment_create(actor=handler, session=session, official=world["person"])
        services.conversation_request(actor=handler, official=world["person"], due_by=dt.date(2027, 5, 1))
    with django_assert_num_queries(small):
        client.get(path)
