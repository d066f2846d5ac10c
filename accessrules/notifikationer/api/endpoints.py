"""The subscription operations of SPEC 9, declared once (see Endpoint)."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from accessrules.access.tables import Operation
from accessrules.api.endpoints import Endpoint
from accessrules.core import errors
from accessrules.notifikationer.api import serializers
from accessrules.oauth import scopes

_SCOPES = (scopes.ABONNEMENTER_WRITE,)
_NOT_FOUND = frozenset({errors.ELEMENT_NOT_FOUND})
_OFF = (
    " Uden PostgreSQL (SQLite-demoen) er notifikationer slået fra, og svaret er 503 "
    "problem+json.\n\n"
    "**Tilladte organisationer** (ingen borgeradgang: abonnementer er klientens egne)\n\n"
    "| Organisation | Må |\n|---|---|\n"
    "| Kommune, JobCenter, STAR, AndenAktoer | klientens egne abonnementer for den aktive "
    "organisation; hændelserne er dem organisationen må se |"
)
_ID = OpenApiParameter(
    "id",
    {"type": "string", "format": "uuid"},
    OpenApiParameter.PATH,
    description="Abonnementets id (fra oprettelsen eller listen)",
)

OPRET = Endpoint(
    operation=Operation.CREATE_ABONNEMENT,
    method="POST",
    path="Abonnementer",
    scopes=_SCOPES,
    summary="Abonnér på hændelser for den aktive organisation",
    description="Hændelserne leveres som CloudEvents 1.0 (structured mode, "
    "`application/cloudevents+json`) med POST til `callbackUrl` (https), signeret efter "
    "Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). Svaret "
    "giver abonnementets id og hemmelighed; hemmeligheden vises kun her. Organisationen får de "
    "hændelser den må se: et flows hændelser som listen (SPEC 5), en overgivelses som "
    "GetAsylOvergivelse." + _OFF,
    success={201: serializers.AbonnementMedHemmelighedSerializer},
    request=serializers.AbonnementRequestSerializer,
    access_table=False,
    examples=(
        OpenApiExample(
            "Abonnér på et flows hændelser",
            request_only=True,
            value={
                "callbackUrl": "https://sag.kommune.example.dk/borgerindsats/haendelser",
                "haendelsestyper": ["borgerflytning.oprettet", "borgerflytning.afsluttet"],
            },
        ),
    ),
)
LISTE = Endpoint(
    operation=Operation.LIST_ABONNEMENTER,
    method="GET",
    path="Abonnementer",
    scopes=_SCOPES,
    summary="Klientens abonnementer for den aktive organisation",
    description="De abonnementer klienten har for den aktive organisation (uden hemmelighed)."
    + _OFF,
    success={200: serializers.AbonnementSerializer(many=True)},
    access_table=False,
)
OPHOER = Endpoint(
    operation=Operation.DELETE_ABONNEMENT,
    method="DELETE",
    path="Abonnementer/<uuid:pk>",
    parameters=(_ID,),
    scopes=_SCOPES,
    summary="Ophør et abonnement",
    description="Abonnementet ophører (204); hændelser der venter, sendes ikke. En anden "
    "klients abonnement: 404 kode 3." + _OFF,
    success={204: OpenApiResponse(description="Intet output")},
    access_table=False,
    codes=_NOT_FOUND,
)
NY_HEMMELIGHED = Endpoint(
    operation=Operation.ROTATE_HEMMELIGHED,
    method="POST",
    path="Abonnementer/<uuid:pk>/ny-hemmelighed",
    parameters=(_ID,),
    scopes=_SCOPES,
    summary="Ny signeringshemmelighed",
    description="En ny hemmelighed (vises kun her). Den forrige signerer ved siden af i "
    "overlappet (`NOTIFICATION_SECRET_OVERLAP_SECONDS`, 24 timer): `webhook-signature` "
    "bærer da begge signaturer." + _OFF,
    success={200: serializers.AbonnementMedHemmelighedSerializer},
    access_table=False,
    codes=_NOT_FOUND,
)
HAENDELSER = Endpoint(
    operation=Operation.LIST_ABONNEMENT_HAENDELSER,
    method="GET",
    path="Abonnementer/<uuid:pk>/haendelser",
    scopes=_SCOPES,
    summary="Abonnementets hændelser efter en given hændelse (indhentning)",
    description="For en modtager der har været væk længere end genforsøgene: abonnementets "
    "hændelser efter `efter` (id'et på den sidste modtagne), ældste først, højst `limit`. "
    "En hændelse kommer i listen, når hver transaktion der begyndte før dens, er afsluttet "
    "(normalt millisekunder), så en hændelse der committes sent, aldrig springes over af en "
    "modtager der allerede har læst videre. "
    "`flere` siger om der er flere; spørg da igen med den sidstes id. Uden `efter`: fra "
    "den første. Hændelser slettes efter `NOTIFICATION_RETENTION_DAYS`." + _OFF,
    success={200: serializers.HaendelserSerializer},
    access_table=False,
    codes=_NOT_FOUND,
    parameters=(
        _ID,
        OpenApiParameter(
            "efter",
            {"type": "string", "format": "uuid"},
            OpenApiParameter.QUERY,
            description="Id'et på den sidste hændelse modtageren har",
        ),
        OpenApiParameter(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": 500},
            OpenApiParameter.QUERY,
            description="Højst så mange hændelser (1-500, standard 100)",
        ),
    ),
)
