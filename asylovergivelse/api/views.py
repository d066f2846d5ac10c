from rest_framework.response import Response

from accessrules.api.views import Answer, EndpointViewSet, serves
from asylovergivelse import selectors, services
from asylovergivelse.api import endpoints, serializers
from asylovergivelse.rules import Overgivelsesdata


class AsylovergivelseViewSet(EndpointViewSet):
    """GetAsylOvergivelse, CreateAsylOvergivelse and UpdateAsylOvergivelse (seed 002), and
    our reads by id and of the history."""

    @serves(endpoints.HENT)
    def retrieve(self, request, message):
        adgang, data = selectors.hent_asylovergivelse(caller=self.caller, cpr=message.cpr)
        body = {"civilRegistrationIdentifier": adgang.borger.cpr, "asylovergivelsesdata": data}
        return Answer(Response(serializers.HentAsylOvergivelseSerializer(body).data), adgang)

    @serves(endpoints.HENT_VED_ID)
    def retrieve_by_id(self, request, message):
        adgang, data = selectors.hent_asylovergivelse_ved_id(
            caller=self.caller, ekstern_id=self.kwargs["pk"]
        )
        body = {"civilRegistrationIdentifier": adgang.borger.cpr, "asylovergivelsesdata": data}
        return Answer(Response(serializers.HentAsylOvergivelseSerializer(body).data), adgang)

    @serves(endpoints.HISTORIK)
    def historik(self, request, message):
        adgang, posts = selectors.hent_historik(caller=self.caller, cpr=message.cpr)
        body = serializers.AsylHistorikSerializer({"historik": posts}).data
        return Answer(Response(body), adgang)

    @serves(endpoints.OPRET)
    def create(self, request, message):
        adgang, _ = services.opret_asylovergivelse(
            caller=self.caller, cpr=message.cpr, data=Overgivelsesdata.from_seed(message.data)
        )
        return Answer(Response(status=201), adgang)

    @serves(endpoints.RET)
    def update(self, request, message):
        adgang, _ = services.ret_asylovergivelse(
            caller=self.caller, cpr=message.cpr, data=Overgivelsesdata.from_seed(message.data)
        )
        return Answer(Response(status=204), adgang)
