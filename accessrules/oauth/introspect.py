"""Token introspection (RFC 7662) for the client that owns the token, and nobody else.

The toolkit's view answers any authenticated client about any token. Here the caller must
authenticate as a client (HTTP Basic or `client_id`/`client_secret` in the body, checked by the
toolkit first); a token of another client, or a caller named twice, is answered
`{"active": false}`, as an unknown token is (RFC 7662 section 2.2), so nothing about other
clients' tokens leaks. A bearer token as the caller's credentials is refused for the same
reason: it names no client the toolkit has checked.
"""

import base64
import binascii
import hashlib
from urllib.parse import unquote_plus

from django.http import JsonResponse
from oauth2_provider.models import get_access_token_model
from oauth2_provider.views import IntrospectTokenView

INACTIVE = {"active": False}


def _basic_client_id(request) -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, _secret = decoded.partition(":")
    return unquote_plus(client_id) if sep else None


def requesting_client_id(request) -> str | None:
    """The client the toolkit authenticated: one named by Basic or by the body, not both."""
    basic, body = _basic_client_id(request), request.POST.get("client_id")
    if basic and body and basic != body:
        return None
    return basic or body


def token_client_id(token_value: str) -> str | None:
    checksum = hashlib.sha256(token_value.encode("utf-8")).hexdigest()
    token = (
        get_access_token_model()
        .objects.select_related("application")
        .filter(token_checksum=checksum)
        .first()
    )
    return token.application.client_id if token and token.application else None


class OwnTokenIntrospectView(IntrospectTokenView):
    def get(self, request, *args, **kwargs):
        # a token in a query string ends up in logs: POST only (RFC 7662 section 2.1)
        return JsonResponse({"error": "invalid_request"}, status=405)

    def post(self, request, *args, **kwargs):
        token_value = request.POST.get("token")
        if token_value is None:
            return super().post(request, *args, **kwargs)  # the toolkit's 400
        client_id = requesting_client_id(request)
        if client_id is None or token_client_id(token_value) != client_id:
            return JsonResponse(INACTIVE)
        return super().post(request, *args, **kwargs)
