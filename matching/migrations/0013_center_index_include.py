from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0006_name_indexes"),
        ("matching", "0012_match_center_copy"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="consultation",
            name="matching_consult_center_time",
        ),
        migrations.RemoveIndex(
            model_name="match",
            name="matching_match_center_created",
        ),
        migrations.AddIndex(
            model_name="consultation",
            index=models.Index(
                fields=["center", "starts_at"],
                include=("status", "consulted_amount_usd", "expected_contract_usd"),
                name="matching_consult_center_time",
            ),
        ),
        migrations.AddIndex(
            model_name="match",
            index=models.Index(
                fields=["center", "created_at"], include=("company",), name="matching_match_center_created"
            ),
        ),
    ]
