"""The policy: the shipped profiles validate; who decides on measures is a deciding role, never one
that leaves a proposal with no one to decide it; the administrator is warned when the accounts as
they stand would (home panel, the policy's and users' admin pages); the municipality's own
definitions of the report kinds; the role groups exist from the migrations."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Policy
from accounts.policy_profiles import PROFILES, policy_from_profile
from accounts.roles import DECIDING_ROLES, STAFF_ROLES, Role
from accounts.selectors import approval_gaps
from accounts.services import policy_load, user_set_roles
from core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def sigtuna(db):
    return policy_load(actor=None, profile="sigtuna")


@pytest.fixture
def stockholm(db):
    return policy_load(actor=None, profile="stockholm")


# ---------------------------------------------------------------- the profiles

@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_shipped_profile_validates_and_names_a_deciding_role(name):
    policy = policy_from_profile(name)
    policy.full_clean()
    assert policy.approver_role in DECIDING_ROLES and policy.approver_title


def test_the_deciders_as_the_seeds_name_them():
    assert (policy_from_profile("sigtuna").approver_role, policy_from_profile("sigtuna").approver_title) == (
        Role.APPROVER, "Biträdande kommundirektör")
    # Stockholm: the security chief — a role of its own, not "any handler".
    assert (policy_from_profile("stockholm").approver_role, policy_from_profile("stockholm").approver_title) == (
        Role.SECURITY_CHIEF, "Säkerhetschef")


def test_the_new_roles_are_staff_with_two_factor_login():
    assert {Role.SECURITY_CHIEF, Role.TECHNICAL_OFFICE} <= STAFF_ROLES


def test_the_migration_creates_a_group_for_every_role():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("accounts.migrations.0006_policy_approver_roles_definitions")
    Group.objects.all().delete()
    migration.create_role_groups(apps, None)
    migration.create_role_groups(apps, None)  # idempotent
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(Role.values)


# ---------------------------------------------------------------- validation

def test_a_role_that_cannot_decide_is_refused():
    policy = policy_from_profile("sigtuna")
    for role in (Role.OFFICIAL, Role.PARTY_CONTACT, Role.TECHNICAL_OFFICE, Role.ON_CALL, Role.ADMINISTRATOR):
        policy.approver_role = role
        with pytest.raises(ValidationError) as exc:
            policy.full_clean()
        assert "approver_role" in exc.value.message_dict


def test_the_proposing_unit_decides_only_when_four_eyes_leave_someone():
    policy = policy_from_profile("sigtuna")
    policy.approver_role = Role.SECURITY_HANDLER
    with pytest.raises(ValidationError) as exc:  # no handler at all
        policy.full_clean()
    assert "approver_role" in exc.value.message_dict
    first = UserFactory(roles=[Role.SECURITY_HANDLER])
    with pytest.raises(ValidationError):  # the one handler would propose and no one could decide
        policy.full_clean()
    UserFactory(roles=[Role.SECURITY_HANDLER], is_active=False)
    with pytest.raises(ValidationError):  # an inactive handler decides nothing
        policy.full_clean()
    UserFactory(roles=[Role.SECURITY_HANDLER])
    policy.full_clean()  # two: each decides the other's proposals
    assert first.is_active


@pytest.mark.parametrize("orderers", [[], ["security_unit", "the_janitor"], "security_unit", [1]])
def test_who_orders_must_be_a_list_of_known_orderers(orderers):
    policy = policy_from_profile("sigtuna")
    policy.orderers = orderers
    with pytest.raises(ValidationError) as exc:
        policy.full_clean()
    assert "orderers" in exc.value.message_dict


@pytest.mark.parametrize("definitions", [
    ["threat"], {"threat": "Hot är hot."}, {"threat": {"en": "Only English"}}, {"threat": {"sv": " "}},
    {"threat": {"sv": "Hot.", "de": "Drohung"}},
])
def test_definitions_must_have_a_swedish_text_per_kind(definitions):
    policy = policy_from_profile("sigtuna")
    policy.kind_definitions = definitions
    with pytest.raises(ValidationError) as exc:
        policy.full_clean()
    assert "kind_definitions" in exc.value.message_dict


def test_the_office_must_close_after_it_opens():
    policy = policy_from_profile("sigtuna")
    policy.office_closes = policy.office_opens
    with pytest.raises(ValidationError) as exc:
        policy.full_clean()
    assert "office_closes" in exc.value.message_dict


# ---------------------------------------------------------------- the definitions

def test_vasteras_ships_its_own_definitions_and_the_others_none():
    vasteras = policy_from_profile("vasteras")
    assert set(vasteras.kind_definitions) == {"threat", "hate", "violence", "undue_influence"}
    assert vasteras.definition_of("threat", "sv").startswith("Hot innebär att någon hotar att skada dig")
    assert vasteras.definition_of("violence", "en").startswith("Violence is when someone intentionally")
    assert vasteras.definition_of("harassment", "sv") == ""
    for name in ("fagersta", "uppsala", "stockholm", "sigtuna"):
        assert policy_from_profile(name).kind_definitions == {}


def test_loading_a_profile_replaces_the_definitions():
    policy_load(actor=None, profile="vasteras")
    assert Policy.current().kind_definitions
    policy_load(actor=None, profile="sigtuna")
    assert Policy.objects.get(is_active=True).kind_definitions == {}


def test_definitions_fall_back_to_swedish():
    policy = policy_from_profile("sigtuna")
    policy.kind_definitions = {"hate": {"sv": "Hat är …"}}
    assert policy.definition_of("hate", "en") == "Hat är …"


# ---------------------------------------------------------------- undecidable proposals

def test_no_gap_when_someone_outside_the_unit_decides(sigtuna):
    UserFactory(roles=[Role.APPROVER])
    assert approval_gaps(sigtuna) == []


def test_a_gap_when_no_one_holds_the_deciding_role(stockholm):
    UserFactory(roles=[Role.APPROVER])  # Sigtuna's role: no say under Stockholm's policy
    UserFactory(roles=[Role.SECURITY_CHIEF], is_active=False)
    [gap] = approval_gaps(stockholm)
    assert "Säkerhetschef" in gap


def test_a_gap_when_the_only_decider_also_proposes(stockholm):
    chief = UserFactory(roles=[Role.SECURITY_CHIEF, Role.SECURITY_HANDLER], first_name="Ulla", last_name="Stål")
    [gap] = approval_gaps(stockholm)
    assert "Ulla Stål" in gap
    UserFactory(roles=[Role.SECURITY_CHIEF])
    assert approval_gaps(stockholm) == []
    assert chief.is_active


def test_the_administrators_home_panel_warns(client_for, en, stockholm, admin_user):
    html = client_for(admin_user).get(reverse("accounts:home")).content.decode()
    assert "Warning: No active user holds the role “Security chief”" in html
    UserFactory(roles=[Role.SECURITY_CHIEF])
    assert "Warning:" not in client_for(admin_user).get(reverse("accounts:home")).content.decode()


def test_the_warning_is_for_the_administrator_only(client_for, en, stockholm, handler):
    assert "Warning:" not in client_for(handler).get(reverse("accounts:home")).content.decode()


def test_the_policy_admin_page_warns(client_for, en, stockholm, admin_user):
    client = client_for(admin_user)
    html = client.get(reverse("admin:accounts_policy_change", args=[stockholm.pk]), follow=True).content.decode()
    assert "No active user holds the role" in html
    html = client.get(reverse("admin:accounts_policy_changelist")).content.decode()
    assert "No active user holds the role" in html


def test_the_policy_admin_page_is_denied_to_the_unit(client_for, stockholm, handler):
    response = client_for(handler).get(reverse("admin:accounts_policy_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_taking_the_role_from_the_last_decider_in_the_admin_warns(client_for, en, sigtuna, admin_user):
    approver = UserFactory(username="deputy", roles=[Role.APPROVER])
    client = client_for(admin_user)
    url = reverse("admin:accounts_user_change", args=[approver.pk])
    response = client.post(url, {"username": "deputy", "first_name": "", "last_name": "", "email": "d@test.example",
                                 "is_active": "on", "groups": [], "language": "sv",
                                 "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00"}, follow=True)
    assert response.status_code == 200
    assert not approver.groups.exists()
    assert "No active user holds the role “Approver”" in response.content.decode()


def test_saving_the_policy_in_the_admin_is_validated_and_audited(client_for, en, sigtuna, admin_user):
    from django.forms.models import model_to_dict

    client = client_for(admin_user)
    url = reverse("admin:accounts_policy_change", args=[sigtuna.pk])
    data = {k: v for k, v in model_to_dict(sigtuna).items() if v is not None}
    data.update(orderers='["security_unit", "technical_office"]', urgent_kinds='["threat"]', kind_definitions="{}",
                office_opens="08:00", office_closes="16:30", approver_role=Role.SECURITY_HANDLER)
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 200  # refused: no two handlers to keep four eyes
    assert "at least two active people hold the role" in response.content.decode()
    data["approver_role"] = Role.APPROVER
    data["unit_name"] = "Trygghetsenheten, kommunledningskontoret"
    assert client.post(url, data).status_code == 302
    assert Policy.objects.get(pk=sigtuna.pk).unit_name == "Trygghetsenheten, kommunledningskontoret"
    assert AuditEvent.objects.filter(action="policy_change", actor=admin_user).exists()


def test_user_set_roles_accepts_the_new_roles(admin_user):
    user = UserFactory()
    user_set_roles(actor=admin_user, user=user, roles={Role.TECHNICAL_OFFICE, Role.SECURITY_CHIEF})
    assert user.has_role(Role.TECHNICAL_OFFICE) and user.has_role(Role.SECURITY_CHIEF)
