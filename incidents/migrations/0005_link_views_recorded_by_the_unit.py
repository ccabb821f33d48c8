from django.db import migrations, models


def unit_recorded_the_views_so_far(apps, schema_editor):
    """Before 0004 the security unit recorded every view: what it recorded is the municipality's view
    (who and when); the party's view waits for the party office itself. A migration of its own, so
    that PostgreSQL never alters the table with the update's foreign-key checks pending."""
    LinkAssessment = apps.get_model("incidents", "LinkAssessment")
    LinkAssessment.objects.filter(municipality_view_by__isnull=True).update(
        municipality_view_by=models.F("recorded_by"), municipality_view_at=models.F("recorded_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("incidents", "0004_joint_link_assessment_work_done_case_event"),
    ]

    operations = [
        migrations.RunPython(unit_recorded_the_views_so_far, migrations.RunPython.noop),
    ]
