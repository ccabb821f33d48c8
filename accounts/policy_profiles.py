"""The five shipped policy profiles, one per seed document (see ../shared/seeds/).

What differs between the municipalities is data, not code. A municipality loads the profile
nearest its own with `manage.py load_policy <name>` and adjusts it in the admin.
"""

import copy
from datetime import time

from .roles import Role

_COMMON = {
    "office_opens": time(8, 0),
    "office_closes": time(17, 0),
    "evidence_max_mb": 25,
    "idle_timeout_minutes": 30,
    "urgent_kinds": ["violence", "threat", "extortion"],
    "guideline_revision_year_before_election": True,
    "web_course": True,
}

# Västerås stad's action plan (seed 003, "Definitioner" and "Otillåten påverkan"), in its own words;
# the English is a translation. Keyed by the report kinds' codes (incidents.models.Kind).
VASTERAS_DEFINITIONS: dict[str, dict[str, str]] = {
    "threat": {
        "sv": "Hot innebär att någon hotar att skada dig eller din egendom. Hotet som riktas mot dig kan omfatta "
              "andra personer, djur eller föremål som har stor betydelse för dig. För att hotet ska vara brottsligt "
              "måste du uppfatta hotet som allvarligt. Hot är en form av otillåten påverkan som kan vara allt från "
              "att någon har uttalat ett konkret hot, till att någon mottagit ett SMS eller motsvarande om att "
              "egendom ska skadas om en förtroendevald eller tjänsteperson inte fattar ett visst beslut eller "
              "förhåller sig passiv i sin gärning, som alltid handlar om straffbara gärningar.",
        "en": "A threat means that someone threatens to harm you or your property. The threat may concern other "
              "people, animals or things that matter greatly to you. For a threat to be a crime you must perceive "
              "it as serious. A threat is a form of undue influence: anything from someone uttering a concrete "
              "threat to a text message or the like saying that property will be damaged unless an elected "
              "official or civil servant makes a certain decision or stays passive — always criminal acts.",
    },
    "hate": {
        "sv": "Hat kan ta sig uttryck på många olika sätt och är i grunden ett angrepp på de mänskliga "
              "rättigheterna och strider mot principen om alla människors lika värde. Det som kan definiera hat mot "
              "förtroendevald eller medarbetare är att den som hatar har en negativ inställning till vissa personers "
              "egenskaper. Hat kan handla om att kränka en person, en folkgrupp eller annan sådan grupp av personer "
              "som delar vissa egenskaper som till exempel ras, hudfärg, nationellt eller etniskt ursprung, "
              "trosbekännelse, sexuell läggning eller annan liknande omständighet. En förtroendevald eller "
              "medarbetare behöver inte passa in på någon av dessa beskrivningar för att bli offer för till exempel "
              "ett hatbrott. Det räcker med att gärningspersonen tror att du har någon av egenskaperna.",
        "en": "Hate can be expressed in many ways and is at heart an attack on human rights, against the principle "
              "that all people are of equal worth. What can define hate against an elected official or employee is "
              "that the one who hates has a negative attitude to certain people's characteristics. Hate can mean "
              "violating a person, an ethnic group or another group sharing characteristics such as race, colour, "
              "national or ethnic origin, religion, sexual orientation or a similar circumstance. You need not fit "
              "any of these descriptions to be the victim of, for example, a hate crime: it is enough that the "
              "perpetrator believes you have one of the characteristics.",
    },
    "violence": {
        "sv": "Våld är när någon uppsåtligen tillfogar en annan person kroppsskada, sjukdom, smärta eller försätter "
              "personen i vanmakt eller liknande tillstånd, till exempel förlamar eller bedövar någon. Våld kan "
              "också kopplas till hot, hat eller annan otillbörlig påverkan genom att våldet utförs på egendom "
              "genom skadegörelse eller liknande.",
        "en": "Violence is when someone intentionally inflicts bodily injury, illness or pain on another person, or "
              "puts them in a state of powerlessness or the like, for example paralyses or drugs them. Violence can "
              "also be linked to threats, hate or other undue influence when it is done to property, by damage or "
              "the like.",
    },
    "undue_influence": {
        "sv": "Ett gemensamt samlingsnamn för hot, hat och våld är begreppet otillåten påverkan. Det avser olika "
              "typer av handlingar som syftar till att påverka förtroendevalda eller medarbetarens beslutsfattande. "
              "Otillåten påverkan kan handla om påtryckning eller aktiviteter som: olika former av trakasserier, "
              "stalkning eller förföljelse; utpressning eller andra straffbara påtryckningar; hot om våld; fysiskt "
              "våld mot person eller egendom; korruption i form av otillbörliga erbjudanden av olika slag.",
        "en": "Undue influence is the common name for threats, hate and violence: acts meant to influence the "
              "decisions of elected officials or employees. It can be pressure or activities such as: harassment, "
              "stalking or persecution of any kind; extortion or other criminal pressure; threats of violence; "
              "physical violence against a person or property; corruption in the form of improper offers of any "
              "kind.",
    },
}

