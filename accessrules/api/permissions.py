"""DRF permissions, in SPEC 4's order: the operation's scopes, then the active organisation.
Both read the operation's spec (`view.spec`); the citizen's access is `accessrules.access`."""

from rest_framework.permissions import BasePermission

from accessrules.api import headers
from accessrules.core import errors
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError, Violation


class HasOperationScope(BasePermission):
    """The token must carry every scope of the operation (403 40300)."""

    def has_permission(self, request, view) -> bool:
        if request.auth is None:
            return False  # -> 401 with the authenticator's WWW-Authenticate header
        if view.spec is None:
            return True  # a method without an operation: the view answers 405
        needed = [scope.navn for scope in view.spec.scopes]
        if not request.auth.allow_scopes(needed):
            detail = (
                f"This operation needs the scope {' and '.join(needed)}; get a token with it "
                "(POST /oauth/token/, scope left out or naming it), or ask the operator to give "
                "your client the scope."
            )
            raise DomainError(Violation(errors.SCOPE_MISSING, detail=detail))
        return True


class ActiveOrganisation(BasePermission):
    """Resolve the active organisation once per request and set `request.caller` (SPEC 1)."""

    def has_permission(self, request, view) -> bool:
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
                raise DomainError(
                    Violation(errors.VALIDATION_FAILED, headers.ORG_TYPE_HEADER, detail)
                )
            organisation = bound[0]
        else:
            org_type, code = named
            organisation = next((o for o in bound if (o.type, o.kode) == (org_type, code)), None)
            if organisation is None:
                raise DomainError.of(errors.ORGANISATION_NOT_BOUND)
        request.caller = Caller(organisation=organisation, client=client)
        return True
