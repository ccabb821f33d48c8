"""The demo municipality: parties, bodies, about 350 officials with Swedish names, and one demo
account per role. Deterministic (fixed seed) and idempotent."""

import random
import unicodedata
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from faker import Faker

from accounts.models import User
from accounts.roles import Role
from accounts.services import ensure_role_groups, user_set_roles
from officials.models import Assignment, Body, Consent, Official, Party
from officials.services import assignment_add, consent_record, municipal_phone_change, official_create

TERM_START = date(2026, 10, 15)
PREVIOUS_TERM = (date(2022, 10, 15), date(2026, 10, 14))

PARTIES = [
    ("Socialdemokraterna", "S", 19), ("Moderaterna", "M", 12), ("Sverigedemokraterna", "SD", 12),
    ("Centerpartiet", "C", 5), ("Vänsterpartiet", "V", 4), ("Kristdemokraterna", "KD", 3),
    ("Liberalerna", "L", 3), ("Miljöpartiet", "MP", 3),
]

BODIES = [
    ("Kommunfullmäktige", Body.Kind.COUNCIL, 61, 55),
    ("Kommunstyrelsen", Body.Kind.EXECUTIVE, 13, 13),
    ("Kommunstyrelsens arbetsutskott", Body.Kind.SUBCOMMITTEE, 5, 0),
    ("Barn- och utbildningsnämnden", Body.Kind.COMMITTEE, 11, 11),
    ("Socialnämnden", Body.Kind.COMMITTEE, 11, 11),
    ("Vård- och omsorgsnämnden", Body.Kind.COMMITTEE, 11, 11),
    ("Miljö- och byggnadsnämnden", Body.Kind.COMMITTEE, 9, 9),
    ("Kultur- och fritidsnämnden", Body.Kind.COMMITTEE, 9, 9),
    ("Tekniska nämnden", Body.Kind.COMMITTEE, 9, 9),
    ("Gymnasie- och vuxenutbildningsnämnden", Body.Kind.COMMITTEE, 9, 9),
    ("Valnämnden", Body.Kind.COMMITTEE, 5, 5),
    ("Kommunfastigheter AB", Body.Kind.COMPANY, 5, 3),
    ("Bostads AB Hemmet", Body.Kind.COMPANY, 7, 3),
    ("Energi och Vatten AB", Body.Kind.COMPANY, 5, 3),
    ("Räddningstjänstförbundet", Body.Kind.FEDERATION, 3, 3),
    ("Överförmyndarnämnden", Body.Kind.COMMITTEE, 5, 5),
    ("Krisledningsnämnden", Body.Kind.COMMITTEE, 5, 5),
    ("Stiftelsen Stadsparken", Body.Kind.FOUNDATION, 5, 0),
]

# username, roles, party abbreviation (for officials and party contacts), first and last name
DEMO_ACCOUNTS = [
    ("official", {Role.OFFICIAL}, "S", "Anna", "Lindqvist"),
    ("official2", {Role.OFFICIAL}, "M", "Erik", "Johansson"),
    ("party", {Role.PARTY_CONTACT}, "S", "Karin", "Berg"),
    ("party2", {Role.PARTY_CONTACT}, "M", "Johan", "Ek"),
    ("handler", {Role.SECURITY_HANDLER}, None, "Sara", "Holm"),
    ("approver", {Role.APPROVER}, None, "Per", "Wallin"),
    # The security chief decides in the Stockholm profile; the technical office (Teknik- och
    # servicekontoret) orders alarms and cameras in the Sigtuna profile.
    ("chief", {Role.SECURITY_CHIEF}, None, "Ulla", "Stål"),
    ("technical", {Role.TECHNICAL_OFFICE}, None, "Tomas", "Verkstedt"),
    ("bodyofficer", {Role.BODY_OFFICER}, None, "Lena", "Sjöberg"),
    ("oncall", {Role.ON_CALL}, None, "Mikael", "Dahl"),
    ("admin", {Role.ADMINISTRATOR}, None, "Eva", "Nordin"),
]


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in plain if ch.isalnum() or ch == ".")


def _allocate(rng: random.Random, seats: int) -> list[str]:
    """Seats per party in proportion to the council's composition."""
    total = sum(n for _, _, n in PARTIES)
    result: list[str] = []
    for _, abbr, n in PARTIES:
        result += [abbr] * max(1, round(seats * n / total))
    rng.shuffle(result)
    return result[:seats] if len(result) >= seats else result + [PARTIES[0][1]] * (seats - len(result))


