"""A record's history as the API answers it (SPEC 10): the shape every history shares. Each
app's serializer adds the change's text (`kommentar`, `begrundelse`) from the post's `tekst`
(`accessrules.models.historikposter.Historikpost`)."""

from rest_framework import serializers

from accessrules.models.historik import HistorikKilde
from accessrules.models.historikposter import AENDRINGSTYPER


class HistorikOrganisationSerializer(serializers.Serializer):
    type = serializers.IntegerField(
        help_text="Organisationstypen, som `x-activeOrganisationTypeIdentifier`: 8 JobCenter, "
        "7 Kommune, 4 AndenAktoer, 1 STAR"
    )
    code = serializers.CharField(
        source="kode", help_text="Organisationens kode, som `x-activeOrganisationCode`"
    )


class AendringSerializer(serializers.Serializer):
    felt = serializers.CharField(
        help_text="Feltet, med navnet fra JSON'en (fx `CVEditEndDate`, `tilstand`, "
        "`fraflytningsbekraeftelse.tidspunkt`)"
    )
    gammelVaerdi = serializers.CharField(
        source="gammel", allow_null=True, help_text="Værdien før ændringen; null: ingen"
    )
    nyVaerdi = serializers.CharField(
        source="ny", allow_null=True, help_text="Værdien efter ændringen; null: ingen"
    )


_KILDER = ", ".join(f"`{kilde.value}` ({kilde.label})" for kilde in HistorikKilde)


class HistorikpostSerializer(serializers.Serializer):
    """One change: when, who (by kind and organisation, never by name), which fields."""

    tidspunkt = serializers.DateTimeField(help_text="Hvornår ændringen blev gemt")
    aendringstype = serializers.ChoiceField(
        choices=sorted(set(AENDRINGSTYPER.values()) - {"slettet"}),
        help_text="`oprettet` (den første række) eller `aendret`",
    )
    kilde = serializers.ChoiceField(
        choices=[kilde.value for kilde in HistorikKilde],
        allow_null=True,
        help_text=f"Hvem der ændrede, efter art: {_KILDER}; null for en ældre ændring, hvor "
        "det ikke blev registreret",
    )
    organisation = HistorikOrganisationSerializer(
        allow_null=True,
        help_text="Organisationen der ændrede: en API-klients aktive organisation, en "
        "sagsbehandlers egen organisation (aldrig personen); null når ingen organisation "
        "ændrede (CPR-registret, registerindlæsningen, en driftskommando) eller det ikke blev "
        "registreret",
    )
    aendringer = AendringSerializer(
        many=True, help_text="De felter ændringen ændrede, med gammel og ny værdi"
    )
