"""Every text follows the active policy: the unit's name and contact hours on the official's pages
and in e-mails, what the official is promised about yearly security conversations (only where
the policy gives one, and to whom), and the municipality's own definitions on the report form."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.policy_profiles import policy_from_profile
from accounts.policy_texts import conversation_promise
from accounts.services import policy_load
from core.models import OutboxMessage
from officials.models import Assignment, Official
from tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def covered(official):
    """The official holds a full-time assignment (covered by KL 4:18a)."""
    AssignmentFactory(official=official.official, role=Assignment.Role.COMMISSIONER, share_percent=100)
    return official


# ---------------------------------------------------------------- the promise

@pytest.mark.parametrize(("profile", "covered", "expected"), [
    ("stockholm", True, "offers you a security conversation about your personal safety at least once a year"),
    ("stockholm", False, "yearly security conversations are for officials covered by KL 4:18a"),
    ("sigtuna", True, "gives no yearly security conversations"),
    ("sigtuna", False, "gives no yearly security conversations"),
])
def test_the_promise_follows_the_policy(profile, covered, expected):
    policy = policy_from_profile(profile)
    with translation.override("en"):
        text = conversation_promise(policy, covered=covered)
    assert expected in text and policy.unit_name in text


def test_a_policy_for_all_officials_promises_everyone():
    policy = policy_from_profile("sigtuna")
    policy.yearly_conversations = "all"
    with translation.override("en"):
        assert "at least once a year" in conversation_promise(policy, covered=False)


def test_my_data_promises_a_yearly_conversation_only_where_the_policy_gives_one(client_for, en, covered):
    policy_load(actor=None, profile="stockholm")
    html = client_for(covered).get(reverse("officials:me")).content.decode()
    assert "Säkerhetsavdelningen, stadsledningskontoret offers you a security conversation" in html
    policy_load(actor=None, profile="sigtuna")
    html = client_for(covered).get(reverse("officials:me")).content.decode()
    assert "at least once a year" not in html and "yearly security conversation." not in html
    assert "gives no yearly security conversations. Ask Trygghetsenheten" in html


def test_my_data_is_denied_to_the_unit(client_for, handler):
    assert client_for(handler).get(reverse("officials:me")).status_code in (403, 404)


def test_the_officials_home_names_the_unit_its_hours_and_the_promise(client_for, en, official):
    policy_load(actor=None, profile="sigtuna")
    html = client_for(official).get(reverse("accounts:home")).content.decode()
    assert "Trygghetsenheten: 08-591 260 00, trygghetsenheten@sigtuna.example (office hours: Vardagar 08.00–16.30)" \
        in html
    assert "gives no yearly security conversations" in html


# ---------------------------------------------------------------- the report form

def test_the_vasteras_report_form_shows_its_definitions(client_for, official):
    policy_load(actor=None, profile="vasteras")
    html = client_for(official).get(reverse("incidents:report-create")).content.decode()
    assert 'id="kind-definitions"' in html
    assert "Hot innebär att någon hotar att skada dig eller din egendom." in html
    assert "Ett gemensamt samlingsnamn för hot, hat och våld är begreppet otillåten påverkan." in html


def test_the_definitions_in_english_for_an_english_reader(client_for, en, official):
    policy_load(actor=None, profile="vasteras")
    html = client_for(official).get(reverse("incidents:report-create")).content.decode()
    assert "the definitions of Västerås stad" in html and "A threat means that someone threatens" in html


def test_a_policy_without_definitions_shows_none(client_for, official):
    policy_load(actor=None, profile="sigtuna")
    html = client_for(official).get(reverse("incidents:report-create")).content.decode()
    assert 'id="kind-definitions"' not in html


def test_the_report_form_names_the_unit_and_its_hours(client_for, en, official):
    policy_load(actor=None, profile="sigtuna")
    html = client_for(official).get(reverse("incidents:report-create")).content.decode()
    assert "Tell Trygghetsenheten what happened." in html and "Vardagar 08.00–16.30" in html
    assert "Tell the security unit" not in html


def test_the_report_form_is_denied_to_the_approver(client_for, approver):
    assert client_for(approver).get(reverse("incidents:report-create")).status_code == 403


# ---------------------------------------------------------------- e-mails and other pages

def test_the_case_opened_e_mail_names_the_unit(official, handler, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from incidents import services

    policy_load(actor=None, profile="sigtuna")
    official.language = "en"
    official.save()
    person = Official.objects.get(user=official)
    report = services.report_file(actor=official, officials=[person], kinds=["threat"], channel="email",
                                  description="Hot.", occurred_at=timezone.now())
    OutboxMessage.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_open_from_report(actor=handler, report=report)
    [mail] = OutboxMessage.objects.filter(to=official.email)
    assert mail.subject == "Trygghetsenheten has opened a case for you"


def test_the_access_log_names_the_unit_to_contact(client_for, en, official):
    policy_load(actor=None, profile="uppsala")
    html = client_for(official).get(reverse("accounts:my-access-log")).content.decode()
    assert "contact Säkerhetsavdelningen: 018-727 00 00 (Vardagar 08.00–17.00)" in html
