"""The three Asylovergivelse operations of seed 002, declared once (see OperationSpec)."""

from drf_spectacular.utils import OpenApiResponse

from accessrules import scopes
from accessrules.access.tables import Operation
from accessrules.api.operations import OperationSpec
from asylovergivelse import rules, serializers

HENT = OperationSpec(
    operation=Operation.GET_ASYL,
    scopes=(scopes.ASYLOVERGIVELSE_READ,),
    summary="Hent asylovergivelsesdata for en borger",
    description="Metode til at hente asylovergivelsesdata, for en given borger. "
    "`asylovergivelsesdata` is null when the citizen has none.",
    success={200: serializers.HentAsylOvergivelseSerializer},
    cpr_header=True,
)
OPRET = OperationSpec(
    operation=Operation.CREATE_ASYL,
    scopes=(scopes.ASYLOVERGIVELSE_WRITE,),
    summary="Opret overgivelsesdato, tidlige overtagelsesdatoer m.v.",
    description="Opretter overgivelsesdato, CV-frist og tidlige overtagelsesdatoer for en "
    "borger, der har opnået asyl. Answers 201 with an empty body.",
    success={201: OpenApiResponse(description="Oprettet (kun status)")},
    request=serializers.OpretAsylOvergivelseSerializer,
    cpr_header=True,
    request_id=False,
    writes=True,
    rules=(*rules.OPRET, *rules.EFTER_SKRIVNING),
)
RET = OperationSpec(
    operation=Operation.UPDATE_ASYL,
    scopes=(scopes.ASYLOVERGIVELSE_WRITE,),
    summary="Opdater overgivelsesdato, tidlige overtagelsesdatoer, CV-frist m.v.",
    description="Opdaterer en borgers asylovergivelse. A changed overgivelsesdato needs a "
    "kommentar. Answers 204.",
    success={204: OpenApiResponse(description="Opdateret (kun status)")},
    request=serializers.RetAsylOvergivelseSerializer,
    cpr_header=True,
    request_id=False,
    writes=True,
    rules=(*rules.RET, *rules.EFTER_SKRIVNING),
)
