"""The core promise: no query, page or export can tie an answer to a person.

These tests inspect the schema itself (every model the app registry knows), the rows a submission
writes, and what the security unit's pages show."""

import uuid
from datetime import date

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent, OutboxMessage
from officials.models import Official
from surveys.models import Answer, Invitation, InvitationToken, Response, Round
from surveys.services import hash_token, response_submit, round_seal

from .conftest import answered_round, invite, make_round, safety_sheet

pytestmark = pytest.mark.django_db

PERSONAL = {Official, User, Invitation, InvitationToken}


def _forward_relations(model):
    """Every relation a row of `model` holds itself: foreign keys, one-to-ones, many-to-manys and
    generic foreign keys (reverse relations hold nothing on the row)."""
    for field in model._meta.get_fields():
        if field.is_relation and (field.concrete or field.many_to_many) and not field.auto_created:
            yield field
        elif field.is_relation and getattr(field, "one_to_one", False) and field.concrete:
            yield field


def _paths_to_people(start):
    """Every path of forward relations from `start` that reaches a model tying to a person."""
    found, stack = [], [(start, [start.__name__])]
    seen = set()
    while stack:
        model, path = stack.pop()
        for field in _forward_relations(model):
            target = field.related_model
            if target is None:  # a generic foreign key can point anywhere
                found.append(path + [f"{field.name} → any model"])
                continue
            step = path + [f"{field.name} → {target.__name__}"]
            if target in PERSONAL:
                found.append(step)
            elif (model, field.name) not in seen:
                seen.add((model, field.name))
                stack.append((target, step))
    return found


def test_the_app_registry_has_the_survey_models():
    registered = set(apps.get_models())
    assert {Response, Answer, Invitation, Round} <= registered


@pytest.mark.parametrize("model", [Response, Answer])
def test_no_path_leads_from_an_answer_to_a_person(model):
    assert _paths_to_people(model) == []


def test_the_inspection_would_catch_a_link():
    """The walk is not vacuous: from an invitation it finds the official."""
    assert any("Official" in step for path in _paths_to_people(Invitation) for step in path)


def test_every_model_pointing_at_answers_holds_no_person():
    """No other model in the project bridges answers and people either (e.g. a table with an FK
    to both a response and an official)."""
    for model in apps.get_models():
        targets = {f.related_model for f in _forward_relations(model)}
        if targets & {Response, Answer}:
            assert model in {Answer}, model
            assert not (targets & PERSONAL), model


@pytest.mark.parametrize("model", [Response, Answer])
def test_answers_have_no_time_and_random_keys(model):
    for field in model._meta.concrete_fields:
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField), field.name
    assert isinstance(model._meta.pk, models.UUIDField)
    assert not model._meta.ordering


def test_invitation_records_no_time_of_answering():
    for field in Invitation._meta.concrete_fields:
        assert "answer" not in field.name or isinstance(field, models.BooleanField), field.name
        assert not getattr(field, "auto_now", False), field.name


def test_submission_changes_only_answered_on_the_invitation_and_writes_no_audit_or_mail(item_bank):
    round_ = make_round()
    invitation, token = invite(round_)
    before = {f.name: getattr(invitation, f.name) for f in Invitation._meta.concrete_fields}
    audits, mails = AuditEvent.objects.count(), OutboxMessage.objects.count()
    response_submit(token=token, answers={"E1": ["yes_once"], "B2": ["woman"]})
    invitation.refresh_from_db()
    after = {f.name: getattr(invitation, f.name) for f in Invitation._meta.concrete_fields}
    assert {k for k in before if before[k] != after[k]} == {"answered"}
    assert (AuditEvent.objects.count(), OutboxMessage.objects.count()) == (audits, mails)


def test_the_token_is_never_stored_only_its_hash(item_bank):
    round_ = make_round()
    _invitation, token = invite(round_)
    stored = list(InvitationToken.objects.values_list("token_hash", flat=True))
    assert stored == [hash_token(token)] and token not in stored[0]


def test_response_and_answer_keys_are_random_not_sequential(item_bank):
    round_ = make_round()
    for _n in range(3):
        _invitation, token = invite(round_)
        response_submit(token=token, answers={"E1": ["no"], "F1": ["email"], "B1": ["ks", "committee"]})
    keys = list(Response.objects.values_list("pk", flat=True)) + list(Answer.objects.values_list("pk", flat=True))
    assert len(keys) == 3 + 9
    assert all(isinstance(pk, uuid.UUID) and pk.version == 4 for pk in keys)


def test_sealing_rewrites_responses_with_new_keys_and_keeps_the_answers(item_bank):
    round_ = answered_round([safety_sheet("woman", E1="yes_once"), safety_sheet("man"), safety_sheet("man")],
                            opens_on=date(2025, 2, 1), closes_on=date(2025, 3, 1))
    old_ids = set(Response.objects.filter(round=round_).values_list("id", flat=True))
    before = sorted(Answer.objects.filter(response__round=round_).values_list("item__code", "option__code"))
    assert round_seal(round_=round_)
    assert not (old_ids & set(Response.objects.filter(round=round_).values_list("id", flat=True)))
    assert sorted(Answer.objects.filter(response__round=round_).values_list("item__code", "option__code")) == before
    assert Response.objects.filter(round=round_).count() == 3
    round_.refresh_from_db()
    assert round_.sealed and not round_seal(round_=round_)


def test_an_open_round_is_not_sealed(item_bank):
    assert not round_seal(round_=make_round())


def test_security_unit_sees_names_of_non_respondents_and_never_answers(client_for, handler, item_bank):
    round_ = make_round()
    answered, token = invite(round_, first_name="Svar", last_name="Givare")
    invite(round_, first_name="Inte", last_name="Svarat")
    response_submit(token=token, answers={"E1": ["yes_many"]})
    page = client_for(handler).get(reverse("surveys:round-nonrespondents", args=[round_.pk])).content.decode()
    assert "Inte Svarat" in page
    assert "Givare" not in page
    for label in ("Ja, flera gånger", "Yes, several times", "yes_many"):
        assert label not in page


@pytest.mark.parametrize("logger_name", ["django.server", "django.request", "django.security.csrf"])
def test_survey_links_are_redacted_in_the_logs(caplog, logger_name):
    import logging

    token = "s3cr3t-Token_abc"
    with caplog.at_level(logging.INFO, logger=logger_name):
        logging.getLogger(logger_name).warning('"%s %s HTTP/1.1" %s', "POST", f"/surveys/answer/{token}/", 403)
    assert caplog.records
    assert token not in caplog.text
    assert "/surveys/answer/…/" in caplog.text


def test_the_answering_views_log_nothing(client, caplog, item_bank):
    import logging

    round_ = make_round()
    _invitation, token = invite(round_)
    with caplog.at_level(logging.DEBUG):
        client.get(reverse("surveys:response-create", args=[token]))
        client.post(reverse("surveys:response-create", args=[token]), {"E1": "no"})
        client.get(reverse("surveys:response-create", args=["unknown-token"]))
    assert token not in caplog.text
