"""Audit actions are shown to people by their labels (core.audit), never as codes such as
`case_view` or `measure_approve`: every action the code writes has a label, an unknown one falls
back to its kind, and the audit trail, its CSV export, "who has read my data" and an official's
history show the labels (and states and changed fields by their names)."""

import ast
import csv
import io
import pathlib
import re

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from core import audit
from core.audit import action_label, action_labels, audit_change, audit_read, has_action_label
from core.models import AuditEvent
from tests.factories import OfficialFactory

ROOT = pathlib.Path(settings.BASE_DIR)
APPS = ["core", "accounts", "officials", "incidents", "training", "measures", "riskanalyses", "surveys", "reports",
        "demo"]
# The actions written with an f-string, and every value each can take. A new f-string fails
# `test_every_action_written_with_an_f_string_is_listed` until it is listed here.
F_STRING_ACTIONS = {
    "f'logout_{reason}'": ["logout_idle"],  # accounts.middleware sets the one reason, "idle"
    "f'compliance_export_{fmt}'": ["compliance_export_csv", "compliance_export_xlsx"],  # the view allows these
    "f'{obj._meta.model_name}_admin_save'": ["measuretype_admin_save", "riskfactor_admin_save"],  # measures.admin
}
LIST = reverse("accounts:audit-list")


def _strings(node: ast.AST) -> tuple[set[str], list[str]]:
    """The string constants in an expression (`"a" if x else "b"` gives both) and its f-strings."""
    constants: set[str] = set()
    fstrings: list[str] = []

    def visit(n: ast.AST) -> None:
        if isinstance(n, ast.JoinedStr):
            fstrings.append(ast.unparse(n))
            return
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            constants.add(n.value)
        for child in ast.iter_child_nodes(n):
            visit(child)

    visit(node)
    return constants, fstrings


def written_actions() -> tuple[dict[str, str], dict[str, str]]:
    """Every action code the code writes: the value of any `action=` argument, and of any local
    variable `action` inside a function (a service picks one, then passes `action=action`)."""
    actions: dict[str, str] = {}
    fstrings: dict[str, str] = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or "management" in path.parts:  # argparse's action= is not audit
                continue
            tree = ast.parse(path.read_text())
            values = []
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.keyword) and node.arg == "action":
                        values.append(node.value)
                    elif isinstance(node, ast.Assign) and any(
                            isinstance(t, ast.Name) and t.id == "action" for t in node.targets):
                        values.append(node.value)
            for value in values:
                constants, found = _strings(value)
                for constant in constants:
                    actions.setdefault(constant, str(path.relative_to(ROOT)))
                for fstring in found:
                    fstrings.setdefault(fstring, str(path.relative_to(ROOT)))
    # The demo's national data set writes read rows as tuples: its actions are among the above.
    return actions, fstrings


def test_the_scan_finds_the_actions_the_issue_names():
    actions, _fstrings = written_actions()
    assert {"case_view", "measure_approve", "measure_reject", "recovery_code_used", "login_locked_out"} <= set(actions)
    assert len(actions) > 150


def test_every_action_written_with_an_f_string_is_listed():
    _actions, fstrings = written_actions()
    assert set(fstrings) == set(F_STRING_ACTIONS), fstrings


def test_every_action_the_code_writes_has_a_label():
    actions, _fstrings = written_actions()
    codes = set(actions) | {code for values in F_STRING_ACTIONS.values() for code in values}
    missing = sorted(f"{code} ({actions.get(code, 'f-string')})" for code in codes if not has_action_label(code))
    assert missing == []


def test_every_label_is_translated_and_none_is_a_code():
    for code, label in action_labels().items():
        with translation.override("en"):
            english = str(label)
        with translation.override("sv"):
            swedish = str(label)
        assert english != code and "_" not in english, code
        assert swedish != english or english in {"Export"}, f"{code}: {english!r} has no Swedish"


@pytest.mark.parametrize("kind", [*AuditEvent.Kind.values, "", "something"])
def test_an_action_without_a_label_shows_its_kind_never_its_code(kind):
    shown = action_label("frobnicate_widget", kind)
    assert shown and "frobnicate" not in shown and "_" not in shown
    with translation.override("en"):
        assert action_label("frobnicate_widget", AuditEvent.Kind.READ) == "Other read"
        assert action_label("frobnicate_widget", AuditEvent.Kind.CHANGE) == "Other change"


def test_one_code_cannot_get_two_labels():
    audit.register_action_labels({"case_view": action_labels()["case_view"]})  # the same again: harmless
    with pytest.raises(ImproperlyConfigured):
        audit.register_action_labels({"case_view": "Something else"})


@pytest.mark.django_db
def test_states_dates_and_changed_fields_are_shown_by_their_names():
    from measures.models import Measure, MeasureStatus

    with translation.override("en"):
        label = str(MeasureStatus.IN_PLACE.label)
        assert audit.state_label(Measure._meta.label_lower, MeasureStatus.IN_PLACE) == label
        assert audit.state_label("officials.assignment", "2026-12-04") == "4 December 2026"
        assert audit.state_label("measures.measurecost", "4200") == "4200"
        assert audit.state_label("incidents.case", "R-00012") == "R-00012"  # a reference: as it is
        assert audit.reason_label("officials.official", "private_email, private_phone") == (
            "private e-mail, private phone")
        assert audit.reason_label("officials.official", "Hot mot familjen") == "Hot mot familjen"  # typed


