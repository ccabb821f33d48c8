"""Reminders through the planner when an analysis's date approaches without a judgement —
idempotent: a second run on the same day (or the next) creates nothing new."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Policy
from accounts.roles import Role
from core.models import OutboxMessage, Reminder
from core.planner import steps
from riskanalyses import services
from riskanalyses.models import BodyRiskAnalysis, PartyRiskAnalysis
from riskanalyses.planner import plan_risk_analysis_reminders
from tests.factories import UserFactory

from .conftest import in_days, make_body_analysis, make_party_analysis


def _run(day=None):
    return plan_risk_analysis_reminders(day or timezone.localdate(), Policy.current())


def _reminders(model):
    return Reminder.objects.filter(content_type=ContentType.objects.get_for_model(model))


def test_the_step_is_registered():
    assert steps()["riskanalyses.reminders"] is plan_risk_analysis_reminders


def test_unjudged_party_analysis_within_three_days_reminds_its_author_once(party_contact, member):
    soon = make_party_analysis(party_contact, [member], occurs_on=in_days(2))
    make_party_analysis(party_contact, [member], occurs_on=in_days(10))  # not yet
    make_party_analysis(party_contact, [member], occurs_on=in_days(1), judgement="low")  # judged
    first = _run()
    assert first == [f"riskanalyses.party_unjudged {soon.pk}"]
    reminder = _reminders(PartyRiskAnalysis).get()
    assert reminder.recipient == party_contact and reminder.due_on == soon.occurs_on
    assert soon.reference in reminder.message and "Lindqvist" not in reminder.message
    mails = OutboxMessage.objects.filter(to=party_contact.email).count()
    assert _run() == []
    assert _run(timezone.localdate() + timezone.timedelta(days=1)) == []
    assert _reminders(PartyRiskAnalysis).count() == 1
    assert OutboxMessage.objects.filter(to=party_contact.email).count() == mails


def test_judging_closes_the_reminder(party_contact, member):
    analysis = make_party_analysis(party_contact, [member], occurs_on=in_days(1))
    _run()
    services.party_analysis_judge(actor=party_contact, analysis=analysis, judgement="moderate")
    assert _reminders(PartyRiskAnalysis).get().done_at is not None


def test_another_contact_of_the_party_is_reminded_when_the_author_has_left(party_contact, member, party):
    analysis = make_party_analysis(party_contact, [member], occurs_on=in_days(3))
    colleague = UserFactory(username="party-b", roles=[Role.PARTY_CONTACT])
    colleague.party = party
    colleague.save()
    party_contact.party = None
    party_contact.save()
    _run()
    reminder = _reminders(PartyRiskAnalysis).get()
    assert reminder.recipient == colleague and reminder.object_id == analysis.pk


def test_unanswered_escalation_reminds_the_security_unit(party_contact, member, handler):
    analysis = make_party_analysis(party_contact, [member], occurs_on=in_days(1), judgement="cannot_judge",
                                   question="?")
    _run()
    reminder = _reminders(PartyRiskAnalysis).get(kind="riskanalyses.escalation_unanswered")
    assert reminder.recipients_role == Role.SECURITY_HANDLER and reminder.object_id == analysis.pk
    assert _run() == []
    services.party_analysis_answer(actor=handler, analysis=analysis, advice="Råd")
    reminder.refresh_from_db()
    assert reminder.done_at is not None


def test_draft_body_analysis_reminds_its_officer(officer, member):
    draft = make_body_analysis(officer, [member], occurs_on=in_days(3))
    ready = services.body_analysis_mark_ready(actor=officer,
                                              analysis=make_body_analysis(officer, [member], occurs_on=in_days(2)))
    _run()
    reminder = _reminders(BodyRiskAnalysis).get()
    assert reminder.object_id == draft.pk and reminder.recipient == officer
    assert ready.pk != reminder.object_id
    assert _run() == []


def test_past_analyses_are_left_alone(party_contact, member):
    make_party_analysis(party_contact, [member], occurs_on=in_days(-1))
    assert _run() == []
