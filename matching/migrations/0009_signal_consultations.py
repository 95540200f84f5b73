from django.db import migrations, models


def uninstall_upkeep(apps, schema_editor):
    """Off while the table changes: SQLite rebuilds a table to add a column, and triggers of other
    tables that write to it would stop the rebuild ("no such table: main.matching_buyersignal")."""
    from matching.recommendations import upkeep

    upkeep.uninstall(schema_editor.connection)


def install_upkeep(apps, schema_editor):
    """The triggers that keep BuyerSignal and BuyerHeadingHistory current, as
    matching/recommendations/upkeep.py writes them now, then both tables for the data already there.

    Migrating back below this leaves no triggers: the SQL before it is gone, and the recommendation
    tables go stale until this runs again."""
    from matching.recommendations import upkeep

    upkeep.install(schema_editor.connection)
    upkeep.refresh_all(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0006_name_indexes"),
        ("matching", "0008_name_indexes"),
    ]

    operations = [
        migrations.RunPython(uninstall_upkeep, migrations.RunPython.noop),
        migrations.AddField(
            model_name="buyersignal",
            name="consultations",
            field=models.PositiveIntegerField(default=0, verbose_name="consultations"),
        ),
        migrations.AddIndex(
            model_name="buyersignal",
            index=models.Index(
                fields=["center_id"], include=("open_matches", "consultations"), name="matching_signal_center"
            ),
        ),
        migrations.RunPython(install_upkeep, uninstall_upkeep),
    ]
