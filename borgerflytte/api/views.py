from rest_framework.response import Response

from accessrules import access
from accessrules.api.filters import StrictFilterBackend
from accessrules.api.views import OperationViewSet, operation
from accessrules.core import errors
from accessrules.core.errors import DomainError
from borgerflytte import haendelser, services
from borgerflytte.api import specs
from borgerflytte.api.filters import BorgerflytningFilter
from borgerflytte.api.pagination import FlytningCursorPagination
from borgerflytte.api.serializers import BorgerflytningMedCprSerializer, BorgerflytningSerializer
from borgerflytte.models import Borgerflytning
from borgerflytte.selectors import synlig_flytning, synlige_flytninger


class BorgerFlytteViewSet(OperationViewSet):
    """BorgerFlytte (seed 000): the two confirmations and the caller's flows."""

    filter_backends = [StrictFilterBackend]
    filterset_class = BorgerflytningFilter
    pagination_class = FlytningCursorPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller
            return Borgerflytning.objects.none()
        flows = synlige_flytninger(self.caller)
        return flows.select_related(*BorgerflytningSerializer.related)

    def get_serializer_class(self):
        return BorgerflytningSerializer if self.action == "list" else super().get_serializer_class()

    @operation(specs.LISTE)
    def list(self, request, message):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(BorgerflytningSerializer(page, many=True).data)

    @operation(specs.HENT)
    def retrieve(self, request, message):
        flow = synlig_flytning(self.caller, self.kwargs["pk"])
        if flow is None:
            raise DomainError.of(errors.ELEMENT_NOT_FOUND)
        self.lookup.borger = flow.borger  # a read of that citizen, in the access log
        return Response(BorgerflytningMedCprSerializer(flow).data)

    @operation(specs.FRAFLYTNING)
    def bekraeft_fraflytning(self, request, message):
        services.bekraeft(
            flytning_id=message.data["borgerflytningId"],
            side=services.FRA,
            caller=self.caller,
            cpr=message.cpr,
            lookup=self.lookup,
        )
        return Response(status=204)

    @operation(specs.TILFLYTNING)
    def bekraeft_tilflytning(self, request, message):
        services.bekraeft(
            flytning_id=message.data["borgerflytningId"],
            side=services.TIL,
            caller=self.caller,
            lookup=self.lookup,
        )
        return Response(status=204)


class CprHaendelserViewSet(OperationViewSet):
    """POST /v1/CprHaendelser (SPEC 5a): the CPR register's events, through the one intake."""

    @operation(specs.CPR_HAENDELSER)
    def create(self, request, message):
        access.require_alle(self.caller, specs.CPR_HAENDELSER.operation)
        resultater = haendelser.modtag_haendelser(
            haendelser=message.data["haendelser"], kilde=f"API-klient {self.caller.client.navn}"
        )
        return Response({"resultater": [resultat.as_dict() for resultat in resultater]})
