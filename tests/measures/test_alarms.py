import datetime as dt
import json
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from measures.models import AlarmEvent, AlarmProvider, MeasureStatus
from measures.services import alarm_provider_create, alarm_provider_rotate_token

from .conftest import all_sent, clear_outbox, make_measure, sent_to

pytestmark = pytest.mark.django_db
S = MeasureStatus
URL = "/measures/api/alarm-events/"


@pytest.fixture
def centre(db):
    provider, token = alarm_provider_create(actor=None, name="Larmcentralen AB")
    return provider, token


@pytest.fixture
def alarm(case, handler, approver):
    return make_measure(case, S.IN_PLACE, proposer=handler, decider=approver, code="personal-alarm",
                        alarm_identifier="PA-0042")


def _payload(**overrides):
    data = {"event_id": "evt-1", "alarm_id": "PA-0042", "type": "personal",
            "occurred_at": (timezone.now() - dt.timedelta(minutes=1)).isoformat()}
    data.update(overrides)
    return data


def _post(client, token, payload, **headers):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post(URL, data=body, content_type="application/json", **headers)


def test_url_is_named():
    assert reverse("measures:alarmevent-receive") == URL


def test_only_the_hash_of_the_token_is_stored(centre):
    provider, token = centre
    provider.refresh_from_db()
    assert token not in (provider.token_hash, provider.token_hint) and len(provider.token_hash) == 64
    assert token.startswith(provider.token_hint)


def test_alarm_event_lands_on_the_case_and_tells_on_call(client, centre, alarm, case, on_call, handler,
                                                        django_capture_on_commit_callbacks):
    from incidents.services import case_assign

    case_assign(actor=handler, case=case, handler=handler)
    _provider, token = centre
    clear_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, token, _payload())
    assert response.status_code == 201
    assert response.json()["status"] == "created"
    event = AlarmEvent.objects.get()
    assert (event.measure, event.case, event.alarm_kind) == (alarm, case, "personal")
    assert sent_to(on_call) and sent_to(handler)  # the on-call officer and the case's handler
    message = sent_to(on_call)[0]
    assert len(all_sent()) == 2
    assert "PA-0042" not in message.body and "Lindqvist" not in message.body
    assert AuditEvent.objects.filter(action="alarm_event_receive", case_id=case.pk).exists()
    from measures.selectors import timeline_items

    assert [i.kind for i in timeline_items(case, on_call)] == ["alarm"]


def test_same_event_id_twice_is_one_event(client, centre, alarm):
    _provider, token = centre
    first = _post(client, token, _payload())
    second = _post(client, token, _payload())
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == {"status": "duplicate", "event": first.json()["event"]}
    assert AlarmEvent.objects.count() == 1


def test_same_event_id_from_another_centre_is_another_event(client, centre, alarm):
    _provider, token = centre
    _other, other_token = alarm_provider_create(actor=None, name="Reservcentralen")
    assert _post(client, token, _payload()).status_code == 201
    assert _post(client, other_token, _payload()).status_code == 201
    assert AlarmEvent.objects.count() == 2


@pytest.mark.parametrize("body", ["not json", "[1, 2]", "", "\"text\""])
def test_malformed_body_gets_400(client, centre, alarm, body, caplog):
    _provider, token = centre
    with caplog.at_level(logging.WARNING, logger="measures.alarms"):
        response = _post(client, token, body)
    assert response.status_code == 400
    assert "error" in response.json()
    assert "malformed" in caplog.text


@pytest.mark.parametrize(("override", "field"), [
    ({"event_id": ""}, "event_id"),
    ({"event_id": None}, "event_id"),
    ({"alarm_id": 42}, "alarm_id"),
    ({"alarm_id": "x" * 65}, "alarm_id"),
    ({"type": "fire"}, "type"),
    ({"occurred_at": "yesterday"}, "occurred_at"),
    ({"occurred_at": "2026-11-23T14:02:00"}, "occurred_at"),
    ({"occurred_at": (timezone.now() + dt.timedelta(days=1)).isoformat()}, "occurred_at"),
])
def test_malformed_field_gets_400_naming_the_field(client, centre, alarm, override, field):
    _provider, token = centre
    response = _post(client, token, _payload(**override))
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not AlarmEvent.objects.exists()


def test_missing_field_gets_400(client, centre, alarm):
    _provider, token = centre
    payload = _payload()
    del payload["type"]
    response = _post(client, token, payload)
    assert response.status_code == 400 and "type" in response.json()["fields"]


def test_unknown_alarm_gets_404_and_is_logged(client, centre, alarm, caplog):
    _provider, token = centre
    with caplog.at_level(logging.WARNING, logger="measures.alarms"):
        response = _post(client, token, _payload(alarm_id="PA-9999"))
    assert response.status_code == 404
    assert "unknown alarm" in response.json()["error"].lower()
    assert "unknown alarm" in caplog.text and "PA-9999" not in caplog.text
    assert not AlarmEvent.objects.exists()


def test_alarm_of_another_kind_is_unknown(client, centre, alarm):
    _provider, token = centre
    assert _post(client, token, _payload(type="burglar")).status_code == 404


@pytest.mark.parametrize("status", [S.ORDERED, S.ENDED])
def test_alarm_not_in_place_is_unknown(client, centre, case, handler, approver, status):
    _provider, token = centre
    make_measure(case, status, proposer=handler, decider=approver, alarm_identifier="PA-0042")
    assert _post(client, token, _payload()).status_code == 404


def test_alarm_registered_with_another_centre_is_unknown(client, centre, alarm):
    _provider, token = centre
    other, _other_token = alarm_provider_create(actor=None, name="Annan central")
    alarm.alarm_provider = other
    alarm.save()
    assert _post(client, token, _payload()).status_code == 404


def test_alarm_under_review_still_answers(client, centre, alarm):
    _provider, token = centre
    alarm.status = S.UNDER_REVIEW
    alarm.save()
    assert _post(client, token, _payload()).status_code == 201


@pytest.mark.parametrize("header", [None, "Bearer ", "Bearer wrong-token", "Basic dXNlcjpwYXNz", "varn_alarm_x"])
def test_bad_or_missing_token_gets_401(client, centre, alarm, header, caplog):
    kwargs = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    with caplog.at_level(logging.WARNING, logger="measures.alarms"):
        response = client.post(URL, data=json.dumps(_payload()), content_type="application/json", **kwargs)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not AlarmEvent.objects.exists()
    assert "refused" in caplog.text


def test_inactive_centre_gets_401(client, centre, alarm):
    provider, token = centre
    AlarmProvider.objects.filter(pk=provider.pk).update(is_active=False)
    assert _post(client, token, _payload()).status_code == 401


def test_rotated_token_replaces_the_old(client, centre, alarm):
    provider, token = centre
    _provider, new_token = alarm_provider_rotate_token(actor=None, provider=provider)
    assert _post(client, token, _payload()).status_code == 401
    assert _post(client, new_token, _payload()).status_code == 201


def test_get_is_405(client, centre):
    _provider, token = centre
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_large_body_gets_413(client, centre, alarm):
    _provider, token = centre
    assert _post(client, token, _payload(padding="x" * 20_000)).status_code == 413


def test_works_without_login_and_csrf(centre, alarm):
    from django.test import Client

    _provider, token = centre
    strict = Client(enforce_csrf_checks=True)
    assert _post(strict, token, _payload()).status_code == 201
