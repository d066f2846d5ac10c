"""OpenAPI helpers: header parameters, problem+json responses and the access table, so that
every operation documents itself the same way from the same data."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from accessrules import errors, scopes
from accessrules.access.tables import table_markdown
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


def problem_responses(codes: set[int]) -> dict:
    """problem+json responses for every status the operation can answer with, listing its
    codes (the spec's complete list: see OperationSpec.error_codes)."""
    all_codes = sorted(codes)
    statuses = sorted({errors.lookup(code).status for code in all_codes})
    responses = {}
    for status in statuses:
        lines = [
            f"- `{code}` {errors.lookup(code).text}"
            for code in _codes_with_status(all_codes, status)
        ]
        responses[(status, PROBLEM)] = OpenApiResponse(ProblemSerializer, "\n".join(lines))
    return responses


def extend_schema_for(spec):
    """extend_schema for one operation, all of it from its spec; the access table is rendered
    from the same data the access decision uses."""
    parameters = list(ORGANISATION_PARAMETERS)
    if spec.cpr_header:
        parameters.append(CPR_PARAMETER)
    if spec.request_id is not None:
        parameters.append(request_id_parameter(required=spec.request_id))
    parameters += list(spec.parameters)
    text = spec.description
    if spec.access_table:
        text = f"{text}\n\n{table_markdown(spec.operation)}"
    return extend_schema(
        operation_id=spec.operation.value,
        summary=spec.summary,
        description=text,
        parameters=parameters,
        request=spec.request,
        responses={**spec.success, **problem_responses(spec.error_codes())},
        examples=list(spec.examples),
    )


def spec_of(view):
    """The OperationSpec of the action a view serves, or None."""
    return getattr(getattr(view, getattr(view, "action", None) or "", None), "spec", None)


def only_public_api(endpoints):
    """Preprocessing hook: the schema documents the API and health check, not admin/oauth."""
    return [e for e in endpoints if e[0].startswith("/v1/") or e[0] == "/healthz"]


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """OpenAPI for BearerTokenAuthentication: client credentials, the operation's scopes."""

    target_class = "accessrules.api.authentication.BearerTokenAuthentication"
    name = "oauth2"

    def get_security_requirement(self, auto_schema):
        spec = spec_of(auto_schema.view)
        return {self.name: [scope.navn for scope in spec.scopes] if spec else []}

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {"tokenUrl": "/oauth/token/", "scopes": scopes.descriptions()}
            },
        }
