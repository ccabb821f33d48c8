import datetime as dt

import pytest
from django.utils import timezone

from accounts.services import policy_load
from officials.models import Assignment, Body
from tests.factories import AssignmentFactory, BodyFactory, OfficialFactory
from training import services
from training.models import Course, Session, TargetGroup, TrainingOffer

TERM_START = dt.date(2026, 10, 15)


@pytest.fixture
def use_profile(db):
    def load(name: str):
        return policy_load(actor=None, profile=name)

    return load


@pytest.fixture
def ks(db):
    return BodyFactory(name="Kommunstyrelsen", kind=Body.Kind.EXECUTIVE)


@pytest.fixture
def make_official(db):
    """make_official(covered=True, user=None, start=..., end=None) -> Official with one assignment."""

    def make(*, covered: bool = False, user=None, start: dt.date = TERM_START, end: dt.date | None = None,
             body=None, **fields):
        official = OfficialFactory(user=user, **fields)
        AssignmentFactory(official=official, start=start, end=end, body=body or BodyFactory(),
                          role=Assignment.Role.GROUP_LEADER if covered else Assignment.Role.MEMBER,
                          share_percent=50 if covered else 0)
        return official

    return make


@pytest.fixture
def covered_official(official):
    """The `official` persona, made covered (a 100 % municipal commissioner)."""
    person = official.official
    AssignmentFactory(official=person, role=Assignment.Role.COMMISSIONER, share_percent=100,
                      start=dt.date(2020, 1, 1))
    return official


@pytest.fixture
def course(db):
    return Course.objects.create(title="Personal security", kind=Course.Kind.PERSONAL_SECURITY,
                                 format=Course.Format.ONSITE, target_group=TargetGroup.ALL)


@pytest.fixture
def web_course(db):
    return Course.objects.create(title="Web course", kind=Course.Kind.WEB, format=Course.Format.WEB,
                                 target_group=TargetGroup.ALL, web_url="https://utbildning.example/kurs")


@pytest.fixture
def make_offer(db, course):
    def make(*, target_group=TargetGroup.ALL, required=True, the_course=None, opens_on=None, closes_on=None,
             kind=TrainingOffer.Kind.MANUAL, title="Personal-security training 2026–2030"):
        today = timezone.localdate()
        return TrainingOffer.objects.create(
            kind=kind, term=2026 if today.year < 2030 else today.year, period="", course=the_course or course,
            title=title, target_group=target_group, opens_on=opens_on or today - dt.timedelta(days=10),
            closes_on=closes_on or today + dt.timedelta(days=120), required=required)

    return make


@pytest.fixture
def make_session(db, make_offer, handler):
    def make(*, offer=None, capacity=10, days=7, place="Stadshuset, sal A"):
        start = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
        return services.session_create(actor=handler, offer=offer or make_offer(), starts_at=start,
                                       ends_at=start + dt.timedelta(hours=2), place=place, capacity=capacity)

    return make


def move_to_past(session, hours=3):
    """Make a session have started (tests of attendance)."""
    start = timezone.now() - dt.timedelta(hours=hours)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    session.refresh_from_db()
    return session
