"""Fill msgstr in locale/sv/LC_MESSAGES/django.po from locale/sv_translations/*.tsv
(one `English<TAB>Swedish` per line) and list what is still untranslated.
Usage: python locale/fill_po.py [--list]"""

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PO = HERE / "sv" / "LC_MESSAGES" / "django.po"


def load() -> dict[str, str]:
    table = {}
    for tsv in sorted((HERE / "sv_translations").glob("*.tsv")):
        for line in tsv.read_text(encoding="utf-8").splitlines():
            if "\t" in line and not line.startswith("#"):
                en, sv = line.split("\t", 1)
                table[en] = sv
    return table


def unquote(s: str) -> str:
    return bytes(s, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def quote(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def main() -> None:
    table = load()
    raw = PO.read_text(encoding="utf-8")
    # makemessages --no-location may put the first entry right under the header: separate it.
    raw = re.sub(r'(\n"[^\n]*"\n)(msgid )', lambda m: m.group(1) + "\n" + m.group(2), raw)
    blocks = raw.split("\n\n")
    out, missing = [], []
    for block in blocks:
        lines = block.split("\n")
        text = "\n".join(lines)
        m = re.search(r'^msgid "(.*)"$', text, re.M)
        if '"Project-Id-Version' in text:
            text = text.replace("#, fuzzy\n", "").replace("PACKAGE VERSION", "varn")
            text = re.sub(r'"Plural-Forms:.*', lambda m: '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', text)
            text = re.sub(r'"Language: .*', lambda m: '"Language: sv\\n"', text)
            text = re.sub(r'\n"\n"', '\n"', text)
            out.append(text.rstrip("\n"))
            continue
        if not m:
            out.append(block)
            continue
        # Collect the full msgid (may continue on following lines).
        idm = re.search(r'^msgid ((?:".*"\n?)+)', text, re.M)
        msgid = "".join(re.findall(r'"(.*)"', idm.group(1))) if idm else ""
        msgid_u = msgid.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in msgid else msgid
        plural = "msgid_plural" in text
        if plural:
            pm = re.search(r'^msgid_plural ((?:".*"\n?)+)', text, re.M)
            pl = "".join(re.findall(r'"(.*)"', pm.group(1)))
            pl_u = pl.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in pl else pl
            sv1, sv2 = table.get(msgid_u), table.get(pl_u)
            cur = re.findall(r'^msgstr\[\d\] "(.*)"$', text, re.M)
            if sv1 and sv2:
                head = re.split(r"^msgstr\[0\]", text, flags=re.M)[0]
                text = head + f'msgstr[0] "{quote(sv1)}"\nmsgstr[1] "{quote(sv2)}"'
            elif not all(cur):
                missing.append(msgid_u)
        else:
            sm = re.search(r'^msgstr ((?:".*"\n?)+)', text, re.M)
            cur = "".join(re.findall(r'"(.*)"', sm.group(1))) if sm else ""
            sv = table.get(msgid_u)
            if sv is not None:
                text = text[: sm.start()] + f'msgstr "{quote(sv)}"' + ("\n" if text.endswith("\n") else "")
            elif not cur:
                missing.append(msgid_u)
        text = re.sub(r"^#, fuzzy\n", "", text, flags=re.M) if sv_ok(text) else text
        out.append(text.rstrip("\n"))
    PO.write_text("\n\n".join(out).rstrip("\n") + "\n", encoding="utf-8")
    print(f"{len(missing)} untranslated")
    if "--list" in sys.argv:
        for m in missing:
            print(m)


def sv_ok(text: str) -> bool:
    return bool(re.search(r'^msgstr(\[\d\])? "(.+)"', text, re.M))


if __name__ == "__main__":
    main()
