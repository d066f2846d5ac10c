"""The subscription endpoints' messages (SPEC 9)."""

from django.core.validators import RegexValidator
from rest_framework import serializers

from accessrules.api.serializers import StrictSerializer
from accessrules.notifikationer.haendelser import TYPER

# an https URL with a host name (and a port, a path): the document's pattern, checked first;
# the service checks it again (transport.check_url), as every delivery does
CALLBACK_PATTERN = r"^https://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5]?[0-9]{1,4}))?(/[!-~]*)?$"


class AbonnementRequestSerializer(StrictSerializer):
    callbackUrl = serializers.CharField(
        max_length=500,
        validators=[
            RegexValidator(
                CALLBACK_PATTERN, "the callback must be an https:// URL with a host name"
            )
        ],
        help_text="https-adressen hændelserne leveres til (POST)",
    )
    haendelsestyper = serializers.ListField(
        child=serializers.ChoiceField(choices=TYPER),
        min_length=1,
        max_length=len(TYPER),
        help_text="De hændelsestyper abonnementet vil have",
    )


class AbonnementSerializer(serializers.Serializer):
    abonnementId = serializers.UUIDField(source="id", help_text="Abonnementets id")
    callbackUrl = serializers.CharField(
        source="callback_url", help_text="https-adressen hændelserne leveres til"
    )
    haendelsestyper = serializers.ListField(
        child=serializers.CharField(), help_text="De hændelsestyper abonnementet får"
    )
    organisation = serializers.CharField(
        source="organisation.reference", help_text="Den organisation der abonneres for, TYPE:KODE"
    )
    oprettet = serializers.DateTimeField(help_text="Hvornår abonnementet blev oprettet")
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
    specversion = serializers.CharField(help_text="CloudEvents-versionen: `1.0`")
    id = serializers.CharField(help_text="Hændelsens id; det samme som `webhook-id`")
    source = serializers.CharField(help_text="Servicens URN (`NOTIFICATION_SOURCE`)")
    type = serializers.CharField(help_text="Hændelsestypen, fx `borgerflytning.oprettet`")
    subject = serializers.CharField(help_text="Flowets id eller overgivelsens id")
    time = serializers.CharField(help_text="Hvornår ændringen skete (ISO 8601, UTC)")
    datacontenttype = serializers.CharField(help_text="`application/json`")
    data = serializers.DictField(help_text="Kommunekoder, side, tilstand; aldrig et CPR")


class HaendelserSerializer(serializers.Serializer):
    haendelser = CloudEventSerializer(many=True, help_text="Hændelserne, ældste først")
    flere = serializers.BooleanField(help_text="Sandt når der er flere: spørg igen med `efter`")
