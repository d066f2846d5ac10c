"""The three Asylovergivelse operations of seed 002, and our two reads (by id, its history),
declared once (see Endpoint)."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from accessrules.access.tables import Operation
from accessrules.api.endpoints import Endpoint
from accessrules.core import errors
from accessrules.oauth import scopes
from asylovergivelse import rules
from asylovergivelse.api import serializers

HENT = Endpoint(
    operation=Operation.GET_ASYL,
    method="GET",
    path="Asylovergivelse",
    scopes=(scopes.ASYLOVERGIVELSE_READ,),
    summary="Hent asylovergivelsesdata for en borger",
    description="Metode til at hente asylovergivelsesdata, for en given borger. "
    "`asylovergivelsesdata` er null når borgeren ingen har (200 i begge tilfælde).",
    success={200: serializers.HentAsylOvergivelseSerializer},
    cpr_header=True,
    examples=(
        OpenApiExample(
            "Borger med asylovergivelse",
            response_only=True,
            status_codes=["200"],
            value={
                "civilRegistrationIdentifier": "0202911234",
                "asylovergivelsesdata": {
                    "overgivelsesdato": "2026-12-05",
                    "tidligCvOvergivelsesdato": "2026-11-27",
                    "tidligKontraktOvergivelsesdato": None,
                    "overgivelseskommunekode": "101",
                    "CVEditEndDate": "2027-01-04",
                    "kommentar": None,
                },
            },
        ),
        OpenApiExample(
            "Borger uden asylovergivelse",
            response_only=True,
            status_codes=["200"],
            value={"civilRegistrationIdentifier": "0101901234", "asylovergivelsesdata": None},
        ),
    ),
)
HENT_VED_ID = Endpoint(
    operation=Operation.GET_ASYL_VED_ID,
    method="GET",
    path="Asylovergivelse/<uuid:pk>",
    parameters=(
        OpenApiParameter(
            "id",
            {"type": "string", "format": "uuid"},
            OpenApiParameter.PATH,
            description="Overgivelsens id (`subject` i en hændelse `asylovergivelse.*`)",
        ),
    ),
    scopes=(scopes.ASYLOVERGIVELSE_READ,),
    summary="Hent en asylovergivelse ved dens id",
    description="Som GetAsylOvergivelse, for overgivelsens id (en UUID, som hændelserne "
    "`asylovergivelse.*` nævner i `subject`) i stedet for borgerens CPR. Et ukendt id: 404 "
    "kode 3. Samme adgangstabel og scope; logges som et opslag på borgeren.",
    success={200: serializers.HentAsylOvergivelseSerializer},
    codes=frozenset({errors.ELEMENT_NOT_FOUND}),
)
HISTORIK = Endpoint(
    operation=Operation.GET_ASYL_HISTORIK,
    method="GET",
    path="Asylovergivelse/historik",
    scopes=(scopes.ASYLOVERGIVELSE_READ,),
    summary="Hent historikken for en borgers asylovergivelse",
    description="Overgivelsens ændringer, ældste først: hvornår, hvem efter art (`kilde`) og "
    "organisation (en sagsbehandler vises som sin organisation, aldrig ved navn), de ændrede "
    "felter med gammel og ny værdi (JSON-navnene fra GetAsylOvergivelse) og ændringens "
    "kommentar. En tom liste når borgeren ingen overgivelse har (200). Samme adgangstabel og "
    "scope som GetAsylOvergivelse; logges som et opslag på borgeren.",
    success={200: serializers.AsylHistorikSerializer},
    cpr_header=True,
    examples=(
        OpenApiExample(
            "Oprettet af et jobcenter, rettet af en sagsbehandler",
            response_only=True,
            status_codes=["200"],
            value={
                "historik": [
                    {
                        "tidspunkt": "2026-11-20T09:15:02.120000+01:00",
                        "aendringstype": "oprettet",
                        "kilde": "api",
                        "organisation": {"type": 8, "code": "10100"},
                        "aendringer": [
                            {
                                "felt": "CVEditEndDate",
                                "gammelVaerdi": None,
                                "nyVaerdi": "2027-01-04",
                            },
                            {
                                "felt": "overgivelsesdato",
                                "gammelVaerdi": None,
                                "nyVaerdi": "2026-12-05",
                            },
                            {
                                "felt": "overgivelseskommunekode",
                                "gammelVaerdi": None,
                                "nyVaerdi": "101",
                            },
                        ],
                        "kommentar": None,
                    },
                    {
                        "tidspunkt": "2026-11-24T13:40:51.003000+01:00",
                        "aendringstype": "aendret",
                        "kilde": "sagsbehandler",
                        "organisation": {"type": 7, "code": "101"},
                        "aendringer": [
                            {
                                "felt": "overgivelsesdato",
                                "gammelVaerdi": "2026-12-05",
                                "nyVaerdi": "2026-12-10",
                            }
                        ],
                        "kommentar": "Ny dato aftalt med Udlændingestyrelsen",
                    },
                ]
            },
        ),
    ),
)
OPRET = Endpoint(
    operation=Operation.CREATE_ASYL,
    method="POST",
    path="Asylovergivelse",
    scopes=(scopes.ASYLOVERGIVELSE_WRITE,),
    summary="Opret overgivelsesdato, tidlige overtagelsesdatoer m.v.",
    description="Denne metode benyttes til at oprette overgivelsesdato, tidlige "
    "overtagelsesdatoer m.v. for borger, der har opnået asyl. TransitionMunicipality benyttes i "
    "relation til flygtninge og adgang til data fra LetAsyl og for alle andre har den ikke en "
    "praktisk forretningsmæssig værdi. Svarer 201 uden indhold.",
    success={201: OpenApiResponse(description="Oprettet (kun status)")},
    request=serializers.OpretAsylOvergivelseSerializer,
    cpr_header=True,
    request_id=False,
    writes=True,
    rules=(*rules.OPRET, *rules.EFTER_SKRIVNING),
    examples=(
        OpenApiExample(
            "Overgivelse med tidlig CV-overtagelse",
            request_only=True,
            value={
                "CVEditEndDate": "2027-01-04",
                "overgivelsesdato": "2026-12-05",
                "tidligCvOvergivelsesdato": "2026-11-27",
                "overgivelseskommunekode": "101",
            },
        ),
    ),
)
RET = Endpoint(
    operation=Operation.UPDATE_ASYL,
    method="PUT",
    path="Asylovergivelse",
    scopes=(scopes.ASYLOVERGIVELSE_WRITE,),
    summary="Opdater overgivelsesdato, tidlige overtagelsesdatoer, CV-frist m.v.",
    description="Denne metode benyttes til at opdatere overgivelsesdato, tidlige "
    "overtagelsesdatoer, frist for CV-opdateringer m.v. for borger, der har opnået asyl. "
    "Beskeden erstatter hele overgivelsen: en udeladt tidlig dato slettes. En ændret "
    "overgivelsesdato kræver en kommentar (9202). Svarer 204.",
    success={204: OpenApiResponse(description="Opdateret (kun status)")},
    request=serializers.RetAsylOvergivelseSerializer,
    cpr_header=True,
    request_id=False,
    writes=True,
    rules=(*rules.RET, *rules.EFTER_SKRIVNING),
    examples=(
        OpenApiExample(
            "Ny overgivelsesdato med kommentar",
            request_only=True,
            value={
                "CVEditEndDate": "2027-01-09",
                "overgivelsesdato": "2026-12-10",
                "overgivelseskommunekode": "101",
                "kommentar": "Ny dato aftalt med Udlændingestyrelsen",
            },
        ),
    ),
)
