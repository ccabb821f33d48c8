"""The starting checklist template (see riskanalyses.defaults)."""

from django.db import migrations


def add_items(apps, schema_editor):
    from riskanalyses.defaults import ensure_default_template

    ensure_default_template(apps.get_model("riskanalyses", "ChecklistTemplateItem"))


class Migration(migrations.Migration):
    dependencies = [("riskanalyses", "0001_initial")]

    operations = [migrations.RunPython(add_items, migrations.RunPython.noop)]
