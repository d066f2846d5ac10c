from drf_spectacular.utils import OpenApiResponse
from rest_framework.response import Response

from accessrules.access.tables import Operation
from accessrules.api.filters import StrictFilterBackend
from accessrules.api.schema import borgerindsats_operation
from accessrules.api.views import BorgerindsatsViewSet
from accessrules.compiled import compiled_once
from borgerflytte import services
from borgerflytte.filters import BorgerflytningFilter, flows_visible_to
from borgerflytte.models import Borgerflytning, with_organisations
from borgerflytte.pagination import FlytningCursorPagination
from borgerflytte.serializers import BekraeftelseRequestSerializer, BorgerflytningSerializer

READ = "borgerkommunikation.jobcentertilknytning.read"
WRITE = "borgerkommunikation.jobcentertilknytning.write"
_NO_CONTENT = {204: OpenApiResponse(description="Intet output")}


class BorgerFlytteViewSet(BorgerindsatsViewSet):
    """BorgerFlytte (seed 000): the two confirmations and the caller's flows."""

    operations = {
        "bekraeft_fraflytning": Operation.FRAFLYTNING,
        "bekraeft_tilflytning": Operation.TILFLYTNING,
        "list": Operation.LIST_FLYTNINGER,
    }
    required_scopes = {
        "bekraeft_fraflytning": [WRITE],
        "bekraeft_tilflytning": [WRITE],
        "list": [READ],
    }
    cpr_header_actions = frozenset({"bekraeft_fraflytning"})
    request_id_actions = {"bekraeft_fraflytning": True, "bekraeft_tilflytning": True}
    filter_backends = [StrictFilterBackend]
    filterset_class = BorgerflytningFilter
    pagination_class = FlytningCursorPagination

    def get_serializer_class(self):
        if self.action == "list":
            return BorgerflytningSerializer
        return BekraeftelseRequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller
            return Borgerflytning.objects.none()
        flows = Borgerflytning.objects.only(*BorgerflytningSerializer.columns)
        return flows_visible_to(self.request, compiled_once(flows))

    @borgerindsats_operation(
        operation=Operation.LIST_FLYTNINGER,
        summary="List the caller's relocation flows",
        description="The flows where the active organisation is the fraflytningskommune or the "
        "tilflytningskommune (a jobcentre counts as its kommune); STAR sees all. Newest "
        "flyttedato first, cursor-paged: `limit` (1-500) sets the page size, `next` and "
        "`previous` are the links to follow. Unknown query parameters are refused (1014). "
        "No CPR.",
        codes=[],
        success={200: BorgerflytningSerializer(many=True)},
        cpr_header=False,
        request_id=None,
        with_table=False,
    )
    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = with_organisations(self.paginate_queryset(queryset))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @borgerindsats_operation(
        operation=Operation.FRAFLYTNING,
        summary="CreateFraflytningsbekraeftelse",
        description="Fraflytningskommunen (or one of its jobcentres, or STAR) confirms the "
        "move-out. A repeated confirmation is a no-op.",
        codes=[1010, 6005, 3, 60007, 41200],
        request=BekraeftelseRequestSerializer,
        success=_NO_CONTENT,
        cpr_header=True,
        request_id=True,
    )
    def bekraeft_fraflytning(self, request):
        message = self.read_message()
        services.bekraeft(
            flytning_id=message.data["borgerflytningId"],
            side=services.FRA,
            caller=request.caller,
            cpr=message.cpr,
            check_access=self.check_citizen_access,
        )
        return Response(status=204)

    @borgerindsats_operation(
        operation=Operation.TILFLYTNING,
        summary="CreateTilflytningsbekraeftelse",
        description="Tilflytningskommunen (or one of its jobcentres, or STAR) confirms the "
        "move-in. When both sides are confirmed the jobcentre affiliation moves.",
        codes=[3, 6005, 41200],
        request=BekraeftelseRequestSerializer,
        success=_NO_CONTENT,
        cpr_header=False,
        request_id=True,
    )
    def bekraeft_tilflytning(self, request):
        message = self.read_message()
        services.bekraeft(
            flytning_id=message.data["borgerflytningId"],
            side=services.TIL,
            caller=request.caller,
            check_access=self.check_citizen_access,
        )
        return Response(status=204)
