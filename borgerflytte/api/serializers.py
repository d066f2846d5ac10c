from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accessrules.api.schema import ProblemErrorSerializer
from accessrules.api.serializers import StrictSerializer
from accessrules.core.cpr import CPR_PATTERN
from borgerflytte import haendelser
from borgerflytte.models import Borgerflytning


class BekraeftelseRequestSerializer(StrictSerializer):
    """CreateFraflytningsbekraeftelseRequestDto / CreateTilflytningsbekraeftelseRequestDto."""

    borgerflytningId = serializers.UUIDField(help_text="Identificering af flytteflowet")


class BekraeftelseSerializer(serializers.Serializer):
    """A confirmation stamp: when and for which organisation (TYPE:CODE)."""

    # Nested in a flow with `source="*"` and the flow's side: null while that side has not
    # confirmed. Built once per page (a serializer per stamp cost most of the list: bench).

    tidspunkt = serializers.DateTimeField(help_text="Hvornår siden blev bekræftet")
    organisation = serializers.CharField(
        allow_null=True,
        help_text="Den organisation der bekræftede, som TYPE:KODE (fx `7:147`); null hvis "
        "bekræftelsen ikke kom fra en organisation",
    )

    def __init__(self, side: str = "", **kwargs):
        self.side = side
        super().__init__(**kwargs)

    def to_representation(self, flow):
        tidspunkt = getattr(flow, f"{self.side}_tidspunkt")
        if tidspunkt is None:
            return None
        organisation = getattr(flow, f"{self.side}_organisation")
        reference = organisation.reference if organisation else None
        return super().to_representation({"tidspunkt": tidspunkt, "organisation": reference})


class BorgerflytningSerializer(serializers.ModelSerializer):
    """One flow in the list. Never the CPR."""

    borgerflytningId = serializers.UUIDField(
        source="id", help_text="Identificering af flytteflowet"
    )
    fraflytningskommunekode = serializers.CharField(
        source="fraflytningskommune.kode", help_text="Fraflytningskommunens kode (A)"
    )
    tilflytningskommunekode = serializers.CharField(
        source="tilflytningskommune.kode", help_text="Tilflytningskommunens kode (B)"
    )
    fraflytningsbekraeftelse = BekraeftelseSerializer(
        "fraflytning",
        source="*",
        allow_null=True,
        read_only=True,
        help_text="Fraflytningens bekræftelse, eller null",
    )
    tilflytningsbekraeftelse = BekraeftelseSerializer(
        "tilflytning",
        source="*",
        allow_null=True,
        read_only=True,
        help_text="Tilflytningens bekræftelse, eller null",
    )

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
        extra_kwargs = {
            "tilstand": {"help_text": "AFVENTER, AFSLUTTET (begge sider bekræftet), ANNULLERET"},
            "flyttedato": {"help_text": "Flyttedatoen fra CPR"},
            "oprettet": {
                "help_text": "Hvornår flytteflowet blev oprettet i servicen (til polling: "
                "`oprettetFra`)"
            },
        }


# --- POST /v1/CprHaendelser (SPEC 5a) -------------------------------------------------------


class HaendelseSerializer(StrictSerializer):
    """One CPR event, as documented; the shape is checked by `borgerflytte.haendelser`."""

    haendelseId = serializers.CharField(
        min_length=1, max_length=64, help_text="Hændelsens id, unikt for altid"
    )
    type = serializers.ChoiceField(
        choices=list(haendelser.TYPES),
        help_text="flytning, indrejse (første adresse i Danmark) eller doedsfald",
    )
    cpr = serializers.RegexField(f"^(?:{CPR_PATTERN})$", help_text="Borgers personnummer")
    fraKommunekode = serializers.RegexField(
        "^[0-9]{1,4}$",
        required=False,
        help_text="flytning: den gamle kommunes kode, 1-4 cifre (informativ)",
    )
    tilKommunekode = serializers.RegexField(
        "^[0-9]{1,4}$",
        required=False,
        help_text="flytning, indrejse: den nye kommunes kode, 1-4 cifre (`0101` er kommune 101)",
    )
    flyttedato = serializers.DateField(
        required=False, help_text="flytning: flyttedatoen, `YYYY-MM-DD` (op til fire uger frem)"
    )
    dato = serializers.DateField(
        required=False, help_text="indrejse: datoen for første adresse, `YYYY-MM-DD`"
    )
    kontaktgruppe = serializers.CharField(
        required=False, max_length=50, help_text="indrejse (valgfri): borgerens kontaktgruppe"
    )
    doedsdato = serializers.DateField(
        required=False, help_text="doedsfald: dødsdatoen, `YYYY-MM-DD`"
    )


@extend_schema_field(HaendelseSerializer(many=True))
class _HaendelserField(serializers.ListField):
    pass


class CprHaendelserSerializer(StrictSerializer):
    """`{"haendelser": [EVENT, ...]}`, 1-1000 events. Any violation refuses the whole batch
    (400 1014, each field named: `haendelser[3].flyttedato`)."""

    haendelser = _HaendelserField(
        child=serializers.JSONField(),
        min_length=1,
        max_length=1000,
        help_text="1-1000 hændelser, anvendt i den sendte rækkefølge",
    )

    def to_internal_value(self, data):
        violations = haendelser.valider_batch(data)
        if violations:
            raise serializers.ValidationError(
                {v.field or "non_field_errors": [f"{v.code}"] for v in violations}
            )
        return {"haendelser": data["haendelser"]}


class ResultatSerializer(serializers.Serializer):
    haendelseId = serializers.CharField(help_text="Hændelsens id, som sendt")
    status = serializers.ChoiceField(
        choices=["behandlet", "allerede behandlet", "afvist"],
        help_text="behandlet; allerede behandlet (intet ændres); afvist (se errors)",
    )
    borgerflytningId = serializers.UUIDField(
        allow_null=True, help_text="Det flytteflow hændelsen åbnede, ellers null"
    )
    errors = ProblemErrorSerializer(many=True, help_text="En afvisnings fejl; ellers tom")


class CprHaendelserSvarSerializer(serializers.Serializer):
    resultater = ResultatSerializer(many=True, help_text="Et resultat pr. hændelse, i rækkefølge")


class BorgerflytningMedCprSerializer(BorgerflytningSerializer):
    """One flow, as in the list, with the citizen it concerns (SPEC 9)."""

    civilRegistrationIdentifier = serializers.CharField(
        source="borger.cpr", help_text="Borgers personnummer"
    )

    class Meta(BorgerflytningSerializer.Meta):
        fields = [*BorgerflytningSerializer.Meta.fields, "civilRegistrationIdentifier"]
