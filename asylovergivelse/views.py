from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse
from rest_framework.response import Response

from accessrules.access.tables import Operation
from accessrules.api.schema import borgerindsats_operation
from accessrules.api.views import BorgerindsatsViewSet
from asylovergivelse import serializers, services
from asylovergivelse.models import Asylovergivelse
from asylovergivelse.rules import Overgivelsesdata

READ = "borgerindsats.asylovergivelse.read"
WRITE = "borgerindsats.asylovergivelse.write"

_RULES = [9196, 9197, 9198, 9243, 9244, 9295, 9296]
_ACCESS = [1010, 6005]


class AsylovergivelseViewSet(BorgerindsatsViewSet):
    """GetAsylOvergivelse, CreateAsylOvergivelse and UpdateAsylOvergivelse (seed 002)."""

    operations = {
        "retrieve": Operation.GET_ASYL,
        "create": Operation.CREATE_ASYL,
        "update": Operation.UPDATE_ASYL,
    }
    required_scopes = {"retrieve": [READ], "create": [WRITE], "update": [WRITE]}
    cpr_header_actions = frozenset({"retrieve", "create", "update"})
    request_id_actions = {"create": False, "update": False}
    citizen_related = {"retrieve": ("asylovergivelse",)}
    serializer_classes = {
        "create": serializers.OpretAsylOvergivelseSerializer,
        "update": serializers.RetAsylOvergivelseSerializer,
        "retrieve": serializers.HentAsylOvergivelseSerializer,
    }

    def get_serializer_class(self):
        return self.serializer_classes.get(self.action, serializers.OpretAsylOvergivelseSerializer)

    @borgerindsats_operation(
        operation=Operation.GET_ASYL,
        summary="Hent asylovergivelsesdata for en borger",
        description="Metode til at hente asylovergivelsesdata, for en given borger. "
        "`asylovergivelsesdata` is null when the citizen has none.",
        codes=_ACCESS,
        success={200: serializers.HentAsylOvergivelseSerializer},
        cpr_header=True,
        request_id=None,
    )
    def retrieve(self, request):
        message = self.read_message(body=False)
        borger = self.get_citizen(message.cpr)
        try:
            data = borger.asylovergivelse  # loaded with the citizen
        except Asylovergivelse.DoesNotExist:
            data = None
        body = {"civilRegistrationIdentifier": borger.cpr, "asylovergivelsesdata": data}
        return Response(serializers.HentAsylOvergivelseSerializer(body).data)

    @borgerindsats_operation(
        operation=Operation.CREATE_ASYL,
        summary="Opret overgivelsesdato, tidlige overtagelsesdatoer m.v.",
        description="Opretter overgivelsesdato, CV-frist og tidlige overtagelsesdatoer for en "
        "borger, der har opnået asyl. Answers 201 with an empty body.",
        codes=[*_ACCESS, *_RULES, 9302, 9336, 4753, 4754, 4823, 9338, 9346, 41200],
        request=serializers.OpretAsylOvergivelseSerializer,
        success={201: OpenApiResponse(description="Oprettet (kun status)")},
        cpr_header=True,
        request_id=False,
    )
    def create(self, request):
        message = self.read_message()
        borger = self.get_citizen(message.cpr)
        services.opret_asylovergivelse(
            borger=borger,
            data=Overgivelsesdata.from_seed(message.data),
            caller=request.caller,
            today=timezone.localdate(),
        )
        return Response(status=201)

    @borgerindsats_operation(
        operation=Operation.UPDATE_ASYL,
        summary="Opdater overgivelsesdato, tidlige overtagelsesdatoer, CV-frist m.v.",
        description="Opdaterer en borgers asylovergivelse. A changed overgivelsesdato needs a "
        "kommentar. Answers 204.",
        codes=[*_ACCESS, *_RULES, 9200, 9201, 9202, 9346, 41200],
        request=serializers.RetAsylOvergivelseSerializer,
        success={204: OpenApiResponse(description="Opdateret (kun status)")},
        cpr_header=True,
        request_id=False,
    )
    def update(self, request):
        message = self.read_message()
        borger = self.get_citizen(message.cpr)
        services.ret_asylovergivelse(
            borger=borger,
            data=Overgivelsesdata.from_seed(message.data),
            caller=request.caller,
            today=timezone.localdate(),
        )
        return Response(status=204)
