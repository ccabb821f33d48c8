"""Helpers for the incidents tests: an active policy, files of each kind, and a quick way to
file a report and open a case through the real services."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.services import policy_load
from incidents import services
from incidents.models import Kind
from officials.models import Official

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x0f" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 120
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EML = (b"From: Someone <anon@example.org>\r\nTo: anna@politik.example\r\nSubject: Du ska akta dig\r\n"
       b"Date: Mon, 2 Nov 2026 10:00:00 +0100\r\nMessage-ID: <x@example.org>\r\n\r\nText.\r\n")
TEXT = "Kommentar på Facebook: du borde försvinna.\n".encode()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def policy(db):
    """The Sigtuna profile, active, open around the clock by default so on-call e-mails depend
    only on urgency unless a test changes the hours."""
    policy = policy_load(actor=None, profile="sigtuna")
    policy.office_opens = dt.time(0, 0)
    policy.office_closes = dt.time(23, 59, 59)
    policy.save()
    return policy


def official_of(user) -> Official:
    return Official.objects.get(user=user)


def file_report(actor, about_user=None, *, officials=None, kinds=(Kind.HARASSMENT,), description="Hotfullt mejl.",
                perpetrators=(), files=(), **extra):
    if officials is None:
        officials = [official_of(about_user or actor)]
    return services.report_file(
        actor=actor, officials=officials, kinds=list(kinds), channel=extra.pop("channel", "email"),
        description=description, occurred_at=extra.pop("occurred_at", timezone.now() - dt.timedelta(hours=2)),
        perpetrators=list(perpetrators), files=list(files), **extra)


@pytest.fixture
def report(official):
    return file_report(official)


@pytest.fixture
def case(report, handler):
    return services.case_open_from_report(actor=handler, report=report)


@pytest.fixture
def other_report(other_official):
    return file_report(other_official)


@pytest.fixture
def other_case(other_report, handler):
    return services.case_open_from_report(actor=handler, report=other_report)
