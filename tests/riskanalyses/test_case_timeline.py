"""An answer to an escalated analysis that the security unit links to a case shows on the case's
timeline (one entry of its one timeline query) for those who may see the analysis."""

import pytest
from django.urls import reverse

from core.dates import format_date
from incidents.models import Case, CaseStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_a_linked_answer_is_on_the_case_timeline_for_the_unit_and_the_party_only(
        client_for, handler, party_contact, official, escalated, member):
    case = Case.objects.create(official=member, status=CaseStatus.NEW)
    answer = reverse("riskanalyses:party-analysis-answer", args=[escalated.pk])
    assert client_for(handler).post(answer, {"advice": "Kontakta polisen.", "risk_level": "high",
                                             "case": case.pk}).status_code == 302
    entry = (f"Risk analysis {escalated.reference} (Public appearance, {format_date(escalated.occurs_on)})"
             " answered")
    url = reverse("incidents:case-detail", args=[case.pk])
    for user in (handler, party_contact):
        html = client_for(user).get(url).content.decode()
        assert entry in html and "Kontakta polisen." in html
        assert reverse("riskanalyses:party-analysis-detail", args=[escalated.pk]) in html
    response = client_for(official).get(url)
    assert response.status_code == 200 and 'id="timeline-h"' in response.content.decode()
    assert "Risk analysis" not in response.content.decode() and "Kontakta polisen." not in response.content.decode()
