"""Demo survey rounds with synthetic anonymous answers, so that the results pages have something
to show: the safety surveys of 2023 and 2025 (asking about 2022 and 2024) and the internal-control
survey of 2025, all closed and sealed. Deterministic and idempotent.

The answers are drawn at random, not from the registry: nothing in them stems from a person.
"""

import random
from datetime import date, timedelta

from django.db import transaction

from officials.models import Official
from surveys.models import Answer, Invitation, Item, Response, Round, SurveyType
from surveys.services import item_bank_load, round_tally_store

# The codes of the safety survey's exposure items and their "yes" answers (as in the item bank,
# surveys/item_bank.py: codes are stable by design, so the demo may name them).
E_CODES = tuple(f"E{n}" for n in range(1, 10))
YES_OPTIONS = ("yes_once", "yes_many")

DEMO_ROUNDS = [
    # survey, reference year, opens, closes, answer rate, exposure probability
    (SurveyType.SAFETY, 2022, date(2023, 2, 1), date(2023, 3, 14), 0.58, 0.27),
    (SurveyType.SAFETY, 2024, date(2025, 2, 1), date(2025, 3, 14), 0.66, 0.33),
    (SurveyType.INTERNAL_CONTROL, 2025, date(2025, 9, 1), date(2025, 10, 12), 0.7, 0.0),
]


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def safety_sheet(rng: random.Random, exposure: float) -> dict[str, list[str]]:
    sheet: dict[str, list[str]] = {
        "B2": [_pick(rng, {"woman": 45, "man": 50, "other": 5})],
        "B3": [_pick(rng, {"u29": 8, "30_39": 14, "40_49": 20, "50_59": 24, "60_69": 22, "70plus": 12})],
        "B4": [_pick(rng, {"not_at_all": 20, "a_little": 35, "fairly": 30, "very": 15})],
    }
    roles = [code for code, p in (("kf_member", .6), ("kf_substitute", .3), ("ks", .15), ("committee", .5),
                                  ("commissioner", .05), ("chair", .15)) if rng.random() < p]
    sheet["B1"] = roles or ["committee"]
    exposed = rng.random() < exposure
    hits = set(rng.sample(E_CODES[:7], rng.randint(1, 3))) if exposed else set()
    if exposed and rng.random() < .3:
        hits.add(rng.choice(E_CODES[7:]))
    for code in E_CODES:
        if code in hits:
            sheet[code] = [rng.choice(YES_OPTIONS)]
        else:
            sheet[code] = ["dont_know" if rng.random() < .03 else "no"]
    if hits:
        sheet["F1"] = rng.sample(["social_media", "email", "sms", "phone", "letter", "in_person", "at_home"],
                                 rng.randint(1, 2))
        sheet["F2"] = [_pick(rng, {"unknown": 30, "angry_citizen": 30, "querulant": 12, "political": 15,
                                   "criminal_group": 3, "other_official": 5, "other": 5})]
        sheet["F3"] = [_pick(rng, {"not_at_all": 15, "not_very": 35, "fairly": 35, "very": 15})]
        sheet["F4"] = rng.sample(["nobody", "party_security", "municipal_security", "police"], 1)
        sheet["F5"] = [_pick(rng, {"yes": 25, "no": 70, "dont_know": 5})]
        if sheet["F5"] == ["no"]:
            sheet["F6"] = rng.sample(["no_point", "part_of_job", "minor", "other"], rng.randint(1, 2))
        else:
            sheet["F7"] = [_pick(rng, {"very_positive": 15, "fairly_positive": 35, "neutral": 30,
                                       "fairly_negative": 12, "very_negative": 8})]
    sheet["C1"] = ["yes" if rng.random() < (.45 if hits else .15) else "no"]
    if sheet["C1"] == ["yes"]:
        sheet["C2"] = rng.sample(["avoided_engaging", "changed_position", "considered_leaving", "left",
                                  "less_social_media"], rng.randint(1, 2))
    sheet["W1"] = [_pick(rng, {"not_at_all": 20, "not_very": 40, "fairly": 30, "very": 10})]
    sheet["S1"] = [_pick(rng, {"yes": 40, "partly": 35, "no": 25})]
    sheet["S2"] = [_pick(rng, {"offered_attended": 45, "offered_not_attended": 20, "not_offered": 25,
                               "dont_know": 10})]
    sheet["S3"] = [_pick(rng, {"not_applicable": 70, "3": 8, "4": 12, "5": 10})]
    return sheet


def ic_sheet(rng: random.Random) -> dict[str, list[str]]:
    return {code: [_pick(rng, {"yes": 55, "unsure": 30, "no": 15})] for code in ("IC1", "IC2", "IC3", "IC4")}


@transaction.atomic
def build_demo_rounds(stdout=None) -> int:
    """Create the demo rounds that do not exist yet; returns how many were created."""
    item_bank_load()
    rng = random.Random(2025)
    created = 0
    for survey_type, reference_year, opens_on, closes_on, rate, exposure in DEMO_ROUNDS:
        if Round.objects.filter(survey_type=survey_type, reference_year=reference_year).exists():
            continue
        round_ = Round.objects.create(survey_type=survey_type, reference_year=reference_year, opens_on=opens_on,
                                      closes_on=closes_on, planned=True, invited_on=opens_on,
                                      reminded_on=closes_on - timedelta(days=7), sealed=True)
        items = list(Item.objects.filter(survey_type=survey_type, is_active=True).prefetch_related("options"))
        round_.items.set(items)
        officials = list(Official.objects.active(opens_on)) or list(Official.objects.all()[:120])
        answered = {o.pk for o in officials if rng.random() < rate}
        Invitation.objects.bulk_create([Invitation(round=round_, official=o, answered=o.pk in answered)
                                        for o in officials])
        options = {(item.code, option.code): (item, option) for item in items for option in item.options.all()}
        responses, answers = [], []
        for _n in range(len(answered)):
            response = Response(round=round_)
            responses.append(response)
            sheet = safety_sheet(rng, exposure) if survey_type == SurveyType.SAFETY else ic_sheet(rng)
            for code, chosen in sheet.items():
                for option_code in chosen:
                    item, option = options[(code, option_code)]
                    answers.append(Answer(response=response, item=item, option=option))
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(answers)
        round_tally_store(round_=round_)
        created += 1
        if stdout:
            stdout.write(f"Created demo round {round_} with {len(responses)} responses.")
    return created
