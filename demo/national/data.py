"""The numbers and the Swedish texts the national data set is drawn from."""

from datetime import date
from zoneinfo import ZoneInfo

SEED = 2610
TZ = ZoneInfo("Europe/Stockholm")
YEARS = 8
DAY = 86_400.0
MARKER = "handler01"  # the first extra handler: present once the national data has been built

# Counts at fraction 1.0.
COUNTS = {"officials": 40_000, "reports": 250_000, "cases": 100_000, "measures": 50_000, "audit": 500_000,
          "survey_answers": 100_000, "new_reports": 2_500, "proposals": 350}
EXTRA_HANDLERS = 20
EXTRA_APPROVERS = 2

# The terms of office the officials' assignments follow: (start year, first day, last day or None).
TERMS = [(2018, date(2018, 10, 15), date(2022, 10, 14)), (2022, date(2022, 10, 15), date(2026, 10, 14)),
         (2026, date(2026, 10, 15), None)]

# Sweden's 290 municipalities, county by county.
MUNICIPALITIES = [m for county in (
    "Botkyrka, Danderyd, Ekerö, Haninge, Huddinge, Järfälla, Lidingö, Nacka, Norrtälje, Nykvarn, Nynäshamn, "
    "Salem, Sigtuna, Sollentuna, Solna, Stockholm, Sundbyberg, Södertälje, Tyresö, Täby, Upplands-Bro, "
    "Upplands Väsby, Vallentuna, Vaxholm, Värmdö, Österåker",
    "Enköping, Heby, Håbo, Knivsta, Tierp, Uppsala, Älvkarleby, Östhammar",
    "Eskilstuna, Flen, Gnesta, Katrineholm, Nyköping, Oxelösund, Strängnäs, Trosa, Vingåker",
    "Boxholm, Finspång, Kinda, Linköping, Mjölby, Motala, Norrköping, Söderköping, Vadstena, Valdemarsvik, "
    "Ydre, Åtvidaberg, Ödeshög",
    "Aneby, Eksjö, Gislaved, Gnosjö, Habo, Jönköping, Mullsjö, Nässjö, Sävsjö, Tranås, Vaggeryd, Vetlanda, "
    "Värnamo",
    "Alvesta, Lessebo, Ljungby, Markaryd, Tingsryd, Uppvidinge, Växjö, Älmhult",
    "Borgholm, Emmaboda, Hultsfred, Högsby, Kalmar, Mönsterås, Mörbylånga, Nybro, Oskarshamn, Torsås, "
    "Vimmerby, Västervik",
    "Gotland",
    "Karlshamn, Karlskrona, Olofström, Ronneby, Sölvesborg",
    "Bjuv, Bromölla, Burlöv, Båstad, Eslöv, Helsingborg, Hässleholm, Höganäs, Hörby, Höör, Klippan, "
    "Kristianstad, Kävlinge, Landskrona, Lomma, Lund, Malmö, Osby, Perstorp, Simrishamn, Sjöbo, Skurup, "
    "Staffanstorp, Svalöv, Svedala, Tomelilla, Trelleborg, Vellinge, Ystad, Åstorp, Ängelholm, Örkelljunga, "
    "Östra Göinge",
    "Falkenberg, Halmstad, Hylte, Kungsbacka, Laholm, Varberg",
    "Ale, Alingsås, Bengtsfors, Bollebygd, Borås, Dals-Ed, Essunga, Falköping, Färgelanda, Grästorp, "
    "Gullspång, Göteborg, Götene, Herrljunga, Hjo, Härryda, Karlsborg, Kungälv, Lerum, Lidköping, Lilla Edet, "
    "Lysekil, Mariestad, Mark, Mellerud, Munkedal, Mölndal, Orust, Partille, Skara, Skövde, Sotenäs, "
    "Stenungsund, Strömstad, Svenljunga, Tanum, Tibro, Tidaholm, Tjörn, Tranemo, Trollhättan, Töreboda, "
    "Uddevalla, Ulricehamn, Vara, Vårgårda, Vänersborg, Åmål, Öckerö",
    "Arvika, Eda, Filipstad, Forshaga, Grums, Hagfors, Hammarö, Karlstad, Kil, Kristinehamn, Munkfors, "
    "Storfors, Sunne, Säffle, Torsby, Årjäng",
    "Askersund, Degerfors, Hallsberg, Hällefors, Karlskoga, Kumla, Laxå, Lekeberg, Lindesberg, Ljusnarsberg, "
    "Nora, Örebro",
    "Arboga, Fagersta, Hallstahammar, Kungsör, Köping, Norberg, Sala, Skinnskatteberg, Surahammar, Västerås",
    "Avesta, Borlänge, Falun, Gagnef, Hedemora, Leksand, Ludvika, Malung-Sälen, Mora, Orsa, Rättvik, "
    "Smedjebacken, Säter, Vansbro, Älvdalen",
    "Bollnäs, Gävle, Hofors, Hudiksvall, Ljusdal, Nordanstig, Ockelbo, Ovanåker, Sandviken, Söderhamn",
    "Härnösand, Kramfors, Sollefteå, Sundsvall, Timrå, Ånge, Örnsköldsvik",
    "Berg, Bräcke, Härjedalen, Krokom, Ragunda, Strömsund, Åre, Östersund",
    "Bjurholm, Dorotea, Lycksele, Malå, Nordmaling, Norsjö, Robertsfors, Skellefteå, Sorsele, Storuman, Umeå, "
    "Vilhelmina, Vindeln, Vännäs, Åsele",
    "Arjeplog, Arvidsjaur, Boden, Gällivare, Haparanda, Jokkmokk, Kalix, Kiruna, Luleå, Pajala, Piteå, "
    "Älvsbyn, Överkalix, Övertorneå",
) for m in county.split(", ")]
LARGE = {"Stockholm", "Göteborg", "Malmö", "Uppsala", "Linköping", "Örebro", "Västerås", "Helsingborg",
         "Norrköping", "Jönköping", "Umeå", "Lund", "Borås", "Gävle", "Eskilstuna", "Södertälje", "Karlstad",
         "Växjö", "Halmstad", "Sundsvall", "Luleå"}

