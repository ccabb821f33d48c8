import pytest

from measures.defaults import DEFAULT_FACTORS, DEFAULT_MEASURE_TYPES, seed_reference_data
from measures.models import MeasureType, RiskFactor

pytestmark = pytest.mark.django_db


def test_the_default_checklist_follows_risk_md():
    codes = list(RiskFactor.objects.order_by("section", "position").values_list("code", flat=True))
    assert codes == [f"A{n}" for n in range(1, 11)] + [f"B{n}" for n in range(1, 9)] + [f"C{n}" for n in range(1, 8)]
    assert all(f.text_sv and f.text_en for f in RiskFactor.objects.all())


def test_the_catalogue_marks_alarms_and_technical_measures():
    alarms = dict(MeasureType.objects.exclude(alarm_kind="").values_list("code", "alarm_kind"))
    assert alarms == {"personal-alarm": "personal", "burglar-alarm": "burglar", "safety-alarm": "safety"}
    assert MeasureType.objects.get(code="cameras").technical
    assert MeasureType.objects.count() == len(DEFAULT_MEASURE_TYPES) == 15
    assert MeasureType.objects.get(code="personal-alarm").name_sv == "Personlarm"


def test_seeding_fills_empty_tables_only():
    RiskFactor.objects.filter(code="A1").update(text_sv="Egen text")
    seed_reference_data()
    assert RiskFactor.objects.count() == len(DEFAULT_FACTORS)
    assert RiskFactor.objects.get(code="A1").text_sv == "Egen text"
    RiskFactor.objects.all().delete()
    MeasureType.objects.all().delete()
    seed_reference_data()
    assert RiskFactor.objects.count() == 25 and MeasureType.objects.count() == 15
