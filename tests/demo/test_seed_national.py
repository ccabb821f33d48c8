"""`seed_demo --scale national` (issue 10) at a tiny fraction: the counts follow the fraction,
the data keeps the rules the services keep, and a second run adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Q

from core.models import AuditEvent
from demo.national import COUNTS
from incidents.models import Case, Report, ReportKind
from measures.models import Assessment, Measure
from officials.models import Official
from surveys.models import Answer, Invitation, Response, Round
from training.models import Completion

pytestmark = pytest.mark.django_db

FRACTION = 0.0005


def _seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "officials": Official.objects.count(), "reports": Report.objects.count(),
        "kinds": ReportKind.objects.count(), "cases": Case.objects.count(), "measures": Measure.objects.count(),
        "assessments": Assessment.objects.count(), "audit": AuditEvent.objects.filter(kind="read").count(),
        "survey_answers": Answer.objects.count(), "completions": Completion.objects.count(),
    }


def _expected(name: str) -> int:
    return max(1, round(COUNTS[name] * FRACTION))


def test_national_scale_is_proportional_consistent_and_idempotent():
    _seed()
    demo = _counts()

    output = _seed(scale="national", fraction=FRACTION)
    assert "Total:" in output
    built = _counts()
    added = {name: built[name] - demo[name] for name in built}
    for name in ("officials", "reports", "cases", "measures", "audit"):
        assert added[name] == _expected(name), name
    assert added["survey_answers"] >= _expected("survey_answers") * 0.9
    assert added["kinds"] >= added["reports"]
    assert added["completions"] > 0

    # Reports and cases: every report in a case has it; every case holds its opening report,
    # about the case's official; a joined report was filed while its case was open.
    assert set(Report.objects.values_list("status", flat=True)) >= {"new", "triaged", "in_case"}
    assert not Report.objects.filter(status="in_case", case__isnull=True).exists()
    assert not Report.objects.filter(~Q(status="in_case"), case__isnull=False).exists()
    assert not Report.objects.annotate(n=Count("affected_officials")).filter(n=0).exists()
    for case in Case.objects.prefetch_related("reports__affected_officials"):
        reports = list(case.reports.all())
        assert reports
        assert any(case.official in r.affected_officials.all() for r in reports)
        if case.closed_at:
            assert all(r.filed_at <= case.closed_at for r in reports)
    assert Case.objects.filter(status="closed").exists()

    # Measures: four eyes, a decision on every decided measure, proposals only in open cases.
    assert not Measure.objects.filter(decided_by=F("proposed_by")).exists()
    assert not Measure.objects.filter(status__in=["approved", "rejected", "in_place", "ended"],
                                      decided_by__isnull=True).exists()
    assert not Measure.objects.filter(status="proposed", case__status="closed").exists()

    # Surveys: as many answered invitations as anonymous responses in every round.
    for round_ in Round.objects.all():
        assert Response.objects.filter(round=round_).count() == Invitation.objects.filter(
            round=round_, answered=True).count()
    # … and the sealed rounds' stored tallies count the answers written in bulk.
    from surveys.selectors import rounds_to_tally

    assert not rounds_to_tally()

    # Again: nothing added; the plain demo scale still works on top.
    again = _seed(scale="national", fraction=FRACTION)
    assert "already" in again
    assert _counts() == built
    _seed()
    assert _counts() == built


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for databases other than PostgreSQL")
def test_full_national_scale_is_refused_outside_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL"):
        _seed(scale="national")
    assert not Official.objects.exists()


def test_fraction_must_be_between_zero_and_one():
    with pytest.raises(CommandError, match="fraction"):
        _seed(scale="national", fraction=0)