PROFILES: dict[str, dict] = {
    # Fagersta 2021: consent before publishing, municipal phone, joint assessment with the party,
    # local survey the year before and after elections, internal-control survey.
    "fagersta": {
        **_COMMON,
        "municipality_name": "Fagersta kommun",
        "unit_name": "Säkerhetsfunktionen",
        "unit_phone": "0223-440 00",
        "unit_email": "sakerhet@fagersta.example",
        "office_hours": "Vardagar 08.00–16.30",
        "office_closes": time(16, 30),
        "approver_title": "Kommundirektör",
        "approver_role": Role.APPROVER,
        "orderers": ["security_unit"],
        "training_every_months": 0,
        "onsite_training_before_election": False,
        "yearly_conversations": "none",
        "meetings_per_term": 0,
        "budget_measures_sek": 300_000,
        "budget_training_sek": 50_000,
        "survey_around_elections": True,
        "internal_control_survey": True,
    },
    # Uppsala 2024: the same frame; protective needs assessed internally by the security chief.
    "uppsala": {
        **_COMMON,
        "municipality_name": "Uppsala kommun",
        "unit_name": "Säkerhetsavdelningen",
        "unit_phone": "018-727 00 00",
        "unit_email": "sakerhet@uppsala.example",
        "office_hours": "Vardagar 08.00–17.00",
        "approver_title": "Säkerhetschef",
        "approver_role": Role.APPROVER,
        "orderers": ["security_unit"],
        "training_every_months": 0,
        "onsite_training_before_election": False,
        "yearly_conversations": "none",
        "meetings_per_term": 0,
        "budget_measures_sek": 1_000_000,
        "budget_training_sek": 150_000,
        "survey_around_elections": True,
        "internal_control_survey": False,
    },
    # Stockholm 2026: ~30 specially remunerated officials, yearly security conversation, the
    # security department decides on individual measures itself: its security chief, a role of
    # its own (never "any handler", never the proposer), alarms notify the on-call officer (TiB).
    "stockholm": {
        **_COMMON,
        "municipality_name": "Stockholms stad",
        "unit_name": "Säkerhetsavdelningen, stadsledningskontoret",
        "unit_phone": "08-508 290 00",
        "unit_email": "sakerhetsavdelningen@stockholm.example",
        "office_hours": "Vardagar 08.00–17.00",
        "approver_title": "Säkerhetschef",
        "approver_role": Role.SECURITY_CHIEF,
        "orderers": ["security_unit"],
        "training_every_months": 0,
        "onsite_training_before_election": False,
        "yearly_conversations": "covered",
        "meetings_per_term": 0,
        "budget_measures_sek": 3_000_000,
        "budget_training_sek": 500_000,
        "survey_around_elections": False,
        "internal_control_survey": False,
    },
    # Västerås: training every half year (first at the start of the term), four collaboration
    # meetings per term with police, Säpo and party security, plan revised the year before elections;
    # the action plan's own definitions of hot, hat, våld and otillåten påverkan on the report form.
    "vasteras": {
        **_COMMON,
        "municipality_name": "Västerås stad",
        "unit_name": "Trygghet- och säkerhetsprocessen, stadsledningskontoret",
        "unit_phone": "021-39 00 00",
        "unit_email": "trygghet@vasteras.example",
        "office_hours": "Vardagar 08.00–16.30",
        "office_closes": time(16, 30),
        "approver_title": "Stadsdirektör",
        "approver_role": Role.APPROVER,
        "orderers": ["security_unit"],
        "training_every_months": 6,
        "onsite_training_before_election": False,
        "yearly_conversations": "none",
        "meetings_per_term": 4,
        "budget_measures_sek": 1_000_000,
        "budget_training_sek": 200_000,
        "survey_around_elections": False,
        "internal_control_survey": False,
        "kind_definitions": VASTERAS_DEFINITIONS,
    },
    # Sigtuna 2021: the security unit (Trygghetsenheten) assesses with the official and the police
    # and proposes; the deputy municipal director decides; both the technical office and the unit
    # may order alarms and cameras; 2,000,000 SEK for measures and 300,000 SEK for training a year;
    # a general web course plus targeted on-site training before elections and at a new term.
    "sigtuna": {
        **_COMMON,
        "municipality_name": "Sigtuna kommun",
        "unit_name": "Trygghetsenheten",
        "unit_phone": "08-591 260 00",
        "unit_email": "trygghetsenheten@sigtuna.example",
        "office_hours": "Vardagar 08.00–16.30",
        "office_closes": time(16, 30),
        "approver_title": "Biträdande kommundirektör",
        "approver_role": Role.APPROVER,
        "orderers": ["security_unit", "technical_office"],
        "training_every_months": 0,
        "onsite_training_before_election": True,
        "yearly_conversations": "none",
        "meetings_per_term": 0,
        "budget_measures_sek": 2_000_000,
        "budget_training_sek": 300_000,
        "survey_around_elections": False,
        "internal_control_survey": False,
    },
}


def policy_from_profile(name: str):
    """An unsaved Policy built from a shipped profile."""
    from .models import Policy

    try:
        values = PROFILES[name]
    except KeyError:
        raise KeyError(f"Unknown policy profile {name!r}; choose one of {', '.join(sorted(PROFILES))}") from None
    return Policy(profile=name, **copy.deepcopy(values))
