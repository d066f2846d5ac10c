"""Bearer-token authentication with a short in-process cache.

django-oauth-toolkit looks the token up on every request; then we need its ApiClient and the
organisations it may act for. This caches (token, client with organisations) per token
checksum for `TOKEN_CACHE_SECONDS` (default 30), so that a steady integrator costs no query to
authenticate. A revoked token, or a change of the client's organisations, takes effect within
that bound; an expired token is refused at once (its expiry is checked on every hit).
"""

import hashlib

from django.conf import settings
from django.utils import timezone
from oauth2_provider.contrib.rest_framework import OAuth2Authentication

from accessrules.models import ApiClient
from accessrules.processcache import ProcessCache

_cache = ProcessCache()  # token checksum -> (token, client with organisations)


def _bearer(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def client_with_organisations(application_id) -> ApiClient | None:
    return (
        ApiClient.objects.filter(application_id=application_id)
        .prefetch_related("organisationer")
        .first()
    )


def clear_token_cache() -> None:
    _cache.clear()


class CachedOAuth2Authentication(OAuth2Authentication):
    def authenticate(self, request):
        ttl = settings.TOKEN_CACHE_SECONDS
        raw = _bearer(request)
        if not raw or ttl <= 0:
            return self._authenticate(request)
        key = hashlib.sha256(raw.encode()).hexdigest()
        entry = _cache.get(key, ttl)
        if entry is not None:
            token, client = entry
            if token.expires > timezone.now():
                request._api_client = client
                return (token.user, token)
        result = self._authenticate(request)
        if result is not None:
            _cache.put_many({key: (result[1], request._api_client)})
        return result

    def _authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            request._api_client = client_with_organisations(result[1].application_id)
        return result
