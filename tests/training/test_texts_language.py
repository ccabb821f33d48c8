"""Issue 15, point 11: text the system writes and keeps — course and offer titles the planner
made, meeting titles, the usual invitees, reminders — is shown in the READER's language, English
included; the stored column keeps the municipality's language; a text the unit rewrites is shown as
written; rows written before are given their stored texts by a data migration."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from accounts.roles import Role
from core.models import Reminder
from core.reminders import reminder_ensure
from core.texts import render, render_in, text
from officials.models import Assignment
from tests.factories import AssignmentFactory, OfficialFactory, UserFactory
from training import services
from training.models import CollaborationMeeting, Course, MeetingInvitee, TrainingOffer
from training.steps import plan_assignment_reminders, plan_meetings, plan_offers

TERM_START = dt.date(2026, 10, 15)
# Swedish words the catalogue gives the standard texts (already in locale/sv before this change).
SV_SECURITY = "personlig säkerhet"


def _in(language, obj, attr):
    """`obj.attr` read with `language` active (the reader's)."""
    with translation.override(language):
        return str(getattr(obj, attr))


# ---------------------------------------------------------------- core.texts


def test_a_stored_text_is_written_in_the_active_language_with_nested_texts_and_dates():
    stored = text(gettext_noop("Book the security conversation with %(name)s (due %(date)s)."), name="Anna Lindqvist",
                  date=dt.date(2027, 1, 5))
    english = render_in("en", stored)
    assert english == "Book the security conversation with Anna Lindqvist (due 2027-01-05)."
    swedish = render_in("sv", stored)
    assert swedish != english and "Anna Lindqvist" in swedish and "2027-01-05" in swedish
    nested = text(gettext_noop("%(role)s, %(body)s"), role=Assignment.Role.CHAIR.label, body="Kulturnämnden")
    assert render_in("en", nested) == "Chair, Kulturnämnden"
    assert render_in("sv", nested) == "Ordförande, Kulturnämnden"


def test_a_text_that_cannot_be_read_falls_back_to_the_stored_column():
    assert render(None, "as written") == "as written"
    assert render({"msgid": "%(missing)s here", "params": {"other": 1}}, "as written") == "as written"
    assert render({"no": "msgid"}, "as written") == "as written"


# ---------------------------------------------------------------- what the planner writes


@pytest.fixture
def planned(use_profile, handler):
    policy = use_profile("vasteras")
    UserFactory(username="partysec", roles=[Role.PARTY_CONTACT])
    plan_offers(TERM_START, policy)
    plan_meetings(TERM_START, policy)
    return policy


def test_planned_course_and_offer_titles_are_shown_in_the_readers_language(planned):
    course = Course.objects.get(code="personal-security")
    offer = TrainingOffer.objects.get(kind=TrainingOffer.Kind.TERM_START_SECURITY)
    assert _in("en", course, "display_title") == "Personal-security training"
    assert SV_SECURITY in _in("sv", course, "display_title").lower()
    assert _in("en", offer, "display_title") == "Personal-security training, term 2026–2030"
    swedish = _in("sv", offer, "display_title")
    assert SV_SECURITY in swedish.lower() and "2026–2030" in swedish and "Personal-security" not in swedish
    # The stored columns hold the municipality's language.
    assert offer.title == swedish and course.title == _in("sv", course, "display_title")
    assert _in("en", course, "display_description").startswith("Your own safety in the assignment")
    recurring = TrainingOffer.objects.get(kind=TrainingOffer.Kind.RECURRING)
    assert _in("en", recurring, "display_title") == (
        "Detect, prevent and handle threats, hate and violence, 1/8, term 2026–2030")


def test_planned_meeting_titles_and_usual_invitees_are_shown_in_the_readers_language(planned):
    meeting = CollaborationMeeting.objects.get()
    assert _in("en", meeting, "display_title") == "Collaboration meeting 1/4, term 2026–2030"
    assert _in("sv", meeting, "display_title") == meeting.title and "Collaboration" not in meeting.title
    police = MeetingInvitee.objects.get(meeting=meeting, organisation_text__msgid="Police")
    assert _in("en", police, "display_organisation") == "Police"
    assert _in("sv", police, "display_organisation") == "Polisen" == police.organisation


def test_a_reminder_is_shown_in_each_readers_language(planned, handler):
    reminder = Reminder.objects.get(kind="training.offer_plan",
                                    object_id=TrainingOffer.objects.get(kind=TrainingOffer.Kind.WEB_COURSE).pk)
    assert _in("en", reminder, "text") == (
        "Send the web course invitation: Web course: threats and violence against elected officials, "
        "term 2026–2030")
    swedish = _in("sv", reminder, "text")
    assert swedish == reminder.message and "Send the web course" not in swedish


def test_the_reminder_list_shows_the_reader_their_language(planned, client_for, handler):
    client = client_for(handler)
    english = UserFactory(username="handler_en", roles=[Role.SECURITY_HANDLER], language="en")
    page_sv = client.get(reverse("training:reminder-list")).content.decode()
    assert "Schedule sessions and send invitations" not in page_sv
    client.force_login(english)
    client.cookies["django_language"] = "en"
    page_en = client.get(reverse("training:reminder-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Schedule sessions and send invitations: Personal-security training, term 2026–2030" in page_en
    overview = client.get(reverse("training:plan-overview"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Collaboration meeting 1/4, term 2026–2030" in overview


def test_an_assignment_ending_reminder_names_the_role_in_the_readers_language(use_profile, db):
    person = OfficialFactory(first_name="Bo", last_name="Berg")
    AssignmentFactory(official=person, role=Assignment.Role.CHAIR, start=TERM_START, end=dt.date(2027, 1, 31))
    plan_assignment_reminders(dt.date(2027, 1, 10), use_profile("fagersta"))
    reminder = Reminder.objects.get(kind="officials.assignment_ending")
    assert "“Chair, " in _in("en", reminder, "text") and "ends on 2027-01-31" in _in("en", reminder, "text")
    assert "Ordförande, " in _in("sv", reminder, "text") == reminder.message


def test_plain_text_reminders_of_other_apps_are_shown_as_written(db, handler):
    meeting = CollaborationMeeting.objects.create(term=2026, title="Möte", planned_for=TERM_START)
    reminder, _created = reminder_ensure(kind="other.app", obj=meeting, due_on=TERM_START, message="Skriv ut",
                                         recipients_role=Role.SECURITY_HANDLER, notify_by_email=False)
    assert reminder.message_text is None and _in("en", reminder, "text") == "Skriv ut"


def test_a_title_the_unit_rewrites_is_shown_as_written_in_every_language(planned, handler):
    course = Course.objects.get(code="personal-security")
    services.course_update(actor=handler, course=course, title="Vår egen kurs", description=course.description)
    course.refresh_from_db()
    assert course.title_text is None
    assert _in("en", course, "display_title") == "Vår egen kurs"
    # The description was not changed: it still follows the reader.
    assert course.description_text is not None
    meeting = CollaborationMeeting.objects.get()
    services.meeting_update(actor=handler, meeting=meeting, title="Samverkan våren 2027",
                            planned_for=meeting.planned_for, starts_at=None, ends_at=None, place="", agenda="")
    meeting.refresh_from_db()
    assert meeting.title_text is None and _in("en", meeting, "display_title") == "Samverkan våren 2027"


def test_emails_about_a_planned_offer_use_the_recipients_language(planned, handler, make_session):
    from core.models import OutboxMessage

    english = UserFactory(username="anna_en", roles=[Role.OFFICIAL], language="en", email="anna@en.example")
    person = OfficialFactory(user=english)
    AssignmentFactory(official=person, role=Assignment.Role.COMMISSIONER, share_percent=100, start=TERM_START)
    swedish = OfficialFactory(work_email="sv@politik.example")
    AssignmentFactory(official=swedish, role=Assignment.Role.COMMISSIONER, share_percent=100, start=TERM_START)
    offer = TrainingOffer.objects.get(kind=TrainingOffer.Kind.TERM_START_SECURITY)
    services.session_invite(actor=handler, session=make_session(offer=offer))
    mail_en = OutboxMessage.objects.get(to="anna@en.example")
    assert mail_en.subject == "Invitation: Personal-security training, term 2026–2030"
    mail_sv = OutboxMessage.objects.get(to="sv@politik.example")
    assert "Personal-security" not in mail_sv.subject and SV_SECURITY in mail_sv.subject.lower()


# ---------------------------------------------------------------- the data migration


def test_rows_written_before_get_their_stored_texts(planned, handler):
    """Rows as the planner wrote them before this change (Swedish text, no stored text) get one;
    a row the unit rewrote keeps its text."""
    migration = importlib.import_module("training.migrations.0004_generated_texts_for_existing_rows")
    course = Course.objects.get(code="personal-security")
    offer = TrainingOffer.objects.get(kind=TrainingOffer.Kind.TERM_START_SECURITY)
    old_offer_title = f"{course.title} (2026–2030)"
    TrainingOffer.objects.filter(pk=offer.pk).update(title=old_offer_title, title_text=None)
    Course.objects.filter(code="personal-security").update(title_text=None, description_text=None)
    Course.objects.filter(code="web-course").update(title="Egen titel", title_text=None)
    meeting = CollaborationMeeting.objects.get()
    CollaborationMeeting.objects.filter(pk=meeting.pk).update(title_text=None)
    MeetingInvitee.objects.update(organisation_text=None)
    reminder = Reminder.objects.get(kind="training.offer_plan", object_id=offer.pk)
    with translation.override("sv"):
        old_message = translation.gettext("Schedule sessions and send invitations: %(title)s") % {
            "title": old_offer_title}
    Reminder.objects.filter(pk=reminder.pk).update(message=old_message, message_text=None)

    migration.forwards(apps, None)

    course.refresh_from_db()
    offer.refresh_from_db()
    assert _in("en", course, "display_title") == "Personal-security training"
    assert _in("en", offer, "display_title") == "Personal-security training, term 2026–2030"
    assert _in("en", Course.objects.get(code="web-course"), "display_title") == "Egen titel"
    assert _in("en", CollaborationMeeting.objects.get(), "display_title") == "Collaboration meeting 1/4, term 2026–2030"
    assert _in("en", MeetingInvitee.objects.filter(organisation="Polisen").get(), "display_organisation") == "Police"
    reminder.refresh_from_db()
    assert _in("en", reminder, "text") == "Schedule sessions and send invitations: Personal-security training, " \
                                       "term 2026–2030"
