"""The one way to tell people (core.notify): each e-mail in the recipient's saved language,
absolute links from SITE_URL, through the outbox, nobody twice."""

import pytest
from django.core import mail
from django.utils.translation import gettext as _

from core.models import OutboxMessage
from core.notify import absolute_url, tell, users_with_role
from tests.factories import UserFactory


def test_absolute_url_builds_links_from_the_one_setting(settings):
    settings.SITE_URL = "https://varn.example.se/"
    assert absolute_url("accounts:home") == "https://varn.example.se/"
    assert absolute_url("/x/1/") == "https://varn.example.se/x/1/"


@pytest.mark.django_db
def test_each_person_gets_the_message_in_their_own_language(django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://varn.example.se"
    swede = UserFactory(username="sv1", email="sv@example.se", language="sv")
    english = UserFactory(username="en1", email="en@example.se", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        tell([swede, english, swede], lambda: _("Home"), lambda: absolute_url("accounts:home"))
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"sv@example.se", "en@example.se"}  # nobody twice
    assert by_address["en@example.se"].subject == "Home"
    assert by_address["sv@example.se"].subject != "Home"  # Swedish
    assert all(m.body == "https://varn.example.se/" for m in mail.outbox)


@pytest.mark.django_db
def test_inactive_people_and_people_without_an_address_are_skipped():
    gone = UserFactory(username="gone", email="gone@example.se", is_active=False)
    silent = UserFactory(username="silent", email="")
    assert tell([gone, silent, None], lambda: "s", lambda: "b") == []
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_users_with_role_are_the_active_holders_with_an_address(handler, other_handler):
    other_handler.is_active = False
    other_handler.save()
    assert users_with_role("security_handler") == [handler]
