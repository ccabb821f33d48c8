"""The navigation shown to each role. Apps add their entries here as they land."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    roles: frozenset[str]


NAV_ITEMS: list[NavItem] = [
    NavItem("accounts:home", _("Home"), frozenset(Role.values)),
    NavItem("officials:me", _("My data and consents"), frozenset({Role.OFFICIAL})),
    NavItem("officials:official-list", _("Officials"), frozenset({Role.SECURITY_HANDLER})),
    NavItem("accounts:my-access-log", _("Who has read my data"), frozenset({Role.OFFICIAL})),
    NavItem("accounts:audit-list", _("Audit trail"), frozenset({Role.SECURITY_HANDLER})),
    NavItem("accounts:2fa-admin", _("Staff two-factor login"), frozenset({Role.ADMINISTRATOR})),
    NavItem("training:my-training", _("My training"), frozenset({Role.OFFICIAL})),
    NavItem("training:plan-overview", _("Training and prevention"), frozenset({Role.SECURITY_HANDLER})),
    NavItem("training:compliance-view", _("KL 4:18a"), frozenset({Role.SECURITY_HANDLER})),
    NavItem("incidents:report-create", _("Report an incident"),
            frozenset({Role.OFFICIAL, Role.PARTY_CONTACT, Role.SECURITY_HANDLER})),
    NavItem("incidents:my-cases", _("My reports and cases"), frozenset({Role.OFFICIAL})),
    NavItem("incidents:triage", _("Triage"), frozenset({Role.SECURITY_HANDLER})),
    NavItem("incidents:case-list", _("Cases"), frozenset({Role.SECURITY_HANDLER, Role.PARTY_CONTACT})),
    NavItem("incidents:campaign-list", _("Campaigns"), frozenset({Role.SECURITY_HANDLER})),
    NavItem("incidents:urgent-list", _("Urgent reports"), frozenset({Role.ON_CALL})),
    NavItem("surveys:round-list", _("Surveys"), frozenset({Role.SECURITY_HANDLER, Role.ADMINISTRATOR})),
    NavItem("measures:measure-inbox", _("Decisions on measures"), frozenset({Role.APPROVER, Role.SECURITY_HANDLER})),
    NavItem("measures:measure-list", _("Measures"), frozenset({Role.SECURITY_HANDLER})),
    NavItem("measures:budget-dashboard", _("Budget"),
            frozenset({Role.SECURITY_HANDLER, Role.APPROVER, Role.ADMINISTRATOR})),
    NavItem("measures:alarmevent-list", _("Alarm events"), frozenset({Role.ON_CALL, Role.SECURITY_HANDLER})),
    NavItem("measures:measuretype-list", _("Measure catalogue"), frozenset({Role.ADMINISTRATOR})),
    NavItem("measures:riskfactor-list", _("Risk checklist"), frozenset({Role.ADMINISTRATOR})),
    NavItem("riskanalyses:party-analysis-list", _("Risk analyses"),
            frozenset({Role.PARTY_CONTACT, Role.SECURITY_HANDLER})),
    NavItem("riskanalyses:body-analysis-list", _("Activity risk analyses"), frozenset({Role.BODY_OFFICER})),
    NavItem("riskanalyses:checklist-mine", _("Our checklist"), frozenset({Role.BODY_OFFICER})),
    NavItem("riskanalyses:template-list", _("Checklist template"), frozenset({Role.ADMINISTRATOR})),
    NavItem("reports:export-list", _("Follow-up reports"),
            frozenset({Role.ADMINISTRATOR, Role.SECURITY_HANDLER, Role.PARTY_CONTACT})),
]


def items_for(user) -> list[dict]:
    roles = user.roles
    return [
        {"url": reverse(item.url_name), "label": item.label, "name": item.url_name}
        for item in NAV_ITEMS
        if roles & item.roles
    ]
