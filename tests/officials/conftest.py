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
