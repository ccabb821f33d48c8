"""Persona fixtures (STYLE.md › Tests): official, other_official, party_contact,
other_party_contact, handler, approver, admin — and the rest of the roles; and the order that
rows built once for a module (tests/built_once.py) need."""

import pytest

from .built_once import in_build_order, refuse_foreign_rows
from .factories import make_party, make_persona


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Within each module, the tests that use rows built once run after those that do not (before
    pytest-django's own stable sort, which puts transactional tests last)."""
    items[:] = in_build_order(items)


@pytest.fixture(autouse=True)
def _only_the_rows_asked_for(request):
    refuse_foreign_rows(request)


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
    return make_party("S")


@pytest.fixture
def other_party(db):
    return make_party("M")


@pytest.fixture
def official(db, party):
    return make_persona("official")


@pytest.fixture
def other_official(db, other_party):
    return make_persona("other_official")


@pytest.fixture
def party_contact(db, party):
    return make_persona("party_contact")


@pytest.fixture
def other_party_contact(db, other_party):
    return make_persona("other_party_contact")


@pytest.fixture
def handler(db):
    return make_persona("handler")


@pytest.fixture
def other_handler(db):
    return make_persona("other_handler")


@pytest.fixture
def approver(db):
    return make_persona("approver")


@pytest.fixture
def body_officer(db):
    return make_persona("body_officer")


@pytest.fixture
def on_call(db):
    return make_persona("on_call")


@pytest.fixture
def admin_user(db):
    return make_persona("admin_user")


@pytest.fixture
def client_for(client):
    """Log a persona in: `client_for(handler).get(...)`."""

    def login(user):
        client.force_login(user)
        return client

    return login
