"""The subscription endpoints' messages (SPEC 9)."""

from rest_framework import serializers

from accessrules.api.serializers import StrictSerializer
from accessrules.notifikationer.haendelser import TYPER


class AbonnementRequestSerializer(StrictSerializer):
    callbackUrl = serializers.CharField(
        max_length=500, help_text="https-adressen hændelserne leveres til (POST)"
    )
    haendelsestyper = serializers.ListField(
        child=serializers.ChoiceField(choices=TYPER),
        min_length=1,
        max_length=len(TYPER),
        help_text="De hændelsestyper abonnementet vil have",
    )


class AbonnementSerializer(serializers.Serializer):
    abonnementId = serializers.UUIDField(source="id")
    callbackUrl = serializers.CharField(source="callback_url")
    haendelsestyper = serializers.ListField(child=serializers.CharField())
    organisation = serializers.CharField(source="organisation.reference")
    oprettet = serializers.DateTimeField()
    forrigeHemmelighedUdloeber = serializers.DateTimeField(
        source="forrige_udloeber",
        allow_null=True,
        help_text="Indtil da signerer også den forrige hemmelighed",
    )


class AbonnementMedHemmelighedSerializer(AbonnementSerializer):
    hemmelighed = serializers.CharField(
        help_text="Signeringshemmeligheden (Standard Webhooks, `whsec_...`). Vises kun denne ene "
        "gang."
    )


class CloudEventSerializer(serializers.Serializer):
    specversion = serializers.CharField()
    id = serializers.CharField(help_text="Hændelsens id; det samme som `webhook-id`")
    source = serializers.CharField()
    type = serializers.CharField()
    subject = serializers.CharField(help_text="Flowets id eller overgivelsens id")
    time = serializers.CharField()
    datacontenttype = serializers.CharField()
    data = serializers.DictField(help_text="Kommunekoder, side, tilstand; aldrig et CPR")


class HaendelserSerializer(serializers.Serializer):
    haendelser = CloudEventSerializer(many=True)
    flere = serializers.BooleanField(help_text="Sandt når der er flere: spørg igen med `efter`")
