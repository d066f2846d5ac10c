"""Bearer-token authentication that reads only the Authorization header (SPEC 8: never the
body), with the token and its client kept in Django's cache for a short while.

The token is looked up by its checksum, as django-oauth-toolkit stores it. Its ApiClient and
the organisations it may act for come with it. Both are kept in the default cache for
`TOKEN_CACHE_SECONDS`: the bound within which a change of the client's organisations takes
effect everywhere. A token revoked or deleted through the toolkit is dropped from the cache at
once (signal below): in this process with the local-memory cache, on every server with a shared
one. An expired token is refused at once (its expiry is checked on every call). A cache that
is unavailable is skipped (`shared_cache`): the token is then read from the database.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db.models.signals import post_delete
from django.dispatch import receiver
from oauth2_provider.models import AccessToken
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from accessrules.api import shared_cache
from accessrules.models import ApiClient

_KEY_PREFIX = "bearer:"


@dataclass(frozen=True)
class BearerCredentials:
    """`request.auth`: the token and the ApiClient behind it (None for a token of an OAuth
    application that is no API client)."""

    token: AccessToken
    client: ApiClient | None

    def allow_scopes(self, scopes: list[str]) -> bool:
        return self.token.allow_scopes(scopes)


def _bearer(request) -> str | None:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def _load(checksum: str) -> BearerCredentials | None:
    token = AccessToken.objects.filter(token_checksum=checksum).first()
    if token is None:
        return None
    client = (
        ApiClient.objects.filter(application_id=token.application_id)
        .prefetch_related("organisationer")
        .first()
    )
    return BearerCredentials(token=token, client=client)


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        raw = _bearer(request)
        if raw is None:
            return None
        checksum = hashlib.sha256(raw.encode()).hexdigest()
        key, ttl = _KEY_PREFIX + checksum, settings.TOKEN_CACHE_SECONDS
        credentials = shared_cache.get(key) if ttl > 0 else None
        if credentials is None:
            credentials = _load(checksum)
            if credentials is not None and ttl > 0:
                shared_cache.set(key, credentials, ttl)
        if credentials is None or credentials.token.is_expired():
            raise exceptions.AuthenticationFailed()
        return (None, credentials)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


@receiver(post_delete, sender=AccessToken, dispatch_uid="bearer_token_cache")
def _forget_token(sender, instance: AccessToken, **kwargs) -> None:
    shared_cache.delete(_KEY_PREFIX + instance.token_checksum)
