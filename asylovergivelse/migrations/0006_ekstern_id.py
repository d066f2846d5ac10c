import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    """A UUID of its own for every stored transition; its history rows get the same."""
    Asylovergivelse = apps.get_model("asylovergivelse", "Asylovergivelse")
    Historical = apps.get_model("asylovergivelse", "HistoricalAsylovergivelse")
    for instance in Asylovergivelse.objects.only("pk").iterator():
        instance.ekstern_id = uuid.uuid4()
        instance.save(update_fields=["ekstern_id"])
        Historical.objects.filter(id=instance.pk).update(ekstern_id=instance.ekstern_id)


class Migration(migrations.Migration):
    dependencies = [("asylovergivelse", "0005_merge_20261202_0643")]

    operations = [
        migrations.AddField(
            model_name="asylovergivelse",
            name="ekstern_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="id"),
        ),
        migrations.AddField(
            model_name="historicalasylovergivelse",
            name="ekstern_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="id"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="asylovergivelse",
            name="ekstern_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="id"),
        ),
        migrations.AlterField(
            model_name="historicalasylovergivelse",
            name="ekstern_id",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False, verbose_name="id"),
        ),
    ]
