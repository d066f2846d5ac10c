"""The BorgerFlytte operations (seed 000, and the list of SPEC 5), declared once."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse

from accessrules import scopes
from accessrules.access.tables import Operation
from accessrules.api.operations import OperationSpec
from borgerflytte import rules
from borgerflytte.serializers import (
    BekraeftelseRequestSerializer,
    BorgerflytningSerializer,
    CprHaendelserSerializer,
    CprHaendelserSvarSerializer,
)

_NO_CONTENT = {204: OpenApiResponse(description="Intet output")}

LISTE = OperationSpec(
    operation=Operation.LIST_FLYTNINGER,
    scopes=(scopes.JOBCENTERTILKNYTNING_READ,),
    summary="List the caller's relocation flows",
    description="The flows where the active organisation is the fraflytningskommune or the "
    "tilflytningskommune (a jobcentre counts as its kommune); STAR sees all. Newest "
    "flyttedato first, cursor-paged: `limit` (1-500) sets the page size, `next` and "
    "`previous` are the links to follow. Unknown query parameters are refused (1014). "
    "No CPR.",
    success={200: BorgerflytningSerializer(many=True)},
    access_table=False,
)
FRAFLYTNING = OperationSpec(
    operation=Operation.FRAFLYTNING,
    scopes=(scopes.JOBCENTERTILKNYTNING_WRITE,),
    summary="CreateFraflytningsbekraeftelse",
    description="Fraflytningskommunen (or one of its jobcentres, or STAR) confirms the "
    "move-out. A repeated confirmation is a no-op.",
    success=_NO_CONTENT,
    request=BekraeftelseRequestSerializer,
    cpr_header=True,
    request_id=True,
    writes=True,
    rules=rules.FRAFLYTNING,
)
TILFLYTNING = OperationSpec(
    operation=Operation.TILFLYTNING,
    scopes=(scopes.JOBCENTERTILKNYTNING_WRITE,),
    summary="CreateTilflytningsbekraeftelse",
    description="Tilflytningskommunen (or one of its jobcentres, or STAR) confirms the "
    "move-in. When both sides are confirmed the jobcentre affiliation moves.",
    success=_NO_CONTENT,
    request=BekraeftelseRequestSerializer,
    request_id=True,
    writes=True,
    rules=rules.TILFLYTNING,
)

CPR_HAENDELSER = OperationSpec(
    operation=Operation.CPR_HAENDELSER,
    scopes=(scopes.CPRHAENDELSER_WRITE,),
    summary="Modtag hændelser fra CPR (flytning, indrejse, dødsfald)",
    description="The CPR register reports moves, first registrations and deaths (SPEC 5a). "
    "For a system client acting as STAR only. 1-1000 events; a malformed batch is refused "
    "whole (400 1014) and nothing is applied. Otherwise 200 with a result per event, in the "
    "order sent: `behandlet`, `allerede behandlet` (that `haendelseId` was applied before: "
    "nothing changes, the same `borgerflytningId` is given) or `afvist` with its errors (1014 "
    "naming the field, 1010 for a death of an unknown CPR). Each event is applied on its own; "
    "a rejected one changes nothing and may be sent again. `x-requestId` is not read: "
    "`haendelseId` makes a retried batch safe.",
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
