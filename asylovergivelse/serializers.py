"""The seed's DTOs as DRF serializers: types, occurrences, patterns and lengths (1014).
The business rules (9196 ...) run after the access check, in `rules.py`."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accessrules.api.serializers import StrictSerializer
from accessrules.cpr import CPR_PATTERN
from asylovergivelse.validators import (
    KOMMENTAR_MAX_LENGTH,
    KOMMUNEKODE_MAX_LENGTH,
    KOMMUNEKODE_SCHEMA_PATTERN,
    is_kommunekode,
    parse_iso_date,
)


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

    default_error_messages = {"invalid": "'-1' or 1-8 digits."}

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

    CVEditEndDate = IsoDateField()
    overgivelsesdato = IsoDateField()
    tidligCvOvergivelsesdato = IsoDateField(required=False, allow_null=True)
    tidligKontraktOvergivelsesdato = IsoDateField(required=False, allow_null=True)
    overgivelseskommunekode = KommunekodeField()


class RetAsylOvergivelseSerializer(OpretAsylOvergivelseSerializer):
    """UpdateAsylOvergivelseRequestDto."""

    kommentar = StringField(
        max_length=KOMMENTAR_MAX_LENGTH,
        required=False,
        allow_blank=True,
        allow_null=True,
        trim_whitespace=False,
    )


class AsylovergivelsesdataSerializer(serializers.Serializer):
    """AsylovergivelsesdataDto (output)."""

    overgivelsesdato = serializers.DateField()
    tidligCvOvergivelsesdato = serializers.DateField(
        source="tidlig_cv_overgivelsesdato", allow_null=True
    )
    tidligKontraktOvergivelsesdato = serializers.DateField(
        source="tidlig_kontrakt_overgivelsesdato", allow_null=True
    )
    overgivelseskommunekode = serializers.CharField()
    CVEditEndDate = serializers.DateField(source="cv_edit_end_date")
    kommentar = serializers.CharField(allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["kommentar"] = data["kommentar"] or None
        return data


class HentAsylOvergivelseSerializer(serializers.Serializer):
    """GetAsylOvergivelseResponseDto."""

    civilRegistrationIdentifier = serializers.RegexField(f"^(?:{CPR_PATTERN})$")
    asylovergivelsesdata = AsylovergivelsesdataSerializer(allow_null=True)
