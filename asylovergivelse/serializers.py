"""The seed's DTOs as DRF serializers: types, occurrences, patterns and lengths (1014).
The business rules (9196 ...) run after the access check, in `rules.py`."""

import datetime
import re

from rest_framework import serializers

from accessrules.api.serializers import StrictSerializer
from accessrules.cpr import CPR_PATTERN

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KOMMUNEKODE_PATTERN = r"^(?:[-][1]|[0-9]{1,8})$"


class IsoDateField(serializers.DateField):
    """A date as YYYY-MM-DD only."""

    def to_internal_value(self, value):
        if not isinstance(value, str) or not _ISO_DATE.match(value):
            self.fail("invalid", format="YYYY-MM-DD")
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.fail("invalid", format="YYYY-MM-DD")


class StringRegexField(serializers.RegexField):
    """A JSON string matching the pattern (a JSON number is not silently turned into text)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


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
    overgivelseskommunekode = StringRegexField(KOMMUNEKODE_PATTERN, max_length=9)


class RetAsylOvergivelseSerializer(OpretAsylOvergivelseSerializer):
    """UpdateAsylOvergivelseRequestDto."""

    kommentar = StringField(
        max_length=1500, required=False, allow_blank=True, allow_null=True, trim_whitespace=False
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
