"""Normalised perpetrator identifiers, so that the same sender is recognised across reports
however it was typed: phone as digits (+46 / 0046 → 0), e-mail in lower case, an account
handle without @ or profile URL in lower case, a name or alias case-folded with single spaces."""

from __future__ import annotations

import re
import unicodedata

from .models import PerpetratorIdentifier

IdKind = PerpetratorIdentifier.IdKind


def normalise_phone(raw: str) -> str:
    digits = re.sub(r"\D", "", raw or "")
    if (raw or "").strip().startswith("+") and digits.startswith("46"):
        digits = "0" + digits[2:]
    elif digits.startswith("0046"):
        digits = "0" + digits[4:]
    return digits if len(digits) >= 5 else ""


def normalise_email(raw: str) -> str:
    value = (raw or "").strip().lower()
    return value if "@" in value and len(value) >= 3 else ""


def normalise_handle(raw: str) -> str:
    value = (raw or "").strip()
    if "://" in value or value.startswith("www."):
        value = value.rstrip("/").rsplit("/", 1)[-1]
    value = value.lstrip("@").strip().lower()
    return value if len(value) >= 2 else ""


def normalise_name(raw: str) -> str:
    value = unicodedata.normalize("NFC", raw or "").casefold()
    value = " ".join(value.split())
    return value if len(value) >= 3 else ""


def identifiers_of(*, name: str = "", alias: str = "", handle: str = "", phone: str = "",
                   email: str = "") -> set[tuple[str, str]]:
    """The (kind, normalised value) pairs of one perpetrator. Names and aliases share a kind, so
    an alias in one report matches a name in another."""
    found = {
        (IdKind.NAME.value, normalise_name(name)),
        (IdKind.NAME.value, normalise_name(alias)),
        (IdKind.HANDLE.value, normalise_handle(handle)),
        (IdKind.PHONE.value, normalise_phone(phone)),
        (IdKind.EMAIL.value, normalise_email(email)),
    }
    return {(kind, value[:254]) for kind, value in found if value}
