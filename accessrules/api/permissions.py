"""DRF permissions, in SPEC 4's order: token scope, active organisation, then (per object, after
the message is validated) the citizen's access per the seed table."""

from django.utils import timezone
from rest_framework.permissions import BasePermission

from accessrules import errors
from accessrules.access.decide import decide
from accessrules.api import headers
from accessrules.api.authentication import client_with_organisations
from accessrules.api.problems import ApiError
from accessrules.caller import Caller
from accessrules.models import ApiClient, Organisation


def api_client_of(request) -> ApiClient | None:
    """The ApiClient behind the request's token, with its organisations (set by the
    authentication class; looked up here only for requests authenticated otherwise)."""
    if not hasattr(request, "_api_client"):
        token = request.auth
        client = None
        if token is not None and getattr(token, "application_id", None):
            client = client_with_organisations(token.application_id)
        request._api_client = client
    return request._api_client


class HasActionScope(BasePermission):
    """The token must carry every scope in `view.required_scopes[view.action]` (403 40300)."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None:
            return False  # -> 401 via the authenticator's WWW-Authenticate header
        scopes = view.required_scopes.get(view.action)
        if scopes is None:
            return True  # unrouted method: the view answers 405
        if not token.allow_scopes(scopes):
            raise ApiError.of(errors.SCOPE_MISSING)
        return True


class ActiveOrganisation(BasePermission):
    """Resolve the active organisation once per request and set `request.caller` (SPEC 1)."""

    def has_permission(self, request, view) -> bool:
        client = api_client_of(request)
        if client is None:
            raise ApiError.of(errors.OPERATION_FORBIDDEN)
        named, violations = headers.read_active_organisation(request.headers)
        if violations:
            raise ApiError(*violations)
        bound = list(client.organisationer.all())  # prefetched with the client
        if named is None:
            if not bound:
                raise ApiError.of(errors.ORGANISATION_NOT_BOUND)
            if len(bound) > 1:  # the client must say which of its organisations it acts for
                raise ApiError.of(errors.VALIDATION_FAILED, field=headers.ORG_TYPE_HEADER)
            organisation = bound[0]
        else:
            org_type, code = named
            organisation = next((o for o in bound if (o.type, o.kode) == (org_type, code)), None)
            if organisation is None:
                raise ApiError.of(errors.ORGANISATION_NOT_BOUND)
        request.caller = Caller(organisation=organisation, client=client)
        return True


class CitizenAccess(BasePermission):
    """Object permission on a Borger (or None for an unknown CPR): SPEC 3, 1010 / 6005."""

    def has_object_permission(self, request, view, obj) -> bool:
        decision = decide(
            operation=view.operation,
            organisation=request.caller.organisation,
            client=request.caller.client,
            borger=obj,
            today=timezone.localdate(),
        )
        if not decision.granted:
            raise ApiError.of(decision.code)
        request.access_level = decision.level
        return True


def organisation_of(request) -> Organisation | None:
    caller = getattr(request, "caller", None)
    return caller.organisation if caller else None
