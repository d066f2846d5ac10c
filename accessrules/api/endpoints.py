"""How the API serves one seed operation, declared once: `Endpoint` (`@serves(endpoint)` in
`accessrules.api.views` serves it with a viewset's action).

An endpoint names its seed operation, its HTTP method and path, its scopes, the headers it
reads, its serializers and the rules it runs. An operation that is not in `Operation` is
declared here with its endpoint: its name, its "Tilladte organisationer" table (`table`, as
the seed page writes it; enrolled in `accessrules.access.tables` by `declare`) and its Danish
name for the access log (`navn`), so that a new read-only endpoint touches only its app's API
package and its tests. From it the URLs and the `/v1/` root are built
(`accessrules.api.routes`), the caller's scopes are checked, the message is read and
validated, the access log names the operation, and the OpenAPI document gets its parameters,
security requirement, access table and the complete list of error codes it can answer.
"""

from dataclasses import dataclass, field

from accessrules.access import tables
from accessrules.access.tables import Operation, access_codes
from accessrules.accesslog import indsigt
from accessrules.core import errors
from accessrules.core.regler import Regel, koder
from accessrules.oauth.scopes import Scope

# What every operation can answer, whatever it does: a bad header (1014), authentication,
# scope and organisation refusals, an unacceptable Accept header, an unwritable access log.
GENERIC_CODES = frozenset(
    {
        errors.VALIDATION_FAILED,
        errors.NOT_AUTHENTICATED,
        errors.SCOPE_MISSING,
        errors.ORGANISATION_NOT_BOUND,
        errors.OPERATION_FORBIDDEN,
        errors.NOT_ACCEPTABLE,
        errors.INTERNAL_ERROR,
        errors.UNAVAILABLE,
    }
)


@dataclass(frozen=True)
class Endpoint:
    operation: Operation | str  # the seed operation it serves (a str: declared here)
    method: str  # "GET", "POST", ...
    path: str  # below /v1/, e.g. "BorgerFlytte/action/bekraeftfraflytning"
    scopes: tuple[Scope, ...]
    summary: str
    description: str
    success: dict  # status -> serializer or OpenApiResponse
    request: type | None = None  # the body's serializer (None: no body)
    cpr_header: bool = False  # reads x-civilRegistrationIdentifier
    request_id: bool | None = None  # x-requestId: None not read, False optional, True required
    writes: bool = False  # runs in one transaction with its access-log row
    access_table: bool = True  # the seed's "Tilladte organisationer" table applies
    rules: tuple[Regel, ...] = ()  # the rules the operation's service runs
    codes: frozenset[int] = frozenset()  # other codes its service answers
    parameters: tuple = field(default=())  # further OpenAPI parameters
    examples: tuple = field(default=())  # OpenApiExample, for the request and the answers
    # An operation declared with its endpoint (not in `Operation`): its seed table, as the seed
    # page writes it (see accessrules.access.tables), and its Danish name in the access log.
    table: str | None = None
    navn: str = ""

    def __post_init__(self) -> None:
        if self.table is not None:
            tables.declare(self.operation, self.table)
        if self.navn:
            indsigt.navngiv(self.operation, self.navn)
        if self.access_table and self.operation not in tables.TABLES:
            raise ValueError(f"{self.operation}: no access table (declare it with `table=`)")

    def error_codes(self) -> set[int]:
        """Every code this operation can answer."""
        found = set(GENERIC_CODES) | koder(self.rules) | set(self.codes)
        if self.request is not None:
            found |= {errors.UNSUPPORTED_MEDIA_TYPE, errors.BODY_TOO_LARGE}
        if self.request_id is not None:
            found.add(errors.REQUEST_ID_REUSED)
        if self.access_table:
            found |= access_codes(self.operation, reads_cpr=self.cpr_header)
        return found


def endpoint_of(view) -> Endpoint | None:
    """The Endpoint of the action a view serves (see `accessrules.api.views.serves`), or
    None."""
    return getattr(getattr(view, getattr(view, "action", None) or "", None), "endpoint", None)