# ---------------------------------------------------------------- the pages


@pytest.mark.django_db
def test_the_audit_trail_shows_labels_not_codes(client_for, handler):
    official = OfficialFactory()
    audit_read(actor=handler, action="case_view", obj=official)
    audit_change(actor=handler, action="official_update", obj=official, reason="private_email")
    audit_change(actor=handler, action="assignment_end", obj=official, to_state="2026-12-04")
    audit_change(actor=None, action="frobnicate_widget")
    page = client_for(handler).get(LIST).content.decode()
    with translation.override("sv"):
        expected = [action_label("case_view"), action_label("official_update"), "4 december 2026",
                    action_label("frobnicate_widget", AuditEvent.Kind.CHANGE)]
    for text in expected:
        assert text in page, text
    for code in ("case_view", "official_update", "assignment_end", "frobnicate_widget", "private_email",
                 "2026-12-04"):
        assert code not in page, code


@pytest.mark.django_db
def test_the_audit_filter_finds_an_action_by_the_words_people_see(client_for, handler):
    official = OfficialFactory()
    audit_read(actor=handler, action="case_view", obj=official)
    audit_change(actor=handler, action="measure_approve", obj=official)
    client = client_for(handler)
    with translation.override("sv"):
        word = action_label("measure_approve").split()[-1]  # "beviljad"
    rows = list(client.get(LIST, {"action": word}).context["page"].object_list)
    assert [row.action for row in rows] == ["measure_approve"]
    rows = list(client.get(LIST, {"action": "case_view"}).context["page"].object_list)  # the code still works
    assert [row.action for row in rows] == ["case_view"]


@pytest.mark.django_db
def test_the_csv_export_has_the_label_and_the_code_apart(client_for, handler):
    audit_change(actor=handler, action="measure_approve", reason="x")
    response = client_for(handler).get(reverse("accounts:audit-export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, first = rows[0], next(r for r in rows[1:] if r[-1] == "measure_approve")
    with translation.override("sv"):
        assert first[header.index(str(translation.gettext("Action")))] == action_label("measure_approve")
        assert header[-1] == translation.gettext("Action code")


@pytest.mark.django_db
def test_who_has_read_my_data_names_what_was_done(client_for, official, handler):
    person = official.official
    audit_read(actor=handler, action="official_view_private", obj=person, official_id=person.pk)
    page = client_for(official).get(reverse("accounts:my-access-log")).content.decode()
    with translation.override("sv"):
        assert action_label("official_view_private") in page
    assert "official_view_private" not in page


@pytest.mark.django_db
def test_the_officials_history_shows_labels(client_for, handler):
    person = OfficialFactory()
    audit_change(actor=handler, action="official_update", obj=person, official_id=person.pk)
    page = client_for(handler).get(reverse("officials:official-detail", args=[person.pk])).content.decode()
    with translation.override("sv"):
        assert action_label("official_update") in page
    assert "official_update" not in page


# ---------------------------------------------------------------- the states


def written_states() -> dict[str, str]:
    """Every constant the code writes as an audit row's `from`/`to`, and every reminder kind
    (written as the `to` of `reminder_create`)."""
    states: dict[str, str] = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                values = []
                if isinstance(node, ast.Call):
                    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                    for keyword in node.keywords:
                        if keyword.arg in ("from_state", "to_state") or (
                                keyword.arg == "kind" and name.startswith("reminder")):
                            values.append(keyword.value)
                elif isinstance(node, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id.startswith("REMINDER_") for t in node.targets):
                    values.append(node.value)
                for value in values:
                    for constant in _strings(value)[0]:
                        states.setdefault(constant, str(path.relative_to(ROOT)))
    return states


def _choice_values(app_label: str) -> set[str]:
    from django.apps import apps

    return {str(code) for model in apps.get_app_config(app_label).get_models()
            for field in model._meta.concrete_fields for code, _label in field.flatchoices}


def test_every_state_the_code_writes_is_shown_by_a_label():
    """Each code in a constant `from`/`to` is a choice of one of the writing app's models, or has
    a registered label; so is every reminder kind and every reason the code writes as a code."""
    states = written_states()
    assert {"measures.review_due", "open", "done", "totp"} <= set(states)  # the scan sees them
    missing = []
    for state, path in states.items():
        choices = _choice_values(path.split("/")[0])
        for part in re.split(r"[/:,@]", state):
            if part and part not in choices and not audit.has_state_label("", part):
                missing.append(f"{part} ({path})")
    assert sorted(missing) == []


@pytest.mark.parametrize("reason", ["on behalf", "new report", "responsibility ended", "escalation withdrawn",
                                    "level differs from the matrix"])
def test_the_reasons_the_code_writes_as_codes_are_shown_translated(reason):
    with translation.override("sv"):
        shown = audit.reason_label("", reason)
    assert shown and shown != reason
