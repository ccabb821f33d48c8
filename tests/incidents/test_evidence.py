import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from incidents.evidence import check_upload, clean_name
from incidents.models import Attachment, Report

from .conftest import ELF, EML, JPEG, MP3, PDF, PE, PNG, SVG, TEXT, upload

pytestmark = pytest.mark.django_db
LIMIT = 25 * 1024 * 1024


@pytest.mark.parametrize(("name", "content", "mimetype"), [
    ("skärmdump.png", PNG, "image/png"),
    ("foto.jpg", JPEG, "image/jpeg"),
    ("brev.pdf", PDF, "application/pdf"),
    ("samtal.mp3", MP3, "audio/mpeg"),
    ("hot.eml", EML, "message/rfc822"),
    ("kommentar.txt", TEXT, "text/plain"),
    ("latin1.txt", "Hälsning från Sigtuna".encode("latin-1"), "text/plain"),
    ("no-extension", PNG, "image/png"),
    ("misnamed.jpg", PNG, "image/png"),  # the content decides
])
def test_accepted_types(name, content, mimetype):
    checked = check_upload(upload(name, content), limit=LIMIT)
    assert checked.mimetype == mimetype
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.size == len(content)


@pytest.mark.parametrize(("name", "content", "code"), [
    ("bild.png", ELF, "executable"),
    ("bild.png", PE, "executable"),
    ("script.png", b"#!/bin/sh\nrm -rf /\n", "executable"),
    ("bild.svg", SVG, "svg"),
    ("bild.txt", SVG, "markup"),
    ("sida.png", b"<!DOCTYPE html><html><script>x</script></html>", "markup"),
    ("arkiv.png", b"PK\x03\x04" + b"\x00" * 60, "type"),
    ("tom.png", b"", "empty"),
])
def test_refused_types(name, content, code):
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(name, content), limit=LIMIT)
    assert exc.value.code == code
    assert name in exc.value.messages[0]


def test_too_large_is_refused_with_the_limit_in_the_message():
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("stor.png", PNG + b"\x00" * 2048), limit=1024 * 1024 // 1024)
    assert exc.value.code == "too_large"


def test_policy_limit_applies(policy):
    policy.evidence_max_mb = 1
    policy.save()
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("stor.png", PNG + b"\x00" * (1024 * 1024)))
    assert "1 MB" in exc.value.messages[0]


def test_clean_name_strips_paths_and_control_characters():
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("C:\\Users\\a\\bild.png") == "bild.png"
    assert clean_name("a\x00b\n.png") == "ab.png"
    assert clean_name(".htaccess") == "htaccess"
    assert len(clean_name("x" * 300 + ".png")) == 200


# ---------------------------------------------------------------- through the report form

def _form_data(**extra):
    data = {
        "kinds": ["threat"], "occurred_at": "2026-11-01T10:00", "severity": "incident", "channel": "social",
        "place": "Facebook", "description": "Han skrev att han vet var jag bor.", "linked_to_assignment": "yes",
        "hate_crime_motive": "none", "perp-TOTAL_FORMS": "2", "perp-INITIAL_FORMS": "0",
        "perp-MIN_NUM_FORMS": "0", "perp-MAX_NUM_FORMS": "5", "perp-0-known": "0",
        "perp-0-handle": "@argmedborgare", "perp-1-known": "0",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(("name", "content", "words"), [
    ("skärmdump.png", ELF, "program"),
    ("virus.png", PE, "program"),
    ("bild.svg", SVG, "SVG"),
])
def test_form_refuses_bad_evidence_and_keeps_everything_else(client_for, official, name, content, words):
    client = client_for(official)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("incidents:report-create"), _form_data(attachments=upload(name, content)))
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html and name in html
    assert "Nothing else you wrote has been lost" in html
    assert "Han skrev att han vet var jag bor." in html  # the description is kept
    assert 'value="@argmedborgare"' in html and 'value="Facebook"' in html
    assert re.search(r'<input[^>]*value="threat"[^>]*checked', html)  # the kinds are kept
    assert 'aria-describedby="id_attachments_helptext id_attachments_error"' in html
    assert not Report.objects.exists() and not Attachment.objects.exists()


def test_form_refuses_a_file_over_the_policy_limit(client_for, official, policy):
    policy.evidence_max_mb = 1
    policy.save()
    client = client_for(official)
    client.cookies["django_language"] = "en"
    big = upload("stor.png", PNG + b"\x00" * (1024 * 1024 + 10))
    response = client.post(reverse("incidents:report-create"), _form_data(attachments=big))
    assert response.status_code == 400
    html = response.content.decode()
    assert "larger than 1 MB" in html
    assert "Han skrev att han vet var jag bor." in html
    assert not Report.objects.exists()


def test_form_accepts_good_evidence(client_for, official):
    client = client_for(official)
    response = client.post(reverse("incidents:report-create"),
                           _form_data(attachments=[upload("a.png", PNG), upload("b.pdf", PDF)]))
    assert response.status_code == 302
    report = Report.objects.get()
    assert sorted(report.attachments.values_list("mimetype", flat=True)) == ["application/pdf", "image/png"]
