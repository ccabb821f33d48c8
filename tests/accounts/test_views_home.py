import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_login_page_is_swedish_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'lang="sv"' in response.content.decode()
    assert "Logga in" in response.content.decode()


def test_language_switch_to_english(client, official):
    client.force_login(official)
    response = client.post(reverse("accounts:set-language"), {"language": "en", "next": "/"}, follow=True)
    assert 'lang="en"' in response.content.decode()
    official.refresh_from_db()
    assert official.language == "en"


def test_login_with_password(client, official):
    from django.conf import settings

    response = client.post(reverse("accounts:login"), {"username": "official", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200


def test_official_home_shows_own_panel(client_for, official):
    response = client_for(official).get(reverse("accounts:home"))
    assert reverse("officials:me") in response.content.decode()


def test_handler_home_links_registry(client_for, handler):
    response = client_for(handler).get(reverse("accounts:home"))
    assert reverse("officials:official-list") in response.content.decode()
