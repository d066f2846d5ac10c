"""A probe operation on the base viewset, routed only in these tests, so that the shared
plumbing is tested without depending on a domain app."""

from rest_framework import serializers
from rest_framework.response import Response

from accessrules import access
from accessrules.access.tables import Operation
from accessrules.accesslog.requestid import claim_request_id
from accessrules.api.endpoints import Endpoint
from accessrules.api.routes import routes
from accessrules.api.views import Answer, EndpointViewSet, serves
from accessrules.oauth import scopes

SCOPE = scopes.ASYLOVERGIVELSE_WRITE.navn


class ProbeSerializer(serializers.Serializer):
    antal = serializers.IntegerField(min_value=1)
    navn = serializers.CharField(max_length=5)


CREATE = Endpoint(
    operation=Operation.CREATE_ASYL,
    method="POST",
    path="probe",
    scopes=(scopes.ASYLOVERGIVELSE_WRITE,),
    summary="probe",
    description="probe",
    success={},
    request=ProbeSerializer,
    cpr_header=True,
    request_id=True,
    writes=True,
)
RETRIEVE = Endpoint(
    operation=Operation.GET_ASYL,
    method="GET",
    path="probe",
    scopes=(scopes.ASYLOVERGIVELSE_READ,),
    summary="probe",
    description="probe",
    success={},
    cpr_header=True,
)


class ProbeViewSet(EndpointViewSet):
    @serves(CREATE)
    def create(self, request, message):
        adgang = access.require(self.caller, Operation.CREATE_ASYL, cpr=message.cpr)
        claim_request_id(caller=self.caller, operation=Operation.CREATE_ASYL)
        if message.data["navn"] == "boom":
            raise RuntimeError("probe failure after claiming the request id 0101901234")
        return Answer(Response(status=201), adgang)

    @serves(RETRIEVE)
    def retrieve(self, request, message):
        adgang = access.require(self.caller, Operation.GET_ASYL, cpr=message.cpr)
        return Answer(Response({"cpr": adgang.borger.cpr}), adgang)


urlpatterns = routes(ProbeViewSet)

handler404 = "accessrules.api.problems.handler404"
handler500 = "accessrules.api.problems.handler500"
