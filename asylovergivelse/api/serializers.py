"""The seed's DTOs as DRF serializers. A request message is the one definition in
`validators` (its fields, kinds, occurrences, patterns and lengths: 1014), which also checks
it; the business rules (9196 ...) run after the access check, in `rules.py`."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accessrules.api.historik import HistorikpostSerializer
from accessrules.api.serializers import StrictSerializer
from accessrules.core.cpr import CPR_PATTERN
from accessrules.core.dates import DATE_FORMAT_TEXT
from asylovergivelse import validators
from asylovergivelse.validators import (
    CV_EDIT_END_DATE,
    KOMMENTAR,
    KOMMUNEKODE_MAX_LENGTH,
    KOMMUNEKODE_PATTERN,
    OVERGIVELSESDATO,
    OVERGIVELSESKOMMUNEKODE,
    TIDLIG_CV,
    TIDLIG_KONTRAKT,
)

CPR_TEKST = "Borgers personnummer"

ASYLOVERGIVELSESDATA = "Supplerende asyldata i forbindelse med CV"


def _dato(tekst: str) -> str:
    return f"{tekst}. {DATE_FORMAT_TEXT}"


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": KOMMUNEKODE_MAX_LENGTH,
        "pattern": KOMMUNEKODE_PATTERN,
    }
)
class KommunekodeField(serializers.CharField):
    """overgivelseskommunekode in the document: a JSON string matching the seed's pattern."""


def _felt(felt: validators.Felt) -> serializers.Field:
    """The document's field for one field of the message (validators.RET_FELTER)."""
    if felt.art == validators.DATO:
        optional = {} if felt.kraevet else {"required": False, "allow_null": True}
        return serializers.DateField(help_text=_dato(felt.beskrivelse), **optional)
    help_text = f"{felt.beskrivelse}. {felt.note}"
    if felt.art == validators.KOMMUNEKODE:
        return KommunekodeField(help_text=help_text)
    return serializers.CharField(
        max_length=felt.max_length,
        required=False,
        allow_blank=True,
        allow_null=True,
        trim_whitespace=False,
        help_text=help_text,
    )


class BeskedSerializer(StrictSerializer):
    """A message as `validators` defines it: its fields are built from the definition (for
    the document), and it is checked by `validators.laes_besked`, as the operator's command
    checks it: one definition, one check."""

    felter: tuple[validators.Felt, ...] = ()

    def get_fields(self):
        return {felt.navn: _felt(felt) for felt in self.felter}

    def to_internal_value(self, data):
        values, failures = validators.laes_besked(data, self.felter)
        if failures:
            raise serializers.ValidationError(
                {name or "non_field_errors": [reason] for name, reason in failures}
            )
        return values


class OpretAsylOvergivelseSerializer(BeskedSerializer):
    """CreateAsylOvergivelseRequestDto."""

    felter = validators.OPRET_FELTER


class RetAsylOvergivelseSerializer(BeskedSerializer):
    """UpdateAsylOvergivelseRequestDto."""

    felter = validators.RET_FELTER


class AsylovergivelsesdataSerializer(serializers.Serializer):
    """AsylovergivelsesdataDto (output)."""

    overgivelsesdato = serializers.DateField(help_text=OVERGIVELSESDATO)
    tidligCvOvergivelsesdato = serializers.DateField(
        source="tidlig_cv_overgivelsesdato", allow_null=True, help_text=TIDLIG_CV
    )
    tidligKontraktOvergivelsesdato = serializers.DateField(
        source="tidlig_kontrakt_overgivelsesdato", allow_null=True, help_text=TIDLIG_KONTRAKT
    )
    overgivelseskommunekode = serializers.CharField(help_text=OVERGIVELSESKOMMUNEKODE)
    CVEditEndDate = serializers.DateField(source="cv_edit_end_date", help_text=CV_EDIT_END_DATE)
    kommentar = serializers.CharField(
        allow_null=True, help_text=f"{KOMMENTAR} (den seneste ændrings; null når tom)"
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["kommentar"] = data["kommentar"] or None
        return data


class HentAsylOvergivelseSerializer(serializers.Serializer):
    """GetAsylOvergivelseResponseDto."""

    civilRegistrationIdentifier = serializers.RegexField(
        f"^(?:{CPR_PATTERN})$", help_text=CPR_TEKST
    )
    asylovergivelsesdata = AsylovergivelsesdataSerializer(
        allow_null=True, help_text=f"{ASYLOVERGIVELSESDATA} (null når borgeren ingen har)"
    )


class AsylHistorikpostSerializer(HistorikpostSerializer):
    """One change of a transition (SPEC 10)."""

    kommentar = serializers.CharField(
        source="tekst",
        allow_null=True,
        help_text="Ændringens kommentar (CorrectionComment); null når tom. CPR-lignende tal "
        "vises maskeret (DDMMYY-xxxx)",
    )


class AsylHistorikSerializer(serializers.Serializer):
    """GetAsylOvergivelseHistorik's answer: the citizen's transition's changes."""

    historik = AsylHistorikpostSerializer(
        many=True, help_text="Ændringerne, ældste først; tom når borgeren ingen overgivelse har"
    )
