import datetime as dt

from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.reminders import reminder_ensure


def test_official_home_has_a_training_panel_and_menu_item(covered_official, client_for, make_offer):
    make_offer()
    response = client_for(covered_official).get(reverse("accounts:home"))
    titles = [p.title for p in response.context["panels"]]
    assert "Training and security" in titles or "Utbildning och säkerhet" in titles
    assert reverse("training:my-training") in response.content.decode()
    assert reverse("training:plan-overview") not in response.content.decode()


def test_security_unit_home_has_the_prevention_panel_and_menu_items(handler, client_for):
    response = client_for(handler).get(reverse("accounts:home"))
    body = response.content.decode()
    assert reverse("training:plan-overview") in body and reverse("training:compliance-view") in body
    assert f'href="{reverse("training:my-training")}"' not in body


def test_reminders_panel_only_when_a_role_has_reminders(approver, client_for, make_official):
    client = client_for(approver)
    assert reverse("training:reminder-list") not in client.get(reverse("accounts:home")).content.decode()
    reminder_ensure(kind="measures.decision_due", obj=make_official().assignments.get(),
                    due_on=timezone.localdate() + dt.timedelta(days=3), message="Decide",
                    recipients_role=Role.APPROVER)
    assert reverse("training:reminder-list") in client.get(reverse("accounts:home")).content.decode()
