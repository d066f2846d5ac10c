"""django-oauth-toolkit's hooks: the scopes come from `accessrules.oauth.scopes`, and a client gets
only the scopes its ApiClient allows."""

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from accessrules.models import ApiClient
from accessrules.oauth import scopes


class ScopesBackend(BaseScopes):
    def get_all_scopes(self):
        return scopes.descriptions()

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return list(scopes.ALL)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return []


def _allowed(client) -> set[str]:
    api_client = ApiClient.objects.filter(application=client).only("scopes").first()
    return api_client.allowed_scopes if api_client else set()


class ApiClientScopesValidator(OAuth2Validator):
    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        return set(scopes) <= _allowed(client) and super().validate_scopes(
            client_id, scopes, client, request, *args, **kwargs
        )

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        """No scope asked for: every scope the client is allowed."""
        return sorted(_allowed(request.client))
