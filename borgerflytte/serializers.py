from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accessrules.api.schema import ProblemErrorSerializer
from accessrules.api.serializers import StrictSerializer
from accessrules.cpr import CPR_PATTERN
from borgerflytte import haendelser
from borgerflytte.models import Borgerflytning


class BekraeftelseRequestSerializer(StrictSerializer):
    """CreateFraflytningsbekraeftelseRequestDto / CreateTilflytningsbekraeftelseRequestDto."""

    borgerflytningId = serializers.UUIDField(help_text="Identificering af flytteflowet")


class BekraeftelseSerializer(serializers.Serializer):
    """A confirmation stamp: when and for which organisation (TYPE:CODE)."""

    tidspunkt = serializers.DateTimeField()
    organisation = serializers.CharField(allow_null=True)


def _stamp(flow: Borgerflytning, side: str) -> dict | None:
    tidspunkt = getattr(flow, f"{side}_tidspunkt")
    if tidspunkt is None:
        return None
    organisation = getattr(flow, f"{side}_organisation")
    reference = organisation.reference if organisation else None
    return BekraeftelseSerializer({"tidspunkt": tidspunkt, "organisation": reference}).data


class BorgerflytningSerializer(serializers.ModelSerializer):
    """One flow in the list. Never the CPR."""

    borgerflytningId = serializers.UUIDField(source="id")
    fraflytningskommunekode = serializers.CharField(source="fraflytningskommune.kode")
    tilflytningskommunekode = serializers.CharField(source="tilflytningskommune.kode")
    fraflytningsbekraeftelse = serializers.SerializerMethodField()
    tilflytningsbekraeftelse = serializers.SerializerMethodField()

    # loaded with each flow (one query for the page)
    related = (
        "fraflytningskommune",
        "tilflytningskommune",
        "fraflytning_organisation",
        "tilflytning_organisation",
    )

    class Meta:
        model = Borgerflytning
        fields = [
            "borgerflytningId",
            "tilstand",
            "flyttedato",
            "fraflytningskommunekode",
            "tilflytningskommunekode",
            "fraflytningsbekraeftelse",
            "tilflytningsbekraeftelse",
            "oprettet",
        ]

    @extend_schema_field(BekraeftelseSerializer(allow_null=True))
    def get_fraflytningsbekraeftelse(self, flow) -> dict | None:
        return _stamp(flow, "fraflytning")

    @extend_schema_field(BekraeftelseSerializer(allow_null=True))
    def get_tilflytningsbekraeftelse(self, flow) -> dict | None:
        return _stamp(flow, "tilflytning")


# --- POST /v1/CprHaendelser (SPEC 5a) -------------------------------------------------------


class HaendelseSerializer(serializers.Serializer):
    """One CPR event, as documented; the shape is checked by `borgerflytte.haendelser`."""

    haendelseId = serializers.CharField(
        min_length=1, max_length=64, help_text="Hændelsens id, unikt for altid"
    )
    type = serializers.ChoiceField(choices=list(haendelser.TYPES))
    cpr = serializers.RegexField(f"^(?:{CPR_PATTERN})$", help_text="Borgerens personnummer")
    fraKommunekode = serializers.RegexField(
        "^[0-9]{1,4}$", required=False, help_text="flytning: den gamle kommune (informativ)"
    )
    tilKommunekode = serializers.RegexField(
        "^[0-9]{1,4}$", required=False, help_text="flytning, indrejse: den nye kommune"
    )
    flyttedato = serializers.DateField(required=False, help_text="flytning")
    dato = serializers.DateField(required=False, help_text="indrejse")
    kontaktgruppe = serializers.CharField(required=False, max_length=50, help_text="indrejse")
    doedsdato = serializers.DateField(required=False, help_text="doedsfald")


@extend_schema_field(HaendelseSerializer(many=True))
class _HaendelserField(serializers.ListField):
    pass


class CprHaendelserSerializer(StrictSerializer):
    """`{"haendelser": [EVENT, ...]}`, 1-1000 events. Any violation refuses the whole batch
    (400 1014, each field named: `haendelser[3].flyttedato`)."""

    haendelser = _HaendelserField(child=serializers.JSONField(), min_length=1, max_length=1000)

    def to_internal_value(self, data):
        violations = haendelser.valider_batch(data)
        if violations:
            raise serializers.ValidationError(
                {v.field or "non_field_errors": [f"{v.code}"] for v in violations}
            )
        return {"haendelser": data["haendelser"]}


class ResultatSerializer(serializers.Serializer):
    haendelseId = serializers.CharField()
    status = serializers.ChoiceField(choices=["behandlet", "allerede behandlet", "afvist"])
    borgerflytningId = serializers.UUIDField(allow_null=True)
    errors = ProblemErrorSerializer(many=True)


class CprHaendelserSvarSerializer(serializers.Serializer):
    resultater = ResultatSerializer(many=True)
