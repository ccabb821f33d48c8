import datetime as dt

import factory
from django.conf import settings

from accounts.models import User
from accounts.roles import Role
from accounts.services import ensure_role_groups
from officials.models import Assignment, Body, Official, Party

# Names for people made by the factories: real Swedish names, but none that contains a name or
# word the tests look for in a page ("Anna", "Erik", "Lindqvist", "Hot" …). Faker's random names
# made such assertions fail now and then (a "Maria Eriksson" logged in holds "Erik").
FIRST_NAMES = ["Agda", "Tage", "Signe", "Valter", "Edla", "Hjalmar", "Dagny", "Ture", "Elvira", "Gösta", "Ingeborg"]
LAST_NAMES = ["Ekwall", "Dahlgren", "Forsell", "Hägg", "Krantz", "Löfgren", "Mörk", "Rydén", "Sandin", "Vikström",
              "Thelin", "Blomqvist", "Norrby"]


def _first_name(n: int) -> str:
    return FIRST_NAMES[n % len(FIRST_NAMES)]


def _last_name(n: int) -> str:
    return LAST_NAMES[n % len(LAST_NAMES)]


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ("abbreviation",)

    name = factory.Sequence(lambda n: f"Partiet {n}")
    abbreviation = factory.Sequence(lambda n: f"P{n}")


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Nämnd {n}")
    kind = Body.Kind.COMMITTEE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(_first_name)
    last_name = factory.Sequence(_last_name)
    email = factory.LazyAttribute(lambda u: f"{u.username}@test.example")
    password = factory.PostGenerationMethodCall("set_password", settings.DEMO_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        groups = ensure_role_groups()
        if extracted:
            self.groups.set([groups[Role(r).value] for r in extracted])
        self.save()


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    first_name = factory.Sequence(_first_name)
    last_name = factory.Sequence(_last_name)
    party = factory.SubFactory(PartyFactory)
    work_email = factory.Sequence(lambda n: f"official{n}@politik.example")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    official = factory.SubFactory(OfficialFactory)
    body = factory.SubFactory(BodyFactory)
    role = Assignment.Role.MEMBER
    share_percent = 0
    start = dt.date(2026, 10, 15)
    end = None


# ---------------------------------------------------------------- the personas of STYLE.md › Tests

PARTIES = {"S": "Socialdemokraterna", "M": "Moderaterna"}

# name → (username, role, what the account is tied to: an official of a party ("official", party,
# first name, last name), a party contact's party ("party", party) or staff and superuser ("staff",))
PERSONAS: dict[str, tuple] = {
    "official": ("official", Role.OFFICIAL, ("official", "S", "Anna", "Lindqvist")),
    "other_official": ("official2", Role.OFFICIAL, ("official", "M", "Erik", "Johansson")),
    "party_contact": ("party", Role.PARTY_CONTACT, ("party", "S")),
    "other_party_contact": ("party2", Role.PARTY_CONTACT, ("party", "M")),
    "handler": ("handler", Role.SECURITY_HANDLER, ()),
    "other_handler": ("handler2", Role.SECURITY_HANDLER, ()),
    "approver": ("approver", Role.APPROVER, ()),
    "body_officer": ("bodyofficer", Role.BODY_OFFICER, ()),
    "on_call": ("oncall", Role.ON_CALL, ()),
    "admin_user": ("admin", Role.ADMINISTRATOR, ("staff",)),
}


def make_party(abbreviation: str) -> Party:
    """Socialdemokraterna (S, the `party` fixture) or Moderaterna (M, `other_party`)."""
    return PartyFactory(name=PARTIES[abbreviation], abbreviation=abbreviation)


def make_persona(name: str) -> User:
    """The persona's account (and official, with one assignment); an existing one is reused (the
    factories get or create by username and party), so rows built once for a module and the
    test's own persona fixtures are the same."""
    username, role, tie = PERSONAS[name]
    user = UserFactory(username=username, roles=[role])
    if tie[:1] == ("official",):
        _, party, first_name, last_name = tie
        if not Official.objects.filter(user=user).exists():
            person = OfficialFactory(user=user, party=make_party(party), first_name=first_name, last_name=last_name)
            AssignmentFactory(official=person)
    elif tie[:1] == ("party",):
        user.party = make_party(tie[1])
        user.save()
    elif tie == ("staff",):
        user.is_staff = True
        user.is_superuser = True
        user.save()
    return user
