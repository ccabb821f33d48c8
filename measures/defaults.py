"""The shipped reference data: the default checklist (../shared/RISK.md) and the measure
catalogue (DOMAIN.md › Protective and support measures). Loaded into empty tables after migrate
(`seed_reference_data`, connected to `post_migrate`); the administrator edits both afterwards.
"""

# (code, section, Swedish, English)
DEFAULT_FACTORS: list[tuple[str, str, str, str]] = [
    ("A1", "A", "Uttryckligt hot om våld, eller om skada mot familj, hem eller egendom",
     "Explicit threat of violence, or of harm to family, home or property"),
    ("A2", "A", "Hotet anger tid, plats eller tillvägagångssätt", "The threat names a time, place or method"),
    ("A3", "A", "Upprepad kontakt", "Repeated contact"),
    ("A4", "A", "Eskalerar i frekvens eller allvar", "Escalating in frequency or severity"),
    ("A5", "A", "Känner till eller har besökt hemmet, familjen eller arbetsplatsen (närmandebeteende)",
     "Knows or has visited the home, family or workplace (approach behaviour)"),
    ("A6", "A", "Bevakning eller kartläggning av den förtroendevalda eller anhöriga",
     "Surveillance or mapping of the official or relatives"),
    ("A7", "A", "Sexuellt innehåll", "Sexual content"),
    ("A8", "A", "Hatmotiv (etnicitet, religion, sexualitet, kön …)",
     "Hate motive (ethnicity, religion, sexuality, gender …)"),
    ("A9", "A", "Del av en kampanj: flera avsändare eller flera förtroendevalda utsatta",
     "Part of a campaign: several senders or several officials targeted"),
    ("A10", "A", "Brott mot kontaktförbud", "Breach of a contact ban (kontaktförbud)"),
    ("B1", "B", "Identiteten är känd", "Identity known"),
    ("B2", "B", "Tidigare våld eller hot", "Earlier violence or threats"),
    ("B3", "B", "Fixering eller personligt agg (rättshaverist)", "Fixation or personal grievance (rättshaverist)"),
    ("B4", "B", "Tecken på psykisk instabilitet eller kris", "Signs of mental instability or crisis"),
    ("B5", "B", "Tillgång till vapen eller vapenträning", "Access to weapons or training"),
    ("B6", "B", "Ideologiskt motiverad eller systemhotande aktör", "Ideologically motivated or system-threatening actor"),
    ("B7", "B", "Kopplad till organiserad brottslighet", "Linked to organised crime"),
    ("B8", "B", "Missbruk", "Substance abuse"),
    ("C1", "C", "Hemadressen är offentlig (inga skyddade personuppgifter)", "Home address public (no protected identity)"),
    ("C2", "C", "Bor med barn eller andra som blir utsatta", "Lives with children or others exposed"),
    ("C3", "C", "Kommande offentliga framträdanden eller resor", "Upcoming public appearances or travel"),
    ("C4", "C", "Valperiod", "Election period"),
    ("C5", "C", "Hög medieexponering", "High media exposure"),
    ("C6", "C", "Tidigare händelser", "Earlier incidents"),
    ("C7", "C", "Saknar larm eller annat skydd", "Lacks alarm or other protection"),
]

# (code, Swedish, English, category, alarm kind, technical, requires order, typical cost SEK)
DEFAULT_MEASURE_TYPES: list[tuple[str, str, str, str, str, bool, bool, int | None]] = [
    ("security-conversation", "Säkerhetssamtal", "Security conversation", "support", "", False, False, None),
    ("threat-analysis", "Analys av hot eller hotfull person", "Analysis of threats or a threatening person",
     "protection", "", False, False, None),
    ("home-inspection", "Säkerhetsbesiktning av bostaden", "Home security inspection", "protection", "", False, True,
     8_000),
    ("perimeter-protection", "Skalskydd av bostaden (lås, säkerhetsdörr, film)",
     "Perimeter protection of the home (locks, security door, film)", "protection", "", True, True, 45_000),
    ("personal-alarm", "Personlarm", "Personal alarm", "protection", "personal", True, True, 6_000),
    ("burglar-alarm", "Inbrottslarm", "Burglar alarm", "protection", "burglar", True, True, 15_000),
    ("safety-alarm", "Trygghetslarm", "Safety alarm", "protection", "safety", True, True, 5_000),
    ("cameras", "Kameror", "Cameras", "protection", "", True, True, 25_000),
    ("guarding", "Bevakning", "Guarding", "protection", "", False, True, 60_000),
    ("municipal-phone", "Kommunal telefon och nummer", "Municipal phone and number", "protection", "", False, True,
     4_000),
    ("protected-address", "Stöd vid skyddade personuppgifter", "Protected address support", "support", "", False,
     False, None),
    ("crisis-support", "Krisstöd", "Crisis support", "support", "", False, False, None),
    ("occupational-health", "Företagshälsovård", "Occupational health care", "support", "", False, True, 3_000),
    ("legal-support", "Stöd i rättsprocessen", "Legal-process support", "support", "", False, False, None),
    ("police-report-help", "Hjälp med polisanmälan", "Help with the police report", "support", "", False, False,
     None),
]


def seed_reference_data(sender=None, apps=None, using="default", **kwargs) -> None:
    """Load the default checklist and catalogue into empty tables (a `post_migrate` receiver: it
    runs after every migrate, and after the test runner's flush). Tables with rows are left as the
    administrator made them."""
    if apps is None:
        from django.apps import apps
    try:
        RiskFactor = apps.get_model("measures", "RiskFactor")
        MeasureType = apps.get_model("measures", "MeasureType")
    except LookupError:  # migrating to a state before these models exist
        return
    if not RiskFactor.objects.using(using).exists():
        RiskFactor.objects.using(using).bulk_create([
            RiskFactor(code=code, section=section, text_sv=text_sv, text_en=text_en, position=position)
            for position, (code, section, text_sv, text_en) in enumerate(DEFAULT_FACTORS, start=1)])
    if not MeasureType.objects.using(using).exists():
        MeasureType.objects.using(using).bulk_create([
            MeasureType(code=code, name_sv=sv, name_en=en, category=category, alarm_kind=alarm, technical=technical,
                        requires_order=requires_order, typical_cost_sek=cost, position=position * 10)
            for position, (code, sv, en, category, alarm, technical, requires_order, cost)
            in enumerate(DEFAULT_MEASURE_TYPES, start=1)])
