from django.db import migrations


def install(apps, schema_editor):
    """The stamp the dashboard caches a year's figures under (matching/figures_stamp.py)."""
    from matching import figures_stamp

    figures_stamp.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from matching import figures_stamp

    figures_stamp.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0005_recommendation_indexes"),
        ("matching", "0006_recommendations"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
