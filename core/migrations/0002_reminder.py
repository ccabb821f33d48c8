"""Reminders move from training to core, keeping their table (`training_reminder`)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("core", "0001_initial"),
        ("training", "0001_initial"),
    ]

    # The table exists (created by training); only the model's home moves here.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Reminder",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("kind", models.CharField(max_length=64, verbose_name="kind")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("due_on", models.DateField(verbose_name="due")),
                        ("recipients_role", models.CharField(blank=True, max_length=32, verbose_name="for role")),
                        ("message", models.CharField(max_length=300, verbose_name="message")),
                        ("url", models.CharField(blank=True, max_length=300, verbose_name="link")),
                        (
                            "created_on",
                            models.DateField(default=django.utils.timezone.localdate, verbose_name="created on"),
                        ),
                        ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="done")),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="contenttypes.contenttype",
                            ),
                        ),
                        (
                            "done_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="done by",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminders",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="for",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "reminder",
                        "verbose_name_plural": "reminders",
                        "db_table": "training_reminder",
                        "ordering": ["due_on", "id"],
                        "indexes": [
                            models.Index(
                                fields=["recipients_role", "done_at", "due_on"], name="training_re_recipie_f4307a_idx"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("kind", "content_type", "object_id", "due_on"),
                                name="reminder_once_per_kind_object_due",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("recipients_role", ""), _negated=True),
                                    ("recipient__isnull", False),
                                    _connector="OR",
                                ),
                                name="reminder_has_recipient",
                            ),
                        ],
                    },
                ),
            ]
        )
    ]
