"""Fill msgstr in locale/sv/LC_MESSAGES/django.po from locale/sv_translations/*.tsv
and list what is still untranslated.

TSV format, one entry a line: `English msgid<TAB>Swedish`. Lines starting with # are comments.
- Write newlines, tabs and backslashes the way the .po shows them: `\\n`, `\\t`, `\\\\`.
  Double quotes are written plainly (`"`), not escaped.
- Plural msgids: one line for the singular msgid and one for the plural msgid.
- A msgid with a context (pgettext / {% translate ... context "x" %}): key `<<x>>msgid`;
  without such a line the plain msgid is used.

The TSV files are the only source of translations: an entry without a TSV line is emptied and
listed as untranslated, so msgmerge's fuzzy guesses (a translation of a similar msgid) are never
silently accepted.

Usage: python locale/fill_po.py [--list] [--check]
  --list   print every untranslated msgid
  --check  also warn about TSV lines whose placeholders differ from the msgid, duplicates
           with different translations and TSV lines no msgid uses any more
"""

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PO = HERE / "sv" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")
_ESC = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"'}


def unescape(s: str) -> str:
    """Undo .po / TSV escapes (\\n, \\t, \\r, \\\\, \\")."""
    return re.sub(r'\\([nrt\\"])', lambda m: _ESC[m.group(1)], s)


def quote(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def load(check: bool = False) -> tuple[dict[str, str], dict[str, str]]:
    table: dict[str, str] = {}
    where: dict[str, str] = {}
    for tsv in sorted((HERE / "sv_translations").glob("*.tsv")):
        for n, line in enumerate(tsv.read_text(encoding="utf-8").splitlines(), 1):
            if "\t" not in line or line.startswith("#"):
                continue
            en, sv = line.split("\t", 1)
            en, sv = unescape(en), unescape(sv)
            if check:
                if sorted(PLACEHOLDER.findall(en)) != sorted(PLACEHOLDER.findall(sv)):
                    print(f"WARNING {tsv.name}:{n}: placeholders differ: {en!r} -> {sv!r}")
                if en in table and table[en] != sv:
                    print(f"WARNING {tsv.name}:{n}: {en!r} also in {where[en]} with another translation")
                if not sv.strip():
                    print(f"WARNING {tsv.name}:{n}: empty translation for {en!r}")
            table[en] = sv
            where[en] = f"{tsv.name}:{n}"
    return table, where


def _strings(lines: list[str], keyword: str) -> str | None:
    """The (possibly multi-line) string after `keyword` in an entry, unescaped."""
    out, inside = [], False
    for line in lines:
        if line.startswith(keyword + " "):
            inside = True
            out.append(line[len(keyword) + 1:])
        elif inside and line.startswith('"'):
            out.append(line)
        elif inside:
            break
    if not inside:
        return None
    return unescape("".join(s.strip()[1:-1] for s in out))


def _drop_fuzzy(flags_line: str) -> str | None:
    flags = [f.strip() for f in flags_line[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
    return "#, " + ", ".join(flags) if flags else None


def main() -> None:
    check = "--check" in sys.argv
    table, where = load(check)
    used: set[str] = set()
    raw = PO.read_text(encoding="utf-8")
    # makemessages --no-location may put the first entry right under the header: separate it.
    raw = re.sub(r'(\n"[^\n]*"\n)(msgid )', lambda m: m.group(1) + "\n" + m.group(2), raw)
    out, missing = [], []
    for block in raw.split("\n\n"):
        if '"Project-Id-Version' in block:
            text = block.replace("#, fuzzy\n", "").replace("PACKAGE VERSION", "varn")
            text = re.sub(r'"Plural-Forms:.*', lambda m: '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', text)
            text = re.sub(r'"Language: .*', lambda m: '"Language: sv\\n"', text)
            out.append(text.strip("\n"))
            continue
        lines = [line for line in block.strip("\n").split("\n")]
        if not any(line.startswith("msgid ") for line in lines):
            if block.strip():
                out.append(block.strip("\n"))
            continue
        comments = [line for line in lines if line.startswith("#")]
        body = [line for line in lines if not line.startswith("#")]
        ctxt = _strings(body, "msgctxt")
        msgid = _strings(body, "msgid")
        plural = _strings(body, "msgid_plural")

        def lookup(key: str, ctxt: str | None = ctxt) -> str | None:
            for k in ([f"<<{ctxt}>>{key}"] if ctxt is not None else []) + [key]:
                if k in table:
                    used.add(k)
                    return table[k]
            return None

        if plural is not None:
            wanted = [lookup(msgid), lookup(plural)]
        else:
            wanted = [lookup(msgid)]
        if all(w is not None for w in wanted):
            new = wanted
        else:
            # The TSV files are the only source: a msgstr found only in the .po is a fuzzy guess
            # of msgmerge (possibly with its flag already dropped), never a translation.
            new = [""] * len(wanted)
            missing.append(msgid if plural is None else f"{msgid}  |  {plural}")
        keep = [c for c in comments if not c.startswith("#|")]
        keep = [_drop_fuzzy(c) if c.startswith("#,") else c for c in keep]
        keep = [c for c in keep if c is not None]
        head = []
        if ctxt is not None:
            head.append(f'msgctxt "{quote(ctxt)}"')
        head.append(f'msgid "{quote(msgid)}"')
        if plural is not None:
            head.append(f'msgid_plural "{quote(plural)}"')
            head += [f'msgstr[{i}] "{quote(s)}"' for i, s in enumerate(new)]
        else:
            head.append(f'msgstr "{quote(new[0])}"')
        out.append("\n".join(keep + head))
    PO.write_text("\n\n".join(out).rstrip("\n") + "\n", encoding="utf-8")
    print(f"{len(missing)} untranslated")
    if "--list" in sys.argv:
        for m in missing:
            print(m.replace("\n", "\\n"))
    if check:
        for key in sorted(set(table) - used):
            print(f"unused TSV line {where[key]}: {key!r}".replace("\n", "\\n"))


if __name__ == "__main__":
    main()
