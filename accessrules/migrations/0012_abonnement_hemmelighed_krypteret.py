# Subscription secrets encrypted at rest (accessrules/models/krypteret.py): the columns widen
# for the Fernet tokens, and the secrets stored in clear until now are encrypted in place.

from django.db import migrations

import accessrules.models.krypteret
from accessrules.models.krypteret import TOKEN_PREFIX, dekrypter, krypter

COLUMNS = ("hemmelighed", "forrige_hemmelighed")


def _convert(schema_editor, change, wanted):
    """Each stored secret that is not yet `wanted` (encrypted or not) run through `change`;
    raw SQL, so the field's own conversion does not apply."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, hemmelighed, forrige_hemmelighed FROM accessrules_abonnement")
        for pk, *values in cursor.fetchall():
            new = [
                change(v) if v and v.startswith(TOKEN_PREFIX) != wanted else v for v in values
            ]
            if new != values:
                cursor.execute(
                    "UPDATE accessrules_abonnement SET hemmelighed = %s, "
                    "forrige_hemmelighed = %s WHERE id = %s",
                    [*new, pk],
                )


def encrypt(apps, schema_editor):
    _convert(schema_editor, krypter, wanted=True)


def decrypt(apps, schema_editor):
    _convert(schema_editor, dekrypter, wanted=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accessrules", "0011_borger_sorteringsnoegle"),
    ]

    operations = [
        migrations.AlterField(
            model_name="abonnement",
            name="forrige_hemmelighed",
            field=accessrules.models.krypteret.KrypteretTekst(
                blank=True, editable=False, max_length=300, verbose_name="forrige hemmelighed"
            ),
        ),
        migrations.AlterField(
            model_name="abonnement",
            name="hemmelighed",
            field=accessrules.models.krypteret.KrypteretTekst(
                editable=False, max_length=300, verbose_name="hemmelighed"
            ),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
