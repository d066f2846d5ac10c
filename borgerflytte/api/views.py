from rest_framework.response import Response

from accessrules import access
from accessrules.api.filters import StrictFilterBackend
from accessrules.api.problems import error_entry
from accessrules.api.views import Answer, EndpointViewSet, serves
from borgerflytte import haendelser, services
from borgerflytte.api import endpoints
from borgerflytte.api.filters import BorgerflytningFilter
from borgerflytte.api.pagination import FlytningCursorPagination
from borgerflytte.api.serializers import (
    BorgerflytningHistorikSerializer,
    BorgerflytningMedCprSerializer,
    BorgerflytningSerializer,
)
from borgerflytte.models import Borgerflytning
from borgerflytte.selectors import hent_flytning, hent_historik, med_bopael_i_b, synlige_flytninger


class BorgerFlytteViewSet(EndpointViewSet):
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

    @serves(endpoints.LISTE)
    def list(self, request, message):
        page = med_bopael_i_b(
            list(self.paginate_queryset(self.filter_queryset(self.get_queryset()))), self.caller
        )
        items = BorgerflytningSerializer(page, many=True, context={"caller": self.caller})
        return Answer(self.get_paginated_response(items.data))

    @serves(endpoints.HENT)
    def retrieve(self, request, message):
        adgang, flow = hent_flytning(self.caller, self.kwargs["pk"])  # a read of that citizen
        body = BorgerflytningMedCprSerializer(flow, context={"caller": self.caller}).data
        return Answer(Response(body), adgang)

    @serves(endpoints.HISTORIK)
    def historik(self, request, message):
        flytning_id = self.kwargs["borgerflytningId"]
        adgang, posts = hent_historik(self.caller, flytning_id)  # a read of that citizen
        body = {"borgerflytningId": flytning_id, "historik": posts}
        return Answer(Response(BorgerflytningHistorikSerializer(body).data), adgang)

    @serves(endpoints.FRAFLYTNING)
    def bekraeft_fraflytning(self, request, message):
        adgang, _ = services.bekraeft(
            flytning_id=message.data["borgerflytningId"],
            side=services.FRA,
            caller=self.caller,
            cpr=message.cpr,
        )
        return Answer(Response(status=204), adgang)

    @serves(endpoints.TILFLYTNING)
    def bekraeft_tilflytning(self, request, message):
        adgang, _ = services.bekraeft(
            flytning_id=message.data["borgerflytningId"], side=services.TIL, caller=self.caller
        )
        return Answer(Response(status=204), adgang)


class CprHaendelserViewSet(EndpointViewSet):
    """POST /v1/CprHaendelser (SPEC 5a): the CPR register's events, through the one intake."""

    @serves(endpoints.CPR_HAENDELSER)
    def create(self, request, message):
        access.require_alle(self.caller, endpoints.CPR_HAENDELSER.operation)
        resultater = haendelser.modtag_haendelser(
            haendelser=message.data["haendelser"], kilde=f"API-klient {self.caller.client.navn}"
        )
        items = [
            {**resultat.as_dict(), "errors": [error_entry(v) for v in resultat.errors]}
            for resultat in resultater
        ]
        return Answer(Response({"resultater": items}))
