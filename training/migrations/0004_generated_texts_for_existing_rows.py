"""Existing rows the planner wrote in the municipality's language get their stored texts (issue 15,
point 11), so that each reader sees them in their own language: the standard courses' titles and
descriptions, the planned offers' and meetings' titles, the usual meeting invitees, and the
reminders the training planner wrote. A row gets one only when its text is still exactly what the
planner wrote (the unit has not rewritten it); the rest stay as written. The standard recurring
course and its offers go to the new target group "elected officials, political secretaries and
committee secretaries" (before, "all" took in political secretaries too).

The message ids are copied here as they were when this migration was written."""

import re
from datetime import date, timedelta

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext

STANDARD = {
    "term-introduction": (
        "Introduction for elected officials: threats, hate, violence and undue influence",
        "The municipality's guideline, how to report an incident, what support you can get and who to contact. "
        "For everyone starting the term."),
    "personal-security": (
        "Personal-security training",
        "Your own safety in the assignment: risks, preparation before meetings and public appearances, at home and "
        "online."),
    "recurring": (
        "Detect, prevent and handle threats, hate and violence",
        "The recurring training for elected officials and political secretaries."),
    "pre-election-onsite": (
        "On-site training before the election",
        "For the most exposed before the election campaign: public meetings, personal security and what to do when "
        "something happens."),
    "web-course": (
        "Web course: threats and violence against elected officials",
        "The general web course, open all term. Come back to it whenever you need."),
}
TERM_OFFER = "%(course)s, term %(term)s"
RECURRING_OFFER = "%(course)s, %(number)s/%(count)s, term %(term)s"
PRE_ELECTION_OFFER = "%(course)s (election %(date)s)"
EXTRA_ELECTION_OFFER = "%(course)s (extra election %(date)s)"
MEETING = "Collaboration meeting %(number)s/%(count)s, term %(term)s"
OFFER_PLAN_WEB = "Send the web course invitation: %(title)s"
OFFER_PLAN = "Schedule sessions and send invitations: %(title)s"
CONVERSATION_DUE = "Book the security conversation with %(name)s (due %(date)s)."
MEETING_INVITE = "Set the time and send the invitations: %(title)s"
REVISION_DUE = "Revise the guideline before %(date)s (term %(term)s)."
ASSIGNMENT_ENDING = "%(name)s: the assignment “%(assignment)s” ends on %(date)s."
ROLE_AT_BODY = "%(role)s, %(body)s"


def t(msgid, **params):
    return {"msgid": msgid, "params": params}


def d(day):
    return {"date": day.isoformat()}


def term_label(year):
    return f"{year}–{year + 4}"


def election_day(year):
    first = date(year, 9, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7)


def sv(msgid, **params):
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(msgid)
        return text % params if params else text


