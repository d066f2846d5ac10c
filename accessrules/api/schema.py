"""OpenAPI helpers: header parameters, problem+json responses and the access table, so that
every operation documents itself the same way from the same data."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from accessrules import errors
from accessrules.access.tables import Operation, table_markdown
from accessrules.api import headers
from accessrules.cpr import CPR_PATTERN

PROBLEM = "application/problem+json"


class ProblemErrorSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    text = serializers.CharField()
    field = serializers.CharField(required=False)


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details with the service's `errors` list."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = ProblemErrorSerializer(many=True)


CPR_PARAMETER = OpenApiParameter(
    headers.CPR_HEADER,
    {"type": "string", "pattern": f"^(?:{CPR_PATTERN})$"},
    OpenApiParameter.HEADER,
    required=True,
    description="Borgers personnummer: the seed's pattern, and a real calendar date (century "
    "from digit 7). Never in a URL.",
)


def request_id_parameter(*, required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        headers.REQUEST_ID_HEADER,
        {"type": "string", "minLength": 1, "maxLength": headers.REQUEST_ID_MAX_LENGTH},
        OpenApiParameter.HEADER,
        required=required,
        description=(
            "Unikt id for requestet (typisk guid), max 46 tegn. Et id som klienten allerede har "
            "brugt på en gennemført skrivning giver 412."
        ),
    )


ORGANISATION_PARAMETERS = [
    OpenApiParameter(
        headers.ORG_TYPE_HEADER,
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        description="8 JobCenter, 7 Kommune, 4 AndenAktoer, 1 STAR. May be left out by a client "
        "bound to exactly one organisation.",
    ),
    OpenApiParameter(
        headers.ORG_CODE_HEADER,
        {"type": "string", "minLength": 1, "maxLength": headers.ORG_CODE_MAX_LENGTH},
        OpenApiParameter.HEADER,
        description="The active organisation's code (1-20 chars).",
    ),
]


def _codes_with_status(codes: list[int], status: int) -> list[int]:
    return [code for code in codes if errors.lookup(code).status == status]


def problem_responses(codes: list[int]) -> dict:
    """problem+json responses for every status the operation can answer with, listing its codes.
    Every operation can also answer 400 1014, 401, 403 (scope/organisation) and 500."""
    generic = [
        errors.VALIDATION_FAILED,
        errors.NOT_AUTHENTICATED,
        errors.SCOPE_MISSING,
        errors.ORGANISATION_NOT_BOUND,
        errors.INTERNAL_ERROR,
    ]
    all_codes = sorted(set(codes) | set(generic))
    statuses = sorted({errors.lookup(code).status for code in all_codes})
    responses = {}
    for status in statuses:
        lines = [
            f"- `{code}` {errors.lookup(code).text}"
            for code in _codes_with_status(all_codes, status)
        ]
        responses[(status, PROBLEM)] = OpenApiResponse(ProblemSerializer, "\n".join(lines))
    return responses


def borgerindsats_operation(
    *,
    operation: Operation,
    summary: str,
    description: str,
    codes: list[int],
    success: dict,
    cpr_header: bool,
    request_id: bool | None,  # None: not read; False: optional; True: required
    request=None,
    with_table: bool = True,
    extra_parameters: list | None = None,
):
    """extend_schema for one operation; the access table is rendered from accessrules data."""
    parameters = list(ORGANISATION_PARAMETERS)
    if cpr_header:
        parameters.append(CPR_PARAMETER)
    if request_id is not None:
        parameters.append(request_id_parameter(required=request_id))
    parameters += extra_parameters or []
    text = description
    if with_table:
        text = f"{description}\n\n{table_markdown(operation)}"
    return extend_schema(
        operation_id=operation.value,
        summary=summary,
        description=text,
        parameters=parameters,
        request=request,
        responses={**success, **problem_responses(codes)},
    )


def only_public_api(endpoints):
    """Preprocessing hook: the schema documents the API and health check, not admin/oauth."""
    return [e for e in endpoints if e[0].startswith("/v1/") or e[0] == "/healthz"]


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """OpenAPI for CachedOAuth2Authentication: client credentials, the action's scopes."""

    target_class = "accessrules.api.authentication.CachedOAuth2Authentication"
    name = "oauth2"

    def get_security_requirement(self, auto_schema):
        scopes = getattr(auto_schema.view, "required_scopes", {})
        return {self.name: scopes.get(getattr(auto_schema.view, "action", None), [])}

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {"tokenUrl": "/oauth/token/", "scopes": settings.API_SCOPES}
            },
        }
