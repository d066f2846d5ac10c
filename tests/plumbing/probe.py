"""A probe operation on the base viewset, routed only in these tests, so that the shared
plumbing is tested without depending on a domain app."""

from django.db import transaction
from django.urls import path
from rest_framework import serializers
from rest_framework.response import Response

from accessrules.access.tables import Operation
from accessrules.api.views import BorgerindsatsViewSet
from accessrules.services import claim_request_id

SCOPE = "borgerindsats.asylovergivelse.write"


class ProbeSerializer(serializers.Serializer):
    antal = serializers.IntegerField(min_value=1)
    navn = serializers.CharField(max_length=5)


class ProbeViewSet(BorgerindsatsViewSet):
    serializer_class = ProbeSerializer
    operations = {"create": Operation.CREATE_ASYL, "retrieve": Operation.GET_ASYL}
    required_scopes = {"create": [SCOPE], "retrieve": ["borgerindsats.asylovergivelse.read"]}
    cpr_header_actions = frozenset({"create", "retrieve"})
    request_id_actions = {"create": True}

    def create(self, request):
        message = self.read_message()
        self.get_citizen(message.cpr)
        with transaction.atomic():
            claim_request_id(caller=request.caller, operation=self.operation)
            if message.data["navn"] == "boom":
                raise RuntimeError("probe failure after claiming the request id 0101901234")
        return Response(status=201)

    def retrieve(self, request):
        message = self.read_message(body=False)
        borger = self.get_citizen(message.cpr)
        return Response({"cpr": borger.cpr})


urlpatterns = [
    path("probe", ProbeViewSet.as_view({"post": "create", "get": "retrieve"})),
]

handler404 = "accessrules.api.problems.handler404"
handler500 = "accessrules.api.problems.handler500"
