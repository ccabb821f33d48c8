"""The starting template for the committees' and companies' written routines (Stockholm's
instruction: risk and consequence analyses of their own activities, a written routine or checklist
with clear roles, and dialogue with the party offices). The administrator edits it in the app; each
body makes its own copy. Written in Swedish: it is the municipality's own text, not interface.

Loaded by migration 0002 on a new database; `ensure_default_template()` loads it again where the
table was emptied (tests that flush the database, a demo rebuilt from scratch)."""

DEFAULT_TEMPLATE = [
    ("before", "Gör en risk- och konsekvensanalys av aktiviteten och dokumentera den i Värn",
     "Nämndsekreterare"),
    ("before", "Stäm av med partikanslierna för de förtroendevalda som deltar om kända hotbilder, "
               "och kom överens om vem som gör vad", "Nämndsekreterare"),
    ("before", "Fråga säkerhetsavdelningen om pågående ärenden eller hotbilder som rör aktiviteten",
     "Förvaltningens säkerhetssamordnare"),
    ("before", "Kontrollera lokalen: in- och utgångar, utrymningsvägar och ett rum som kan låsas",
     "Lokalansvarig"),
    ("before", "Besluta om tillträdeskontroll, värdar eller bevakning utifrån risknivån",
     "Förvaltningschef"),
    ("before", "Kontakta polisen inför aktiviteter med hög risk", "Förvaltningens säkerhetssamordnare"),
    ("during", "Ordföranden och värdarna vet vem som larmar 112 och hur deltagarna leds ut",
     "Ordförande"),
    ("during", "Håll uppsikt vid entrén och ha en telefon redo", "Värd"),
    ("after", "Följ upp: hände något? Rapportera incidenter till säkerhetsavdelningen och informera "
              "partikanslierna", "Nämndsekreterare"),
    ("after", "Dokumentera lärdomar i analysen", "Nämndsekreterare"),
]


def ensure_default_template(model=None) -> int:
    """Load the starting template unless the template has items (in use or removed). Returns how
    many were created. `model` is the historical model inside a migration."""
    if model is None:
        from .models import ChecklistTemplateItem as model
    if model.objects.exists():
        return 0
    model.objects.bulk_create([
        model(phase=phase, text=text, responsible_role=role, position=(i + 1) * 10)
        for i, (phase, text, role) in enumerate(DEFAULT_TEMPLATE)
    ])
    return len(DEFAULT_TEMPLATE)
