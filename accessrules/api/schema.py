"""OpenAPI helpers: header parameters, problem+json responses and the access table, so that
every operation documents itself the same way from the same data."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from accessrules.access.organisationstyper import typebeskrivelse
from accessrules.access.tables import table_markdown
from accessrules.api import headers
from accessrules.api.endpoints import endpoint_of
from accessrules.api.problems import problem_body
from accessrules.api.serializers import StrictSerializer
from accessrules.core import errors
from accessrules.core.caller import REQUEST_ID_HEADER, REQUEST_ID_MAX_LENGTH
from accessrules.core.cpr import CPR_PATTERN
from accessrules.oauth import scopes

PROBLEM = "application/problem+json"


class ProblemErrorSerializer(serializers.Serializer):
    code = serializers.IntegerField(
        help_text="Fejlkode (fra STARs servicebeskrivelse, eller servicens egne 4xx00-50000)"
    )
    text = serializers.CharField(help_text="Fejltekst, ordret som i STARs servicebeskrivelse")
    field = serializers.CharField(
        required=False, help_text="Feltet, headeren eller parameteren med fejlen, hvor det er ét"
    )
    detail = serializers.CharField(
        required=False,
        help_text="Kort engelsk sætning: hvad der er galt, og hvordan det rettes (det ventede "
        'format eller mønster, grænsen, "unknown key", "empty"). Aldrig et CPR-nummer.',
    )


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details with the service's `errors` list."""

    type = serializers.CharField(
        help_text="URL til tjenestens side om (den første) fejlkode, `/fejl/<kode>`: teksten, "
        "hvad den betyder, hvordan den rettes, og hvilke operationer der kan svare med den. "
        "Alle koder: `/fejl/`."
    )
    title = serializers.CharField(help_text="HTTP-statussens navn")
    status = serializers.IntegerField(help_text="HTTP-status")
    detail = serializers.CharField(help_text="Den første fejls tekst, eller antallet af fejl")
    errors = ProblemErrorSerializer(many=True, help_text="Fejlene (højst 100)")


CPR_PARAMETER = OpenApiParameter(
    headers.CPR_HEADER,
    {"type": "string", "pattern": f"^(?:{CPR_PATTERN})$"},
    OpenApiParameter.HEADER,
    required=True,
    description="Borgers personnummer: mønstret fra STARs servicebeskrivelse, og en rigtig "
    "kalenderdato (århundrede efter 7. ciffer). Aldrig i en URL.",
)


def request_id_parameter(*, required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        REQUEST_ID_HEADER,
        {
            "type": "string",
            "minLength": 1,
            "maxLength": REQUEST_ID_MAX_LENGTH,
            "pattern": headers.PRINTABLE_PATTERN,
        },
        OpenApiParameter.HEADER,
        required=required,
        description=(
            "Unikt id for requestet (typisk guid). Hvis api'et modtager samme requestId mere end "
            "én gang returneres http status kode 412. Max længde for id'et er 46 chars"
            + ("" if required else ". Valgfri her; sendes det, gælder det samme.")
        ),
    )


# OpenAPI cannot say "both or neither" of two headers: the descriptions say it (issue 20).
BOTH_OR_NEITHER = (
    " Sendes sammen med `{other}`: begge eller ingen af dem (den ene alene giver 400 1014); "
    "ingen af dem kun for en klient der er knyttet til én organisation."
)
ORGANISATION_PARAMETERS = [
    OpenApiParameter(
        headers.ORG_TYPE_HEADER,
        {"type": "integer", "minimum": 0, "maximum": headers.ORG_TYPE_MAX},
        OpenApiParameter.HEADER,
        description=f"Den aktive organisations type: {typebeskrivelse()}."
        + BOTH_OR_NEITHER.format(other=headers.ORG_CODE_HEADER),
    ),
    OpenApiParameter(
        headers.ORG_CODE_HEADER,
        {
            "type": "string",
            "minLength": 1,
            "maxLength": headers.ORG_CODE_MAX_LENGTH,
            "pattern": headers.PRINTABLE_PATTERN,
        },
        OpenApiParameter.HEADER,
        description="Den aktive organisations kode (1-20 tegn), fx `101` (kommune), `10100` "
        "(jobcenter), `STAR`." + BOTH_OR_NEITHER.format(other=headers.ORG_TYPE_HEADER),
    ),
]


def _codes_with_status(codes: list[int], status: int) -> list[int]:
    return [code for code in codes if errors.lookup(code).status == status]