@transaction.atomic
def build_registry(stdout=None, scale: float = 1.0) -> int:
    """Parties, bodies and officials. Skipped when the registry already has officials.
    `scale` shrinks every body (tests use 0.1 for speed)."""
    parties = {abbr: Party.objects.get_or_create(abbreviation=abbr, defaults={"name": name})[0]
               for name, abbr, _ in PARTIES}
    bodies = {name: Body.objects.get_or_create(name=name, defaults={"kind": kind})[0]
              for name, kind, _, _ in BODIES}
    if Official.objects.exists():
        return 0
    rng = random.Random(2026)
    fake = Faker("sv_SE")
    fake.seed_instance(2026)
    pools: dict[str, list[Official]] = {abbr: [] for abbr in parties}

    def new_official(abbr: str) -> Official:
        woman = rng.random() < 0.47
        first = fake.first_name_female() if woman else fake.first_name_male()
        last = fake.last_name()
        slug = ascii_slug(f"{first}.{last}")
        official = official_create(
            actor=None, first_name=first, last_name=last, party=parties[abbr],
            work_email=f"{slug}{rng.randint(1, 99)}@politik.example", work_phone=f"070-{rng.randint(1000000, 9999999)}",
            gender=Official.Gender.WOMAN if woman else Official.Gender.MAN,
            birth_year=rng.randint(1950, 2003), protected_identity=rng.random() < 0.02,
            home_address=fake.street_address() + ", " + fake.postcode() + " " + fake.city(),
            private_phone=f"073-{rng.randint(1000000, 9999999)}", private_email=f"{slug}@privat.example",
        )
        pools[abbr].append(official)
        return official

    count = 0
    # Kommunfullmäktige: every member and substitute is a new person.
    for name, kind, members, substitutes in BODIES:
        body = bodies[name]
        members, substitutes = max(1, round(members * scale)), round(substitutes * scale)
        for i, abbr in enumerate(_allocate(rng, members) + _allocate(rng, substitutes)):
            substitute = i >= members
            reuse = kind != Body.Kind.COUNCIL and pools[abbr] and rng.random() < 0.08
            official = rng.choice(pools[abbr]) if reuse else new_official(abbr)
            count += 0 if reuse else 1
            role = Assignment.Role.SUBSTITUTE if substitute else Assignment.Role.MEMBER
            if not substitute and i == 0 and kind != Body.Kind.COUNCIL:
                role = Assignment.Role.CHAIR
            assignment_add(actor=None, official=official, body=body, role=role, start=TERM_START)
            if rng.random() < 0.3:
                assignment_add(actor=None, official=official, body=body, role=role, start=PREVIOUS_TERM[0],
                               end=PREVIOUS_TERM[1])
    # Full-time municipal commissioners and part-time group leaders (covered by KL 4:18a).
    ks = bodies["Kommunstyrelsen"]
    for abbr, share, role in [("S", 100, Assignment.Role.COMMISSIONER), ("S", 100, Assignment.Role.COMMISSIONER),
                              ("C", 100, Assignment.Role.COMMISSIONER), ("M", 100, Assignment.Role.COMMISSIONER),
                              ("SD", 50, Assignment.Role.GROUP_LEADER), ("V", 40, Assignment.Role.GROUP_LEADER),
                              ("KD", 40, Assignment.Role.GROUP_LEADER), ("L", 25, Assignment.Role.GROUP_LEADER),
                              ("MP", 40, Assignment.Role.GROUP_LEADER)]:
        assignment_add(actor=None, official=rng.choice(pools[abbr]), body=ks, role=role, share_percent=share,
                       start=TERM_START)
    for abbr in ("S", "M", "SD"):
        assignment_add(actor=None, official=new_official(abbr), body=ks, role=Assignment.Role.SECRETARY,
                       share_percent=100, start=TERM_START)
        count += 1
    _demo_consents_and_phones()
    if stdout:
        stdout.write(f"Created {count} officials.")
    return count


def _demo_consents_and_phones() -> None:
    """Some recorded consents and municipal phones so that the registry looks lived-in. Chosen by
    position, not by the random generator, so the names above stay the same."""
    day = min(TERM_START, timezone.localdate())
    for i, official in enumerate(Official.objects.order_by("id")):
        if i % 11 == 3:
            consent_record(actor=None, official=official, field=Consent.Field.PRIVATE_EMAIL, given=True,
                           decided_on=day, document_reference=f"KS 2026/{100 + i}")
        if i % 41 == 9:
            consent_record(actor=None, official=official, field=Consent.Field.PRIVATE_PHONE, given=True,
                           decided_on=day, signed_confirmed=True)
        if i % 29 == 5:
            municipal_phone_change(actor=None, official=official, to=Official.MunicipalPhone.ISSUED,
                                   number=f"08-590 {i:03d} {i % 100:02d}")
        elif i % 37 == 7:
            municipal_phone_change(actor=None, official=official, to=Official.MunicipalPhone.REQUESTED)


@transaction.atomic
def ensure_demo_accounts() -> list[tuple[str, str]]:
    """One account per role; idempotent; resets each password to DEMO_PASSWORD."""
    ensure_role_groups()
    created = []
    kf = Body.objects.get(name="Kommunfullmäktige")
    ks = Body.objects.get(name="Kommunstyrelsen")
    for username, roles, abbr, first, last in DEMO_ACCOUNTS:
        party = Party.objects.get(abbreviation=abbr) if abbr else None
        user, _ = User.objects.get_or_create(username=username, defaults={
            "first_name": first, "last_name": last, "email": f"{username}@demo.example",
        })
        user.set_password(settings.DEMO_PASSWORD)
        user.party = party if Role.PARTY_CONTACT in roles else None
        user.body = ks if Role.BODY_OFFICER in roles else None
        user.is_staff = Role.ADMINISTRATOR in roles
        user.is_superuser = Role.ADMINISTRATOR in roles
        user.save()
        user_set_roles(actor=None, user=user, roles=set(roles))
        if Role.OFFICIAL in roles and not hasattr(user, "official"):
            official = official_create(actor=None, first_name=first, last_name=last, party=party, user=user,
                                       work_email=f"{username}@demo.example", gender=Official.Gender.WOMAN
                                       if username == "official" else Official.Gender.MAN, birth_year=1978,
                                       home_address="Storgatan 1, 111 22 Staden", private_phone="073-1234567")
            assignment_add(actor=None, official=official, body=kf, role=Assignment.Role.MEMBER, start=TERM_START)
            if username == "official":
                assignment_add(actor=None, official=official, body=ks, role=Assignment.Role.COMMISSIONER,
                               share_percent=100, start=TERM_START)
        created.append((username, ", ".join(sorted(str(Role(r).label) for r in roles))))
    return created
