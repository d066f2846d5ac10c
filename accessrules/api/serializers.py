"""Serializer pieces every operation's DTOs share."""

from rest_framework import serializers

UNKNOWN_KEY = (
    "Unknown key: the message has no field of this name (names are case-sensitive); remove it."
)


class StrictSerializer(serializers.Serializer):
    """Rejects keys the seed's DTO does not have (1014, field = the key), together with every
    other violation of the message (one answer names them all)."""

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        found = {key: [UNKNOWN_KEY] for key in unknown}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if not isinstance(error.detail, dict):
                raise
            raise serializers.ValidationError({**error.detail, **found}) from None
        if found:
            raise serializers.ValidationError(found)
        return value
