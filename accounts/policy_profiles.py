"""The five shipped policy profiles, one per seed document (see ../shared/seeds/).

What differs between the municipalities is data, not code. A municipality loads the profile
nearest its own with `manage.py load_policy <name>` and adjusts it in the admin.
"""

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
    # security department decides on individual measures itself (the security chief, never the
    # proposing handler), alarms notify the on-call officer (TiB).
    "stockholm": {
        **_COMMON,
        "municipality_name": "Stockholms stad",
        "unit_name": "Säkerhetsavdelningen, stadsledningskontoret",
        "unit_phone": "08-508 290 00",
        "unit_email": "sakerhetsavdelningen@stockholm.example",
        "office_hours": "Vardagar 08.00–17.00",
        "approver_title": "Säkerhetschef",
        "approver_role": Role.SECURITY_HANDLER,
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
    # meetings per term with police, Säpo and party security, plan revised the year before elections.
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
    return Policy(profile=name, **values)
