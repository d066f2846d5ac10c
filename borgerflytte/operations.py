"""The BorgerFlytte operations (seed 000, and the list of SPEC 5), declared once."""

from drf_spectacular.utils import OpenApiResponse

from accessrules import scopes
from accessrules.access.tables import Operation
from accessrules.api.operations import OperationSpec
from borgerflytte import rules
from borgerflytte.serializers import BekraeftelseRequestSerializer, BorgerflytningSerializer

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
