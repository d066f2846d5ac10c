"""The BorgerFlytte operations (seed 000, and the list of SPEC 5), declared once."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from accessrules.access.organisationstyper import flytninger_tabel
from accessrules.access.tables import Operation
from accessrules.api.endpoints import Endpoint
from accessrules.core import errors
from accessrules.oauth import scopes
from borgerflytte import rules
from borgerflytte.api.serializers import (
    BekraeftelseRequestSerializer,
    BorgerflytningHistorikSerializer,
    BorgerflytningMedCprSerializer,
    BorgerflytningSerializer,
    CprHaendelserSerializer,
    CprHaendelserSvarSerializer,
)

_NO_CONTENT = {204: OpenApiResponse(description="Intet output")}

LISTE = Endpoint(
    operation=Operation.LIST_FLYTNINGER,
    method="GET",
    path="BorgerFlytte",
    scopes=(scopes.JOBCENTERTILKNYTNING_READ,),
    summary="Hent den aktive organisations flytteflows",
    description="Flytteflows hvor den aktive organisation er fraflytnings- eller "
    "tilflytningskommunen. Nyeste flyttedato først (eller `ordering=oprettet`: ældste "
    "oprettelse først), sidevis med cursor: `limit` (1-500) er sidens størrelse, `next` og "
    "`previous` er linkene at følge. Polling: `oprettetFra` (tidspunktet for sidste kald) med "
    "`ordering=oprettet` giver også en flytning der registreres sent med en gammel flyttedato. "
    "Ukendte parametre afvises (1014). Intet CPR i listen.\n\n"
    "**Tilladte organisationer** (hvem ser hvad; ingen borgeradgang: listen viser ingen "
    "borgerdata)\n\n" + flytninger_tabel(),
    success={200: BorgerflytningSerializer(many=True)},
    access_table=False,
    examples=(
        OpenApiExample(
            "En side med ét flow",
            response_only=True,
            status_codes=["200"],
            value={
                "next": "https://borgerindsats.example.dk/v1/BorgerFlytte?cursor=cD0yMDI2LTExLTIy",
                "previous": None,
                "results": [
                    {
                        "borgerflytningId": "5f0c1a4e-0000-4000-8000-000000000001",
                        "tilstand": "AFVENTER",
                        "flyttedato": "2026-11-22",
                        "fraflytningskommunekode": "101",
                        "tilflytningskommunekode": "147",
                        "fraflytningsbekraeftelse": {
                            "tidspunkt": "2026-11-23T09:15:02.120000+01:00",
                            "organisation": "8:10100",
                        },
                        "tilflytningsbekraeftelse": None,
                        "oprettet": "2026-11-20T06:00:11.503000+01:00",
                    }
                ],
            },
        ),
    ),
)
HENT = Endpoint(
    operation=Operation.GET_FLYTNING,
    method="GET",
    path="BorgerFlytte/<uuid:pk>",
    parameters=(
        OpenApiParameter(
            "id",
            {"type": "string", "format": "uuid"},
            OpenApiParameter.PATH,
            description="Flowets id (`borgerflytningId`, eller `subject` i en hændelse)",
        ),
    ),
    scopes=(scopes.JOBCENTERTILKNYTNING_READ,),
    summary="Hent ét flytteflow med borgerens CPR",
    description="Flowet som i listen, plus borgerens CPR (`civilRegistrationIdentifier`), fx "
    "for at bekræfte fraflytningen efter en hændelse. Hvem må: som listen (fraflytnings- og "
    "tilflytningskommunen og deres jobcentre, og STAR); ellers 404 kode 3. Logges som et "
    "opslag på borgeren.\n\n"
    "**Tilladte organisationer** (som listen)\n\n" + flytninger_tabel(),
    success={200: BorgerflytningMedCprSerializer},
    access_table=False,
    codes=frozenset({errors.ELEMENT_NOT_FOUND}),
)
HISTORIK = Endpoint(
    operation=Operation.GET_FLYTNING_HISTORIK,
    method="GET",
    path="BorgerFlytte/<uuid:borgerflytningId>/historik",
    parameters=(
        OpenApiParameter(
            "borgerflytningId",
            {"type": "string", "format": "uuid"},
            OpenApiParameter.PATH,
            description="Flowets id (`borgerflytningId`, eller `subject` i en hændelse)",
        ),
    ),
    scopes=(scopes.JOBCENTERTILKNYTNING_READ,),
    summary="Hent historikken for et flytteflow",
    description="Flowets ændringer, ældste først: oprettelsen (af CPR-registret, "
    "registerindlæsningen eller en sagsbehandler), hver sides bekræftelse, afslutningen og en "
    "annullering med sin begrundelse. Hver med tidspunkt, hvem efter art (`kilde`) og "
    "organisation (aldrig en person), og de ændrede felter med gammel og ny værdi (JSON-navnene "
    "fra listen). Intet CPR. Hvem må: som listen (fraflytnings- og tilflytningskommunen og "
    "deres jobcentre, og STAR); ellers 404 kode 3. Logges som et opslag på borgeren.\n\n"
    "**Tilladte organisationer** (som listen)\n\n" + flytninger_tabel(),
    success={200: BorgerflytningHistorikSerializer},
    access_table=False,
    codes=frozenset({errors.ELEMENT_NOT_FOUND}),
    examples=(
        OpenApiExample(
            "Oprettet af CPR, bekræftet af begge sider",
            response_only=True,
            status_codes=["200"],
            value={
                "borgerflytningId": "5f0c1a4e-0000-4000-8000-000000000001",
                "historik": [
                    {
                        "tidspunkt": "2026-11-20T06:00:11.503000+01:00",
                        "aendringstype": "oprettet",
                        "kilde": "cpr",
                        "organisation": None,
                        "aendringer": [
                            {"felt": "tilstand", "gammelVaerdi": None, "nyVaerdi": "AFVENTER"},
                            {"felt": "flyttedato", "gammelVaerdi": None, "nyVaerdi": "2026-11-22"},
                            {
                                "felt": "fraflytningskommunekode",
                                "gammelVaerdi": None,
                                "nyVaerdi": "101",
                            },
                            {
                                "felt": "tilflytningskommunekode",
                                "gammelVaerdi": None,
                                "nyVaerdi": "147",
                            },
                        ],
                        "begrundelse": None,
                    },
                    {
                        "tidspunkt": "2026-11-23T09:15:02.120000+01:00",
                        "aendringstype": "aendret",
                        "kilde": "api",
                        "organisation": {"type": 8, "code": "10100"},
                        "aendringer": [
                            {
                                "felt": "fraflytningsbekraeftelse.tidspunkt",
                                "gammelVaerdi": None,
                                "nyVaerdi": "2026-11-23T09:15:02.120000+01:00",
                            },
                            {
                                "felt": "fraflytningsbekraeftelse.organisation",
                                "gammelVaerdi": None,
                                "nyVaerdi": "8:10100",
                            },
                        ],
                        "begrundelse": None,
                    },
                ],
            },
        ),
    ),
)
FRAFLYTNING = Endpoint(
    operation=Operation.FRAFLYTNING,
    method="POST",
    path="BorgerFlytte/action/bekraeftfraflytning",
    scopes=(scopes.JOBCENTERTILKNYTNING_WRITE,),
    summary="Bekræft fraflytning",
    description="Fraflytningskommunen (kommunen, et af dens jobcentre, eller STAR) bekræfter "
    "fraflytningen. Flowet skal findes, tilhøre borgeren og den aktive organisation skal være "
    "fraflytningssiden, ellers 404 kode 3. En gentaget bekræftelse ændrer intet (204). Når "
    "begge sider har bekræftet, flytter jobcentertilknytningen.",
    success=_NO_CONTENT,
    request=BekraeftelseRequestSerializer,
    cpr_header=True,
    request_id=True,
    writes=True,
    rules=rules.FRAFLYTNING,
    examples=(
        OpenApiExample(
            "Bekræft et flow",
            request_only=True,
            value={"borgerflytningId": "5f0c1a4e-0000-4000-8000-000000000001"},
        ),
    ),
)
TILFLYTNING = Endpoint(
    operation=Operation.TILFLYTNING,
    method="POST",
    path="BorgerFlytte/action/bekraefttilflytning",
    scopes=(scopes.JOBCENTERTILKNYTNING_WRITE,),
    summary="Bekræft tilflytning",
    description="Tilflytningskommunen (kommunen, et af dens jobcentre, eller STAR) bekræfter "
    "tilflytningen. Flowet skal findes og den aktive organisation skal være tilflytningssiden, "
    "ellers 404 kode 3; borgeren er kommunens og jobcentrets egen fra flyttedatoen (bopæl). En "
    "gentaget bekræftelse ændrer intet (204). Når begge sider har bekræftet, flytter "
    "jobcentertilknytningen.",
    success=_NO_CONTENT,
    request=BekraeftelseRequestSerializer,
    request_id=True,
    writes=True,
    rules=rules.TILFLYTNING,
    examples=(
        OpenApiExample(
            "Bekræft et flow",
            request_only=True,
            value={"borgerflytningId": "5f0c1a4e-0000-4000-8000-000000000001"},
        ),
    ),
)

CPR_HAENDELSER = Endpoint(
    operation=Operation.CPR_HAENDELSER,
    method="POST",
    path="CprHaendelser",
    scopes=(scopes.CPRHAENDELSER_WRITE,),
    summary="Modtag hændelser fra CPR (flytning, indrejse, dødsfald)",
    description="CPR-registret indberetter flytninger, første indrejser og dødsfald. Kun for "
    "en systemklient der handler som STAR. 1-1000 hændelser; en forkert formet batch afvises "
    "helt (400 1014), og intet anvendes. Ellers 200 med et resultat pr. hændelse, i den sendte "
    "rækkefølge: `behandlet`, `allerede behandlet` (det `haendelseId` er anvendt før: intet "
    "ændres, samme `borgerflytningId` gives) eller `afvist` med fejl (1014 med feltet, 1010 "
    "for dødsfald for et ukendt CPR). Hver hændelse anvendes for sig; en afvist ændrer intet "
    "og kan sendes igen. `x-requestId` læses ikke: `haendelseId` gør en gentaget batch sikker.",
    success={200: CprHaendelserSvarSerializer},
    request=CprHaendelserSerializer,
    examples=(
        OpenApiExample(
            "En flytning, en indrejse og et dødsfald",
            request_only=True,
            value={
                "haendelser": [
                    {
                        "haendelseId": "cpr-2026-000123",
                        "type": "flytning",
                        "cpr": "0101901234",
                        "fraKommunekode": "0101",
                        "tilKommunekode": "0147",
                        "flyttedato": "2026-12-01",
                    },
                    {
                        "haendelseId": "cpr-2026-000124",
                        "type": "indrejse",
                        "cpr": "0202921234",
                        "tilKommunekode": "101",
                        "dato": "2026-11-20",
                        "kontaktgruppe": "flygtning",
                    },
                    {
                        "haendelseId": "cpr-2026-000125",
                        "type": "doedsfald",
                        "cpr": "0303931234",
                        "doedsdato": "2026-11-18",
                    },
                ]
            },
        ),
        OpenApiExample(
            "Resultater i den sendte rækkefølge",
            response_only=True,
            status_codes=["200"],
            value={
                "resultater": [
                    {
                        "haendelseId": "cpr-2026-000123",
                        "status": "behandlet",
                        "borgerflytningId": "8d1c6f0e-2f4a-4a55-9d0e-6b1b2d7f9a10",
                        "errors": [],
                    },
                    {
                        "haendelseId": "cpr-2026-000124",
                        "status": "allerede behandlet",
                        "borgerflytningId": None,
                        "errors": [],
                    },
                    {
                        "haendelseId": "cpr-2026-000125",
                        "status": "afvist",
                        "borgerflytningId": None,
                        "errors": [{"code": 1010, "text": "Unknown cpr", "field": "cpr"}],
                    },
                ]
            },
        ),
    ),
)
