"""The default item bank (../shared/SURVEYS.md), Swedish and English.

`src` items follow a category of Brå's national survey of politicians (PTU), `own` items are
Värn's. Each item's code (B1 … S3, IC1 … IC4) and each option's code are stable: results are
compared across rounds by code, so the administrator may edit texts and labels but never codes.
Loaded (idempotently, creating only what is missing) by `surveys.services.item_bank_load`, which
`manage.py seed_surveys` calls.
"""

from __future__ import annotations

from typing import NamedTuple

SAFETY = "safety"
INTERNAL_CONTROL = "internal_control"


class OptionDef(NamedTuple):
    code: str
    sv: str
    en: str
    score: int | None = None


class ItemDef(NamedTuple):
    code: str
    survey_type: str
    block: str
    kind: str  # single / multiple / scale
    tag: str  # src / own
    sv: str
    en: str
    options: tuple[OptionDef, ...]
    condition_items: tuple[str, ...] = ()
    condition_options: tuple[str, ...] = ()


YES_OPTIONS = ("yes_once", "yes_many")

EXPOSURE_SCALE = (
    OptionDef("no", "Nej", "No"),
    OptionDef("yes_once", "Ja, en gång", "Yes, once"),
    OptionDef("yes_many", "Ja, flera gånger", "Yes, several times"),
    OptionDef("dont_know", "Vet ej", "Don't know"),
)

FOUR_STEPS = (
    OptionDef("not_at_all", "Inte alls", "Not at all", 1),
    OptionDef("not_very", "Inte särskilt", "Not very", 2),
    OptionDef("fairly", "Ganska", "Fairly", 3),
    OptionDef("very", "Mycket", "Very", 4),
)

YES_UNSURE_NO = (
    OptionDef("yes", "Ja", "Yes"),
    OptionDef("unsure", "Osäker", "Unsure"),
    OptionDef("no", "Nej", "No"),
)

E_CODES = tuple(f"E{n}" for n in range(1, 10))
IF_EXPOSED = {"condition_items": E_CODES, "condition_options": YES_OPTIONS}


def _e(code: str, tag: str, sv: str, en: str) -> ItemDef:
    return ItemDef(code, SAFETY, "E", "single", tag, sv, en, EXPOSURE_SCALE)


def _f(code: str, kind: str, sv: str, en: str, options: tuple[OptionDef, ...], **condition) -> ItemDef:
    return ItemDef(code, SAFETY, "F", kind, "src", sv, en, options, **(condition or IF_EXPOSED))


