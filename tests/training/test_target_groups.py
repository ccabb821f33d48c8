"""Issue 15, points 7 and 8: who a training is for, and that an invitation always opens.

* Västerås: political secretaries and committee secretaries can be in the target group;
* Stockholm: an assignment the party designates as specially remunerated is covered under 40 %
  (the one coverage rule, `officials.models.COVERING`);
* Sigtuna: the targeted training before the election goes to the most exposed and to whom the
  unit adds, and is planned months ahead;
* an invitation to a session of an offer that opens later leads to a page the invitee can open.
"""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.models import AuditEvent, OutboxMessage
from officials import services as officials_services
from officials.models import Assignment, Body, Official
from tests.factories import AssignmentFactory, BodyFactory, OfficialFactory, UserFactory
from training import permissions, selectors, services
from training.models import Enrolment, OfferAddedOfficial, TargetGroup, TrainingOffer
from training.steps import plan_offers

TODAY = dt.date(2026, 12, 5)


def _person(role, *, share=0, body=None, designated=False, user=None, **names):
    official = OfficialFactory(user=user, **names)
    AssignmentFactory(official=official, role=role, share_percent=share, body=body or BodyFactory(),
                      designated_by_party=designated, start=dt.date(2026, 10, 15))
    return official


# ---------------------------------------------------------------- target groups


@pytest.fixture
def people(db):
    ks = BodyFactory(name="Kommunstyrelsen", kind=Body.Kind.EXECUTIVE)
    return {
        "member": _person(Assignment.Role.MEMBER),
        "ks_member": _person(Assignment.Role.MEMBER, body=ks),
        "commissioner": _person(Assignment.Role.COMMISSIONER, share=100, body=ks),
        "group_leader_30": _person(Assignment.Role.GROUP_LEADER, share=30),
        "designated_30": _person(Assignment.Role.GROUP_LEADER, share=30, designated=True),
        "presidium_10": _person(Assignment.Role.PRESIDIUM, share=10, designated=True),
        "political_secretary": _person(Assignment.Role.SECRETARY, share=100),
        "committee_secretary": _person(Assignment.Role.COMMITTEE_SECRETARY, share=100, body=ks),
    }


def _group(group):
    return set(selectors.officials_in_group(group, TODAY).values_list("pk", flat=True))


def test_committee_and_political_secretaries_are_in_the_group_that_names_them_only(people):
    ids = {name: o.pk for name, o in people.items()}
    everyone = _group(TargetGroup.WITH_SECRETARIES)
    assert everyone == set(ids.values())
    elected = _group(TargetGroup.ALL)
    assert ids["committee_secretary"] not in elected and ids["political_secretary"] not in elected
    assert elected == set(ids.values()) - {ids["committee_secretary"], ids["political_secretary"]}
    # The same answer for one person (the page and the services ask this way).
    groups = selectors.official_groups(people["committee_secretary"], TODAY)
    assert groups == {TargetGroup.WITH_SECRETARIES}


def test_a_party_designation_covers_under_forty_percent_and_a_secretary_is_never_covered(people):
    covered = set(Official.objects.covered(TODAY).values_list("pk", flat=True))
    assert covered == {people[n].pk for n in ("commissioner", "designated_30", "presidium_10")}
    assert _group(TargetGroup.COVERED) == covered
    # The exposed: the covered and the executive board (not the committee secretary working there).
    assert _group(TargetGroup.EXPOSED) == covered | {people["ks_member"].pk}
    for name, person in people.items():
        in_python = person.is_covered(TODAY)
        assert in_python == (person.pk in covered), name
        assert (TargetGroup.COVERED in selectors.official_groups(person, TODAY)) == in_python, name


def test_the_database_refuses_a_designated_secretary(db):
    official = OfficialFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(official=official, role=Assignment.Role.COMMITTEE_SECRETARY, designated_by_party=True)


def test_the_unit_designates_an_assignment_and_it_is_audited(people, handler):
    leader = people["group_leader_30"]
    assignment = leader.assignments.get()
    assert not leader.is_covered(TODAY)
    officials_services.assignment_designate(actor=handler, assignment=assignment, designated=True)
    assert Official.objects.covered().filter(pk=leader.pk).exists()
    event = AuditEvent.objects.get(action="assignment_designate")
    assert (event.actor, event.official_id, event.to_state) == (handler, leader.pk, "designated")
    with pytest.raises(ValidationError):  # already designated
        officials_services.assignment_designate(actor=handler, assignment=assignment, designated=True)
    officials_services.assignment_designate(actor=handler, assignment=assignment, designated=False)
    assert not Official.objects.covered().filter(pk=leader.pk).exists()


