"""Issue 4's journey in Chromium: an official files a report with a screenshot on a phone; the
handler triages it, opens a case, joins a second report and writes a confidential note; the
party contact of the member sees the case, the other party's contact gets 404; the official
sees the status but never the note. Zero axe violations on every page."""

import datetime as dt
import re

from django.utils import timezone

NOTE = "Konfidentiellt: gärningspersonen är känd hos polisen"


def _english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def test_report_triage_case_note_and_who_sees_what(page_phone, page, live_server, login_as, axe_check):
    from accounts.models import User
    from incidents import services
    from incidents.models import Case, Report

    # 1. The official files a report on a phone, with a screenshot as evidence.
    login_as(page_phone, "official")
    _english(page_phone, live_server)
    page_phone.goto("/incidents/report/")
    assert "112" in page_phone.locator("main").inner_text()
    axe_check(page_phone, "incidents-report-form-phone")
    screenshot = page_phone.screenshot()
    page_phone.get_by_label("Threat", exact=True).check()
    page_phone.get_by_label("Harassment").check()
    page_phone.get_by_label("Describe what happened").fill("Someone wrote that they know where I live.")
    when = timezone.localtime() - dt.timedelta(hours=3)
    page_phone.get_by_label("When did it happen?").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page_phone.get_by_label("How or where did it reach you?").select_option(label="Social media")
    page_phone.get_by_label("Account or profile (e.g. @name)").first.fill("@ArgMedborgare")
    page_phone.get_by_label("Attach evidence").set_input_files(
        files=[{"name": "screenshot.png", "mimeType": "image/png", "buffer": screenshot}])
    page_phone.get_by_role("button", name="Send the report").click()
    page_phone.wait_for_load_state("networkidle")
    assert page_phone.get_by_role("heading", level=1).inner_text().startswith("Thank you")
    report = Report.objects.get()
    assert report.attachments.get().mimetype == "image/png"
    assert report.attachments.get().sha256 in page_phone.content()
    axe_check(page_phone, "incidents-receipt-phone")

    # A second report about the same official, which the handler will join to the case.
    official = User.objects.get(username="official")
    second = services.report_file(actor=official, officials=[official.official], kinds=["threat"], channel="text",
                                  description="A text message with the same threat.",
                                  occurred_at=timezone.now() - dt.timedelta(hours=1),
                                  perpetrators=[{"handle": "argmedborgare"}])

    # 2. The handler triages the first report and opens a case.
    login_as(page, "handler")
    _english(page, live_server)
    page.goto("/incidents/triage/")
    axe_check(page, "incidents-triage-queue")
    assert page.get_by_text("Possible campaign").first.is_visible()
    page.locator(f"#report-{report.pk} th").get_by_role("link", name=report.reference).click()
    page.wait_for_load_state("networkidle")
    axe_check(page, "incidents-report-detail-handler")
    page.get_by_label("Priority").select_option("high")
    page.get_by_label("Handler").select_option(label="Sara Holm")
    page.get_by_role("button", name="Save triage").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Short title").fill("Threats on social media")
    page.get_by_role("button", name="Open case").click()
    page.wait_for_load_state("networkidle")
    case = Case.objects.get()
    assert page.get_by_role("heading", level=1).inner_text().startswith(f"Case {case.reference}")
    axe_check(page, "incidents-case-detail-handler")

    # … joins the second report to the case …
    page.goto(f"/incidents/reports/{second.pk}/")
    page.get_by_label("Case to join").select_option(str(case.pk))
    page.get_by_role("button", name="Join case").click()
    page.wait_for_load_state("networkidle")
    assert second.reference in page.locator("main").inner_text()
    assert case.reports.count() == 2

    # … moves it on and writes a confidential note.
    page.get_by_label("New status").select_option("triaged")
    page.get_by_role("button", name="Change status").click()
    page.wait_for_load_state("networkidle")
    page.locator("#note").get_by_label("Note").fill(NOTE)
    assert page.locator("#note").get_by_label(re.compile("Security unit only")).is_checked()
    page.get_by_role("button", name="Save note").click()
    page.wait_for_load_state("networkidle")
    assert NOTE in page.locator("main").inner_text()
    axe_check(page, "incidents-case-with-note")

    # 3. The party's security contact sees the member's case, without the note.
    login_as(page, "party")
    _english(page, live_server)
    page.goto("/incidents/cases/")
    axe_check(page, "incidents-party-case-list")
    page.get_by_role("link", name=case.reference).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text().startswith(f"Case {case.reference}")
    assert NOTE not in page.content()
    axe_check(page, "incidents-case-detail-party")

    # … and the other party's contact cannot reach it at all.
    login_as(page, "party2")
    response = page.goto(f"/incidents/cases/{case.pk}/")
    assert response.status == 404
    page.goto("/incidents/cases/")
    assert case.reference not in page.locator("main").inner_text()

    # 4. The official sees the status but not the note.
    login_as(page_phone, "official")
    _english(page_phone, live_server)
    page_phone.goto("/incidents/mine/")
    main = page_phone.locator("main").inner_text()
    assert case.reference in main and "Triaged" in main
    assert NOTE not in page_phone.content()
    axe_check(page_phone, "incidents-my-cases-phone")
    page_phone.get_by_role("link", name=f"Case {case.reference}").click()
    page_phone.wait_for_load_state("networkidle")
    assert NOTE not in page_phone.content()
    axe_check(page_phone, "incidents-case-detail-official-phone")


