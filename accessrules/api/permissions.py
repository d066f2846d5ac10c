"""The one DRF permission: a request without a valid bearer token is 401, whatever its
method. It sets nothing; the operation's scopes and the active organisation are checked where
the caller is built (`accessrules.api.callers`)."""

from rest_framework.permissions import BasePermission


class Authenticated(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.auth is not None  # else 401 with the authenticator's WWW-Authenticate
