"""Swedish is the default language and every string is translated.

The test extracts the messages of the current source into a scratch copy (makemessages) and
fails if any msgid is missing from the committed Swedish catalogue, untranslated or fuzzy.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _sources() -> list[str]:
    """The project's own apps (every one in INSTALLED_APPS, new ones too), its settings and templates."""
    from django.conf import settings

    apps = {name.split(".")[0] for name in settings.INSTALLED_APPS}
    return sorted(name for name in apps if (ROOT / name / "apps.py").exists()) + ["config", "templates"]


def _entries(po_path: Path):
    """(msgid, msgstr, fuzzy) for every entry of a .po file, plural forms folded in."""
    import re

    text = po_path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line]
        if not lines:
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        body = "\n".join(line for line in lines if not line.startswith("#"))
        msgid = "".join(re.findall(r'"(.*)"', body.split("msgstr")[0].split("msgid_plural")[0].replace("msgctxt", "")))
        strs = re.split(r"msgstr(?:\[\d\])?", body)[1:]
        msgstrs = ["".join(re.findall(r'"(.*)"', s)) for s in strs]
        if msgid == "":
            continue
        yield msgid, msgstrs, fuzzy


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("messages")
    sources = _sources()
    assert {"accounts", "core", "incidents", "reports"} <= set(sources)
    for name in sources:
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
    return {msgid for msgid, _s, _f in _entries(scratch / "locale" / "sv" / "LC_MESSAGES" / "django.po")}


def test_every_message_is_in_the_swedish_catalogue(extracted):
    committed = {msgid for msgid, _s, _f in _entries(ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po")}
    missing = sorted(extracted - committed)
    assert not missing, f"{len(missing)} message(s) not in locale/sv (run `make makemessages`): {missing[:20]}"


def test_every_swedish_message_is_translated():
    problems = [msgid for msgid, msgstrs, fuzzy in _entries(ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po")
                if fuzzy or not all(msgstrs)]
    assert not problems, f"{len(problems)} untranslated or fuzzy message(s) in locale/sv: {problems[:20]}"
