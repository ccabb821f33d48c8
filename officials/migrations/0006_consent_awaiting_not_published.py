# Issue 15: a consent publishes nothing until its signed document is recorded.
#
# Until now each row was one decision (given / withdrawn) and the latest per field was in force,
# so a consent given on the web without the signed document was published at once. Now each row
# is one consent with a status (`officials.models.CONSENT_WORKFLOW`). Per official and field, in
# the order recorded:
# - a "given" row with the signed document's reference is in force (the document recorded by
#   whoever recorded the row, when they did);
# - a "given" row without it awaits the document — NOT published;
# - a later "given" row replaces the consent open before it;
# - a "withdrawn" row closes the consent open before it (its date, who and when move onto that
#   consent) and is then removed: it is now part of that consent.

from django.db import migrations

OPEN = ("awaiting_document", "document_submitted", "in_force")


def forward(apps, schema_editor):
    Consent = apps.get_model("officials", "Consent")
    rows = Consent.objects.order_by("official_id", "field", "created_at", "id")
    open_row = None
    key = None
    withdrawals = []
    for row in rows.iterator(chunk_size=2000):
        if (row.official_id, row.field) != key:
            key, open_row = (row.official_id, row.field), None
        if row.given:
            if open_row is not None:
                open_row.status = "replaced"
                open_row.save(update_fields=["status"])
            if row.document_reference:
                row.status = "in_force"
                row.document_recorded_by_id = row.recorded_by_id
                row.document_recorded_at = row.created_at
                row.document_received_on = row.decided_on
            else:
                row.status = "awaiting_document"
            row.save(update_fields=["status", "document_recorded_by", "document_recorded_at",
                                    "document_received_on"])
            open_row = row
        else:
            if open_row is not None:
                open_row.status = "withdrawn"
                open_row.withdrawn_on = row.decided_on
                open_row.withdrawn_by_id = row.recorded_by_id
                open_row.withdrawn_at = row.created_at
                open_row.save(update_fields=["status", "withdrawn_on", "withdrawn_by", "withdrawn_at"])
                open_row = None
            withdrawals.append(row.pk)
    for start in range(0, len(withdrawals), 500):
        Consent.objects.filter(pk__in=withdrawals[start:start + 500]).delete()


def backward(apps, schema_editor):
    """Back to one row per decision: every consent a "given" row (an accepted upload keeps its file
    name as the reference, so that it stays published), and a "withdrawn" row for each withdrawal."""
    Consent = apps.get_model("officials", "Consent")
    withdrawals: list = []
    for row in Consent.objects.order_by("id").iterator(chunk_size=2000):
        changed = []
        if row.status == "in_force" and not row.document_reference:
            row.document_reference = (row.document_name or "uploaded")[:200]
            changed.append("document_reference")
        if not row.given:
            row.given = True
            changed.append("given")
        if changed:
            row.save(update_fields=changed)
        if row.status == "withdrawn":
            withdrawals.append((row.withdrawn_at or row.created_at, Consent(
                official_id=row.official_id, field=row.field, given=False,
                decided_on=row.withdrawn_on or row.decided_on, recorded_by_id=row.withdrawn_by_id,
                status="withdrawn", withdrawn_on=row.withdrawn_on)))
    for when, withdrawal in withdrawals:
        withdrawal.save()
        # In the old model the latest row is in force: the withdrawal keeps its own moment.
        Consent.objects.filter(pk=withdrawal.pk).update(created_at=when)


class Migration(migrations.Migration):

    dependencies = [
        ("officials", "0005_consent_workflow"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
