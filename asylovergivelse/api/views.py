from rest_framework.response import Response

from accessrules.api.views import OperationViewSet, operation
from asylovergivelse import selectors, services
from asylovergivelse.api import serializers, specs
from asylovergivelse.rules import Overgivelsesdata


class AsylovergivelseViewSet(OperationViewSet):
    """GetAsylOvergivelse, CreateAsylOvergivelse and UpdateAsylOvergivelse (seed 002)."""

    @operation(specs.HENT)
    def retrieve(self, request, message):
        adgang, data = selectors.hent_asylovergivelse(
            caller=self.caller, cpr=message.cpr, lookup=self.lookup
        )
        body = {"civilRegistrationIdentifier": adgang.borger.cpr, "asylovergivelsesdata": data}
        return Response(serializers.HentAsylOvergivelseSerializer(body).data)

    @operation(specs.HENT_VED_ID)
    def retrieve_by_id(self, request, message):
        adgang, data = selectors.hent_asylovergivelse_ved_id(
            caller=self.caller, ekstern_id=self.kwargs["pk"], lookup=self.lookup
        )
        body = {"civilRegistrationIdentifier": adgang.borger.cpr, "asylovergivelsesdata": data}
        return Response(serializers.HentAsylOvergivelseSerializer(body).data)

    @operation(specs.OPRET)
    def create(self, request, message):
        services.opret_asylovergivelse(
            caller=self.caller,
            cpr=message.cpr,
            data=Overgivelsesdata.from_seed(message.data),
            lookup=self.lookup,
        )
        return Response(status=201)

    @operation(specs.RET)
    def update(self, request, message):
        services.ret_asylovergivelse(
            caller=self.caller,
            cpr=message.cpr,
            data=Overgivelsesdata.from_seed(message.data),
            lookup=self.lookup,
        )
        return Response(status=204)
