"""fraflytningskommune / tilflytningskommune: from a kommune code to a foreign key to the
kommune organisation (step 1 of 2: add the keys and fill them from the codes)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

KOMMUNE = 7
SIDES = ("fraflytningskommune", "tilflytningskommune")


def _kommune_id(code_field: str, Organisation) -> Subquery:
    kommuner = Organisation.objects.filter(type=KOMMUNE, kode=OuterRef(code_field))
    return Subquery(kommuner.values("pk")[:1])


def codes_to_keys(apps, schema_editor):
    Organisation = apps.get_model("accessrules", "Organisation")
    Flow = apps.get_model("borgerflytte", "Borgerflytning")
    History = apps.get_model("borgerflytte", "HistoricalBorgerflytning")
    for model in (Flow, History):
        model.objects.update(
            **{f"{side}_id": _kommune_id(f"{side}_kode", Organisation) for side in SIDES}
        )
    unknown = Flow.objects.filter(
        models.Q(fraflytningskommune__isnull=True) | models.Q(tilflytningskommune__isnull=True)
    ).values_list("pk", "fraflytningskommune_kode", "tilflytningskommune_kode")[:10]
    if unknown:
        raise RuntimeError(
            f"Borgerflytninger naming a kommune code with no kommune organisation: {list(unknown)}"
            " -- create the kommuner (import_register organisationer) and migrate again."
        )


def keys_to_codes(apps, schema_editor):
    Organisation = apps.get_model("accessrules", "Organisation")
    for name in ("Borgerflytning", "HistoricalBorgerflytning"):
        model = apps.get_model("borgerflytte", name)
        model.objects.update(
            **{
                f"{side}_kode": Subquery(
                    Organisation.objects.filter(pk=OuterRef(f"{side}_id")).values("kode")[:1]
                )
                for side in SIDES
            }
        )


def _fk(related_name: str, history: bool) -> models.ForeignKey:
    if history:
        return models.ForeignKey(
            blank=True,
            null=True,
            db_constraint=False,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to="accessrules.organisation",
        )
    return models.ForeignKey(
        null=True,
        db_index=False,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to="accessrules.organisation",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accessrules", "0002_apiclient_scopes"),
        ("borgerflytte", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint("borgerflytning", "borgerflytning_between_two_kommuner"),
        migrations.RemoveIndex("borgerflytning", "borgerflytt_fraflyt_628944_idx"),
        migrations.RemoveIndex("borgerflytning", "borgerflytt_tilflyt_e848eb_idx"),
        *[
            migrations.RenameField(model, side, f"{side}_kode")
            for model in ("borgerflytning", "historicalborgerflytning")
            for side in SIDES
        ],
        *[  # nullable while both exist (and when migrating back: filled by keys_to_codes)
            migrations.AlterField(model, f"{side}_kode", models.CharField(max_length=20, null=True))
            for model in ("borgerflytning", "historicalborgerflytning")
            for side in SIDES
        ],
        *[
            migrations.AddField(model, side, _fk(side.replace("skommune", "er"), history))
            for model, history in (("borgerflytning", False), ("historicalborgerflytning", True))
            for side in SIDES
        ],
        migrations.RunPython(codes_to_keys, keys_to_codes),
    ]
