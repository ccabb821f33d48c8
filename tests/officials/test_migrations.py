"""The data migration of issue 15: consents "published without document" become "awaiting
document" (not published); the old decision rows become one consent each, with its history."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("officials", "0004_assignment_covering_index")]
AFTER = [("officials", "0007_consent_one_open_per_field")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_consents_without_the_signed_document_stop_being_published():
    old = _migrate(BEFORE)
    try:
        Party = old.get_model("officials", "Party")
        Official = old.get_model("officials", "Official")
        Consent = old.get_model("officials", "Consent")
        party = Party.objects.create(name="Partiet", abbreviation="P")
        person = Official.objects.create(first_name="Ada", last_name="Berg", party=party)

        def decide(field, given, day, reference=""):
            return Consent.objects.create(official=person, field=field, given=given, decided_on=dt.date(2026, 1, day),
                                          document_reference=reference).pk

        web_only = decide("private_phone", True, 1)  # ticked on the web: was published at once
        signed = decide("private_email", True, 2, "KS 1")
        withdrawn = decide("home_address", True, 3, "KS 2")
        withdrawal = decide("home_address", False, 4)
        first = decide("private_social", True, 5)
        second = decide("private_social", True, 6, "KS 3")  # the unit added the document later

        new = _migrate(AFTER)
        Consent = new.get_model("officials", "Consent")
        status = dict(Consent.objects.values_list("pk", "status"))
        assert status == {web_only: "awaiting_document", signed: "in_force", withdrawn: "withdrawn",
                          first: "replaced", second: "in_force"}
        assert withdrawal not in status  # the withdrawal is now part of the consent it ended
        ended = Consent.objects.get(pk=withdrawn)
        assert ended.withdrawn_on == dt.date(2026, 1, 4) and ended.withdrawn_at is not None
        in_force = Consent.objects.get(pk=signed)
        assert in_force.document_recorded_at is not None and in_force.document_received_on == dt.date(2026, 1, 2)
        published = set(Consent.objects.filter(status="in_force").values_list("field", flat=True))
        assert published == {"private_email", "private_social"}

        # And back: one row per decision again, the latest per field deciding.
        back = _migrate(BEFORE)
        Consent = back.get_model("officials", "Consent")
        latest = {}
        for row in Consent.objects.order_by("created_at", "id"):
            latest[row.field] = row.given
        assert latest == {"private_phone": True, "private_email": True, "home_address": False,
                          "private_social": True}
    finally:
        # Every app back to its latest migration (going back unapplied the ones that depend on
        # officials, e.g. training's): later tests on this database need the whole schema.
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())
