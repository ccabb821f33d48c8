"""officials.services for publication consents: each move of CONSENT_WORKFLOW, each illegal start
state, the actor rules, the signed-document checks, the audit and the e-mails (issue 15 point 1:
nothing is published until the signed document is recorded; withdrawal takes effect at once)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Policy
from accounts.policy_profiles import PROFILES
from accounts.services import policy_load
from core.models import AuditEvent, OutboxMessage
from core.workflow import InvalidTransition
from officials import services
from officials.models import CONSENT_WORKFLOW, Consent
from officials.selectors import published_fields, published_private_data

from .conftest import EMAIL, HOME, PDF, PHONE, PNG, SOCIAL, make_consent, signed_pdf

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
AWAITING, SUBMITTED, IN_FORCE = "awaiting_document", "document_submitted", "in_force"
WITHDRAWN, REPLACED = "withdrawn", "replaced"
ALL_STATES = [AWAITING, SUBMITTED, IN_FORCE, WITHDRAWN, REPLACED]
PRIVATE_VALUES = (HOME, PHONE, EMAIL, SOCIAL)


def _no_private_values_in_audit():
    for row in AuditEvent.objects.all():
        text = f"{row.reason}{row.from_state}{row.to_state}{row.object_id}"
        for value in PRIVATE_VALUES:
            assert value not in text


# --- the workflow table ------------------------------------------------------------------------

def test_the_workflow_has_no_way_to_publish_without_a_document():
    """Publishing ("in force") is reached only by recording a document: from "none" with the
    document in hand, from awaiting (the paper) or from an upload that is checked."""
    into_force = {start for start, targets in CONSENT_WORKFLOW.table.items() if IN_FORCE in targets}
    assert into_force == {"none", AWAITING, SUBMITTED}
    assert CONSENT_WORKFLOW.targets(WITHDRAWN) == frozenset() and CONSENT_WORKFLOW.targets(REPLACED) == frozenset()


# --- give --------------------------------------------------------------------------------------

def test_official_gives_consent_on_the_web_and_nothing_is_published(official, own):
    consent = services.consent_give(actor=official, official=own, field="private_phone", signed_confirmed=True)
    assert consent.status == AWAITING and consent.recorded_by == official and consent.decided_on == TODAY
    assert published_fields(own) == frozenset() and published_private_data(own) == {}
    row = AuditEvent.objects.get(action="consent_give")
    assert (row.from_state, row.to_state, row.reason, row.official_id) == ("none", AWAITING, "private_phone", own.pk)
    _no_private_values_in_audit()


def test_giving_on_the_web_needs_the_confirmation(official, own):
    with pytest.raises(ValidationError) as exc:
        services.consent_give(actor=official, official=own, field="private_phone")
    assert "signed_confirmed" in exc.value.message_dict
    assert not own.consents.exists()


def test_unit_gives_consent_with_the_document_in_force_at_once(handler, official, own):
    official.language = "en"
    official.save()
    consent = services.consent_give(actor=handler, official=own, field="private_email", document_reference="KS 2026/7",
                                    decided_on=TODAY - dt.timedelta(days=2))
    assert consent.status == IN_FORCE and consent.document_reference == "KS 2026/7"
    assert consent.document_recorded_by == handler and consent.document_recorded_at is not None
    assert consent.document_received_on == TODAY - dt.timedelta(days=2)
    assert published_private_data(own) == {"private_email": EMAIL}
    mail = OutboxMessage.objects.get(to=official.email)
    assert mail.subject == "Your consent is in force" and EMAIL not in mail.body and "/officials/me/" in mail.body


def test_unit_cannot_give_consent_without_the_document(handler, person):
    with pytest.raises(ValidationError) as exc:
        services.consent_give(actor=handler, official=person, field="private_phone", signed_confirmed=True)
    assert "document_reference" in exc.value.message_dict
    assert not person.consents.exists()


def test_official_cannot_record_their_own_document(official, own):
    with pytest.raises(PermissionDenied):
        services.consent_give(actor=official, official=own, field="private_phone", document_reference="Mine")
    assert not own.consents.exists()


@pytest.mark.parametrize("persona", ["other_official", "party_contact", "approver", "admin_user"])
def test_nobody_else_gives_consent(request, own, persona):
    with pytest.raises(PermissionDenied):
        services.consent_give(actor=request.getfixturevalue(persona), official=own, field="private_phone",
                              signed_confirmed=True)


@pytest.mark.parametrize("start", [AWAITING, SUBMITTED, IN_FORCE])
def test_official_cannot_give_when_a_consent_is_open(official, own, start):
    make_consent(own, "private_phone", start)
    with pytest.raises(InvalidTransition):
        services.consent_give(actor=official, official=own, field="private_phone", signed_confirmed=True)
    assert own.consents.count() == 1


@pytest.mark.parametrize("start", [AWAITING, SUBMITTED])
def test_unit_give_while_the_document_is_awaited_is_refused(handler, person, start):
    make_consent(person, "private_phone", start)
    with pytest.raises(InvalidTransition):
        services.consent_give(actor=handler, official=person, field="private_phone", document_reference="X")


@pytest.mark.parametrize("start", [WITHDRAWN, REPLACED])
def test_a_new_consent_may_follow_an_ended_one(official, own, start):
    make_consent(own, "private_phone", start, decided_on=TODAY - dt.timedelta(days=9))
    consent = services.consent_give(actor=official, official=own, field="private_phone", signed_confirmed=True)
    assert consent.status == AWAITING and own.consents.count() == 2


def test_unit_renews_a_consent_in_force(handler, person):
    old = make_consent(person, "private_phone", IN_FORCE, decided_on=TODAY - dt.timedelta(days=30))
    new = services.consent_give(actor=handler, official=person, field="private_phone", document_reference="KS 2")
    old.refresh_from_db()
    assert old.status == REPLACED and new.status == IN_FORCE
    assert published_fields(person) == {"private_phone"}
    assert AuditEvent.objects.filter(action="consent_renew", from_state=IN_FORCE, to_state=REPLACED).exists()


def test_renewal_cannot_be_dated_before_the_consent_it_replaces(handler, person):
    make_consent(person, "private_phone", IN_FORCE, decided_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.consent_give(actor=handler, official=person, field="private_phone", document_reference="KS 2",
                              decided_on=TODAY - dt.timedelta(days=1))
    assert "decided_on" in exc.value.message_dict


def test_consent_date_cannot_be_in_the_future(official, own):
    with pytest.raises(ValidationError) as exc:
        services.consent_give(actor=official, official=own, field="private_phone", signed_confirmed=True,
                              decided_on=TODAY + dt.timedelta(days=1))
    assert "decided_on" in exc.value.message_dict


def test_no_home_address_consent_with_protected_identity(handler, person):
    person.protected_identity = True
    person.save()
    with pytest.raises(InvalidTransition):
        services.consent_give(actor=handler, official=person, field="home_address", document_reference="X")
    make_consent(person, "home_address", IN_FORCE)  # from before the protection
    assert "home_address" not in published_fields(person)
    with pytest.raises(InvalidTransition):  # and it is not renewed either
        services.consent_give(actor=handler, official=person, field="home_address", document_reference="Y")


def test_unknown_consent_field_is_refused(handler, person):
    with pytest.raises(ValidationError):
        services.consent_give(actor=handler, official=person, field="password", document_reference="X")


# --- the unit records the signed paper ---------------------------------------------------------

def test_unit_records_the_signed_paper_and_the_field_is_published(handler, official, own):
    consent = make_consent(own, "private_phone", AWAITING, recorded_by=official)
    assert published_private_data(own) == {}
    consent = services.consent_record_document(actor=handler, consent=consent, document_reference="KS 2026/42",
                                               received_on=TODAY)
    assert consent.status == IN_FORCE and consent.document_recorded_by == handler
    assert consent.document_reference == "KS 2026/42" and consent.document_received_on == TODAY
    assert published_private_data(own) == {"private_phone": PHONE}
    row = AuditEvent.objects.get(action="consent_record_document")
    assert (row.from_state, row.to_state, row.actor) == (AWAITING, IN_FORCE, handler)
    assert OutboxMessage.objects.filter(to=official.email).count() == 1
    _no_private_values_in_audit()


@pytest.mark.parametrize("start", [SUBMITTED, IN_FORCE, WITHDRAWN, REPLACED])
def test_record_document_illegal_start_states(handler, person, start):
    consent = make_consent(person, "private_phone", start)
    with pytest.raises(InvalidTransition):
        services.consent_record_document(actor=handler, consent=consent, document_reference="KS 9")
    consent.refresh_from_db()
    assert consent.status == start


def test_official_cannot_record_the_paper(official, own):
    consent = make_consent(own, "private_phone", AWAITING)
    with pytest.raises(PermissionDenied):
        services.consent_record_document(actor=official, consent=consent, document_reference="KS 9")
    assert published_fields(own) == frozenset()


def test_record_document_needs_reference_and_a_sensible_date(handler, person):
    consent = make_consent(person, "private_phone", AWAITING, decided_on=TODAY - dt.timedelta(days=3))
    with pytest.raises(ValidationError) as exc:
        services.consent_record_document(actor=handler, consent=consent, document_reference="  ")
    assert "document_reference" in exc.value.message_dict
    for day in (TODAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=4)):
        with pytest.raises(ValidationError) as exc:
            services.consent_record_document(actor=handler, consent=consent, document_reference="KS", received_on=day)
        assert "received_on" in exc.value.message_dict
    consent.refresh_from_db()
    assert consent.status == AWAITING


# --- the official uploads, the unit checks ----------------------------------------------------

def test_official_uploads_the_signed_form_and_nothing_is_published_yet(official, own, settings):
    consent = make_consent(own, "private_email", AWAITING)
    consent = services.consent_upload_document(actor=official, consent=consent, upload=signed_pdf("Mitt medgivande.pdf"))
    assert consent.status == SUBMITTED and published_fields(own) == frozenset()
    assert consent.document_name == "Mitt medgivande.pdf" and consent.document_mimetype == "application/pdf"
    assert consent.document_size == len(PDF) and len(consent.document_sha256) == 64
    assert consent.document_file.name.startswith("consents/") and "medgivande" not in consent.document_file.name
    assert consent.document_file.read() == PDF
    mail = OutboxMessage.objects.get(to=Policy.current().unit_email)
    assert f"/officials/consents/{consent.pk}/review/" in mail.body and EMAIL not in mail.body
    row = AuditEvent.objects.get(action="consent_upload_document")
    assert (row.from_state, row.to_state) == (AWAITING, SUBMITTED) and "medgivande" not in row.reason


@pytest.mark.parametrize("start", [SUBMITTED, IN_FORCE, WITHDRAWN, REPLACED])
def test_upload_illegal_start_states(official, own, start):
    consent = make_consent(own, "private_email", start)
    with pytest.raises(InvalidTransition):
        services.consent_upload_document(actor=official, consent=consent, upload=signed_pdf())


def test_upload_is_the_officials_own(handler, other_official, own):
    consent = make_consent(own, "private_email", AWAITING)
    for actor in (handler, other_official):
        with pytest.raises(PermissionDenied):
            services.consent_upload_document(actor=actor, consent=consent, upload=signed_pdf())


@pytest.mark.parametrize(("name", "content"), [
    ("medgivande.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200),  # a Windows program called .pdf
    ("medgivande.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("medgivande.html", b"<!doctype html><html><script>x</script></html>"),
    ("medgivande.txt", b"Jag samtycker."),
    ("medgivande.zip", bytes.fromhex("504b0304") + b"\x00" * 100),
    ("medgivande.pdf", b""),
])
def test_upload_refuses_what_is_not_a_scan_or_photo(official, own, name, content):
    consent = make_consent(own, "private_email", AWAITING)
    with pytest.raises(ValidationError) as exc:
        services.consent_upload_document(actor=official, consent=consent, upload=signed_pdf(name, content))
    assert "document" in exc.value.message_dict
    consent.refresh_from_db()
    assert consent.status == AWAITING and not consent.document_file


def test_upload_refuses_a_file_over_the_policys_limit(official, own):
    policy = policy_load(actor=None, profile="fagersta")
    policy.evidence_max_mb = 1
    policy.save()
    consent = make_consent(own, "private_email", AWAITING)
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        services.consent_upload_document(actor=official, consent=consent, upload=signed_pdf("stor.pdf", big))
    assert "1 MB" in " ".join(exc.value.message_dict["document"])


def test_upload_accepts_a_photo(official, own):
    consent = make_consent(own, "private_email", AWAITING)
    consent = services.consent_upload_document(actor=official, consent=consent, upload=signed_pdf("foto.png", PNG))
    assert consent.document_mimetype == "image/png"


def test_unit_accepts_the_upload_and_the_field_is_published(handler, official, own):
    consent = make_consent(own, "private_email", SUBMITTED)
    consent = services.consent_accept_document(actor=handler, consent=consent, document_reference="KS 5")
    assert consent.status == IN_FORCE and consent.document_recorded_by == handler
    assert consent.document_received_on == timezone.localdate(consent.document_uploaded_at)
    assert published_private_data(own) == {"private_email": EMAIL}
    assert AuditEvent.objects.filter(action="consent_accept_document", from_state=SUBMITTED, to_state=IN_FORCE).exists()


@pytest.mark.parametrize("start", [AWAITING, IN_FORCE, WITHDRAWN, REPLACED])
def test_accept_illegal_start_states(handler, person, start):
    consent = make_consent(person, "private_email", start)
    with pytest.raises(InvalidTransition):
        services.consent_accept_document(actor=handler, consent=consent)


def test_official_cannot_accept_their_own_upload(official, own):
    consent = make_consent(own, "private_email", SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.consent_accept_document(actor=official, consent=consent)
    assert published_fields(own) == frozenset()


def test_unit_rejects_the_upload_with_a_reason(handler, official, own, django_capture_on_commit_callbacks):
    consent = make_consent(own, "private_email", SUBMITTED)
    stored = consent.document_file.name
    storage = consent.document_file.storage
    with django_capture_on_commit_callbacks(execute=True):
        consent = services.consent_reject_document(actor=handler, consent=consent, reason="Underskriften saknas.")
    assert consent.status == AWAITING and consent.rejection_reason == "Underskriften saknas."
    assert consent.rejected_by == handler and consent.rejected_at is not None
    assert not consent.document_file and not storage.exists(stored)
    assert published_fields(own) == frozenset()
    mail = OutboxMessage.objects.get(to=official.email)
    assert "Underskriften" not in mail.body  # the reason is read on the page, not in the e-mail
    row = AuditEvent.objects.get(action="consent_reject_document")
    assert (row.from_state, row.to_state) == (SUBMITTED, AWAITING) and "Underskriften" not in row.reason
    # The official may send a new one.
    consent = services.consent_upload_document(actor=official, consent=consent, upload=signed_pdf())
    assert consent.status == SUBMITTED and consent.rejection_reason == ""


def test_reject_needs_a_reason(handler, person):
    consent = make_consent(person, "private_email", SUBMITTED)
    with pytest.raises(ValidationError) as exc:
        services.consent_reject_document(actor=handler, consent=consent, reason="   ")
    assert "reason" in exc.value.message_dict


@pytest.mark.parametrize("start", [AWAITING, IN_FORCE, WITHDRAWN, REPLACED])
def test_reject_illegal_start_states(handler, person, start):
    consent = make_consent(person, "private_email", start)
    with pytest.raises(InvalidTransition):
        services.consent_reject_document(actor=handler, consent=consent, reason="Nej")


def test_official_cannot_reject(official, own):
    consent = make_consent(own, "private_email", SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.consent_reject_document(actor=official, consent=consent, reason="Nej")


# --- withdraw ----------------------------------------------------------------------------------

@pytest.mark.parametrize("start", [AWAITING, SUBMITTED, IN_FORCE])
def test_official_withdraws_and_it_takes_effect_at_once(official, own, start):
    consent = make_consent(own, "private_phone", start)
    consent = services.consent_withdraw(actor=official, consent=consent)
    assert consent.status == WITHDRAWN and consent.withdrawn_on == TODAY and consent.withdrawn_by == official
    assert published_fields(own) == frozenset() and published_private_data(own) == {}
    # The unit is told when something that was published is withdrawn.
    assert OutboxMessage.objects.filter(to=Policy.current().unit_email).count() == (1 if start == IN_FORCE else 0)
    row = AuditEvent.objects.get(action="consent_withdraw")
    assert (row.from_state, row.to_state) == (start, WITHDRAWN)


@pytest.mark.parametrize("start", [WITHDRAWN, REPLACED])
def test_withdraw_illegal_start_states(official, own, start):
    consent = make_consent(own, "private_phone", start)
    with pytest.raises(InvalidTransition):
        services.consent_withdraw(actor=official, consent=consent)


def test_unit_withdraws_on_the_officials_letter_and_tells_them(handler, official, own):
    consent = make_consent(own, "private_phone", IN_FORCE, decided_on=TODAY - dt.timedelta(days=10))
    consent = services.consent_withdraw(actor=handler, consent=consent, withdrawn_on=TODAY - dt.timedelta(days=1))
    assert consent.withdrawn_on == TODAY - dt.timedelta(days=1) and consent.withdrawn_by == handler
    assert OutboxMessage.objects.filter(to=official.email).count() == 1


def test_withdrawal_date_cannot_precede_the_consent(handler, person):
    consent = make_consent(person, "private_phone", IN_FORCE, decided_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.consent_withdraw(actor=handler, consent=consent, withdrawn_on=TODAY - dt.timedelta(days=3))
    assert "decided_on" in exc.value.message_dict


@pytest.mark.parametrize("persona", ["other_official", "party_contact", "approver"])
def test_nobody_else_withdraws(request, own, persona):
    consent = make_consent(own, "private_phone", IN_FORCE)
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(actor=request.getfixturevalue(persona), consent=consent)


# --- the unit's "Record a decision" (consent_record) --------------------------------------------

def test_record_given_with_reference_records_the_awaited_document(handler, official, own):
    awaited = make_consent(own, "private_phone", AWAITING)
    consent = services.consent_record(actor=handler, official=own, field="private_phone", given=True,
                                      document_reference="KS 3")
    assert consent.pk == awaited.pk and consent.status == IN_FORCE
    assert own.consents.count() == 1


def test_record_withdrawal_without_consent_is_refused(handler, person):
    with pytest.raises(InvalidTransition):
        services.consent_record(actor=handler, official=person, field="private_phone", given=False)


def test_record_for_someone_else_is_refused(official, person):
    with pytest.raises(PermissionDenied):
        services.consent_record(actor=official, official=person, field="private_phone", given=True,
                                signed_confirmed=True)


# --- the database holds the rules too ---------------------------------------------------------

def test_database_allows_one_open_consent_per_field(person):
    make_consent(person, "private_phone", AWAITING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(official=person, field="private_phone", status=SUBMITTED, decided_on=TODAY)


def test_database_refuses_in_force_without_a_recorded_document(person):
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(official=person, field="private_phone", status=IN_FORCE, decided_on=TODAY)


# --- every shipped policy profile --------------------------------------------------------------

@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_the_rule_holds_under_every_policy_profile(profile, handler, official, own):
    policy_load(actor=None, profile=profile)
    consent = services.consent_give(actor=official, official=own, field="private_phone", signed_confirmed=True)
    assert published_fields(own) == frozenset()
    consent = services.consent_upload_document(actor=official, consent=consent, upload=signed_pdf())
    assert published_fields(own) == frozenset()
    assert OutboxMessage.objects.filter(to=PROFILES[profile]["unit_email"]).exists()
    consent = services.consent_accept_document(actor=handler, consent=consent)
    assert published_private_data(own) == {"private_phone": PHONE}
    services.consent_withdraw(actor=official, consent=consent)
    assert published_private_data(own) == {}
