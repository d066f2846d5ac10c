from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from accessrules.api.historik import HistorikpostSerializer
from accessrules.api.problems import error_entry
from accessrules.api.schema import ProblemErrorSerializer
from accessrules.api.serializers import StrictSerializer
from accessrules.core.cpr import CPR_PATTERN
from borgerflytte import rules
from borgerflytte.haendelser import validering
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
    """One flow in the list. Never the CPR. `context["caller"]` gives each item its
    `hindring` (the flows come from `selectors.synlige_flytninger`, annotated)."""

    @extend_schema_field(ProblemErrorSerializer(allow_null=True))
    def get_hindring(self, flow):
        caller = self.context.get("caller")
        if caller is None or not hasattr(flow, "bor_i_tilflytningskommune"):
            return None
        violation = rules.hindring(
            flow,
            caller,
            doed=flow.borger_doedsdato is not None,
            bor_i_tilflytningskommune=flow.bor_i_tilflytningskommune,
        )
        return error_entry(violation) if violation else None

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

    hindring = serializers.SerializerMethodField(
        help_text="Hvorfor du ikke kan bekræfte din side af flowet nu, med samme kode og "
        "`detail` som bekræftelsen ville svare (fx 6005: ingen bopæl i tilflytningskommunen i "
        "dag; 60007: borgeren er død); null når du kan, eller intet har at bekræfte"
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
            "hindring",
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


# Text no stored field can hold (a NUL; a lone surrogate is refused by the JSON parser) is 1014
NO_NUL = "^[^\\u0000]*$"


class _HaendelseSerializer(StrictSerializer):
    """What every CPR event has; one serializer per type below, so the document says which keys
    each type requires (a `oneOf` by `type`).

    The document only (docs/openapi.yaml): its limits are read from `validering`, which checks
    the shape, once, in CprHaendelserSerializer."""

    haendelseId = serializers.RegexField(
        NO_NUL,
        min_length=1,
        max_length=validering.ID_MAX_LENGTH,
        help_text="Hændelsens id, unikt for altid",
    )
    cpr = serializers.RegexField(f"^(?:{CPR_PATTERN})$", help_text="Borgers personnummer")


def _kommunekode(help_text: str):
    return serializers.RegexField(validering.KOMMUNEKODE_PATTERN, help_text=help_text)


class FlytningSerializer(_HaendelseSerializer):
    type = serializers.ChoiceField(choices=[validering.FLYTNING], help_text="flytning")
    fraKommunekode = _kommunekode("den gamle kommunes kode, 1-4 cifre (informativ)")
    tilKommunekode = _kommunekode("den nye kommunes kode, 1-4 cifre (`0101` er kommune 101)")
    flyttedato = serializers.DateField(
        help_text="flyttedatoen, `YYYY-MM-DD`: højst `CPR_FLYTNING_MAX_DAYS_AHEAD` dage frem "
        "(standard 28), ellers afvises hændelsen (1014)"
    )


class IndrejseSerializer(_HaendelseSerializer):
    type = serializers.ChoiceField(
        choices=[validering.INDREJSE], help_text="indrejse (første adresse i Danmark)"
    )
    tilKommunekode = _kommunekode("den nye kommunes kode, 1-4 cifre (`0101` er kommune 101)")
    dato = serializers.DateField(help_text="datoen for første adresse, `YYYY-MM-DD`")
    kontaktgruppe = serializers.RegexField(
        NO_NUL,
        required=False,
        min_length=1,
        max_length=validering.KONTAKTGRUPPE_MAX_LENGTH,
        help_text="borgerens kontaktgruppe",
    )


class DoedsfaldSerializer(_HaendelseSerializer):
    type = serializers.ChoiceField(choices=[validering.DOEDSFALD], help_text="doedsfald")
    doedsdato = serializers.DateField(help_text="dødsdatoen, `YYYY-MM-DD`")


HAENDELSE = PolymorphicProxySerializer(
    component_name="Haendelse",
    serializers={
        validering.FLYTNING: FlytningSerializer,
        validering.INDREJSE: IndrejseSerializer,
        validering.DOEDSFALD: DoedsfaldSerializer,
    },
    resource_type_field_name="type",
    many=True,
)


@extend_schema_field(HAENDELSE)
class _HaendelserField(serializers.ListField):
    pass


class CprHaendelserSerializer(StrictSerializer):
    """`{"haendelser": [EVENT, ...]}`, 1-1000 events. Any violation refuses the whole batch
    (400 1014, each field named: `haendelser[3].flyttedato`)."""

    # The one validation of the message: the events reach the intake read (`Haendelse`), so
    # it checks none again. (The docstring is the document's; its 1000 is MAX_BATCH.)

    haendelser = _HaendelserField(
        child=serializers.JSONField(),
        min_length=1,
        max_length=validering.MAX_BATCH,
        help_text=f"1-{validering.MAX_BATCH} hændelser, anvendt i den sendte rækkefølge",
    )

    def to_internal_value(self, data):
        violations = validering.valider_batch(data)
        if violations:
            raise serializers.ValidationError(
                {v.field or "non_field_errors": [f"{v.code}"] for v in violations}
            )
        return {"haendelser": [validering.laes_gyldig(raw) for raw in data["haendelser"]]}


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


class FlytningHistorikpostSerializer(HistorikpostSerializer):
    """One change of a flow (SPEC 10)."""

    begrundelse = serializers.CharField(
        source="tekst",
        allow_null=True,
        help_text="En annullerings begrundelse; ellers null. CPR-lignende tal vises maskeret "
        "(DDMMYY-xxxx)",
    )


class BorgerflytningHistorikSerializer(serializers.Serializer):
    """GetBorgerflytningHistorik's answer: the flow's changes. No CPR."""

    borgerflytningId = serializers.UUIDField(help_text="Identificering af flytteflowet")
    historik = FlytningHistorikpostSerializer(many=True, help_text="Ændringerne, ældste først")
