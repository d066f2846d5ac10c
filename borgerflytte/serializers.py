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
        ]

    @extend_schema_field(BekraeftelseSerializer(allow_null=True))
    def get_fraflytningsbekraeftelse(self, flow) -> dict | None:
        return _stamp(flow, "fraflytning")

    @extend_schema_field(BekraeftelseSerializer(allow_null=True))
    def get_tilflytningsbekraeftelse(self, flow) -> dict | None:
        return _stamp(flow, "tilflytning")