DEFAULT_BANK: tuple[ItemDef, ...] = (
    ItemDef("B1", SAFETY, "B", "multiple", "src", "Vilka uppdrag hade du?", "Which assignments did you hold?", (
        OptionDef("kf_member", "Ledamot i kommunfullmäktige", "Member of the municipal council"),
        OptionDef("kf_substitute", "Ersättare i kommunfullmäktige", "Substitute in the municipal council"),
        OptionDef("ks", "Kommunstyrelsen", "Municipal executive board"),
        OptionDef("committee", "Nämnd", "Committee"),
        OptionDef("commissioner", "Hel- eller deltidsarvoderad (kommunalråd)",
                  "Full- or part-time remunerated (municipal commissioner)"),
        OptionDef("chair", "Ordförande eller vice ordförande", "Chair or vice chair"),
    )),
    ItemDef("B2", SAFETY, "B", "single", "src", "Kön", "Gender", (
        OptionDef("woman", "Kvinna", "Woman"),
        OptionDef("man", "Man", "Man"),
        OptionDef("other", "Annat / vill inte svara", "Other / prefer not to say"),
    )),
    ItemDef("B3", SAFETY, "B", "single", "src", "Ålder", "Age", (
        OptionDef("u29", "29 år eller yngre", "29 or younger"),
        OptionDef("30_39", "30–39 år", "30–39"),
        OptionDef("40_49", "40–49 år", "40–49"),
        OptionDef("50_59", "50–59 år", "50–59"),
        OptionDef("60_69", "60–69 år", "60–69"),
        OptionDef("70plus", "70 år eller äldre", "70 or older"),
    )),
    ItemDef("B4", SAFETY, "B", "scale", "own", "Hur aktiv är du i sociala medier i uppdraget?",
            "How active are you on social media in your assignment?", (
                OptionDef("not_at_all", "Inte alls", "Not at all", 1),
                OptionDef("a_little", "Lite", "A little", 2),
                OptionDef("fairly", "Ganska", "Fairly", 3),
                OptionDef("very", "Mycket", "Very", 4),
            )),
    _e("E1", "src", "… har någon hotat dig (muntligt, skriftligt eller via internet)?",
       "… has anyone threatened you (orally, in writing or online)?"),
    _e("E2", "src", "… har du utsatts för trakasserier utan fysisk närvaro (sociala medier, e-post, sms, telefon, brev)?",
       "… have you been harassed without physical presence (social media, e-mail, text message, phone, letter)?"),
    _e("E3", "src", "… har du utsatts för trakasserier med fysisk närvaro?",
       "… have you been harassed in person?"),
    _e("E4", "src", "… har du utsatts för muntligt, skriftligt eller fysiskt angrepp av sexuell karaktär?",
       "… have you been subjected to a verbal, written or physical attack of a sexual nature?"),
    _e("E5", "src", "… har du utsatts för våld eller försök till våld?",
       "… have you been subjected to violence or attempted violence?"),
    _e("E6", "src", "… har din bostad, bil eller annan egendom utsatts för skadegörelse?",
       "… has your home, car or other property been damaged?"),
    _e("E7", "src", "… har du utsatts för stöld eller inbrott?",
       "… have you been the victim of theft or burglary?"),
    _e("E8", "own", "… har någon försökt påverka ditt agerande eller beslut genom påtryckningar?",
       "… has anyone tried to influence your actions or decisions through pressure?"),
    _e("E9", "own", "… har någon kartlagt dig eller dina närstående?",
       "… has anyone mapped you or your family?"),
    _f("F1", "multiple", "Hur skedde den senaste eller allvarligaste händelsen?",
       "How did the latest or most serious incident happen?", (
           OptionDef("social_media", "Sociala medier", "Social media"),
           OptionDef("email", "E-post", "E-mail"),
           OptionDef("sms", "Sms", "Text message"),
           OptionDef("phone", "Telefon", "Phone"),
           OptionDef("letter", "Brev", "Letter"),
           OptionDef("in_person", "Muntligen i direktkontakt", "Orally, face to face"),
           OptionDef("at_home", "Vid bostaden", "At your home"),
           OptionDef("other", "Annat", "Other"),
       )),
    _f("F2", "single", "Vem var gärningspersonen?", "Who was the perpetrator?", (
        OptionDef("unknown", "Okänd", "Unknown"),
        OptionDef("angry_citizen", "Förargad medborgare", "An angry citizen"),
        OptionDef("querulant", "Rättshaverist", "A querulant"),
        OptionDef("political", "Politiskt eller ideologiskt motiverad", "Politically or ideologically motivated"),
        OptionDef("criminal_group", "Kriminell gruppering", "A criminal group"),
        OptionDef("other_official", "Annan förtroendevald", "Another elected official"),
        OptionDef("other", "Annan", "Someone else"),
    )),
    _f("F3", "scale", "Hur skrämmande upplevde du händelsen?", "How frightening did you find the incident?",
       FOUR_STEPS),
    _f("F4", "multiple", "Vem rapporterade du till?", "Whom did you report it to?", (
        OptionDef("nobody", "Ingen", "Nobody"),
        OptionDef("party_security", "Partiets säkerhetsansvarig", "The party's security contact"),
        OptionDef("municipal_security", "Kommunens säkerhetsansvarig", "The municipality's security unit"),
        OptionDef("police", "Polisen", "The police"),
        OptionDef("other", "Annan", "Someone else"),
    )),
    _f("F5", "single", "Polisanmäldes händelsen?", "Was the incident reported to the police?", (
        OptionDef("yes", "Ja", "Yes"),
        OptionDef("no", "Nej", "No"),
        OptionDef("dont_know", "Vet ej", "Don't know"),
    )),
    _f("F6", "multiple", "Varför anmäldes den inte?", "Why was it not reported?", (
        OptionDef("no_point", "Tror inte att det leder till något", "I don't think it leads anywhere"),
        OptionDef("part_of_job", "Det hör till uppdraget", "It is part of the assignment"),
        OptionDef("minor", "Det var en småsak", "It was a minor matter"),
        OptionDef("other", "Annat", "Other"),
    ), condition_items=("F5",), condition_options=("no",)),
    _f("F7", "scale", "Hur var din erfarenhet av polisen?", "How was your experience of the police?", (
        OptionDef("very_positive", "Mycket positiv", "Very positive", 5),
        OptionDef("fairly_positive", "Ganska positiv", "Fairly positive", 4),
        OptionDef("neutral", "Varken positiv eller negativ", "Neither positive nor negative", 3),
        OptionDef("fairly_negative", "Ganska negativ", "Fairly negative", 2),
        OptionDef("very_negative", "Mycket negativ", "Very negative", 1),
    )),
    ItemDef("C1", SAFETY, "C", "single", "src",
            "Har utsatthet eller oro för att utsättas påverkat dig i uppdraget?",
            "Has being exposed, or worry about being exposed, affected you in your assignment?", (
                OptionDef("yes", "Ja", "Yes"),
                OptionDef("no", "Nej", "No"),
            )),
    ItemDef("C2", SAFETY, "C", "multiple", "src", "På vilket sätt?", "In what way?", (
        OptionDef("avoided_engaging", "Undvikit att engagera dig eller uttala dig i en fråga",
                  "Avoided engaging in or speaking out on an issue"),
        OptionDef("changed_position", "Ändrat ståndpunkt", "Changed your position"),
        OptionDef("considered_leaving", "Övervägt att lämna uppdrag", "Considered leaving an assignment"),
        OptionDef("left", "Lämnat eller bytt uppdrag", "Left or changed an assignment"),
        OptionDef("less_social_media", "Minskat närvaro i sociala medier", "Reduced your presence on social media"),
    ), condition_items=("C1",), condition_options=("yes",)),
    ItemDef("W1", SAFETY, "W", "scale", "own",
            "Hur orolig är du för att utsättas för trakasserier, hot eller våld som förtroendevald?",
            "How worried are you about being harassed, threatened or subjected to violence as an elected official?",
            FOUR_STEPS),
    ItemDef("S1", SAFETY, "S", "single", "src",
            "Känner du till kommunens riktlinje och rutiner vid hot och våld mot förtroendevalda?",
            "Do you know the municipality's guideline and procedures for threats and violence against elected "
            "officials?", (
                OptionDef("yes", "Ja", "Yes"),
                OptionDef("partly", "Delvis", "Partly"),
                OptionDef("no", "Nej", "No"),
            )),
    ItemDef("S2", SAFETY, "S", "single", "own",
            "Har du erbjudits utbildning om hot, hat och våld under mandatperioden? Deltog du?",
            "Have you been offered training on threats, hate and violence during the term? Did you take part?", (
                OptionDef("offered_attended", "Erbjuden och deltog", "Offered and took part"),
                OptionDef("offered_not_attended", "Erbjuden men deltog inte", "Offered but did not take part"),
                OptionDef("not_offered", "Inte erbjuden", "Not offered"),
                OptionDef("dont_know", "Vet ej", "Don't know"),
            )),
    ItemDef("S3", SAFETY, "S", "scale", "own",
            "Har du fått stöd från kommunen efter en händelse? Hur nöjd var du?",
            "Have you received support from the municipality after an incident? How satisfied were you?", (
                OptionDef("not_applicable", "Ej aktuellt", "Not applicable"),
                OptionDef("1", "1 – mycket missnöjd", "1 – very dissatisfied", 1),
                OptionDef("2", "2", "2", 2),
                OptionDef("3", "3", "3", 3),
                OptionDef("4", "4", "4", 4),
                OptionDef("5", "5 – mycket nöjd", "5 – very satisfied", 5),
            )),
    ItemDef("IC1", INTERNAL_CONTROL, "IC", "single", "own",
            "Vet du hur du ska agera om du får ett hotfullt telefonsamtal?",
            "Do you know how to act if you receive a threatening phone call?", YES_UNSURE_NO),
    ItemDef("IC2", INTERNAL_CONTROL, "IC", "single", "own",
            "Vet du hur du ska agera om du blir hotad i en mötessituation?",
            "Do you know how to act if you are threatened in a meeting?", YES_UNSURE_NO),
    ItemDef("IC3", INTERNAL_CONTROL, "IC", "single", "own",
            "Vet du hur du ska agera om du får ett hotfullt brev eller e-postmeddelande?",
            "Do you know how to act if you receive a threatening letter or e-mail?", YES_UNSURE_NO),
    ItemDef("IC4", INTERNAL_CONTROL, "IC", "single", "own",
            "Vet du vem du kontaktar på kommunen?",
            "Do you know whom to contact at the municipality?", YES_UNSURE_NO),
)


class NationalFigureDef(NamedTuple):
    year: int
    percent: str
    note_sv: str = ""
    note_en: str = ""


# Brå, Politikernas trygghetsundersökning: share of politicians exposed (any yes to E1–E7) during
# the reference year. Shipped as reference data; the administrator adds new years as Brå
# publishes them.
PTU_NATIONAL: tuple[NationalFigureDef, ...] = (
    NationalFigureDef(2012, "20"),
    NationalFigureDef(2014, "28"),
    NationalFigureDef(2016, "25"),
    NationalFigureDef(2018, "30", "Reviderad till 33 % i senare rapport", "Later revised to 33 %"),
    NationalFigureDef(2020, "26"),
    NationalFigureDef(2022, "29"),
)
