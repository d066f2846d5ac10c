"""The seed's DTOs as DRF serializers: types, occurrences, patterns and lengths (1014).
The business rules (9196 ...) run after the access check, in `rules.py`."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accessrules.api.serializers import StrictSerializer
from accessrules.core.cpr import CPR_PATTERN
from accessrules.core.dates import DATE_FORMAT_TEXT, parse_iso_date
from asylovergivelse.validators import (
    KOMMENTAR_MAX_LENGTH,
    KOMMUNEKODE_MAX_LENGTH,
    KOMMUNEKODE_SCHEMA_PATTERN,
    is_kommunekode,
)

# The seed's "Beskrivelse" of each field (seed 002), verbatim.
CPR_TEKST = "Borgers personnummer"
CV_EDIT_END_DATE = "Dato for hvornår jobcenter ikke længere kan rette i CV"
OVERGIVELSESDATO = "Overgivelsesdato til kommune"
TIDLIG_CV = "Tidlig overtagelsesdato for hvornår kommunen kan påbegynde opdateringer af CV"
TIDLIG_KONTRAKT = (
    "Tidlig overtagelsesdato for hvornår kommunen kan påbegynde opdateringer af kontraktdata "
    "efter integrationsloven"
)
OVERGIVELSESKOMMUNEKODE = (
    "For flygtninge, den kommune der fra Udlændingestyrelsen har fået visiteret borgeren og som "
    "ønsker adgang til data fra LetAsyl. For borgere med en eksisterende kontrakt efter "
    "integrationsloven og familiesammenførte den kommune der p.t. har borger tilknyttet"
)
KOMMENTAR = "Kommentar til evt. ændring"
ASYLOVERGIVELSESDATA = "Supplerende asyldata i forbindelse med CV"


def _dato(tekst: str) -> str:
    return f"{tekst}. {DATE_FORMAT_TEXT}"


class IsoDateField(serializers.DateField):
    """A date as a JSON string `YYYY-MM-DD` only."""

    def to_internal_value(self, value):
        parsed = parse_iso_date(value)
        if parsed is None:
            self.fail("invalid", format="YYYY-MM-DD")
        return parsed


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": KOMMUNEKODE_MAX_LENGTH,
        "pattern": KOMMUNEKODE_SCHEMA_PATTERN,
    }
)
class KommunekodeField(serializers.Field):
    """overgivelseskommunekode: a JSON string matching the seed's pattern as it is (no
    trimming; a JSON number is not silently turned into text). One error per value."""

    default_error_messages = {
        "invalid": "Must be a JSON string of '-1' or 1-8 digits, e.g. \"101\"."
    }

    def to_internal_value(self, data):
        if not is_kommunekode(data):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class StringField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class OpretAsylOvergivelseSerializer(StrictSerializer):
    """CreateAsylOvergivelseRequestDto."""

    CVEditEndDate = IsoDateField(help_text=_dato(CV_EDIT_END_DATE))
    overgivelsesdato = IsoDateField(help_text=_dato(OVERGIVELSESDATO))
    tidligCvOvergivelsesdato = IsoDateField(
        required=False, allow_null=True, help_text=_dato(TIDLIG_CV)
    )
    tidligKontraktOvergivelsesdato = IsoDateField(
        required=False, allow_null=True, help_text=_dato(TIDLIG_KONTRAKT)
    )
    overgivelseskommunekode = KommunekodeField(
        help_text=f"{OVERGIVELSESKOMMUNEKODE}. `-1` eller 1-8 cifre, som JSON-streng."
    )


class RetAsylOvergivelseSerializer(OpretAsylOvergivelseSerializer):
    """UpdateAsylOvergivelseRequestDto."""

    kommentar = StringField(
        max_length=KOMMENTAR_MAX_LENGTH,
        required=False,
        allow_blank=True,
        allow_null=True,
        trim_whitespace=False,
        help_text=f"{KOMMENTAR}. Kræves når overgivelsesdato ændres (9202).",
    )


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
