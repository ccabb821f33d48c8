"""The municipality's own words in Swedish (DOMAIN.md › Words in the interface): "Antal" for a
count, "Format" for a file type, and no English field names or codes ("email, handle, phone")
printed in a Swedish page."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.services import policy_load
from incidents import services as incidents
from incidents.models import Kind, PerpetratorIdentifier
from tests.surveys.conftest import answered_round, item_bank, safety_sheet  # noqa: F401  (item_bank: a fixture)


def sv(message: str) -> str:
    with translation.override("sv"):
        return gettext(message)


@pytest.mark.parametrize(("msgid", "swedish"), [
    ("Count", "Antal"),        # a count is "Antal", never "Nummer"
    ("Format", "Format"),      # a file type is a "Format", not a "Form"
    ("format", "format"),
    ("Account handle", "Kontonamn"),
    ("E-mail", "E-post"),
    ("Phone", "Telefon"),
])
def test_the_catalogue_uses_the_municipalitys_words(msgid, swedish):
    assert sv(msgid) == swedish


@pytest.mark.django_db
def test_identifiers_two_reports_share_are_named_in_swedish_not_by_their_codes(client_for, official,
                                                                              other_official, handler):
    policy_load(actor=None, profile="vasteras")
    kwargs = {"kinds": [Kind.THREAT], "channel": "email", "description": "Hotfullt mejl.",
              "occurred_at": dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)}
    perpetrator = {"email": "troll@example.org", "handle": "@ArgMedborgare", "phone": "070-123 45 67"}
    incidents.report_file(actor=official, officials=[official.official], perpetrators=[perpetrator], **kwargs)
    second = incidents.report_file(actor=other_official, officials=[other_official.official],
                                   perpetrators=[perpetrator], **kwargs)
    page = client_for(handler).get(reverse("incidents:report-detail", args=[second.pk])).content.decode()
    shared = re.search(re.escape(sv("shares")) + r": ([^<]*)</li>", page)
    assert shared is not None
    names = shared.group(1).split(", ")
    with translation.override("sv"):
        expected = {str(PerpetratorIdentifier.IdKind(k).label) for k in ("email", "handle", "phone")}
    assert expected <= set(names)  # "E-post", "Kontonamn", "Telefon"
    assert not {"email", "handle", "phone", "name"} & set(names)


@pytest.mark.django_db
def test_survey_results_count_the_answers_under_antal(client_for, handler, item_bank):  # noqa: F811
    round_ = answered_round([safety_sheet("woman", E1="yes_once")] * 3 + [safety_sheet("man")] * 3)
    page = client_for(handler).get(reverse("surveys:round-results", args=[round_.pk])).content.decode()
    headers = re.findall(r'<th scope="col">([^<]*)</th>', page)
    assert "Antal" in headers
    assert "Nummer" not in headers
