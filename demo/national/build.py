"""The steps of the national build, one per app: the registry, the handlers, reports and cases,
assessments and measures, the audit trail, survey answers and training completions. Each step
keeps in memory only what later steps need (ids, times, who), as plain lists indexed from 0; the
database ids are those lists' positions plus the first free id of each table."""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
import uuid
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate, count
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.utils import timezone
from faker import Faker
from faker.providers.person.sv_SE import Provider as Names

from accounts.models import Policy, User
from accounts.roles import Role
from accounts.services import ensure_role_groups, user_set_roles
from core.models import AuditEvent
from incidents.identifiers import identifiers_of
from incidents.models import (
    Case,
    CaseNote,
    CaseStatusChange,
    CaseUserObjectPermission,
    LinkAssessment,
    Perpetrator,
    PerpetratorIdentifier,
    Report,
    ReportKind,
)
from measures.models import (
    REVIEW_DAYS,
    Assessment,
    Measure,
    MeasureCost,
    MeasureEvent,
    MeasureType,
    RiskFactor,
    RiskLevel,
    matrix_level,
)
from officials.models import Assignment, Body, Official, Party
from surveys import selectors as survey_selectors
from surveys import services as survey_services
from surveys.models import Answer, Invitation, InvitationToken, Item, Response, Round, SurveyType
from training.models import Completion, TrainingOffer

from ..registry import PARTIES, ascii_slug
from ..survey_rounds import DEMO_ROUNDS, ic_sheet, safety_sheet
from .data import (
    CHANNEL_TITLES,
    CHANNEL_WEIGHTS,
    CONCLUSIONS,
    COUNTS,
    DAY,
    DESCRIPTIONS,
    EXTRA_APPROVERS,
    EXTRA_HANDLERS,
    KIND_TITLES,
    KIND_WEIGHTS,
    LARGE,
    MUNICIPAL_BODIES,
    MUNICIPALITIES,
    NOTES,
    PLACES,
    REASONS,
    SEED,
    SUPPLIERS,
    TERMS,
    TZ,
    YEARS,
)
from .writer import RawJSON, Writer

FAR = float("inf")  # the closing time of a case still open
Row = tuple[Any, ...]  # one row's column values, as the writer takes them


def _count(name: str, fraction: float) -> int:
    return max(1, round(COUNTS[name] * fraction))


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _local_date(ts: float) -> date:
    return datetime.fromtimestamp(ts, TZ).date()


def _ts(day: date, hour: int = 9) -> float:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ).timestamp()


def _picker(rng: random.Random, weights: Mapping[str, float]) -> Callable[[], str]:
    keys, cum = list(weights), list(accumulate(weights.values()))
    return lambda: rng.choices(keys, cum_weights=cum)[0]


def _next_review(in_place: date, now: float) -> date:
    """Measures in place are reviewed every 90 days: the next review falls in the coming three
    months, a few of them a little overdue."""
    days = (_local_date(now) - in_place).days
    return in_place + timedelta(days=90 * max(1, math.ceil((days - 10) / 90)))


def _between(rng: random.Random, start: float, end: float, k: int) -> list[float]:
    """k sorted random moments in [start, end]."""
    return sorted(rng.uniform(start, max(start, end)) for _ in range(k))


