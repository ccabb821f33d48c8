"""Every incidents view: allowed and denied, audit rows for reads, confidential content never
shown outside the security unit, and query budgets on the list pages."""

import io
import zipfile

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from incidents import services
from incidents.models import Case, CaseStatus, Perpetrator, PerpetratorIdentifier, Report, ReportKind

from .conftest import PDF, PNG, file_report, official_of, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(f"incidents:{name}", args=args), params)


def post(client, user, name, *args, data=None, **kwargs):
    client.force_login(user)
    return client.post(reverse(f"incidents:{name}", args=args), data or {}, **kwargs)


# ---------------------------------------------------------------- filing

def test_report_form_for_official_shows_emergency_guidance(en, official, policy):
    response = get(en, official, "report-create")
    html = response.content.decode()
    assert response.status_code == 200
    assert "112" in html and policy.unit_phone in html and policy.office_hours in html
    assert 'type="hidden" name="officials"' in html  # the official files for themselves


def test_report_form_for_party_contact_offers_only_own_members(en, party_contact, official, other_official):
    party_contact.first_name, party_contact.last_name = "Kim", "Partikontor"  # not a random surname
    party_contact.save()
    html = get(en, party_contact, "report-create").content.decode()
    assert "Lindqvist" in html and "Johansson" not in html


@pytest.mark.parametrize("persona", ["admin_user", "body_officer", "approver", "on_call"])
def test_report_form_denied_to_roles_that_do_not_file(request, client, persona):
    assert get(client, request.getfixturevalue(persona), "report-create").status_code == 403


def test_filing_through_the_form_redirects_to_the_receipt(en, official):
    data = {"kinds": ["threat"], "occurred_at": "2026-11-01T10:00", "severity": "incident", "channel": "phone",
            "description": "Samtal med hot", "linked_to_assignment": "yes", "hate_crime_motive": "none",
            "perp-TOTAL_FORMS": "2", "perp-INITIAL_FORMS": "0", "perp-MIN_NUM_FORMS": "0",
            "perp-MAX_NUM_FORMS": "5", "perp-0-known": "1", "perp-0-phone": "070-123 45 67", "perp-1-known": "0",
            "attachments": upload("bild.png", PNG)}
    response = post(en, official, "report-create", data=data)
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == reverse("incidents:report-receipt", args=[report.pk])
    assert report.affected_officials.get() == official_of(official)
    assert report.perpetrators.get().known is True
    receipt = en.get(response.url).content.decode()
    assert report.reference in receipt and report.attachments.get().sha256 in receipt
    assert "Samtal med hot" not in receipt


def test_party_contact_files_for_member_through_the_form(en, party_contact, official):
    data = {"officials": [official_of(official).pk], "kinds": ["hate"], "period_start": "2026-10-01",
            "period_end": "2026-11-01", "severity": "incident", "channel": "social", "description": "Hatkampanj",
            "linked_to_assignment": "unsure", "hate_crime_motive": "unsure", "perp-TOTAL_FORMS": "0",
            "perp-INITIAL_FORMS": "0", "perp-MIN_NUM_FORMS": "0", "perp-MAX_NUM_FORMS": "5"}
    assert post(en, party_contact, "report-create", data=data).status_code == 302
    assert Report.objects.get().on_behalf


def test_party_contact_cannot_post_another_partys_member(en, party_contact, other_official):
    data = {"officials": [official_of(other_official).pk], "kinds": ["hate"], "occurred_at": "2026-11-01T10:00",
            "severity": "incident", "channel": "social", "description": "x", "linked_to_assignment": "unsure",
            "hate_crime_motive": "none", "perp-TOTAL_FORMS": "0", "perp-INITIAL_FORMS": "0",
            "perp-MIN_NUM_FORMS": "0", "perp-MAX_NUM_FORMS": "5"}
    response = post(en, party_contact, "report-create", data=data)
    assert response.status_code == 400 and not Report.objects.exists()


def test_form_requires_a_time_or_period(en, official):
    data = {"kinds": ["threat"], "severity": "incident", "channel": "phone", "description": "x",
            "linked_to_assignment": "yes", "hate_crime_motive": "none", "perp-TOTAL_FORMS": "0",
            "perp-INITIAL_FORMS": "0", "perp-MIN_NUM_FORMS": "0", "perp-MAX_NUM_FORMS": "5"}
    response = post(en, official, "report-create", data=data)
    assert response.status_code == 400
    assert "Give when it happened" in response.content.decode()