def test_designation_is_refused_to_others_to_a_secretary_and_to_an_ended_assignment(people, handler, official):
    with pytest.raises(PermissionDenied):
        officials_services.assignment_designate(actor=official, assignment=people["member"].assignments.get(),
                                                designated=True)
    with pytest.raises(ValidationError):
        officials_services.assignment_designate(actor=handler, designated=True,
                                                assignment=people["committee_secretary"].assignments.get())
    ended = AssignmentFactory(role=Assignment.Role.GROUP_LEADER, start=dt.date(2020, 1, 1), end=dt.date(2022, 1, 1))
    with pytest.raises(ValidationError):
        officials_services.assignment_designate(actor=handler, assignment=ended, designated=True)


def test_designation_view_allowed_for_the_unit_and_404_for_others(people, client_for, handler, official):
    assignment = people["group_leader_30"].assignments.get()
    url = reverse("officials:assignment-designate", args=[assignment.pk])
    response = client_for(official).post(url, {"designated": "1"})
    assert response.status_code == 404
    assignment.refresh_from_db()
    assert not assignment.designated_by_party
    response = client_for(handler).post(url, {"designated": "1"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.designated_by_party
    page = client_for(handler).get(reverse("officials:official-detail", args=[assignment.official_id]))
    assert 'name="designated" value="0"' in page.content.decode()  # the button now removes it


def test_the_registry_form_records_a_designation_and_refuses_it_for_a_secretary(people, client_for, handler):
    person = people["member"]
    url = reverse("officials:assignment-create", args=[person.pk])
    body = BodyFactory(name="Kommunfullmäktige", kind=Body.Kind.COUNCIL)
    data = {"body": body.pk, "role": Assignment.Role.PRESIDIUM, "share_percent": 5, "designated_by_party": "on",
            "start": "2026-11-01", "end": ""}
    assert client_for(handler).post(url, data).status_code == 302
    assert person.assignments.get(role=Assignment.Role.PRESIDIUM).designated_by_party
    response = client_for(handler).post(url, {**data, "role": Assignment.Role.COMMITTEE_SECRETARY})
    assert response.status_code == 400
    assert "designated_by_party" in response.context["form"].errors


# ---------------------------------------------------------------- Sigtuna: planned ahead, target list


@pytest.fixture
def sigtuna(use_profile):
    return use_profile("sigtuna")


def test_the_targeted_training_before_the_election_is_planned_months_ahead_for_the_most_exposed(sigtuna, people):
    plan_offers(dt.date(2029, 8, 31), sigtuna)
    assert not TrainingOffer.objects.filter(kind=TrainingOffer.Kind.PRE_ELECTION).exists()
    created = plan_offers(dt.date(2029, 9, 1), sigtuna)
    offer = TrainingOffer.objects.get(kind=TrainingOffer.Kind.PRE_ELECTION)
    assert any("2030-09-08" in line for line in created)
    assert (offer.created_on, offer.opens_on, offer.target_group) == (dt.date(2029, 9, 1), dt.date(2030, 3, 1),
                                                                      TargetGroup.EXPOSED)
    audience = set(selectors.offer_audience(offer, TODAY).values_list("pk", flat=True))
    assert people["ks_member"].pk in audience and people["member"].pk not in audience


def test_the_unit_extends_the_target_list_and_the_added_are_invited(sigtuna, people, handler, make_session):
    plan_offers(dt.date(2029, 9, 1), sigtuna)
    offer = TrainingOffer.objects.get(kind=TrainingOffer.Kind.PRE_ELECTION)
    chair = people["member"]
    added = services.offer_add_official(actor=handler, offer=offer, official=chair)
    assert AuditEvent.objects.filter(action="offer_add_official", official_id=chair.pk).exists()
    assert selectors.in_audience(chair, offer, TODAY)
    with pytest.raises(ValidationError):  # twice
        services.offer_add_official(actor=handler, offer=offer, official=chair)
    with pytest.raises(ValidationError):  # already in the group
        services.offer_add_official(actor=handler, offer=offer, official=people["ks_member"])
    session = make_session(offer=offer, days=200)
    services.session_invite(actor=handler, session=session)
    invited = set(OutboxMessage.objects.values_list("to", flat=True))
    assert chair.work_email in invited and people["ks_member"].work_email in invited
    assert people["group_leader_30"].work_email not in invited
    services.offer_remove_official(actor=handler, added=added)
    assert not selectors.in_audience(chair, offer, TODAY)
    assert AuditEvent.objects.filter(action="offer_remove_official").exists()


def test_only_the_unit_extends_a_target_list(sigtuna, people, official, make_offer):
    offer = make_offer(target_group=TargetGroup.EXPOSED)
    with pytest.raises(PermissionDenied):
        services.offer_add_official(actor=official, offer=offer, official=people["member"])


def test_a_closed_offer_takes_no_one_new(people, handler, make_offer):
    offer = make_offer(opens_on=TODAY - dt.timedelta(days=60), closes_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.offer_add_official(actor=handler, offer=offer, official=people["member"])


def test_target_list_views_allowed_for_the_unit_and_denied_to_others(people, client_for, handler, official,
                                                                      make_offer):
    offer = make_offer(target_group=TargetGroup.EXPOSED)
    add = reverse("training:offer-add-official", args=[offer.pk])
    assert client_for(official).post(add, {"add-official": people["member"].pk}).status_code == 403
    assert not OfferAddedOfficial.objects.exists()
    response = client_for(handler).post(add, {"add-official": people["member"].pk})
    assert response.status_code == 302
    added = OfferAddedOfficial.objects.get()
    bad = client_for(handler).post(add, {"add-official": "999999"})
    assert bad.status_code == 400 and bad.context["add_form"].errors
    remove = reverse("training:offer-remove-official", args=[offer.pk, added.pk])
    assert client_for(official).post(remove).status_code == 403
    assert client_for(handler).post(reverse("training:offer-remove-official", args=[offer.pk, 999999])
                                    ).status_code == 404
    assert client_for(handler).post(remove).status_code == 302
    assert not OfferAddedOfficial.objects.exists()


def test_someone_added_may_open_and_enrol_in_a_session_outside_their_group(people, client_for, make_offer,
                                                                           make_session, handler):
    user = UserFactory(username="ordf", roles=[Role.OFFICIAL])
    person = _person(Assignment.Role.CHAIR, user=user)
    offer = make_offer(target_group=TargetGroup.EXPOSED)
    session = make_session(offer=offer)
    url = reverse("training:session-detail", args=[session.pk])
    assert client_for(user).get(url).status_code == 404
    services.offer_add_official(actor=handler, offer=offer, official=person)
    assert client_for(user).get(url).status_code == 200
    assert client_for(user).post(reverse("training:session-enrol", args=[session.pk])).status_code == 302
    assert Enrolment.objects.get(session=session, official=person).status == Enrolment.Status.ENROLLED


# ---------------------------------------------------------------- point 8: the invitation always opens


@pytest.fixture
def later_offer(make_offer):
    """An offer of the most exposed that opens in three months (planned ahead)."""
    today = timezone.localdate()
    return make_offer(target_group=TargetGroup.EXPOSED, opens_on=today + dt.timedelta(days=90),
                      closes_on=today + dt.timedelta(days=200), title="Riktad utbildning före valet")


def test_an_invitation_to_a_session_of_an_offer_that_opens_later_opens_for_the_invitee(
        client_for, covered_official, later_offer, make_session, handler):
    session = make_session(offer=later_offer, days=100)
    assert services.session_invite(actor=handler, session=session) >= 1
    invitation = OutboxMessage.objects.get(to=covered_official.email)
    path = re.search(r"https?://[^/\s]+(/\S+/sessions/\d+/)", invitation.body).group(1)
    client = client_for(covered_official)
    response = client.get(path)
    assert response.status_code == 200  # was 404: the offer was not open yet
    assert "enrol" in response.context["actions"]
    assert client.post(reverse("training:session-enrol", args=[session.pk])).status_code == 302
    assert Enrolment.objects.filter(session=session, official=covered_official.official).exists()
    # Their training page shows it too, as opening later, with the session.
    page = client.get(reverse("training:my-training"))
    assert [o.pk for o in page.context["data"].offers] == [later_offer.pk]


def test_everyone_invited_may_open_the_page_and_no_one_else(covered_official, official, other_official, later_offer,
                                                           make_session, handler):
    session = make_session(offer=later_offer, days=100)
    services.session_invite(actor=handler, session=session)
    invited = set(OutboxMessage.objects.values_list("to", flat=True))
    now = timezone.now()
    for person in Official.objects.all():
        may_open = permissions.official_may_open_session(person, session, now)
        address = person.user.email if person.user_id else person.work_email
        assert may_open == (address in invited), person


def test_an_official_outside_the_target_group_still_gets_404(client_for, other_official, later_offer, make_session):
    session = make_session(offer=later_offer, days=100)
    assert client_for(other_official).get(reverse("training:session-detail", args=[session.pk])).status_code == 404


def test_a_closed_offer_s_past_session_is_404_unless_enrolled(client_for, covered_official, make_offer, make_session):
    offer = make_offer(target_group=TargetGroup.COVERED)
    session = make_session(offer=offer)
    start = timezone.now() - dt.timedelta(days=30)
    session.__class__.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    TrainingOffer.objects.filter(pk=offer.pk).update(opens_on=timezone.localdate() - dt.timedelta(days=60),
                                                     closes_on=timezone.localdate() - dt.timedelta(days=1))
    url = reverse("training:session-detail", args=[session.pk])
    assert client_for(covered_official).get(url).status_code == 404
    Enrolment.objects.create(session=session, official=covered_official.official, status=Enrolment.Status.ATTENDED)
    assert client_for(covered_official).get(url).status_code == 200