class Build:
    """One national build. The steps share the ids and the few facts later steps need."""

    def __init__(self, stdout, fraction: float):
        self.out, self.fraction = stdout, fraction
        self.rng = random.Random(SEED)
        self.writer = Writer()
        self.steps: list[tuple[str, float]] = []
        self.policy = Policy.current()
        # Midnight today: every run on the same day builds the same data.
        self.now = _ts(timezone.localdate(), 0)
        self.start = max(self.now - YEARS * 365.25 * DAY, _ts(TERMS[0][1]) + 30 * DAY)

    def step(self, name: str, fn) -> None:
        started = time.perf_counter()
        fn()
        seconds = time.perf_counter() - started
        self.steps.append((name, seconds))
        self.out.write(f"  {name}: {seconds:.1f} s")

    # ------------------------------------------------------------ officials and users

    def registry(self) -> None:
        rng, f = self.rng, self.fraction
        fake = Faker("sv_SE")
        fake.seed_instance(SEED)
        streets = [fake.street_name() for _ in range(400)]
        women, men, surnames = list(Names.first_names_female), list(Names.first_names_male), list(Names.last_names)
        parties = {p.abbreviation: p.pk for p in Party.objects.all()}
        party_pick = _picker(rng, {abbr: weight for _name, abbr, weight in PARTIES if abbr in parties})
        home = self.policy.municipality_name.split()[0] if self.policy.municipality_name else ""
        names = [m for m in MUNICIPALITIES if m != home]
        names = sorted(rng.sample(names, min(len(names), max(2, round(len(names) * f)))))
        weights = [rng.lognormvariate(0, 0.6) * (4 if m in LARGE else 1) for m in names]
        total_officials = _count("officials", f)
        sizes = [max(3, round(total_officials * w / sum(weights))) for w in weights]
        sizes[-1] = max(3, sizes[-1] + total_officials - sum(sizes))

        bodies = Body.objects.bulk_create([
            Body(name=f"{body}, {'Region Gotland' if m == 'Gotland' else m + ' kommun'}", kind=kind)
            for m in names for body, kind in MUNICIPAL_BODIES])
        per_muni = len(MUNICIPAL_BODIES)
        base = self.writer.next_id(Official)
        self.official_base = base
        self.o_party: list[int] = []
        self.o_muni: list[int] = []
        self.o_weight: list[float] = []
        self.o_terms: list[tuple[int, ...]] = []
        self.o_covered: list[set[int]] = []
        officials, assignments = [], []
        for mi, (muni, size) in enumerate(zip(names, sizes, strict=True)):
            b = bodies[mi * per_muni:(mi + 1) * per_muni]
            council, ks, au, others = b[0].pk, b[1].pk, b[2].pk, [x.pk for x in b[3:]]
            slug = ascii_slug(muni.replace(" ", "").replace("-", ""))
            for _n in range(size):
                index = len(self.o_party)
                first_term = rng.choices((0, 1, 2), (45, 30, 25))[0]
                last_term = first_term
                while last_term < 2 and rng.random() < 0.65:
                    last_term += 1
                terms = tuple(range(first_term, last_term + 1))
                woman = rng.random() < 0.46
                first = rng.choice(women if woman else men)
                last = rng.choice(surnames)
                party = parties[party_pick()]
                # Exposure: a few officials draw many reports (capped), more so in exposed roles.
                weight, role_factor = min(15.0, rng.paretovariate(2.2)), 1.0
                covered = set()
                for t in terms:
                    _year, start, end = TERMS[t]
                    if rng.random() < 0.6:
                        role = "ledamot" if rng.random() < 0.6 else "ersattare"
                        assignments.append((base + index, council, role, 0, start, end))
                        role_factor = max(role_factor, 1.5 if role == "ledamot" else 1)
                    else:
                        role = rng.choices(("ledamot", "ersattare", "ordforande", "vice_ordforande"),
                                           (55, 35, 5, 5))[0]
                        assignments.append((base + index, rng.choice(others), role, 0, start, end))
                        role_factor = max(role_factor, 2 if role == "ordforande" else 1)
                    if rng.random() < 0.35:
                        assignments.append((base + index, rng.choice([ks, au, *others]),
                                            rng.choice(("ledamot", "ersattare")), 0, start, end))
                    special = rng.random()
                    if special < 0.015:
                        assignments.append((base + index, ks, "kommunalrad", 100, start, end))
                        covered.add(t)
                        role_factor = 5
                    elif special < 0.025:
                        assignments.append((base + index, ks, "gruppledare", rng.choice((40, 50)), start, end))
                        covered.add(t)
                        role_factor = max(role_factor, 3)
                    elif special < 0.03:
                        assignments.append((base + index, ks, "politisk_sekreterare", 100, start, end))
                        covered.add(t)
                created = _dt(_ts(TERMS[first_term][1], 10))
                ended = TERMS[last_term][2]
                protected = rng.random() < 0.015
                officials.append((
                    base + index, first, last, party, f"{ascii_slug(first + '.' + last)}@{slug}.example",
                    f"070-{rng.randint(1000000, 9999999)}", "woman" if woman else rng.choice(("man",) * 30 + ("other",)),
                    rng.randint(1945, 2004), protected,
                    "" if rng.random() < 0.1 else f"{rng.choice(streets)} {rng.randint(1, 120)}, "
                                                  f"{rng.randint(100, 999)} {rng.randint(10, 99)} {muni}",
                    "" if rng.random() < 0.2 else f"073-{rng.randint(1000000, 9999999)}",
                    "" if rng.random() < 0.6 else f"{ascii_slug(first + '.' + last)}{rng.randint(1, 99)}@privat.example",
                    "" if rng.random() < 0.9 else f"@{ascii_slug(first + last)}{rng.randint(1, 999)}",
                    *(("issued", f"0{rng.randint(10, 99)}-{rng.randint(100000, 999999)}") if rng.random() < 0.05
                      else ("none", "")), ended, created, created))
                self.o_party.append(party)
                self.o_muni.append(mi)
                self.o_weight.append(weight * role_factor)
                self.o_terms.append(terms)
                self.o_covered.append(covered)
        columns = ["id", "first_name", "last_name", "party_id", "work_email", "work_phone", "gender", "birth_year",
                   "protected_identity", "home_address", "private_phone", "private_email", "private_social",
                   "municipal_phone", "municipal_phone_number", "responsibility_ended_on", "created_at", "updated_at"]
        self.writer.insert(Official, columns, officials)
        self.writer.insert(Assignment, ["official_id", "body_id", "role", "share_percent", "start", "end"],
                           assignments)
        self.officials = len(officials)
        # Who can be the subject of a report in each term: ids and cumulative exposure weights,
        # for the whole country and per municipality.
        self.term_pool: list[tuple[list[int], list[float]]] = []
        self.term_muni: list[dict[int, list[int]]] = []
        for t in range(len(TERMS)):
            ids = [i for i in range(len(officials)) if t in self.o_terms[i]]
            self.term_pool.append((ids, list(accumulate(self.o_weight[i] for i in ids))))
            by_muni: dict[int, list[int]] = defaultdict(list)
            for i in ids:
                by_muni[self.o_muni[i]].append(i)
            self.term_muni.append(by_muni)
        self.municipalities = len(names)

    def users(self) -> None:
        fake = Faker("sv_SE")
        fake.seed_instance(SEED + 1)
        groups = ensure_role_groups()
        password = make_password(settings.DEMO_PASSWORD)  # one hash for all: cheap, and they can log in

        def account(username: str, role: str) -> User:
            user = User.objects.create(username=username, first_name=fake.first_name(), last_name=fake.last_name(),
                                       email=f"{username}@national.example", password=password)
            user_set_roles(actor=None, user=user, roles={role})
            return user

        extra = [account(f"handler{n:02d}", Role.SECURITY_HANDLER) for n in range(1, EXTRA_HANDLERS + 1)]
        for n in range(2, EXTRA_APPROVERS + 2):
            account(f"approver{n:02d}", Role.APPROVER)
        demo = User.objects.filter(username="handler", groups=groups[Role.SECURITY_HANDLER]).first()
        handlers = ([demo] if demo else []) + extra
        self.handlers = [u.pk for u in handlers]
        self.handler_cum = list(accumulate(3 if u is demo else 1 for u in handlers))  # the demo handler: a big share
        self.deciders = list(User.objects.filter(groups__name=self.policy.approver_role, is_active=True)
                             .order_by("pk").values_list("pk", flat=True))
        contacts = {u.party_id: u.pk for u in User.objects.filter(groups=groups[Role.PARTY_CONTACT],
                                                                  party__isnull=False).order_by("-pk")}
        self.party_contact = contacts

    def handler(self) -> int:
        return self.rng.choices(self.handlers, cum_weights=self.handler_cum)[0]

    def decider(self, proposer: int) -> int:
        """Four eyes: any holder of the policy's approver role but the proposer."""
        choices = [d for d in self.deciders if d != proposer] or [h for h in self.handlers if h != proposer]
        return self.rng.choice(choices)

    # ------------------------------------------------------------ reports and cases

    def reports(self) -> None:
        """When, about whom and what; then, in time order, which reports open a case, which join
        the official's open case, which stay triaged and which are still new."""
        rng, n = self.rng, _count("reports", self.fraction)
        span = self.now - self.start - DAY
        a, b = 1.0, 1.5  # volume grows over the years: density a + b·x on [0, 1]
        stamps = []
        for _n in range(n):
            u = rng.random()
            x = (-a + math.sqrt(a * a + 2 * b * u * (a + b / 2))) / b
            stamps.append(self.start + x * span)
        stamps.sort()
        self.r_ts = stamps
        term_starts = [_ts(start, 0) for _y, start, _e in TERMS]
        self.r_off = [0] * n
        self.r_off2 = [-1] * n
        by_term: dict[int, list[int]] = defaultdict(list)
        for i, ts in enumerate(stamps):
            by_term[max(0, bisect_right(term_starts, ts) - 1)].append(i)
        for t, indices in by_term.items():
            ids, cum = self.term_pool[t]
            for i, o in zip(indices, rng.choices(ids, cum_weights=cum, k=len(indices)), strict=True):
                self.r_off[i] = o
                if rng.random() < 0.08:
                    same = self.term_muni[t][self.o_muni[o]]
                    other = rng.choice(same)
                    if other != o:
                        self.r_off2[i] = other
        kind_pick, channel_pick = _picker(rng, KIND_WEIGHTS), _picker(rng, CHANNEL_WEIGHTS)
        self.r_kinds, self.r_channel = [], []
        for _n in range(n):
            first = kind_pick()
            second = kind_pick() if rng.random() < 0.35 else first
            self.r_kinds.append((first,) if second == first else (first, second))
            self.r_channel.append(channel_pick())

        # Untriaged: a few thousand of the latest weeks' reports.
        recent = [i for i in range(n) if stamps[i] > self.now - 45 * DAY] or [n - 1]
        new = set(rng.sample(recent, min(len(recent), _count("new_reports", self.fraction))))
        eligible = [i for i in range(n) if i not in new]
        openers = set(rng.sample(eligible, min(len(eligible), _count("cases", self.fraction))))
        self.r_status = ["new"] * n
        self.r_case = [-1] * n
        self.r_handler = [0] * n
        self.r_triaged = [0.0] * n
        priority_pick = _picker(rng, {"low": 15, "normal": 60, "high": 20, "urgent": 5})
        self.r_priority = [""] * n
        c_off: list[int] = []
        c_handler: list[int] = []
        c_open: list[float] = []
        c_close: list[float] = []
        c_priority: list[str] = []
        c_title: list[str] = []
        c_last: list[float] = []
        open_case: dict[int, int] = {}  # official index -> the case index opened last
        for i in range(n):
            if i in new:
                continue
            ts = stamps[i]
            triaged = min(self.now - 60, ts + rng.expovariate(1 / (8 * 3600)))
            self.r_triaged[i] = triaged
            self.r_priority[i] = priority_pick()
            official = self.r_off[i]
            current = open_case.get(official, -1)
            if i in openers:
                case = len(c_off)
                handler = self.handler()
                opened = triaged + rng.uniform(60, 4 * 3600)
                duration = min(900.0, rng.lognormvariate(math.log(60), 1.2)) * DAY
                closed = opened + duration if opened + duration < self.now - 3600 else FAR
                c_off.append(official)
                c_handler.append(handler)
                c_open.append(min(opened, self.now - 30))
                c_close.append(closed)
                c_priority.append(self.r_priority[i])
                c_title.append(f"{KIND_TITLES[self.r_kinds[i][0]]} {CHANNEL_TITLES[self.r_channel[i]]}".strip())
                c_last.append(opened)
                open_case[official] = case
                self.r_case[i], self.r_status[i], self.r_handler[i] = case, "in_case", handler
            elif current >= 0 and c_open[current] < ts < c_close[current] and rng.random() < 0.95:
                self.r_case[i], self.r_status[i], self.r_handler[i] = current, "in_case", c_handler[current]
                c_last[current] = max(c_last[current], ts)
            else:
                self.r_status[i], self.r_handler[i] = "triaged", self.handler()
        self.c_off, self.c_handler, self.c_open, self.c_close = c_off, c_handler, c_open, c_close
        self.c_priority, self.c_title, self.c_last = c_priority, c_title, c_last
        self._write_reports()

    def _write_reports(self) -> None:
        rng, n = self.rng, len(self.r_ts)
        self.report_base = base = self.writer.next_id(Report)
        self.case_base = self.writer.next_id(Case)
        motive_pick = _picker(rng, {"none": 85, "unsure": 5, "ethnicity": 3, "religion": 2, "gender": 2,
                                    "sexual_orientation": 1, "other": 2})
        urgent_kinds = set(self.policy.urgent_kinds or [])
        party_filers = self.party_contact

        def rows():
            for i in range(n):
                ts = self.r_ts[i]
                period = rng.random() < 0.1
                occurred = None if period else _dt(ts - min(20 * DAY, rng.expovariate(1 / (1.5 * DAY))))
                p_start = _local_date(ts - rng.uniform(10, 90) * DAY) if period else None
                p_end = _local_date(ts - rng.uniform(0, 9) * DAY) if period and rng.random() < 0.7 else None
                near_miss = rng.random() < 0.08
                injury = not near_miss and rng.random() < (0.3 if "violence" in self.r_kinds[i] else 0.005)
                police = rng.random() < 0.25
                police_day = _local_date(min(self.now, ts + rng.uniform(0, 5) * DAY)) if police else None
                party = self.o_party[self.r_off[i]]
                filer = party_filers[party] if party in party_filers and rng.random() < 0.15 else self.handler()
                status = self.r_status[i]
                case = self.r_case[i]
                priority = self.r_priority[i]
                yield (base + i, filer, _dt(ts), True, occurred, p_start, p_end,
                       "near_miss" if near_miss else "incident", injury, self.r_channel[i], rng.choice(PLACES),
                       rng.choice(DESCRIPTIONS), rng.choices(("yes", "unsure", "no"), (60, 30, 10))[0], motive_pick(),
                       police, police_day, f"5000-K{rng.randint(100000, 999999)}-{police_day:%y}" if police else "",
                       bool(urgent_kinds & set(self.r_kinds[i])) or priority == "urgent", status, priority,
                       self.r_handler[i] or None, _dt(self.r_triaged[i]) if status != "new" else None,
                       self.case_base + case if case >= 0 else None)

        columns = ["id", "filed_by_id", "filed_at", "on_behalf", "occurred_at", "period_start", "period_end",
                   "severity", "injury", "channel", "place", "description", "linked_to_assignment",
                   "hate_crime_motive", "police_reported", "police_report_date", "police_reference", "urgent",
                   "status", "priority", "handler_id", "triaged_at", "case_id"]
        # The cases first: reports point at them (the foreign keys are checked at commit anyway).
        self._write_cases()
        self.writer.insert(Report, columns, rows())
        self.writer.insert(ReportKind, ["report_id", "kind"],
                           ((base + i, k) for i in range(n) for k in self.r_kinds[i]))
        through = Report.affected_officials.through
        self.writer.insert(through, ["report_id", "official_id"], (
            (base + i, self.official_base + o) for i in range(n)
            for o in ((self.r_off[i],) if self.r_off2[i] < 0 else (self.r_off[i], self.r_off2[i]))))
        self._perpetrators()

    def _write_cases(self) -> None:
        rng, n = self.rng, len(self.c_off)
        base = self.case_base
        open_pick = _picker(rng, {"triaged": 15, "being_assessed": 30, "measures": 30, "monitoring": 25})
        self.c_status: list[str] = []
        self.c_assessed: list[bool] = []
        self.c_measures: list[bool] = []
        changes, notes, links, grants = [], [], [], []
        change_case = Permission.objects.get(content_type__app_label="incidents", codename="change_case").pk

        def rows():
            for c in range(n):
                opened, closed, handler = self.c_open[c], self.c_close[c], self.c_handler[c]
                if closed == FAR:
                    status = "new" if opened > self.now - 2 * DAY else open_pick()
                    path = {"new": ["new"], "triaged": ["new", "triaged"],
                            "being_assessed": ["new", "triaged", "being_assessed"],
                            "measures": ["new", "triaged", "being_assessed", "measures"],
                            "monitoring": ["new", "triaged", "being_assessed", "measures", "monitoring"]}[status]
                    if status == "monitoring" and rng.random() < 0.5:
                        path.remove("measures")
                    last = max(self.c_last[c], self.now - rng.expovariate(1 / (6 * DAY)), opened)
                    end = self.now
                else:
                    status = "closed"
                    roll = rng.random()
                    path = (["new", "triaged", "closed"] if roll < 0.45 else
                            ["new", "triaged", "being_assessed", "closed"] if roll < 0.7 else
                            ["new", "triaged", "being_assessed", "measures", "closed"] if roll < 0.9 else
                            ["new", "triaged", "being_assessed", "measures", "monitoring", "closed"])
                    last = end = closed
                self.c_status.append(status)
                self.c_assessed.append("being_assessed" in path)
                self.c_measures.append("measures" in path)
                moments = [opened, *_between(rng, opened, end, len(path) - 1)]
                if status == "closed":
                    moments[-1] = closed
                previous = ""
                for to, at in zip(path, moments, strict=True):
                    changes.append((base + c, previous, to, handler, _dt(at), ""))
                    previous = to
                if rng.random() < 0.5:
                    notes.append((base + c, handler, _dt(rng.uniform(opened, end)), rng.choice(NOTES),
                                  rng.random() < 0.8))
                if "being_assessed" in path and rng.random() < 0.35:
                    outcome = rng.choices(("linked", "not_linked", "undecided"), (70, 15, 15))[0]
                    view = {"linked": "yes", "not_linked": "no", "undecided": "unsure"}[outcome]
                    links.append((base + c, view, rng.choice((view, "unsure")), view, outcome,
                                  "" if outcome == "undecided" else "Bedömt gemensamt med partiet.", handler,
                                  _dt(rng.uniform(opened, end))))
                grants.append((change_case, handler, base + c))
                yield (base + c, self.official_base + self.c_off[c], self.c_title[c], status, self.c_priority[c],
                       handler, _dt(opened), handler, None if closed == FAR else _dt(closed), _dt(last),
                       _local_date(self.now + rng.uniform(3, 40) * DAY) if status in ("measures", "monitoring")
                       else None)

        self.writer.insert(Case, ["id", "official_id", "title", "status", "priority", "handler_id", "opened_at",
                                  "opened_by_id", "closed_at", "last_activity_at", "next_contact_on"], rows())
        self.writer.insert(CaseStatusChange, ["case_id", "from_status", "to_status", "actor_id", "at", "comment"],
                           changes)
        self.writer.insert(CaseNote, ["case_id", "author_id", "created_at", "text", "confidential"], notes)
        self.writer.insert(LinkAssessment, ["case_id", "official_view", "party_view", "municipality_view", "outcome",
                                            "reasoning", "recorded_by_id", "recorded_at"], links)
        self.writer.insert(CaseUserObjectPermission, ["permission_id", "user_id", "content_object_id"], grants)

    def _perpetrators(self) -> None:
        """A third of the reports name someone; a few senders come back across many reports."""
        rng = self.rng
        firsts, lasts = list(Names.first_names_male), list(Names.last_names)
        pool: list[dict[str, Any]] = []
        for k in range(max(10, len(self.r_ts) // 15)):
            first, last = rng.choice(firsts), rng.choice(lasts)
            slug = ascii_slug(first + last)
            kind = rng.random()
            pool.append({"known": kind < 0.3, "name": f"{first} {last}" if kind < 0.45 else "",
                         "alias": "" if kind < 0.45 else rng.choice(("Sanningen", "Folkets röst", "Medborgaren",
                                                                     "Anonym")) + str(k),
                         "handle": f"@{slug}{k}" if rng.random() < 0.5 else "",
                         "phone": f"07{rng.randint(0, 9)}-{rng.randint(1000000, 9999999)}" if rng.random() < 0.2
                         else "", "email": f"{slug}{k}@post.example" if rng.random() < 0.3 else ""})
        cum = list(accumulate(min(300.0, rng.paretovariate(1.2)) for _ in pool))
        base = self.writer.next_id(Perpetrator)
        perpetrators: list[Row] = []
        identifiers: list[Row] = []
        for i in range(len(self.r_ts)):
            if rng.random() < 0.3:
                who = rng.choices(pool, cum_weights=cum)[0]
                pk = base + len(perpetrators)
                perpetrators.append((pk, self.report_base + i, who["known"], who["name"], who["alias"],
                                     who["handle"], who["phone"], who["email"]))
                identifiers.extend((pk, self.report_base + i, kind, value) for kind, value in sorted(identifiers_of(
                    name=who["name"], alias=who["alias"], handle=who["handle"], phone=who["phone"],
                    email=who["email"])))
        self.writer.insert(Perpetrator, ["id", "report_id", "known", "name", "alias", "handle", "phone", "email"],
                           perpetrators)
        self.writer.insert(PerpetratorIdentifier, ["perpetrator_id", "report_id", "kind", "value"], identifiers)

    # ------------------------------------------------------------ assessments and measures

    def measures(self) -> None:
        rng, now = self.rng, self.now
        factors = [f.snapshot() for f in RiskFactor.objects.filter(is_active=True)]
        fragments = [{answer: json.dumps({**f, "answer": answer, "comment": ""}, ensure_ascii=False)
                      for answer in ("present", "partly", "absent", "unknown")} for f in factors]
        levels = ["low", "moderate", "high", "very_high"]
        ids = count(self.writer.next_id(Assessment))
        made: dict[int, list[tuple[float, int]]] = defaultdict(list)  # case -> (when, id) of its assessments

        def assessments():
            for c in range(len(self.c_off)):
                if not self.c_assessed[c]:
                    continue
                end = now if self.c_close[c] == FAR else self.c_close[c]
                moments = _between(rng, self.c_open[c], min(end, self.c_open[c] + 60 * DAY),
                                   2 if rng.random() < 0.2 else 1)
                if end == now and moments[-1] < now - 30 * DAY:  # an open case is reassessed now and then
                    moments.append(rng.uniform(now - 25 * DAY, now))
                for at in moments:
                    yield assessment(c, at)

        def assessment(c: int, at: float) -> tuple:
            likelihood, consequence = rng.choices(range(1, 6), (20, 30, 25, 15, 10))[0], rng.randint(1, 5)
            matrix = matrix_level(likelihood, consequence)
            level, reason = matrix, ""
            if rng.random() < 0.08 and matrix != "very_high":
                level = levels[levels.index(matrix) + 1]
                reason = "Gärningspersonens förmåga väger tyngre än matrisen visar."
            present = 0.1 + 0.15 * levels.index(level)
            factors = RawJSON("[" + ", ".join(
                fr["present" if (r := rng.random()) < present else "partly" if r < present + 0.1 else
                   "unknown" if r > 0.93 else "absent"] for fr in fragments) + "]")
            pk = next(ids)
            made[c].append((at, pk))
            return (pk, self.case_base + c, self.c_handler[c], _dt(at), factors, likelihood, consequence, matrix,
                    level, reason, rng.random() < 0.6, rng.random() < 0.2, rng.random() < 0.15, "",
                    rng.choice(CONCLUSIONS), "", _local_date(at) + timedelta(days=REVIEW_DAYS[RiskLevel(level)]))

        # A few thousand rows at a time: each holds the whole checklist.
        self.writer.insert(Assessment, [
            "id", "case_id", "assessed_by_id", "assessed_at", "factors", "likelihood", "consequence", "matrix_level",
            "level", "level_reason", "with_official", "with_police", "with_party", "participants_note",
            "conclusion", "proposed_measures", "next_review_on"], assessments(), chunk=2_000)

        types = list(MeasureType.objects.filter(is_active=True).order_by("position", "pk"))
        total = _count("measures", self.fraction)
        with_measures = [c for c in range(len(self.c_off)) if self.c_measures[c]]
        # Proposals awaiting a decision: open cases being assessed or with measures.
        awaiting = [c for c in range(len(self.c_off)) if self.c_status[c] in ("being_assessed", "measures")]
        proposals = set(rng.sample(awaiting, min(len(awaiting), _count("proposals", self.fraction), total)))
        # The rest over the cases that had measures: one each, then more at random (at most four).
        per_case = dict.fromkeys(sorted(set(with_measures) | proposals), 0)
        left = total - len(proposals)
        for c in with_measures[:left]:
            per_case[c] = 1
        left -= min(left, len(with_measures))
        cap, attempts = min(4, len(types) - 1), 0
        while left > 0 and with_measures and attempts < 20 * total:
            attempts += 1
            c = rng.choice(with_measures)
            if per_case[c] < cap:
                per_case[c] += 1
                left -= 1
        measure_base = self.writer.next_id(Measure)
        measures: list[Row] = []
        events: list[Row] = []
        costs: list[Row] = []
        self.m_case, self.m_ts = [], []
        closed_pick = _picker(rng, {"ended": 75, "rejected": 12, "withdrawn": 5, "in_place": 6, "under_review": 2})
        open_pick = _picker(rng, {"approved": 10, "ordered": 10, "in_place": 55, "under_review": 5, "rejected": 8,
                                  "withdrawn": 3, "ended": 9})
        for c in sorted(per_case):
            chosen = rng.sample(types, per_case[c] + (1 if c in proposals else 0))
            closed = self.c_close[c] != FAR
            end = self.c_close[c] if closed else now
            for k, mtype in enumerate(chosen):
                pk = measure_base + len(measures)
                status = "proposed" if c in proposals and k == 0 else closed_pick() if closed else open_pick()
                handler, opened = self.c_handler[c], self.c_open[c]
                if status == "proposed":
                    steps = [max(opened, now - rng.uniform(0.1, 20) * DAY)]
                else:  # after the case's first assessment
                    first = made[c][0][0] if made.get(c) else opened + (end - opened) * 0.1
                    steps = _between(rng, min(end, first + rng.uniform(0.1, 3) * DAY), end, 5)
                proposed = steps[0]
                path = {"proposed": [], "withdrawn": ["withdrawn"], "rejected": ["rejected"],
                        "approved": ["approved"], "ordered": ["approved", "ordered"],
                        "in_place": ["approved", "ordered", "in_place"],
                        "under_review": ["approved", "ordered", "in_place", "under_review"],
                        "ended": ["approved", "ordered", "in_place", "ended"]}[status]
                if not mtype.requires_order and "ordered" in path:
                    path.remove("ordered")
                at = dict(zip(path, steps[1:], strict=False))
                decider = self.decider(handler) if status not in ("proposed", "withdrawn") else None
                decided = at.get("approved") or at.get("rejected")
                cost = mtype.typical_cost_sek if mtype.typical_cost_sek is not None else rng.choice((0, 2000, 8000))
                cost = round(cost * rng.uniform(0.7, 1.4) / 100) * 100
                in_place = _local_date(at["in_place"]) if "in_place" in at else None
                live = status in ("proposed", "approved", "ordered", "in_place", "under_review")
                based_on = [a for when, a in made.get(c, ()) if when <= proposed]
                measures.append((
                    pk, self.case_base + c, mtype.pk,
                    based_on[-1] if based_on else None, status, rng.choice(REASONS),
                    "", cost, handler, _dt(proposed), decider, _dt(decided) if decided else None,
                    "Inte motiverat av bedömningen." if status == "rejected" else "",
                    handler if "ordered" in at else None, _dt(at["ordered"]) if "ordered" in at else None,
                    ("technical_office" if mtype.technical and rng.random() < 0.5 else "security_unit")
                    if "ordered" in at else "", rng.choice(SUPPLIERS) if "ordered" in at else "",
                    f"IO-{pk}" if "ordered" in at else "", in_place,
                    _next_review(in_place, now) if in_place and status in ("in_place", "under_review") else None,
                    f"{mtype.alarm_kind[:3].upper()}-{pk:07d}" if mtype.alarm_kind and "in_place" in at else "",
                    _dt(at["ended"]) if "ended" in at else None, handler if "ended" in at else None,
                    "Hotbilden har upphört." if "ended" in at else "", _dt(steps[-1] if live else end)))
                self.m_case.append(c)
                self.m_ts.append(proposed)
                events.append((pk, "", "proposed", handler, _dt(proposed), ""))
                previous = "proposed"
                for to in path:
                    actor = decider if to in ("approved", "rejected") else handler
                    events.append((pk, previous, to, actor, _dt(at[to]), ""))
                    previous = to
                if in_place and cost and rng.random() < 0.8:
                    booked = min(now, at["in_place"] + rng.uniform(5, 40) * DAY)
                    costs.append((pk, round(cost * rng.uniform(0.8, 1.3)) or 100, _local_date(booked),
                                  f"Faktura {pk}", handler, _dt(booked)))
        self.writer.insert(Measure, [
            "id", "case_id", "measure_type_id", "assessment_id", "status", "reason", "details", "estimated_cost_sek",
            "proposed_by_id", "proposed_at", "decided_by_id", "decided_at", "decision_reason", "ordered_by_id",
            "ordered_at", "ordered_via", "supplier", "order_reference", "in_place_on", "review_on",
            "alarm_identifier", "ended_at", "ended_by_id", "end_reason", "updated_at"], measures)
        self.writer.insert(MeasureEvent, ["measure_id", "from_status", "to_status", "actor_id", "at", "comment"],
                           events)
        self.writer.insert(MeasureCost, ["measure_id", "amount_sek", "booked_on", "note", "booked_by_id",
                                         "booked_at"], costs)
        self.measure_base = measure_base
        self.a_case = sorted(made)

    # ------------------------------------------------------------ the audit trail

    def audit(self) -> None:
        """Reads of cases, reports, measures, assessments and private data, spread over time."""
        rng, now, total = self.rng, self.now, _count("audit", self.fraction)
        n_cases, n_reports, n_measures = len(self.c_off), len(self.r_ts), len(self.m_case)
        pick = _picker(rng, {"case": 55, "report": 30, "measure": 8 if n_measures else 0,
                             "assessment": 4 if self.a_case else 0, "official": 3})
        deciders = self.deciders or self.handlers
        events: list[Row] = []
        for _n in range(total):
            what = pick()
            if what == "case":
                c = rng.randrange(n_cases)
                end = min(now, (self.c_close[c] if self.c_close[c] != FAR else now) + 30 * DAY)
                roll = rng.random()
                party = self.o_party[self.c_off[c]]
                actor = (self.c_handler[c] if roll < 0.7 else
                         self.party_contact[party] if roll > 0.95 and party in self.party_contact else self.handler())
                events.append((rng.uniform(self.c_open[c], end), actor, "case_view", "incidents.case",
                               self.case_base + c, self.case_base + c, self.official_base + self.c_off[c]))
            elif what == "report":
                r = rng.randrange(n_reports)
                case = self.r_case[r]
                events.append((rng.uniform(self.r_ts[r], min(now, self.r_ts[r] + 60 * DAY)),
                               self.r_handler[r] or self.handler(), "report_view", "incidents.report",
                               self.report_base + r, self.case_base + case if case >= 0 else None,
                               self.official_base + self.r_off[r]))
            elif what == "measure":
                m = rng.randrange(n_measures)
                c = self.m_case[m]
                events.append((rng.uniform(self.m_ts[m], min(now, self.m_ts[m] + 90 * DAY)),
                               rng.choice(deciders) if rng.random() < 0.4 else self.c_handler[c], "measure_view",
                               "measures.measure", self.measure_base + m, self.case_base + c,
                               self.official_base + self.c_off[c]))
            elif what == "assessment":
                c = rng.choice(self.a_case)
                end = min(now, (self.c_close[c] if self.c_close[c] != FAR else now) + 30 * DAY)
                events.append((rng.uniform(self.c_open[c], end), self.c_handler[c], "assessment_list",
                               "incidents.case", self.case_base + c, self.case_base + c,
                               self.official_base + self.c_off[c]))
            else:
                o = rng.randrange(self.officials)
                events.append((rng.uniform(self.start, now), self.handler(), "official_view_private",
                               "officials.official", self.official_base + o, None, self.official_base + o))
        events.sort(key=lambda e: e[0])
        self.writer.insert(AuditEvent, ["created_at", "actor_id", "kind", "action", "object_type", "object_id",
                                        "case_id", "official_id", "from_state", "to_state", "reason"],
                           ((_dt(ts), actor, "read", action, otype, str(oid), case, official, "", "", "")
                            for ts, actor, action, otype, oid, case, official in events))

    # ------------------------------------------------------------ surveys and training

    def surveys(self) -> None:
        """More anonymous answers in the demo's closed rounds, from the national officials who
        were in office when each round opened; drawn at random like `demo.survey_rounds`'."""
        rng = self.rng
        target = _count("survey_answers", self.fraction)
        shares = {SurveyType.SAFETY: 0.475, SurveyType.INTERNAL_CONTROL: 0.05}
        invitation_base = self.writer.next_id(Invitation)
        invitations: list[Row] = []
        tokens: list[Row] = []
        responses: list[Row] = []
        answers: list[Row] = []
        for survey_type, year, opens_on, _closes, rate, exposure in DEMO_ROUNDS:
            round_ = Round.objects.filter(survey_type=survey_type, reference_year=year).first()
            if round_ is None:
                continue
            options = {(i.code, o.code): (i.pk, o.pk) for i in Item.objects.filter(rounds=round_)
                       .prefetch_related("options") for o in i.options.all()}
            term = max(t for t, (_y, start, _e) in enumerate(TERMS) if start <= opens_on)
            pool = list(self.term_pool[term][0])
            rng.shuffle(pool)
            wanted = round(target * shares[survey_type])
            written = 0
            sheets = 0
            while written < wanted and sheets < len(pool):
                sheet = safety_sheet(rng, exposure) if survey_type == SurveyType.SAFETY else ic_sheet(rng)
                response = uuid.UUID(int=rng.getrandbits(128), version=4)
                responses.append((response, round_.pk))
                for code, chosen in sheet.items():
                    for option_code in chosen:
                        item, option = options[(code, option_code)]
                        answers.append((uuid.UUID(int=rng.getrandbits(128), version=4), response, item, option))
                        written += 1
                sheets += 1
            invited = pool[:min(len(pool), max(sheets, round(sheets / rate)))]
            invited_at = _dt(_ts(opens_on, 8))
            for o in sorted(invited):  # who answered is not tied to any response
                pk = invitation_base + len(invitations)
                invitations.append((pk, round_.pk, self.official_base + o, False, invited_at, rng.randint(0, 2)))
                tokens.append((pk, hashlib.sha256(rng.getrandbits(256).to_bytes(32, "big")).hexdigest()))
            for k in rng.sample(range(len(invitations) - len(invited), len(invitations)), sheets):
                invitations[k] = (*invitations[k][:3], True, *invitations[k][4:])
        self.writer.insert(Invitation, ["id", "round_id", "official_id", "answered", "invited_at",
                                        "reminders_sent"], invitations)
        self.writer.insert(InvitationToken, ["invitation_id", "token_hash"], tokens)
        self.writer.insert(Response, ["id", "round_id"], responses)
        self.writer.insert(Answer, ["id", "response_id", "item_id", "option_id"], answers)
        # The answers were written without the services: store the sealed rounds' tallies again,
        # which the results pages read instead of the answers.
        for sealed in survey_selectors.rounds_to_tally():
            survey_services.round_tally_store(round_=sealed)

    def training(self) -> None:
        """The planner's offers of this term and the same offers of the previous term, with the
        national officials' completions."""
        rng = self.rng
        current = list(TrainingOffer.objects.filter(term=TERMS[-1][0]).exclude(kind="manual").order_by("pk"))
        previous_year, previous_start, previous_end = TERMS[-2]
        assert previous_end is not None  # the previous term has ended
        offers = []
        for offer in current:
            old, _ = TrainingOffer.objects.get_or_create(
                kind=offer.kind, term=previous_year, period=offer.period, defaults={
                    "course": offer.course, "title": offer.title, "target_group": offer.target_group,
                    "opens_on": previous_start, "closes_on": previous_end, "required": offer.required,
                    "created_on": previous_start})
            offers += [(old, 1, 0.55), (offer, 2, 0.2)]
        completions = []
        for offer, term, share in offers:
            window_end = min(self.now, _ts(offer.closes_on, 17))
            share = share * (0.5 if offer.kind == "web_course" else 1)
            for o in self.term_pool[term][0]:
                if offer.target_group != "all" and term not in self.o_covered[o]:
                    continue
                if rng.random() < (share * 1.4 if offer.target_group != "all" else share):
                    done = rng.uniform(_ts(offer.opens_on, 9), window_end)
                    completions.append((self.official_base + o, offer.pk, _local_date(done),
                                        "self" if offer.kind == "web_course" else "recorded", _dt(done)))
        self.writer.insert(Completion, ["official_id", "offer_id", "completed_on", "source", "created_at"],
                           completions)
