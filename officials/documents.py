"""Checks on a signed consent document the official uploads: the type is decided by the content,
never by the name, and the size by the policy's largest attachment.

A signed form comes as a scan or a photo: PDF, JPEG, PNG or HEIC (what phones take). Everything
else is refused — programs whatever they are called, SVG and HTML (they can carry script),
archives, text — as is an empty file or one larger than the limit. The SHA-256 and the size are
computed while reading the upload once, in chunks. (The same approach as `incidents.evidence`,
which this layer may not import; the accepted types here are narrower.)
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ACCEPTED = {
    "application/pdf": "application/pdf",
    "image/jpeg": "image/jpeg",
    "image/png": "image/png",
    "image/heic": "image/heic",
    "image/heif": "image/heic",
}
HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedDocument:
    original_name: str
    mimetype: str
    size: int
    sha256: str


def clean_name(name: str) -> str:
    """The file's own name without any path, control characters or leading dots; at most 200
    characters, keeping the extension."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = base.strip().lstrip(".") or "document"
    if len(base) > 200:
        stem, ext = os.path.splitext(base)
        base = stem[: 200 - len(ext[:20])] + ext[:20]
    return base


def max_bytes() -> int:
    from accounts.models import Policy

    return int(Policy.current().evidence_max_mb) * 1024 * 1024


def check_document(upload: Any, *, limit: int | None = None) -> CheckedDocument:
    """Decide whether an uploaded signed document may be kept; raise ValidationError with a
    message the official understands when not. Leaves the file rewound."""
    limit = max_bytes() if limit is None else limit
    name = clean_name(getattr(upload, "name", "") or "")
    too_large = ValidationError(
        _("“%(name)s” is larger than %(mb)s MB, the largest file you can send.")
        % {"name": name, "mb": limit // (1024 * 1024)}, code="too_large")
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise too_large
    digest = hashlib.sha256()
    size = 0
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            upload.seek(0)
            raise too_large
        digest.update(chunk)
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
    upload.seek(0)
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ACCEPTED:
        raise ValidationError(
            _("“%(name)s” is not a scan or photo of the signed form. Send a PDF, JPEG, PNG or HEIC file.")
            % {"name": name}, code="type")
    return CheckedDocument(original_name=name, mimetype=ACCEPTED[kind.mime], size=size, sha256=digest.hexdigest())
