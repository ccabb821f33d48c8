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