def test_refused_evidence_keeps_the_form_and_is_accessible(page_phone, live_server, login_as, axe_check):
    from incidents.models import Report

    login_as(page_phone, "official")
    _english(page_phone, live_server)
    page_phone.goto("/incidents/report/")
    page_phone.get_by_label("Threat", exact=True).check()
    page_phone.get_by_label("Describe what happened").fill("A letter with a threat.")
    page_phone.get_by_label("When did it happen?").fill(
        (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page_phone.get_by_label("How or where did it reach you?").select_option(label="Letter")
    page_phone.get_by_label("Attach evidence").set_input_files(
        files=[{"name": "invoice.png", "mimeType": "image/png", "buffer": b"MZ\x90\x00" + b"\x00" * 200}])
    page_phone.get_by_role("button", name="Send the report").click()
    page_phone.wait_for_load_state("networkidle")
    assert "is a program" in page_phone.locator("main").inner_text()
    assert page_phone.get_by_label("Describe what happened").input_value() == "A letter with a threat."
    assert page_phone.get_by_label("Threat", exact=True).is_checked()
    assert not Report.objects.exists()
    axe_check(page_phone, "incidents-report-form-refused-file")


def test_handler_finds_officials_by_name_when_there_are_many(page, live_server, login_as, axe_check):
    """With more officials than a list can hold (a national service), the security unit finds
    the officials a report is about by name, chooses two, and files; every state is accessible."""
    from incidents.forms import ReportForm
    from incidents.models import Report
    from officials.models import Official, Party

    party = Party.objects.order_by("pk").first()
    Official.objects.bulk_create([Official(first_name="Gunborg", last_name=f"Sökbar{i:03d}", party=party)
                                  for i in range(ReportForm.LIST_UP_TO + 1)])
    login_as(page, "handler")
    _english(page, live_server)
    page.goto("/incidents/report/")
    assert page.get_by_role("heading", name="Find the officials the report is about").is_visible()
    axe_check(page, "incidents-report-form-search")

    page.get_by_role("searchbox", name="Name").fill("Sökbar007")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state("networkidle")
    axe_check(page, "incidents-report-form-found")
    page.get_by_role("link", name="Choose Gunborg Sökbar007").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("searchbox", name="Name").fill("Sökbar042")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Choose Gunborg Sökbar042").click()
    page.wait_for_load_state("networkidle")
    chosen = page.get_by_label("Who is the report about?")
    assert sorted(chosen.locator("option").all_inner_texts()) == [
        f"Gunborg Sökbar007 ({party.abbreviation})", f"Gunborg Sökbar042 ({party.abbreviation})"]
    chosen.select_option(label=f"Gunborg Sökbar007 ({party.abbreviation})")
    chosen.select_option(label=[f"Gunborg Sökbar007 ({party.abbreviation})",
                                f"Gunborg Sökbar042 ({party.abbreviation})"])
    axe_check(page, "incidents-report-form-chosen")

    page.get_by_label("Threat", exact=True).check()
    page.get_by_label("Describe what happened").fill("Samma hotbrev till två ledamöter.")
    page.get_by_label("When did it happen?").fill(
        (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("How or where did it reach you?").select_option(label="Letter")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_load_state("networkidle")
    report = Report.objects.order_by("-pk").first()
    assert report.on_behalf
    assert sorted(o.last_name for o in report.affected_officials.all()) == ["Sökbar007", "Sökbar042"]