def test_receipt_denied_to_others(client, report, other_official, other_party_contact):
    assert get(client, other_official, "report-receipt", report.pk).status_code == 404
    assert get(client, other_party_contact, "report-receipt", report.pk).status_code == 404


# ---------------------------------------------------------------- a report

def test_report_detail_allowed_and_audited(client, report, official, party_contact, handler):
    for user in (official, party_contact, handler):
        assert get(client, user, "report-detail", report.pk).status_code == 200
    reads = AuditEvent.objects.filter(kind="read", action="report_view", object_id=str(report.pk))
    assert reads.count() == 3
    assert reads.filter(official_id=official_of(official).pk).count() == 3


def test_report_detail_denied(client, report, other_official, other_party_contact, admin_user, approver):
    for user in (other_official, other_party_contact, admin_user, approver):
        assert get(client, user, "report-detail", report.pk).status_code == 404


def test_report_detail_shows_campaign_matches_to_the_unit_only(en, official, other_official, handler,
                                                               party_contact):
    first = file_report(official, perpetrators=[{"email": "Troll@Example.org"}])
    second = file_report(other_official, perpetrators=[{"email": "troll@example.org "}])
    html = get(en, handler, "report-detail", second.pk).content.decode()
    assert "Possible campaign" in html and first.reference in html
    assert "Possible campaign" not in get(en, party_contact, "report-detail", first.pk).content.decode()


def test_add_evidence_allowed_for_filer(client, report, official):
    response = post(client, official, "report-add-evidence", report.pk, data={"attachments": upload("c.pdf", PDF)})
    assert response.status_code == 302 and report.attachments.count() == 1


def test_add_evidence_refused_with_message(en, report, official):
    response = post(en, official, "report-add-evidence", report.pk, data={"attachments": upload("x.svg", b"<svg/>")})
    assert response.status_code == 400 and "SVG" in response.content.decode()


def test_add_evidence_denied(client, report, party_contact, other_official):
    assert post(client, party_contact, "report-add-evidence", report.pk,
                data={"attachments": upload("c.pdf", PDF)}).status_code == 403
    assert post(client, other_official, "report-add-evidence", report.pk,
                data={"attachments": upload("c.pdf", PDF)}).status_code == 404


