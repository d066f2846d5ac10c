"""Serializer pieces every operation's DTOs share."""

from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """Rejects keys the seed's DTO does not have (1014, field = the key)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: ["Unknown field."] for key in unknown})
        return super().to_internal_value(data)
