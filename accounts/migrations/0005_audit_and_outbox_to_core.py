"""The audit trail and the outbox now belong to core (same tables: nothing changes in the database)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_auditevent_append_only_trigger"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name="AuditEvent"),
            migrations.DeleteModel(name="OutboxMessage"),
        ]),
    ]
