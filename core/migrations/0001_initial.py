"""The audit trail and the outbox move from accounts to core, keeping their tables."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("accounts", "0004_auditevent_append_only_trigger"),
    ]

    # The tables exist (created by accounts); only the models' home moves here.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxMessage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                db_index=True, default=django.utils.timezone.now, verbose_name="created"
                            ),
                        ),
                        ("to", models.EmailField(max_length=254, verbose_name="to")),
                        ("subject", models.CharField(max_length=200, verbose_name="subject")),
                        ("body", models.TextField(verbose_name="body")),
                        (
                            "attachment_name",
                            models.CharField(blank=True, max_length=100, verbose_name="attachment name"),
                        ),
                        (
                            "attachment_mimetype",
                            models.CharField(blank=True, max_length=100, verbose_name="attachment type"),
                        ),
                        ("attachment_content", models.TextField(blank=True, verbose_name="attachment")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                        ("last_error", models.CharField(blank=True, max_length=200, verbose_name="last error")),
                    ],
                    options={
                        "verbose_name": "outgoing e-mail",
                        "verbose_name_plural": "outgoing e-mails",
                        "db_table": "accounts_outboxmessage",
                        "indexes": [models.Index(fields=["sent_at", "created_at"], name="outbox_unsent_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="when"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("change", "Change"),
                                    ("read", "Read"),
                                    ("login", "Login"),
                                    ("export", "Export"),
                                ],
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        ("action", models.CharField(max_length=64, verbose_name="action")),
                        ("object_type", models.CharField(blank=True, max_length=64, verbose_name="object type")),
                        ("object_id", models.CharField(blank=True, max_length=64, verbose_name="object id")),
                        ("case_id", models.BigIntegerField(blank=True, null=True, verbose_name="case")),
                        ("official_id", models.BigIntegerField(blank=True, null=True, verbose_name="official")),
                        ("from_state", models.CharField(blank=True, max_length=64, verbose_name="from")),
                        ("to_state", models.CharField(blank=True, max_length=64, verbose_name="to")),
                        ("reason", models.TextField(blank=True, verbose_name="why")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="who",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "audit event",
                        "verbose_name_plural": "audit events",
                        "db_table": "accounts_auditevent",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(fields=["object_type", "object_id"], name="accounts_au_object__95e488_idx"),
                            models.Index(fields=["case_id", "-created_at"], name="accounts_au_case_id_c9b9a6_idx"),
                            models.Index(fields=["official_id", "-created_at"], name="accounts_au_officia_b46c74_idx"),
                            models.Index(fields=["actor", "-created_at"], name="accounts_au_actor_i_734545_idx"),
                        ],
                    },
                ),
            ]
        )
    ]
