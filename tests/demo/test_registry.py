import pytest

from demo.registry import build_registry
from officials.models import Consent, Official

pytestmark = pytest.mark.django_db


def test_demo_registry_has_consents_and_phones_and_is_idempotent():
    created = build_registry(scale=0.1)
    assert created > 30
    assert Consent.objects.filter(field="private_email", status="in_force").exclude(document_reference="").exists()
    # Given on the web without the signed document: awaiting it, not published.
    assert Consent.objects.filter(field="private_phone", status="awaiting_document").exists()
    assert Official.objects.filter(municipal_phone="issued").exclude(municipal_phone_number="").exists()
    consents = Consent.objects.count()
    assert build_registry(scale=0.1) == 0
    assert Consent.objects.count() == consents
