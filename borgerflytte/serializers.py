from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accessrules.api.serializers import StrictSerializer
from borgerflytte.models import Borgerflytning


class BekraeftelseRequestSerializer(StrictSerializer):
    """CreateFraflytningsbekraeftelseRequestDto / CreateTilflytningsbekraeftelseRequestDto."""

    borgerflytningId = serializers.UUIDField(help_text="Identificering af flytteflowet")


class BekraeftelseSerializer(serializers.Serializer):
    """A confirmation stamp: when and for which organisation (TYPE:CODE)."""

    tidspunkt = serializers.DateTimeField()
    organisation = serializers.CharField(allow_null=True)


class BorgerflytningSerializer(serializers.ModelSerializer):
    """One flow in the list. Never the CPR."""

    borgerflytningId = serializers.UUIDField(source="id")
    fraflytningskommunekode = serializers.CharField(source="fraflytningskommune.kode")
    tilflytningskommunekode = serializers.CharField(source="tilflytningskommune.kode")
    fraflytningsbekraeftelse = serializers.SerializerMethodField()
    tilflytningsbekraeftelse = serializers.SerializerMethodField()

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
        ]

    def _stamp(self, flow, side: str):
        tidspunkt = getattr(flow, f"{side}_tidspunkt")
        if tidspunkt is None:
            return None
        organisation = getattr(flow, f"{side}_organisation")
        return BekraeftelseSerializer(
            {
                "tidspunkt": tidspunkt,
                "organisation": organisation.reference if organisation else None,
            }
        ).data

    @extend_schema_field(BekraeftelseSerializer(allow_null=True))
    def get_fraflytningsbekraeftelse(self, flow):
        return self._stamp(flow, "fraflytning")

    @extend_schema_field(BekraeftelseSerializer(allow_null=True))
    def get_tilflytningsbekraeftelse(self, flow):
        return self._stamp(flow, "tilflytning")
