import django.db.models.deletion
from django.db import migrations, models


def install_center_copy(apps, schema_editor):
    """The triggers that copy a buyer's center onto its consultations and outcomes, as
    matching/center_copy.py writes them now, then the copy for the rows already there."""
    from matching import center_copy

    center_copy.install(schema_editor.connection)
    center_copy.refresh_all(schema_editor.connection)
    if schema_editor.connection.vendor == "postgresql":
        # Statistics of the new column, so the planner picks its index from the first request.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ANALYZE matching_consultation")
            cursor.execute("ANALYZE matching_outcome")


def uninstall_center_copy(apps, schema_editor):
    """Back below this: off with the copy; on SQLite, off with the recommendation triggers too,
    which would stop SQLite rebuilding the tables to drop the column (restored at the end)."""
    from matching import center_copy
    from matching.recommendations import upkeep

    center_copy.uninstall(schema_editor.connection)
    if schema_editor.connection.vendor == "sqlite":
        upkeep.uninstall(schema_editor.connection)


def restore_upkeep(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from matching.recommendations import upkeep

        upkeep.install(schema_editor.connection)
        upkeep.refresh_all(schema_editor.connection)


def center_field():
    return models.ForeignKey(
        db_index=False,
        editable=False,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="centers.center",
        verbose_name="center",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0006_name_indexes"),
        ("matching", "0010_shipment_inbound"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_upkeep),
        migrations.AddField(model_name="consultation", name="center", field=center_field()),
        migrations.AddField(model_name="outcome", name="center", field=center_field()),
        migrations.RunPython(install_center_copy, uninstall_center_copy),
        migrations.AddIndex(
            model_name="consultation",
            index=models.Index(fields=["center", "starts_at"], name="matching_consult_center_time"),
        ),
        migrations.AddIndex(
            model_name="outcome",
            index=models.Index(fields=["center", "signed_on"], name="matching_outcome_center_signed"),
        ),
    ]
