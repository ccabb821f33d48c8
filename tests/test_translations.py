"""Swedish is the default language and every string is translated.

`locale/sv/LC_MESSAGES/django.po` is the only catalogue (the msgids are English, so English
needs none). The tests extract the messages of the current source into a scratch copy
(makemessages) and fail if any msgid is missing from the committed Swedish catalogue,
untranslated or fuzzy (msgmerge's guess for a changed string is never a translation), and if
the compiled catalogue the app reads is older than the .po (`make messages` compiles it; `make
test` does so before the suite).
"""

import ast
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# What `make makemessages` extracts from (it scans the whole tree except tests, benchmarks and
# the virtualenv); a directory that does not exist (yet) is skipped.
SOURCES = ["core", "accounts", "officials", "incidents", "measures", "riskanalyses", "training", "surveys",
           "reports", "demo", "config", "templates"]
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$")


def _entries(po_path: Path):
    """(context, msgid, msgid_plural, [msgstr...], fuzzy) for every entry of a .po file, the header
    included (msgid ""), obsolete entries (#~) left out; the strings unescaped."""
    entry: dict = {}
    key = None

    def done():
        if "msgid" in entry:
            strs = [v for k, v in sorted(entry.items()) if k.startswith("msgstr")]
            yield entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural"), strs, entry.get("fuzzy", False)

    for line in po_path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        starts_entry = line.startswith("#") or line.startswith(("msgctxt ", "msgid "))
        if not line or (starts_entry and any(k.startswith("msgstr") for k in entry)):
            yield from done()
            entry, key = {}, None
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            entry["fuzzy"] = entry.get("fuzzy", False) or "fuzzy" in line[2:].replace(" ", "").split(",")
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
        else:
            raise AssertionError(f"{po_path}: cannot read line {line!r}")
    yield from done()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("messages")
    for name in SOURCES:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, scratch / name, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(ROOT / "manage.py", scratch / "manage.py")
    (scratch / "locale" / "sv" / "LC_MESSAGES").mkdir(parents=True)
    subprocess.run(
        [sys.executable, "-c", "import django.core.management as m; m.execute_from_command_line"
         "(['manage.py', 'makemessages', '-l', 'sv', '--no-location', '--no-wrap', '-v', '0'])"],
        cwd=scratch, check=True, env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test",
                                       "VARN_VAR_DIR": str(scratch / "var"), "PYTHONPATH": str(ROOT)},
    )
    po = scratch / "locale" / "sv" / "LC_MESSAGES" / "django.po"
    return {(ctxt, msgid) for ctxt, msgid, _p, _s, _f in _entries(po) if msgid}


def test_every_app_is_extracted():
    from django.apps import apps

    paths = [Path(app.path) for app in apps.get_app_configs()]
    ours = {path.relative_to(ROOT).parts[0] for path in paths
            if path.is_relative_to(ROOT) and "site-packages" not in path.parts}
    assert not ours - set(SOURCES), f"add {sorted(ours - set(SOURCES))} to SOURCES in {Path(__file__).name}"


def test_every_message_is_in_the_swedish_catalogue(extracted):
    committed = {(ctxt, msgid) for ctxt, msgid, _p, _s, _f in _entries(PO) if msgid}
    missing = sorted(msgid for _c, msgid in extracted - committed)
    assert not missing, f"{len(missing)} message(s) not in locale/sv (run `make makemessages`): {missing[:20]}"


def test_every_swedish_message_is_translated():
    entries = list(_entries(PO))
    header = [fuzzy for _c, msgid, _p, _s, fuzzy in entries if not msgid]
    assert header == [False], "locale/sv needs one header, not marked fuzzy (msgfmt would skip it)"
    problems = [msgid for _c, msgid, _p, msgstrs, fuzzy in entries if msgid and (fuzzy or not all(msgstrs))]
    assert not problems, f"{len(problems)} untranslated or fuzzy message(s) in locale/sv: {problems[:20]}"


def test_the_compiled_catalogue_is_up_to_date():
    assert MO.exists(), "locale/sv is not compiled: run `make messages`"
    with MO.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    stale = []
    for ctxt, msgid, plural, msgstrs, fuzzy in _entries(PO):
        if not msgid or fuzzy:
            continue
        key = msgid if ctxt is None else f"{ctxt}\x04{msgid}"
        got = [compiled.get((key, i)) for i in range(len(msgstrs))] if plural is not None else [compiled.get(key)]
        if got != msgstrs:
            stale.append(msgid)
    assert not stale, f"locale/sv/LC_MESSAGES/django.mo is older than the .po (run `make messages`): {stale[:5]}"
