"""Persona fixtures (STYLE.md › Tests): official, other_official, party_contact,
other_party_contact, handler, approver, admin — and the rest of the roles."""

import pytest

from accounts.roles import Role

from .factories import AssignmentFactory, OfficialFactory, PartyFactory, UserFactory


@pytest.fixture(scope="session", autouse=True)
def _celery_conf_loaded():
    """Load Celery's configuration from the test settings before any test overrides them, so
    that a test's temporary settings can never become the app's configuration for the rest of
    the run."""
    from config.celery import app

    assert app.conf.task_always_eager is True


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in Swedish, the default language, whatever an earlier test (or a task
    run in-process) activated in this thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def party(db):
    return PartyFactory(name="Socialdemokraterna", abbreviation="S")


@pytest.fixture
def other_party(db):
    return PartyFactory(name="Moderaterna", abbreviation="M")


@pytest.fixture
def official(db, party):
    user = UserFactory(username="official", roles=[Role.OFFICIAL])
    person = OfficialFactory(user=user, party=party, first_name="Anna", last_name="Lindqvist")
    AssignmentFactory(official=person)
    return user


@pytest.fixture
def other_official(db, other_party):
    user = UserFactory(username="official2", roles=[Role.OFFICIAL])
    person = OfficialFactory(user=user, party=other_party, first_name="Erik", last_name="Johansson")
    AssignmentFactory(official=person)
    return user


@pytest.fixture
def party_contact(db, party):
    user = UserFactory(username="party", roles=[Role.PARTY_CONTACT])
    user.party = party
    user.save()
    return user


@pytest.fixture
def other_party_contact(db, other_party):
    user = UserFactory(username="party2", roles=[Role.PARTY_CONTACT])
    user.party = other_party
    user.save()
    return user


@pytest.fixture
def handler(db):
    return UserFactory(username="handler", roles=[Role.SECURITY_HANDLER])


@pytest.fixture
def other_handler(db):
    return UserFactory(username="handler2", roles=[Role.SECURITY_HANDLER])


@pytest.fixture
def approver(db):
    return UserFactory(username="approver", roles=[Role.APPROVER])


@pytest.fixture
def body_officer(db):
    return UserFactory(username="bodyofficer", roles=[Role.BODY_OFFICER])


@pytest.fixture
def on_call(db):
    return UserFactory(username="oncall", roles=[Role.ON_CALL])


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="admin", roles=[Role.ADMINISTRATOR])
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def client_for(client):
    """Log a persona in: `client_for(handler).get(...)`."""

    def login(user):
        client.force_login(user)
        return client

    return login