def problem_responses(codes: set[int]) -> dict:
    """problem+json responses for every status the operation can answer with, listing its
    codes (the endpoint's complete list: see Endpoint.error_codes)."""
    all_codes = sorted(codes)
    statuses = sorted({errors.lookup(code).status for code in all_codes})
    responses = {}
    for status in statuses:
        lines = [
            f"- [`{code}`](/fejl/{code}) {errors.lookup(code).text}"
            for code in _codes_with_status(all_codes, status)
        ]
        examples = [
            OpenApiExample(
                f"{code}",
                value=problem_body(status, [errors.Violation(code)]),
                summary=errors.lookup(code).text,
                response_only=True,
                status_codes=[str(status)],
                media_type=PROBLEM,
            )
            for code in _codes_with_status(all_codes, status)
        ]
        responses[(status, PROBLEM)] = OpenApiResponse(
            ProblemSerializer, "\n".join(lines), examples=examples
        )
    return responses


def extend_schema_for(endpoint):
    """extend_schema for one operation, all of it from its endpoint; the access table is rendered
    from the same data the access decision uses."""
    parameters = list(ORGANISATION_PARAMETERS)
    if endpoint.cpr_header:
        parameters.append(CPR_PARAMETER)
    if endpoint.request_id is not None:
        parameters.append(request_id_parameter(required=endpoint.request_id))
    parameters += list(endpoint.parameters)
    text = endpoint.description
    if endpoint.access_table:
        text = f"{text}\n\n{table_markdown(endpoint.operation)}"
    return extend_schema(
        operation_id=str(endpoint.operation),
        summary=endpoint.summary,
        description=text,
        parameters=parameters,
        request=endpoint.request,
        responses={**endpoint.success, **problem_responses(endpoint.error_codes())},
        examples=list(endpoint.examples),
    )


def strict_request_schemas(result, generator, request, public):
    """Postprocessing hook: a request schema whose serializer refuses unknown keys
    (StrictSerializer: 1014) says so, `additionalProperties: false`."""
    strict, todo = set(), [StrictSerializer]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        strict.add(cls.__name__.removesuffix("Serializer"))
    schemas = result.get("components", {}).get("schemas", {})
    for name in strict:
        for component in (name, f"{name}Request"):
            if component in schemas:
                schemas[component]["additionalProperties"] = False
    return result


# SPEC 8: a date (or a date-time) outside 1900-01-01..2199-12-31 is 400 1014; JSON Schema has no
# minimum for a date, so the year's range is a pattern (a midnight date-time still matches)
DATE_RANGE_PATTERN = "^(19|20|21)[0-9]{2}-"


def date_range_patterns(result, generator, request, public):
    """Postprocessing hook: every `format: date` or `date-time` string says SPEC 8's range."""
    pending = [result]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if node.get("type") == "string" and node.get("format") in ("date", "date-time"):
                node.setdefault("pattern", DATE_RANGE_PATTERN)
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return result


def only_public_api(endpoints):
    """Preprocessing hook: the schema documents the API and health check, not admin/oauth."""
    return [e for e in endpoints if e[0].startswith("/v1/") or e[0] == "/healthz"]


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """OpenAPI for BearerTokenAuthentication: client credentials with the operation's scopes,
    or a bearer token obtained beforehand (Swagger UI's Authorize offers both)."""

    target_class = "accessrules.api.authentication.BearerTokenAuthentication"
    name = ["oauth2", "bearer"]

    def get_security_requirement(self, auto_schema):
        endpoint = endpoint_of(auto_schema.view)
        return [
            {"oauth2": [scope.navn for scope in endpoint.scopes] if endpoint else []},
            {"bearer": []},
        ]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "oauth2",
                "description": "Den enkle vej: indtast klientens `client_id` og "
                "`client_secret` (fra `create_api_client`) og tryk Authorize; Swagger UI henter "
                "et token fra `POST /oauth/token/` med de scopes klienten må bede om.",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "/oauth/token/",
                        "scopes": scopes.descriptions(),
                    }
                },
            },
            {
                "type": "http",
                "scheme": "bearer",
                "description": "Kun hvis du allerede har et token: indsæt værdien af "
                "`access_token` fra `POST /oauth/token/`, alene (uden `Bearer `); det skal have "
                "operationens scope. Ellers: brug oauth2-boksen ovenfor med klientens id og "
                "hemmelighed, så henter Swagger UI selv tokenet.",
            },
        ]
