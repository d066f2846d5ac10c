"""OAuth2 (SPEC 1): the scopes, django-oauth-toolkit's hooks, token introspection, and
creating API clients."""
