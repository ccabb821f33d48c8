"""Training journeys in a real browser: an official enrols from the invitation link and downloads
the calendar file; the security unit records attendance and the KL 4:18a view updates. Every page
visited is checked with axe (WCAG 2.1 AA)."""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from accounts.models import User
from core.dates import format_date
from core.models import OutboxMessage
from officials.models import Official
from training import services
from training.models import Course, Enrolment, Session, TargetGroup, TrainingOffer


def english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


@pytest.fixture
def training_setup(demo):
    handler = User.objects.get(username="handler")
    course = Course.objects.create(title="Personal-security training", kind=Course.Kind.PERSONAL_SECURITY,
                                   format=Course.Format.ONSITE, target_group=TargetGroup.COVERED,
                                   description="Your own safety in the assignment.")
    today = timezone.localdate()
    offer = TrainingOffer.objects.create(kind=TrainingOffer.Kind.MANUAL, term=2026, course=course,
                                         title="Personal-security training, autumn", target_group=TargetGroup.COVERED,
                                         opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=90),
                                         required=True)
    start = (timezone.now() + dt.timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
    session = services.session_create(actor=handler, offer=offer, starts_at=start,
                                      ends_at=start + dt.timedelta(hours=3), place="Stadshuset, sal A", capacity=12)
    return {"handler": handler, "offer": offer, "session": session,
            "official": Official.objects.get(user__username="official")}


def test_official_enrols_from_the_invitation_and_downloads_the_calendar_file(page, live_server, login_as,
                                                                             axe_check, training_setup):
    session = training_setup["session"]
    services.session_invite(actor=training_setup["handler"], session=session)
    invitation = OutboxMessage.objects.get(to="official@demo.example")
    assert invitation.attachment_mimetype == "text/calendar"
    link = re.search(r"https?://\S+(/training/sessions/\d+/)", invitation.body).group(1)

    login_as(page, "official")
    english(page, live_server)
    page.goto(link)
    page.get_by_role("heading", level=1, name="Personal-security training, autumn").wait_for()
    axe_check(page, "training-session-official")
    page.get_by_role("button", name="Enrol").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("status").inner_text().startswith("You are enrolled")
    assert Enrolment.objects.get(session=session, official=training_setup["official"]).status == "enrolled"
    axe_check(page, "training-session-enrolled")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download calendar file").click()
    download = info.value
    assert download.suggested_filename.endswith(".ics")
    content = open(download.path(), encoding="utf-8").read()
    assert "BEGIN:VEVENT" in content and f"UID:training-session-{session.pk}@" in content
    href = page.get_by_role("link", name="Download calendar file").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.headers["content-type"].startswith("text/calendar")

    page.get_by_role("link", name="Back to my training").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1, name="My training").is_visible()
    axe_check(page, "training-my-training")


def test_handler_records_attendance_and_the_compliance_view_updates(page, live_server, login_as, axe_check,
                                                                    training_setup):
    session = training_setup["session"]
    official = training_setup["official"]
    services.enrolment_create(actor=training_setup["handler"], session=session, official=official)
    start = timezone.now() - dt.timedelta(hours=4)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=3))

    login_as(page, "handler")
    english(page, live_server)
    page.goto("/training/plan/compliance/")
    axe_check(page, "training-compliance-before")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Anna Lindqvist"))
    assert "Missing" in row.inner_text()

    page.goto(f"/training/plan/sessions/{session.pk}/")
    axe_check(page, "training-session-manage")
    page.get_by_label("Anna Lindqvist attended").check()
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_load_state("networkidle")
    assert "Attendance is recorded" in page.get_by_role("status").inner_text()
    axe_check(page, "training-session-attendance-saved")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="KL 4:18a").click()
    page.wait_for_load_state("networkidle")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Anna Lindqvist"))
    with translation.override("en"):  # the page is in English
        assert format_date(timezone.localdate(start)) in row.inner_text()
    axe_check(page, "training-compliance-after")


def test_security_unit_pages_are_accessible(page, live_server, login_as, axe_check, training_setup):
    from core.planner import run_planner

    handler = training_setup["handler"]
    run_planner(timezone.localdate())
    conversation = services.conversation_request(actor=handler, official=training_setup["official"],
                                                 due_by=timezone.localdate() + dt.timedelta(days=30))
    meeting = services.meeting_create(actor=handler, title="Collaboration meeting", planned_for=timezone.localdate())
    services.invitee_add(actor=handler, meeting=meeting, organisation="Police", email="kontakt@polisen.example")
    login_as(page, "handler")
    english(page, live_server)
    pages = {
        "plan": "/training/plan/", "offers": "/training/plan/offers/",
        "offer": f"/training/plan/offers/{training_setup['offer'].pk}/", "courses": "/training/plan/courses/",
        "course-new": "/training/plan/courses/new/", "conversations": "/training/plan/conversations/",
        "conversation": f"/training/plan/conversations/{conversation.pk}/",
        "meetings": "/training/plan/meetings/", "meeting": f"/training/plan/meetings/{meeting.pk}/",
        "revisions": "/training/plan/revisions/", "elections": "/training/plan/elections/",
        "reminders": "/training/reminders/", "record": f"/training/plan/officials/{training_setup['official'].pk}/record/",
    }
    for name, path in pages.items():
        page.goto(path)
        assert page.locator("h1").count() == 1
        axe_check(page, f"training-{name}")
    # A form error is tied to its field and announced.
    page.goto("/training/plan/elections/")
    page.get_by_label("Election day").fill("2030-09-08")
    page.get_by_role("button", name="Record").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".field-error").count() == 1
    axe_check(page, "training-elections-error")
