"""QuickSelect renders the same markup as Django's Select, without a template per option."""

import pytest
from django import forms

from core.widgets import QuickSelect

CHOICES = [("", "All"), ("a", "Alpha & <b>"), ("b", "Beta"), ("Group", [("c", "Gamma"), ("d", 'Delta "4"')])]


@pytest.mark.parametrize("value", [None, "", "a", "c", "x"])
def test_the_markup_is_djangos(value):
    attrs = {"id": "f-x", "required": True, "aria-describedby": "h"}
    expected = forms.Select(choices=CHOICES).render("x", value, attrs)
    assert QuickSelect(choices=CHOICES).render("x", value, attrs) == expected


def test_model_choices_and_multiple(db):
    from officials.models import Body

    bodies = [Body.objects.create(name=f"Nämnd {i} <&>", kind=Body.Kind.COMMITTEE) for i in range(3)]

    class F(forms.Form):
        one = forms.ModelChoiceField(Body.objects.order_by("pk"), required=False)
        many = forms.ModelMultipleChoiceField(Body.objects.order_by("pk"), required=False)

    form = F(initial={"one": bodies[1].pk, "many": [bodies[0].pk, bodies[2].pk]})
    for name, widget in (("one", forms.Select), ("many", forms.SelectMultiple)):
        field = form.fields[name]
        expected = str(form[name])
        field.widget = (QuickSelect if widget is forms.Select else type("Q", (QuickSelect,), {
            "allow_multiple_selected": True}))(choices=field.choices)
        assert str(form[name]) == expected


def test_prepared_options_escape_and_select_one():
    from core.widgets import PreparedOptions

    prepared = PreparedOptions([(1, "Sara <Holm>"), (2, "Per & Co"), ("normal", "Normal")])
    assert prepared.html(2) == ('<option value="1">Sara &lt;Holm&gt;</option>'
                                '<option value="2" selected>Per &amp; Co</option>'
                                '<option value="normal">Normal</option>')
    assert "selected" not in prepared.html(None) and "selected" not in prepared.html("")
    assert prepared.html("normal").endswith('<option value="normal" selected>Normal</option>')
