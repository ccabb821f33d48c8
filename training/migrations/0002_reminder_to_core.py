"""Reminders now belong to core (same table: nothing changes in the database)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("training", "0001_initial"),
        ("core", "0002_reminder"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name="Reminder"),
        ]),
    ]