def test_triage_allowed(client, report, handler):
    response = post(client, handler, "report-triage", report.pk, data={"priority": "high", "handler": handler.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.priority == "high" and report.handler == handler


def test_triage_from_the_queue_with_htmx_returns_the_row(client, report, handler):
    response = post(client, handler, "report-triage", report.pk,
                    data={"priority": "urgent", "handler": "", "from": "queue"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="report-{report.pk}"' in response.content.decode()


def test_triage_denied(client, report, party_contact, official, other_party_contact):
    assert post(client, party_contact, "report-triage", report.pk, data={"priority": "high"}).status_code == 403
    assert post(client, official, "report-triage", report.pk, data={"priority": "high"}).status_code == 403
    assert post(client, other_party_contact, "report-triage", report.pk, data={"priority": "high"}).status_code == 404


def test_triage_get_is_not_allowed(client, report, handler):
    assert get(client, handler, "report-triage", report.pk).status_code == 405


def test_open_case_allowed(client, report, handler):
    response = post(client, handler, "report-open-case", report.pk,
                    data={"title": "Hot", "official": report.affected_officials.get().pk})
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("incidents:case-detail", args=[case.pk])


def test_open_case_denied(client, report, official):
    assert post(client, official, "report-open-case", report.pk, data={}).status_code == 403


def test_join_case_allowed(client, case, handler, official):
    second = file_report(official)
    response = post(client, handler, "report-join-case", second.pk, data={"case": case.pk})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.case == case


def test_join_case_with_an_unknown_case_is_a_form_error(en, report, handler):
    response = post(en, handler, "report-join-case", report.pk, data={"case": "999999"})
    assert response.status_code == 400


def test_join_case_denied(client, case, official):
    second = file_report(official)
    assert post(client, official, "report-join-case", second.pk, data={"case": case.pk}).status_code == 403


# ---------------------------------------------------------------- triage queue

def test_triage_queue_allowed(en, report, handler):
    html = get(en, handler, "triage").content.decode()
    assert report.reference in html


@pytest.mark.parametrize("persona", ["official", "party_contact", "approver", "on_call", "admin_user"])
def test_triage_queue_denied(request, client, persona):
    assert get(client, request.getfixturevalue(persona), "triage").status_code == 403


def test_triage_queue_has_no_party_filter(en, handler):
    html = get(en, handler, "triage").content.decode()
    assert 'name="party"' not in html


def test_triage_queue_orders_new_unassigned_first(handler, official):
    assigned = file_report(official)
    services.report_triage(actor=handler, report=assigned, priority="urgent", handler=handler)
    fresh = file_report(official)
    from incidents.selectors import triage_queue

    assert list(triage_queue(handler))[:2] == [fresh, assigned]


def test_triage_queue_filters(client, handler, official):
    from incidents.selectors import triage_queue

    threat = file_report(official, kinds=["threat"], channel="letter")
    file_report(official, kinds=["hate"], channel="social")
    assert list(triage_queue(handler, kind="threat")) == [threat]
    assert list(triage_queue(handler, channel="letter")) == [threat]
    assert list(triage_queue(handler, priority="none")).__len__() == 2
    assert list(triage_queue(handler, handler="none")).__len__() == 2
    assert list(triage_queue(handler, age="older")) == []
    assert len(list(triage_queue(handler, age="day"))) == 2
    response = get(client, handler, "triage", kind="threat", age="week", priority="bogus", handler="x")
    assert response.status_code == 200


def _bulk_reports(n, officials, filer):
    now = timezone.now()
    reports = Report.objects.bulk_create([
        Report(filed_by=filer, filed_at=now, occurred_at=now, channel="email", description=f"r{i}") for i in range(n)])
    ReportKind.objects.bulk_create([ReportKind(report=r, kind="threat") for r in reports])
    through = Report.affected_officials.through
    through.objects.bulk_create([through(report=r, official=officials[i % len(officials)])
                                 for i, r in enumerate(reports)])
    perps = Perpetrator.objects.bulk_create([Perpetrator(report=r, email=f"p{i % 3}@x.org")
                                             for i, r in enumerate(reports)])
    PerpetratorIdentifier.objects.bulk_create([
        PerpetratorIdentifier(perpetrator=p, report=p.report, kind="email", value=p.email) for p in perps])
    return reports


def _bulk_cases(n, officials, handler):
    now = timezone.now()
    return Case.objects.bulk_create([
        Case(official=officials[i % len(officials)], handler=handler, opened_by=handler, last_activity_at=now,
             status=CaseStatus.BEING_ASSESSED) for i in range(n)])


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_triage_queue_query_budget_is_constant(client, handler, official, other_official):
    officials = [official_of(official), official_of(other_official)]
    client.force_login(handler)
    url = reverse("incidents:triage")
    _bulk_reports(10, officials, handler)
    _queries(client, url)  # warm caches (content types, policy)
    small = _queries(client, url)
    _bulk_reports(90, officials, handler)
    assert _queries(client, url) == small


def test_case_list_query_budget_is_constant(client, handler, party_contact, official, other_official):
    officials = [official_of(official), official_of(other_official)]
    for user in (handler, party_contact):
        Case.objects.all().delete()
        client.force_login(user)
        url = reverse("incidents:case-list")
        _bulk_cases(10, officials, handler)
        _queries(client, url)
        small = _queries(client, url)
        _bulk_cases(90, officials, handler)
        assert _queries(client, url) == small


# ---------------------------------------------------------------- cases

def test_case_list_for_unit_and_party(en, case, other_case, handler, party_contact):
    html = get(en, handler, "case-list").content.decode()
    assert case.reference in html and other_case.reference in html
    html = get(en, party_contact, "case-list").content.decode()
    assert case.reference in html and other_case.reference not in html
    assert "Our members' cases" in html


@pytest.mark.parametrize("persona", ["official", "admin_user", "body_officer"])
def test_case_list_denied(request, client, persona):
    assert get(client, request.getfixturevalue(persona), "case-list").status_code == 403


def test_case_list_through_a_role_scope_shows_only_scoped_cases(en, case, approver):
    """Roles with a registered case scope (the approver, the on-call officer) reach the list, and
    it shows only what their scope selects."""
    from incidents import hooks

    scope = lambda user: Q(pk__in=[])  # noqa: E731
    hooks.register_case_scope("approver", scope)
    try:
        response = get(en, approver, "case-list")
        assert response.status_code == 200 and case.reference not in response.content.decode()
    finally:
        hooks._case_scopes["approver"].remove(scope)


def test_case_list_has_no_party_filter(en, handler):
    assert 'name="party"' not in get(en, handler, "case-list").content.decode()


def test_case_detail_allowed_and_audited(client, case, official, party_contact, handler):
    for user in (official, party_contact, handler):
        assert get(client, user, "case-detail", case.pk).status_code == 200
    reads = AuditEvent.objects.filter(kind="read", action="case_view", case_id=case.pk,
                                      official_id=case.official_id)
    assert reads.count() == 3


@pytest.mark.parametrize("persona", ["other_official", "other_party_contact", "approver", "admin_user", "on_call",
                                     "body_officer"])
def test_case_detail_denied(request, client, case, persona):
    assert get(client, request.getfixturevalue(persona), "case-detail", case.pk).status_code == 404


def test_confidential_note_only_for_the_unit(en, case, handler, official, party_contact):
    services.case_add_note(actor=handler, case=case, text="HEMLIG-ANTECKNING", confidential=True)
    services.case_add_note(actor=handler, case=case, text="DELAD-ANTECKNING", confidential=False)
    assert "HEMLIG-ANTECKNING" in get(en, handler, "case-detail", case.pk).content.decode()
    for user in (official, party_contact):
        html = get(en, user, "case-detail", case.pk).content.decode()
        assert "HEMLIG-ANTECKNING" not in html and "DELAD-ANTECKNING" in html
        assert "Write a note" not in html and "Change status" not in html
    html = get(en, official, "my-cases").content.decode()
    assert "HEMLIG-ANTECKNING" not in html


CASE_POSTS = [
    ("case-status", {"to_status": "triaged", "comment": ""}),
    ("case-assign", {"handler": "", "priority": "high"}),
    ("case-title", {"title": "Ny titel"}),
    ("case-note-add", {"text": "Anteckning", "confidential": "on"}),
    ("case-contact-add", {"with_whom": "official", "way": "phone", "summary": "Samtal"}),
    ("case-link-assessment", {"official_view": "yes", "municipality_view": "yes", "reasoning": ""}),
    ("case-support-add", {"kind": "crisis", "answer": "offered"}),
    ("case-campaign", {"name": "Kampanj"}),
]


@pytest.mark.parametrize(("name", "data"), CASE_POSTS)
def test_case_action_allowed(client, case, handler, name, data):
    response = post(client, handler, name, case.pk, data=data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize(("name", "data"), CASE_POSTS)
def test_case_action_denied(client, case, official, party_contact, other_party_contact, name, data):
    assert post(client, official, name, case.pk, data=data).status_code == 403
    assert post(client, party_contact, name, case.pk, data=data).status_code == 403
    assert post(client, other_party_contact, name, case.pk, data=data).status_code == 404


def test_illegal_status_is_a_form_error_not_a_500(en, case, handler):
    response = post(en, handler, "case-status", case.pk, data={"to_status": "closedd"})
    assert response.status_code == 400


def test_police_report_allowed_and_denied(client, case, handler, official):
    report = case.reports.get()
    data = {"report": report.pk, "reported_on": timezone.localdate().isoformat(), "reference": "5000-K1-26"}
    assert post(client, official, "case-police-report", case.pk, data=data).status_code == 403
    assert post(client, handler, "case-police-report", case.pk, data=data).status_code == 302
    report.refresh_from_db()
    assert report.police_reference == "5000-K1-26"


def test_document_allowed_and_denied(client, case, handler, official):
    data = {"attachments": upload("beslut.pdf", PDF), "confidential": "on"}
    assert post(client, official, "case-document-add", case.pk, data=data).status_code == 403
    data = {"attachments": upload("beslut.pdf", PDF), "confidential": "on"}
    assert post(client, handler, "case-document-add", case.pk, data=data).status_code == 302
    assert case.documents.get().confidential


# ---------------------------------------------------------------- downloads

def test_download_allowed_with_safe_headers_and_audited(client, official, handler):
    report = file_report(official, files=[upload("bild.png", PNG)])
    attachment = report.attachments.get()
    response = get(client, official, "attachment-download", attachment.pk)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert AuditEvent.objects.filter(action="attachment_download", object_id=str(attachment.pk)).count() == 1


def test_download_denied(client, official, other_official, other_party_contact):
    attachment = file_report(official, files=[upload("bild.png", PNG)]).attachments.get()
    for user in (other_official, other_party_contact):
        assert get(client, user, "attachment-download", attachment.pk).status_code == 404


def test_evidence_package(client, handler, official):
    report = file_report(official, files=[upload("bild.png", PNG), upload("brev.pdf", PDF)])
    case = services.case_open_from_report(actor=handler, report=report)
    services.case_add_note(actor=handler, case=case, text="INTERN-NOT", confidential=True)
    services.attachment_add(actor=handler, upload=upload("hemlig.pdf", PDF), case=case, confidential=True)
    response = get(client, handler, "case-evidence-package", case.pk)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "summary.pdf" in names and "manifest.txt" in names
    manifest = archive.read("manifest.txt").decode()
    for attachment in report.attachments.all():
        assert attachment.sha256 in manifest
    assert not any("hemlig" in n for n in names)
    assert archive.read("summary.pdf").startswith(b"%PDF")
    files = [n for n in names if n.startswith("evidence/")]
    assert len(files) == 2
    assert AuditEvent.objects.filter(action="case_evidence_package", kind="export", case_id=case.pk).exists()


def test_evidence_package_denied(client, case, official, party_contact, other_party_contact):
    assert get(client, official, "case-evidence-package", case.pk).status_code == 403
    assert get(client, party_contact, "case-evidence-package", case.pk).status_code == 403
    assert get(client, other_party_contact, "case-evidence-package", case.pk).status_code == 404


# ---------------------------------------------------------------- campaigns, the official, on call

def test_campaign_pages_allowed(en, case, other_case, handler):
    campaign = services.campaign_group(actor=handler, cases=[case, other_case], name="Mejlkampanjen")
    assert "Mejlkampanjen" in get(en, handler, "campaign-list").content.decode()
    html = get(en, handler, "campaign-detail", campaign.pk).content.decode()
    assert case.reference in html and other_case.reference in html
    assert post(en, handler, "campaign-remove-case", campaign.pk, case.pk).status_code == 302
    assert list(campaign.cases.all()) == [other_case]


def test_campaign_pages_denied(client, case, handler, party_contact, official):
    campaign = services.campaign_group(actor=handler, cases=[case], name="K")
    for user in (party_contact, official):
        assert get(client, user, "campaign-list").status_code == 403
        assert get(client, user, "campaign-detail", campaign.pk).status_code == 403
        assert post(client, user, "campaign-remove-case", campaign.pk, case.pk).status_code == 403


def test_campaign_detail_unknown_is_404(client, handler):
    assert get(client, handler, "campaign-detail", 999).status_code == 404


def test_my_cases_allowed(en, case, handler, official):
    services.case_set_status(actor=handler, case=case, to_status=CaseStatus.TRIAGED)
    html = get(en, official, "my-cases").content.decode()
    assert case.reference in html and "Triaged" in html
    assert case.reports.get().reference in html


def test_my_cases_renders_hook_sections_and_nothing_when_empty(en, case, official):
    from incidents import hooks

    html = get(en, official, "my-cases").content.decode()
    assert "Decided measures" not in html

    def provider(cases, user):
        return {c.pk: [hooks.OfficialSection("Decided measures", ["Personal alarm"])] for c in cases}

    hooks.register_official_section_provider(provider)
    try:
        html = get(en, official, "my-cases").content.decode()
        assert "Decided measures" in html and "Personal alarm" in html
    finally:
        hooks._official_sections.remove(provider)


@pytest.mark.parametrize("persona", ["handler", "party_contact", "admin_user"])
def test_my_cases_denied(request, client, persona):
    assert get(client, request.getfixturevalue(persona), "my-cases").status_code == 403


def test_urgent_list_allowed(en, official, on_call):
    urgent = file_report(official, kinds=["violence"])
    calm = file_report(official, kinds=["harassment"])
    html = get(en, on_call, "urgent-list").content.decode()
    assert urgent.reference in html and calm.reference not in html


@pytest.mark.parametrize("persona", ["official", "party_contact", "approver"])
def test_urgent_list_denied(request, client, persona):
    assert get(client, request.getfixturevalue(persona), "urgent-list").status_code == 403


def test_anonymous_is_sent_to_login(client, case):
    response = client.get(reverse("incidents:case-detail", args=[case.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_home_panels(en, case, handler, official, party_contact, on_call):
    for user, text in ((handler, "new unassigned"), (official, "open case"), (party_contact, "open case of your party"),
                       (on_call, "urgent report")):
        en.force_login(user)
        assert text in en.get(reverse("accounts:home")).content.decode()


def test_navigation_links(en, handler, official):
    en.force_login(handler)
    html = en.get(reverse("accounts:home")).content.decode()
    assert reverse("incidents:triage") in html and reverse("incidents:case-list") in html
    en.force_login(official)
    html = en.get(reverse("accounts:home")).content.decode()
    assert reverse("incidents:my-cases") in html and reverse("incidents:triage") not in html


def test_support_offered_is_not_shown_to_the_party_office(en, case, handler, official, party_contact):
    services.case_record_support(actor=handler, case=case, kind="crisis", answer="accepted")
    assert "Crisis support" in get(en, official, "case-detail", case.pk).content.decode()
    assert "Crisis support" not in get(en, party_contact, "case-detail", case.pk).content.decode()
