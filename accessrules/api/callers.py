"""Who calls (SPEC 1): the one place the API builds its `Caller`, in SPEC 4's order: the
operation's scopes (403 40300), then the active organisation (403), with the x-requestId
the middleware read (`headers.read_request_id`) when the operation reads one."""

from accessrules.api import headers
from accessrules.api.endpoints import Endpoint
from accessrules.core import errors
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError


def caller_of(request, endpoint: Endpoint) -> Caller:
    """The caller of an authenticated request (`request.auth`) for this operation."""
    if not request.auth.allow_scopes([scope.navn for scope in endpoint.scopes]):
        raise DomainError.of(errors.SCOPE_MISSING)
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
            raise DomainError.of(errors.VALIDATION_FAILED, field=headers.ORG_TYPE_HEADER)
        organisation = bound[0]
    else:
        org_type, code = named
        organisation = next((o for o in bound if (o.type, o.kode) == (org_type, code)), None)
        if organisation is None:
            raise DomainError.of(errors.ORGANISATION_NOT_BOUND)
    request_id = headers.read_request_id(request).value if endpoint.request_id is not None else None
    return Caller(organisation=organisation, client=client, request_id=request_id)
