"""Checks on uploaded evidence: the type is decided by the content, never by the name.

Accepted: images (PNG, JPEG, GIF, WebP, HEIC), PDF, audio (MP3, M4A, WAV, Ogg), e-mail
(message/rfc822, recognised by its headers) and plain text. Refused: everything else —
executables whatever they are called, SVG always (it can carry script), HTML, archives, and any
file larger than the policy's limit. The SHA-256 and the size are computed while streaming the
upload once, so memory use does not grow with the file.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What filetype reports → the type we store and serve.
ALLOWED_SNIFFED = {
    "image/png": "image/png",
    "image/jpeg": "image/jpeg",
    "image/gif": "image/gif",
    "image/webp": "image/webp",
    "image/heic": "image/heic",
    "image/heif": "image/heic",
    "application/pdf": "application/pdf",
    "audio/mpeg": "audio/mpeg",
    "audio/m4a": "audio/mp4",
    "audio/x-m4a": "audio/mp4",
    "audio/mp4": "audio/mp4",
    "audio/x-wav": "audio/wav",
    "audio/wav": "audio/wav",
    "audio/ogg": "audio/ogg",
    "audio/opus": "audio/ogg",
}

# File starts that are refused even when filetype does not know them.
_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",  # Linux ELF
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # scripts
)
_MARKUP = re.compile(rb"<\s*(svg|html|script|!doctype\s+html|iframe|object|embed)\b", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]")
_MAIL_HEADERS = {"from", "to", "subject", "date", "received", "message-id", "return-path", "mime-version"}
HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    mimetype: str
    size: int
    sha256: str


def clean_name(name: str) -> str:
    """The file's own name without any path, control characters or leading dots; at most 200
    characters, keeping the extension."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = base.strip().lstrip(".") or "file"
    if len(base) > 200:
        stem, ext = os.path.splitext(base)
        base = stem[: 200 - len(ext[:20])] + ext[:20]
    return base


def max_bytes() -> int:
    from accounts.models import Policy

    return int(Policy.current().evidence_max_mb) * 1024 * 1024


def check_upload(upload, *, limit: int | None = None) -> CheckedFile:
    """Decide whether an uploaded file may be kept; raise ValidationError with a message the
    person understands when not. Reads the file once, in chunks; leaves it rewound."""
    limit = max_bytes() if limit is None else limit
    name = clean_name(getattr(upload, "name", "") or "")
    limit_mb = limit // (1024 * 1024)
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise ValidationError(
            _("“%(name)s” is larger than %(mb)s MB, the largest file you can attach.") % {"name": name, "mb": limit_mb},
            code="too_large")
    if os.path.splitext(name)[1].lower() in {".svg", ".svgz"}:
        raise ValidationError(_("“%(name)s” is an SVG image. SVG files are not accepted because they can carry "
                                "scripts; attach a screenshot (PNG or JPEG) instead.") % {"name": name}, code="svg")

    digest = hashlib.sha256()
    size = 0
    head = b""
    has_nul = False
    upload.seek(0)
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            upload.seek(0)
            raise ValidationError(
                _("“%(name)s” is larger than %(mb)s MB, the largest file you can attach.")
                % {"name": name, "mb": limit_mb}, code="too_large")
        digest.update(chunk)
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        has_nul = has_nul or b"\x00" in chunk
    upload.seek(0)
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")

    mimetype = _decide_type(name, head, not has_nul and _texty(head))
    return CheckedFile(original_name=name, mimetype=mimetype, size=size, sha256=digest.hexdigest())


def _refuse_type(name: str, detected: str | None = None):
    if detected:
        return ValidationError(
            _("“%(name)s” is not a file type that can be attached (it is %(type)s). Attach images, PDF, audio, "
              "e-mail or plain text.") % {"name": name, "type": detected}, code="type")
    return ValidationError(
        _("“%(name)s” is not a file type that can be attached. Attach images, PDF, audio, e-mail or plain text.")
        % {"name": name}, code="type")


def _decide_type(name: str, head: bytes, is_text: bool) -> str:
    if head.startswith(_EXECUTABLE_MAGIC):
        raise ValidationError(
            _("“%(name)s” is a program, not a picture or document, whatever its name says. It was not attached.")
            % {"name": name}, code="executable")
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime in ALLOWED_SNIFFED:
            return ALLOWED_SNIFFED[kind.mime]
        if kind.mime in {"application/x-executable", "application/x-msdownload", "application/x-mach-binary",
                         "application/x-sharedlib", "application/vnd.microsoft.portable-executable"}:
            raise ValidationError(
                _("“%(name)s” is a program, not a picture or document, whatever its name says. It was not attached.")
                % {"name": name}, code="executable")
        raise _refuse_type(name, kind.mime)
    if not is_text:
        raise _refuse_type(name)
    text_head = head.lstrip(b"\xef\xbb\xbf")
    if _looks_like_email(text_head.decode("utf-8", "ignore")):
        return "message/rfc822"
    if _MARKUP.search(text_head):
        raise ValidationError(
            _("“%(name)s” contains web markup (SVG or HTML), which is not accepted because it can carry scripts. "
              "Attach a screenshot or save it as plain text.") % {"name": name}, code="markup")
    return "text/plain"


def _texty(head: bytes) -> bool:
    """Text in any common encoding (UTF-8, Latin-1, Windows-1252): hardly any control bytes."""
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(head) // 100


def _looks_like_email(text: str) -> bool:
    """An e-mail file starts with header lines, among them at least two well-known ones."""
    seen = set()
    for line in text.splitlines()[:60]:
        if not line.strip():
            break
        if line[:1] in {" ", "\t"}:  # folded header continues
            continue
        if not _HEADER_LINE.match(line):
            return False
        seen.add(line.split(":", 1)[0].lower())
    return len(seen & _MAIL_HEADERS) >= 2


def extension_for(mimetype: str) -> str:
    return {
        "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp", "image/heic": ".heic",
        "application/pdf": ".pdf", "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/wav": ".wav",
        "audio/ogg": ".ogg", "message/rfc822": ".eml", "text/plain": ".txt",
    }.get(mimetype, "")
