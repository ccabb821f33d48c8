import datetime as dt

import pytest

from officials.models import Official
from tests.factories import AssignmentFactory, BodyFactory, OfficialFactory

HOME = "Hemliga vägen 7, 123 45 Staden"
PHONE = "073-9998877"
EMAIL = "hemlig@privat.example"
SOCIAL = "@hemligkonto"


@pytest.fixture
def body(db):
    return BodyFactory(name="Socialnämnden")


@pytest.fixture
def person(db, party, body):
    """An official in the registry with every private field filled and no consent."""
    official = OfficialFactory(first_name="Maja", last_name="Ström", party=party, work_email="maja@politik.example",
                               work_phone="08-123456", home_address=HOME, private_phone=PHONE, private_email=EMAIL,
                               private_social=SOCIAL)
    AssignmentFactory(official=official, body=body, start=dt.date(2022, 10, 15))
    return official


@pytest.fixture
def own(official) -> Official:
    """The `official` persona's registry record, with private data."""
    record = official.official
    record.home_address = HOME
    record.private_phone = PHONE
    record.private_email = EMAIL
    record.save()
    return record


# A minimal valid PDF and PNG: what a scanned or photographed signed form starts like.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n" \
      b"trailer<</Root 1 0 R>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360000002000100e5270de40000000049454e44ae426082")


def signed_pdf(name="medgivande.pdf", content=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, "application/pdf")


def make_consent(official, field, status="in_force", *, decided_on=None, **fields):
    """A consent in the given state, straight into the database (the services are tested
    elsewhere): with the stamps that state carries."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from officials.models import Consent

    today = timezone.localdate()
    data = {"decided_on": decided_on or today}
    if status in ("in_force", "replaced"):
        data.update(document_reference="KS 2026/1", document_received_on=data["decided_on"],
                    document_recorded_at=timezone.now())
    if status == "withdrawn":
        data.update(withdrawn_on=today, withdrawn_at=timezone.now())
    data.update(fields)
    consent = Consent(official=official, field=field, status=status, **data)
    if status == "document_submitted" and not consent.document_file:
        consent.document_file.save("x", ContentFile(PDF), save=False)
        consent.document_name, consent.document_mimetype = "medgivande.pdf", "application/pdf"
        consent.document_size, consent.document_uploaded_at = len(PDF), timezone.now()
    consent.save()
    return consent
