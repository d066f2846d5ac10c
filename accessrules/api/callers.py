"""Who calls (SPEC 1): the one place the API builds its `Caller`, in SPEC 4's order: the
operation's scopes (403 40300), then the active organisation (403), with the x-requestId
the middleware read (`headers.read_request_id`) when the operation reads one."""

from accessrules.api import headers
from accessrules.api.endpoints import Endpoint
from accessrules.core import errors
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError, Violation


def caller_of(request, endpoint: Endpoint) -> Caller:
    """The caller of an authenticated request (`request.auth`) for this operation."""
    needed = [scope.navn for scope in endpoint.scopes]
    if not request.auth.allow_scopes(needed):
        detail = (
            f"This operation needs the scope {' and '.join(needed)}; get a token with it "
            "(POST /oauth/token/, scope left out or naming it), or ask the operator to give "
            "your client the scope."
        )
        raise DomainError(Violation(errors.SCOPE_MISSING, detail=detail))
    client = request.auth.client
    if client is None:
        raise DomainError.of(errors.OPERATION_FORBIDDEN)
    named, violations = headers.read_active_organisation(request.headers)
    if violations:
        raise DomainError(*violations)
    bound = list(client.organisationer.all())  # prefetched with the client
    if named is None:
        if not bound:
            raise DomainError.of(errors.ORGANISATION_NOT_BOUND)
        if len(bound) > 1:  # the client must say which of its organisations it acts for
            detail = (
                "Your client acts for several organisations: name the one you act for with "
                "x-activeOrganisationTypeIdentifier and x-activeOrganisationCode."
            )
            raise DomainError(Violation(errors.VALIDATION_FAILED, headers.ORG_TYPE_HEADER, detail))
        organisation = bound[0]
    else:
        org_type, code = named
        organisation = next((o for o in bound if (o.type, o.kode) == (org_type, code)), None)
        if organisation is None:
            raise DomainError.of(errors.ORGANISATION_NOT_BOUND)
    request_id = headers.read_request_id(request).value if endpoint.request_id is not None else None
    return Caller(organisation=organisation, client=client, request_id=request_id)
