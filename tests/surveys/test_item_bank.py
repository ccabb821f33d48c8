import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from surveys.item_bank import DEFAULT_BANK, PTU_NATIONAL
from surveys.models import Item, NationalFigure, Option, SurveyType
from surveys.services import item_bank_load

pytestmark = pytest.mark.django_db

SAFETY_CODES = ["B1", "B2", "B3", "B4", "E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9",
                "F1", "F2", "F3", "F4", "F5", "F6", "F7", "C1", "C2", "W1", "S1", "S2", "S3"]


def test_load_creates_every_item_of_surveys_md_with_stable_codes():
    created = item_bank_load()
    assert created == len(DEFAULT_BANK) == 30
    safety = list(Item.objects.filter(survey_type=SurveyType.SAFETY).order_by("position")
                  .values_list("code", flat=True))
    assert safety == SAFETY_CODES
    assert list(Item.objects.filter(survey_type=SurveyType.INTERNAL_CONTROL).order_by("position")
                .values_list("code", flat=True)) == ["IC1", "IC2", "IC3", "IC4"]
    assert NationalFigure.objects.count() == len(PTU_NATIONAL)


def test_every_item_and_option_has_swedish_and_english_text(item_bank):
    for item in Item.objects.prefetch_related("options"):
        assert item.text_sv and item.text_en, item.code
        assert item.options.exists(), item.code
        for option in item.options.all():
            assert option.label_sv and option.label_en, (item.code, option.code)


def test_item_types_and_tags_follow_surveys_md(item_bank):
    kinds = dict(Item.objects.values_list("code", "kind"))
    assert kinds["B1"] == kinds["F1"] == kinds["F4"] == kinds["F6"] == kinds["C2"] == Item.Kind.MULTIPLE
    assert kinds["E1"] == kinds["B2"] == kinds["IC1"] == Item.Kind.SINGLE
    assert kinds["W1"] == kinds["F7"] == kinds["S3"] == Item.Kind.SCALE
    tags = dict(Item.objects.values_list("code", "tag"))
    assert tags["E1"] == tags["E7"] == Item.Tag.SRC
    assert tags["E8"] == tags["E9"] == tags["W1"] == tags["S2"] == Item.Tag.OWN
    labels = list(Option.objects.filter(item__code="E1").values_list("label_sv", flat=True))
    assert labels == ["Nej", "Ja, en gång", "Ja, flera gånger", "Vet ej"]


def test_conditions_f_block_after_any_e_yes_and_c2_after_c1_yes(item_bank):
    f1 = Item.objects.get(code="F1")
    assert f1.condition_items == [f"E{n}" for n in range(1, 10)]
    assert f1.condition_options == ["yes_once", "yes_many"]
    c2 = Item.objects.get(code="C2")
    assert (c2.condition_items, c2.condition_options) == (["C1"], ["yes"])
    assert not Item.objects.get(code="C1").is_conditional


def test_text_follows_the_active_language(item_bank):
    item = Item.objects.get(code="IC4")
    with translation.override("sv"):
        assert item.text == "Vet du vem du kontaktar på kommunen?"
        assert item.options.first().label == "Ja"
    with translation.override("en"):
        assert item.text == "Do you know whom to contact at the municipality?"
        assert item.options.first().label == "Yes"


def test_english_falls_back_to_swedish_when_missing(item_bank):
    Item.objects.filter(code="W1").update(text_en="")
    with translation.override("en"):
        assert Item.objects.get(code="W1").text.startswith("Hur orolig")


def test_reload_is_idempotent_and_keeps_the_administrators_edits(item_bank):
    Item.objects.filter(code="E1").update(text_sv="Ändrad text", is_active=False)
    assert item_bank_load() == 0
    item = Item.objects.get(code="E1")
    assert (item.text_sv, item.is_active) == ("Ändrad text", False)
    assert Item.objects.count() == 30
    assert Option.objects.filter(item__code="E1").count() == 4


def test_management_command_loads_the_bank(db):
    call_command("seed_surveys", stdout=io.StringIO())
    call_command("seed_surveys", stdout=io.StringIO())
    assert Item.objects.count() == 30


def test_condition_must_name_earlier_items_and_known_answers(item_bank):
    c2 = Item.objects.get(code="C2")
    c2.condition_items = ["W1"]  # a later item
    with pytest.raises(ValidationError):
        c2.full_clean()
    c2.condition_items, c2.condition_options = ["C1"], ["maybe"]
    with pytest.raises(ValidationError):
        c2.full_clean()
    c2.condition_items, c2.condition_options = ["C1"], []
    with pytest.raises(ValidationError):
        c2.full_clean()
    c2.condition_items, c2.condition_options = ["C1"], ["yes"]
    c2.full_clean()


def test_administrator_edits_an_item_in_the_admin(client_for, admin_user, item_bank):
    item = Item.objects.get(code="S1")
    url = reverse("admin:surveys_item_change", args=[item.pk])
    client = client_for(admin_user)
    assert client.get(url).status_code == 200
    options = list(item.options.all())
    data = {
        "block": item.block, "kind": item.kind, "tag": item.tag, "text_sv": "Ny fråga", "text_en": "New question",
        "position": item.position, "condition_items": "[]", "condition_options": "[]", "is_active": "on",
        "options-TOTAL_FORMS": len(options), "options-INITIAL_FORMS": len(options),
        "options-MIN_NUM_FORMS": 0, "options-MAX_NUM_FORMS": 1000,
    }
    for i, option in enumerate(options):
        data.update({f"options-{i}-id": option.pk, f"options-{i}-item": item.pk, f"options-{i}-code": option.code,
                     f"options-{i}-label_sv": option.label_sv, f"options-{i}-label_en": option.label_en,
                     f"options-{i}-position": option.position, f"options-{i}-score": ""})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert (item.code, item.text_sv, item.text_en) == ("S1", "Ny fråga", "New question")


def test_handler_cannot_edit_the_item_bank(client_for, handler, item_bank):
    item = Item.objects.get(code="S1")
    response = client_for(handler).get(reverse("admin:surveys_item_change", args=[item.pk]))
    assert response.status_code == 302  # to the admin login: not staff
