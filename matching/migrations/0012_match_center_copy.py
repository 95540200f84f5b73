import django.db.models.deletion
from django.db import migrations, models


def install_center_copy(apps, schema_editor):
    """The center copy's triggers again, now with the match's own, then the copy for the rows
    already there (matching/center_copy.py)."""
    from matching import center_copy

    center_copy.install(schema_editor.connection)
    center_copy.refresh_all(schema_editor.connection)
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ANALYZE matching_match")


def uninstall_match_copy(apps, schema_editor):
    """Back below this: off with every copy trigger and, on SQLite, the recommendation triggers,
    which would stop SQLite rebuilding the table to drop the column; both come back at the end."""
    from matching import center_copy
    from matching.recommendations import upkeep

    center_copy.uninstall(schema_editor.connection)
    if schema_editor.connection.vendor == "sqlite":
        upkeep.uninstall(schema_editor.connection)


def restore_triggers(apps, schema_editor):
    """The state of 0011: the copy on consultations and outcomes, and on SQLite the recommendation
    triggers lifted for the rebuild."""
    from matching import center_copy
    from matching.recommendations import upkeep

    center_copy.install(schema_editor.connection)  # without the match's copy: the column is gone
    if schema_editor.connection.vendor == "sqlite":
        upkeep.install(schema_editor.connection)
        upkeep.refresh_all(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0006_name_indexes"),
        ("matching", "0011_center_copy"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_triggers),
        migrations.AddField(
            model_name="match",
            name="center",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="centers.center",
                verbose_name="center",
            ),
        ),
        migrations.RunPython(install_center_copy, uninstall_match_copy),
        migrations.AddIndex(
            model_name="match",
            index=models.Index(fields=["center", "created_at"], name="matching_match_center_created"),
        ),
    ]
