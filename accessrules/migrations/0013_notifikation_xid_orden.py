# The catch-up list's order (accessrules.notifikationer.selectors.haendelser_efter): each event
# records its transaction's id, set by a trigger on PostgreSQL (whatever Django inserts), so a
# list served below the oldest running transaction never gains an event before one it served.
# Events recorded before keep 0 (all committed long ago: in `nummer` order, first). SQLite
# records no events (notifications are off there) and gets no trigger.

from django.db import migrations, models

TRIGGER = """
CREATE FUNCTION accessrules_notifikation_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.xid := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END $$;
CREATE TRIGGER accessrules_notifikation_xid BEFORE INSERT ON accessrules_notifikation
    FOR EACH ROW EXECUTE FUNCTION accessrules_notifikation_xid();
"""
DROP = """
DROP TRIGGER IF EXISTS accessrules_notifikation_xid ON accessrules_notifikation;
DROP FUNCTION IF EXISTS accessrules_notifikation_xid();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("accessrules", "0012_abonnement_hemmelighed_krypteret"),
    ]

    operations = [
        migrations.AddField(
            model_name="notifikation",
            name="xid",
            field=models.BigIntegerField(default=0, editable=False, verbose_name="transaktion"),
        ),
        migrations.AddIndex(
            model_name="notifikation",
            index=models.Index(fields=["xid", "nummer"], name="notifikation_i_orden"),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
