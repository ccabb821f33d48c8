"""The case page and filing a report cost the same number of queries whatever the size of the
case or of the security unit (issue 10): the case page reads the case and every list it shows in
one query, and filing writes each kind of row in one insert."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.models import OutboxMessage
from incidents import services
from incidents.models import CaseEvent, Kind, Report
from measures import services as measure_services
from measures.models import MeasureType
from tests.factories import OfficialFactory, UserFactory

from .conftest import PDF, PNG, file_report, official_of, upload

pytestmark = pytest.mark.django_db


def _grow_the_case(case, handler, official, n: int) -> None:
    """`n` more of everything the case page lists: reports (with kinds, perpetrators and files),
    notes, contacts, support, documents, campaigns, handlers, status changes, assessments and
    measures."""
    for i in range(n):
        report = file_report(official, kinds=[Kind.THREAT, Kind.HATE], description=f"Hot {i}",
                             perpetrators=[{"name": f"Avsändare {i}", "email": f"a{i}@example.org"}],
                             files=[upload(f"bild{i}.png", PNG, "image/png")])
        services.report_join_case(actor=handler, report=report, case=case)
        services.case_add_note(actor=handler, case=case, text=f"Anteckning {i}", confidential=bool(i % 2))
        services.case_add_contact(actor=handler, case=case, with_whom="police", way="phone", summary=f"Samtal {i}",
                                  confidential=bool(i % 2))
        services.case_record_support(actor=handler, case=case, kind="crisis")
        services.attachment_add(actor=handler, upload=upload(f"dok{i}.pdf", PDF, "application/pdf"),
                                case=case, confidential=bool(i % 2))
        services.campaign_group(actor=handler, cases=[case], name=f"Kampanj {i}")
        UserFactory(username=f"handler-extra-{i}", roles=[Role.SECURITY_HANDLER])
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.RESPONSIBILITY_ENDED,
                                 day=timezone.localdate() - dt.timedelta(days=i), actor=handler if i % 2 else None)
    services.case_record_municipality_view(actor=handler, case=case, official_view="yes", municipality_view="yes",
                                           reasoning="Tydligt.")
    party_office = UserFactory(username="party-extra", roles=[Role.PARTY_CONTACT], party=official_of(official).party)
    services.case_record_party_view(actor=party_office, case=case, party_view="yes", comment="Vi instämmer.")
    services.case_set_status(actor=handler, case=case, to_status="triaged")
    services.case_set_status(actor=handler, case=case, to_status="being_assessed")
    for likelihood in (3, 4):
        measure_services.assessment_create(
            actor=handler, case=case, answers={"A1": {"answer": "present", "comment": "Hot."}},
            likelihood=likelihood, consequence=4, conclusion="Personlarm föreslås.")
    for code in MeasureType.objects.order_by("position", "code").values_list("code", flat=True)[:n]:
        measure_services.measure_propose(actor=handler, case=case, measure_type=MeasureType.objects.get(code=code),
                                         reason="Hot mot hemmet.", estimated_cost_sek=5000)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_case_page_costs_the_same_queries_for_a_small_and_a_large_case(client_for, case, handler, official,
                                                                      django_assert_num_queries):
    client = client_for(handler)
    url = reverse("incidents:case-detail", args=[case.pk])
    client.get(url)  # warm the session
    small = _count(client, url)
    assert small <= 10

    _grow_the_case(case, handler, official, 4)
    with django_assert_num_queries(small):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('class="timeline-item') >= 4 * 7 and "Kampanj 3" in html
    assert html.count("timeline-event") == 4 and html.count("timeline-decision") == 2  # the party's and the unit's
    assert len(response.context["assign_form"].fields["handler"].choices) == 1 + 1 + 4  # "not assigned" first


def test_the_officials_own_case_page_costs_the_same_queries_small_and_large(client_for, case, handler, official,
                                                                           django_assert_num_queries):
    client = client_for(official)
    url = reverse("incidents:case-detail", args=[case.pk])
    client.get(url)
    small = _count(client, url)
    assert small <= 10

    _grow_the_case(case, handler, official, 3)
    with django_assert_num_queries(small):
        html = client.get(url).content.decode()
    assert "Anteckning 1" not in html and "Anteckning 2" in html  # the unit's own notes stay hidden


def _report_data(perpetrators: int) -> dict:
    data = {"kinds": ["threat", "hate"], "severity": "incident", "channel": "email", "description": "Hotfullt mejl.",
            "occurred_at": (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "linked_to_assignment": "yes", "hate_crime_motive": "none", "perp-TOTAL_FORMS": str(perpetrators),
            "perp-INITIAL_FORMS": "0", "perp-MIN_NUM_FORMS": "0", "perp-MAX_NUM_FORMS": "5"}
    for i in range(perpetrators):
        data.update({f"perp-{i}-name": f"Avsändare {i}", f"perp-{i}-email": f"a{i}@example.org",
                     f"perp-{i}-phone": f"070-123 45 6{i}"})
    return data


def test_filing_costs_the_same_queries_whatever_the_perpetrators_and_the_staff_told(
        client_for, official, handler, policy, django_assert_num_queries):
    policy.office_opens, policy.office_closes = dt.time(0, 0), dt.time(0, 0, 1)  # outside hours: on call told
    policy.save()
    UserFactory(username="oncall", roles=[Role.ON_CALL])
    client = client_for(official)
    url = reverse("incidents:report-create")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.post(url, _report_data(1)).status_code == 302
    assert len(small.captured_queries) <= 16

    for i in range(5):
        UserFactory(username=f"handler-extra-{i}", roles=[Role.SECURITY_HANDLER], language="en" if i % 2 else "sv")
        UserFactory(username=f"oncall-extra-{i}", roles=[Role.ON_CALL])
    OutboxMessage.objects.all().delete()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.post(url, _report_data(4)).status_code == 302
    report = Report.objects.order_by("-pk").first()
    assert report.perpetrators.count() == 4 and report.identifiers.count() == 12
    assert OutboxMessage.objects.filter(to__startswith="handler-extra").count() == 5
    assert OutboxMessage.objects.filter(to__startswith="oncall-extra").count() == 5
    assert official.has_perm("incidents.view_report", report)


def test_filing_for_several_officials_grants_each_their_report(client_for, handler, official, other_official):
    third = OfficialFactory(user=UserFactory(username="official3", roles=[Role.OFFICIAL]))
    report = services.report_file(
        actor=handler, officials=[official_of(official), official_of(other_official), third], kinds=["threat"],
        channel="email", description="Samma mejl till tre.", occurred_at=timezone.now() - dt.timedelta(hours=1))
    assert all(u.has_perm("incidents.view_report", report) for u in (official, other_official, third.user))
    assert report.on_behalf and OutboxMessage.objects.filter(subject="En händelserapport har lämnats in för din räkning").count() == 3


# ---------------------------------------------------------------- the report form for the security unit

@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_units_report_form_finds_officials_by_name_instead_of_listing_all(en, monkeypatch, handler, official,
                                                                              other_official):
    from incidents.forms import ReportForm

    monkeypatch.setattr(ReportForm, "LIST_UP_TO", 1)  # as with the 40,000 officials of the whole country
    url = reverse("incidents:report-create")
    anna, erik = official_of(official), official_of(other_official)
    en.force_login(handler)
    html = en.get(url).content.decode()
    assert 'role="search"' in html and "<option" not in html.split('name="officials"')[1].split("</select>")[0]

    html = en.get(url, {"q": "lindq"}).content.decode()
    assert f'href="?official={anna.pk}"' in html and f"official={erik.pk}" not in html

    html = en.get(url, {"official": anna.pk}).content.decode()
    assert f'<option value="{anna.pk}" selected>Anna Lindqvist (S)</option>' in html
    assert f'<input type="hidden" name="official" value="{anna.pk}">' in html  # kept by the next search


def test_the_unit_may_file_for_an_official_it_has_not_searched_for(en, monkeypatch, handler, other_official):
    from incidents.forms import ReportForm

    monkeypatch.setattr(ReportForm, "LIST_UP_TO", 1)
    data = {**_report_data(0), "officials": [official_of(other_official).pk]}
    en.force_login(handler)
    assert en.post(reverse("incidents:report-create"), data).status_code == 302
    assert Report.objects.get().affected_officials.get() == official_of(other_official)


def test_the_units_report_form_with_errors_keeps_the_chosen_official(en, monkeypatch, handler, official):
    from incidents.forms import ReportForm

    monkeypatch.setattr(ReportForm, "LIST_UP_TO", 1)
    anna = official_of(official)
    data = {**_report_data(0), "officials": [anna.pk], "description": ""}
    en.force_login(handler)
    response = en.post(reverse("incidents:report-create"), data)
    assert response.status_code == 400
    assert f'<option value="{anna.pk}" selected>' in response.content.decode()


def test_the_emails_of_a_filing_go_to_the_broker_as_one_task(official, handler, django_capture_on_commit_callbacks,
                                                            mailoutbox, monkeypatch):
    from core import tasks

    for i in range(3):
        UserFactory(username=f"handler-extra-{i}", roles=[Role.SECURITY_HANDLER])
    batches = []
    monkeypatch.setattr(tasks.deliver_outbox_batch, "delay", lambda ids: batches.append(ids) or tasks.deliver_outbox_batch(ids))
    with django_capture_on_commit_callbacks(execute=True):
        file_report(official)
    assert len(batches) == 1 and len(batches[0]) == OutboxMessage.objects.count() >= 5
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert len(mailoutbox) == len(batches[0])
