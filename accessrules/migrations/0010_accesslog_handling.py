"""The access log's `operation` field is its row's handling (issue 18: one name per concept).

State only: the column keeps its name `operation` (db_column), so nothing touches the
partitioned table and its rows; no maintenance window.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accessrules", "0009_notifikationer")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField("accesslogentry", "operation", "handling"),
                migrations.AlterField(
                    model_name="accesslogentry",
                    name="handling",
                    field=models.CharField("handling", max_length=64, db_column="operation"),
                ),
            ],
        ),
    ]