# Each municipality's bodies: (name, kind code). Kinds as in officials.models.Body.Kind.
MUNICIPAL_BODIES = [
    ("Kommunfullmäktige", "kf"), ("Kommunstyrelsen", "ks"), ("Kommunstyrelsens arbetsutskott", "utskott"),
    ("Barn- och utbildningsnämnden", "namnd"), ("Socialnämnden", "namnd"), ("Miljö- och byggnadsnämnden", "namnd"),
    ("Kultur- och fritidsnämnden", "namnd"), ("Tekniska nämnden", "namnd"), ("Valnämnden", "namnd"),
    ("Kommunens bostadsbolag", "bolag"),
]

KIND_WEIGHTS = {"harassment": 30, "threat": 28, "hate": 20, "undue_influence": 5, "stalking": 5, "damage": 5,
                "violence": 3, "extortion": 2, "bribery": 2}
KIND_TITLES = {"harassment": "Trakasserier", "threat": "Hot", "hate": "Hat", "undue_influence": "Påtryckningar",
               "stalking": "Förföljelse", "damage": "Skadegörelse", "violence": "Våld", "extortion": "Utpressning",
               "bribery": "Mutförsök"}
CHANNEL_WEIGHTS = {"social": 30, "email": 22, "in_person": 10, "phone": 8, "text": 8, "meeting": 8, "letter": 6,
                   "home": 4, "other": 4}
CHANNEL_TITLES = {"social": "i sociala medier", "email": "per e-post", "in_person": "vid möte på stan",
                  "phone": "per telefon", "text": "per sms", "meeting": "vid sammanträde", "letter": "per brev",
                  "home": "vid bostaden", "other": ""}
DESCRIPTIONS = [
    "Fick ett hotfullt mejl efter beslutet i nämnden.", "Kommentarer med hot om våld under ett inlägg.",
    "En person väntade utanför bostaden på kvällen.", "Upprepade samtal från okänt nummer med hotelser.",
    "Ett brev med kränkande innehåll skickades hem.", "Högljudda tillrop och hot efter sammanträdet.",
    "Bilen fick punktering och repor utanför hemmet.", "Hatiska meddelanden om min bakgrund i sociala medier.",
    "En person erbjöd förmåner mot att jag röstar för ett bygglov.", "Blev filmad och förföljd efter ett möte.",
    "Kränkande sms sent på natten, samma avsändare som tidigare.", "Hot mot min familj i ett inlägg.",
    "Påtryckningar från en företagare inför upphandlingsbeslutet.", "Klotter med mitt namn vid partilokalen.",
    "Någon har lagt ut min hemadress i en grupp.", "Knuffades vid torgmötet.",
]
PLACES = ["", "", "", "Stadshuset", "Kommunhuset", "Torget", "Partilokalen", "Hemmet", "Biblioteket",
          "Sammanträdesrummet", "Pendeltåget"]
NOTES = ["Ringt den förtroendevalda, som mår efter omständigheterna bra.", "Polisen kontaktad; ärendet följs upp.",
         "Avsändaren känd sedan tidigare ärende.", "Stämt av med partiets säkerhetsansvarige.",
         "Inget nytt sedan förra kontakten.", "Den förtroendevalda vill avvakta med åtgärder."]
CONCLUSIONS = ["Hotet bedöms som allvarligt menat men utan förmåga.", "Upprepat beteende; risken bedöms öka.",
               "Enstaka händelse, ingen koppling till tidigare ärenden.", "Gärningspersonen har närmat sig hemmet.",
               "Kampanj mot flera förtroendevalda; samordning med polisen."]
REASONS = ["Enligt hot- och riskbedömningen.", "Den förtroendevalda känner sig otrygg i hemmet.",
           "Upprepade hot; skyddet behöver förstärkas.", "Stöd efter händelsen."]
SUPPLIERS = ["Securitas", "Avarn", "Stanley Security", "Verisure", "Lokala låssmeden", ""]
