"""The evidence package for the police: one zip with a PDF summary of the case's reports, every
evidence file, and manifest.txt listing each file's SHA-256 — so the police can verify nothing
changed since upload. Internal notes are never included."""

from __future__ import annotations

import hashlib
import tempfile
import zipfile

from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Policy

from . import selectors
from .evidence import extension_for


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def build(case, user):
    """Returns (file object positioned at 0, file name). The zip is spooled to disk past 10 MB."""
    reports = selectors.case_reports(user, case)
    documents = list(selectors.visible_attachments(user).filter(case=case, confidential=False))
    files = []
    for report in reports:
        for attachment in report.attachments.all():
            if not attachment.confidential:
                files.append((report.reference, attachment))
    for document in documents:
        files.append((case.reference, document))
    now = timezone.now()
    entries = []
    for i, (owner, attachment) in enumerate(files, start=1):
        name = attachment.original_name
        if "." not in name:
            name += extension_for(attachment.mimetype)
        entries.append((f"evidence/{i:03d}-{owner}-{name}", attachment))
    html = render_to_string("incidents/pdf/evidence_summary.html", {
        "case": case, "reports": reports, "entries": entries, "now": now, "policy": Policy.current(),
        "made_by": user, "LANGUAGE_CODE": translation.get_language(),
    })
    summary = _pdf(html)
    out = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # returned open to the caller
    manifest = [f"{case.reference} — {now:%Y-%m-%d %H:%M %Z}", "SHA-256  size  file", ""]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.pdf", summary)
        manifest.append(f"{hashlib.sha256(summary).hexdigest()}  {len(summary)}  summary.pdf")
        for arcname, attachment in entries:
            digest = hashlib.sha256()
            with attachment.file.open("rb") as source, archive.open(arcname, "w", force_zip64=True) as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    digest.update(chunk)
                    target.write(chunk)
            status = "" if digest.hexdigest() == attachment.sha256 else "  CHANGED SINCE UPLOAD"
            manifest.append(f"{attachment.sha256}  {attachment.size}  {arcname}{status}")
        archive.writestr("manifest.txt", "\n".join(manifest) + "\n")
    out.seek(0)
    return out, f"{case.reference}-evidence-{now:%Y%m%d}.zip"