def forwards(apps, schema_editor):
    Course = apps.get_model("training", "Course")
    TrainingOffer = apps.get_model("training", "TrainingOffer")
    CollaborationMeeting = apps.get_model("training", "CollaborationMeeting")
    MeetingInvitee = apps.get_model("training", "MeetingInvitee")
    Reminder = apps.get_model("core", "Reminder")
    ContentType = apps.get_model("contenttypes", "ContentType")

    courses = {}
    for course in Course.objects.filter(code__in=list(STANDARD)):
        title, description = STANDARD[course.code]
        fields = []
        if course.title_text is None and course.title == sv(title):
            course.title_text = t(title)
            fields.append("title_text")
        if course.description_text is None and course.description == sv(description):
            course.description_text = t(description)
            fields.append("description_text")
        if course.code == "recurring" and course.target_group == "all":
            course.target_group = "everyone"
            fields.append("target_group")
        if fields:
            course.save(update_fields=fields)
        courses[course.pk] = course
    TrainingOffer.objects.filter(kind="recurring", target_group="all").update(target_group="everyone")

    offers = {}
    for offer in TrainingOffer.objects.exclude(kind="manual").filter(title_text__isnull=True,
                                                                     course_id__in=list(courses)):
        course = courses[offer.course_id]
        if course.title_text is None or not offer.title.startswith(f"{course.title} ("):
            continue
        stored = None
        if offer.kind in ("term_intro", "term_security", "web_course"):
            if offer.title == f"{course.title} ({term_label(offer.term)})":
                stored = t(TERM_OFFER, course=course.title_text, term=term_label(offer.term))
        elif offer.kind == "recurring":
            match = re.fullmatch(r".* \((\d+)/(\d+), (\d{4})–\d{4}\)", offer.title)
            if match:
                stored = t(RECURRING_OFFER, course=course.title_text, number=int(match[1]), count=int(match[2]),
                           term=term_label(int(match[3])))
        elif offer.kind == "pre_election" and offer.period.isdigit():
            day = election_day(int(offer.period))
            if offer.title == f"{course.title} ({day.isoformat()})":
                stored = t(PRE_ELECTION_OFFER, course=course.title_text, date=d(day))
        elif offer.kind == "extra_election":
            try:
                day = date.fromisoformat(offer.period)
            except ValueError:
                day = None
            if day and offer.title == sv(EXTRA_ELECTION_OFFER, course=course.title, date=offer.period):
                stored = t(EXTRA_ELECTION_OFFER, course=course.title_text, date=d(day))
        if stored is not None:
            offer.title_text = stored
            offer.save(update_fields=["title_text"])
        offers[offer.pk] = offer

    meetings = {}
    for meeting in CollaborationMeeting.objects.filter(number__isnull=False, title_text__isnull=True):
        match = re.search(r"(\d+)/(\d+)", meeting.title)
        if match and int(match[1]) == meeting.number:
            params = {"number": meeting.number, "count": int(match[2]), "term": term_label(meeting.term)}
            if meeting.title == sv(MEETING, **params):
                meeting.title_text = t(MEETING, **params)
                meeting.save(update_fields=["title_text"])
        meetings[meeting.pk] = meeting

    for invitee in MeetingInvitee.objects.filter(organisation_text__isnull=True, meeting__number__isnull=False) \
            .select_related("user__party"):
        stored = None
        for msgid in ("Police", "Swedish Security Service (Säpo)", "Party security organisation"):
            if invitee.organisation == sv(msgid):
                stored = t(msgid)
        party = invitee.user.party if invitee.user_id and invitee.user.party_id else None
        if party is not None and invitee.organisation == sv("%(party)s, security organisation", party=party.name):
            stored = t("%(party)s, security organisation", party=party.name)
        if stored is not None:
            invitee.organisation_text = stored
            invitee.save(update_fields=["organisation_text"])

    def content_type(app_label, model):
        return ContentType.objects.filter(app_label=app_label, model=model).first()

    def reminders(kind, ct):
        if ct is None:
            return Reminder.objects.none()
        return Reminder.objects.filter(kind=kind, content_type=ct, message_text__isnull=True)

    def fix(reminder, stored, old):
        if reminder.message == old[:300]:
            reminder.message_text = stored
            reminder.save(update_fields=["message_text"])

    ct = content_type("training", "trainingoffer")
    for reminder in reminders("training.offer_plan", ct):
        offer = offers.get(reminder.object_id) or TrainingOffer.objects.filter(pk=reminder.object_id).first()
        if offer is None:
            continue
        web = Course.objects.filter(pk=offer.course_id, format="web").exists()
        msgid = OFFER_PLAN_WEB if web else OFFER_PLAN
        fix(reminder, t(msgid, title=offer.title_text or offer.title), sv(msgid, title=offer.title))

    SecurityConversation = apps.get_model("training", "SecurityConversation")
    for reminder in reminders("training.conversation_due", content_type("training", "securityconversation")):
        c = SecurityConversation.objects.filter(pk=reminder.object_id).select_related("official").first()
        if c is None:
            continue
        name = f"{c.official.first_name} {c.official.last_name}"
        fix(reminder, t(CONVERSATION_DUE, name=name, date=d(c.due_by)),
            sv(CONVERSATION_DUE, name=name, date=c.due_by.isoformat()))

    for reminder in reminders("training.meeting_invite", content_type("training", "collaborationmeeting")):
        m = meetings.get(reminder.object_id) or CollaborationMeeting.objects.filter(pk=reminder.object_id).first()
        if m is not None:
            fix(reminder, t(MEETING_INVITE, title=m.title_text or m.title), sv(MEETING_INVITE, title=m.title))

    RevisionTask = apps.get_model("training", "RevisionTask")
    for reminder in reminders("training.revision_due", content_type("training", "revisiontask")):
        r = RevisionTask.objects.filter(pk=reminder.object_id).first()
        if r is not None:
            fix(reminder, t(REVISION_DUE, date=d(r.due_by), term=term_label(r.term)),
                sv(REVISION_DUE, date=r.due_by.isoformat(), term=term_label(r.term)))

    Assignment = apps.get_model("officials", "Assignment")
    role_labels = dict(Assignment._meta.get_field("role").choices)
    for reminder in reminders("officials.assignment_ending", content_type("officials", "assignment")):
        a = Assignment.objects.filter(pk=reminder.object_id).select_related("official", "body").first()
        if a is None or a.end is None:
            continue
        name = f"{a.official.first_name} {a.official.last_name}"
        role = str(role_labels.get(a.role, a.role))
        stored = t(ASSIGNMENT_ENDING, name=name, assignment=t(ROLE_AT_BODY, role=t(role), body=a.body.name),
                   date=d(a.end))
        fix(reminder, stored, sv(ASSIGNMENT_ENDING, name=name, assignment=f"{sv(role)}, {a.body.name}",
                                 date=a.end.isoformat()))


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_reminder_message_text"),
        ("officials", "0008_assignment_designated_by_party_committee_secretary"),
        ("training", "0003_generated_texts_budget_added_officials"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
