"""Creating API clients (OAuth2 client-credentials applications) and replacing their secrets."""

from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application

from accessrules.models import ApiClient, Organisation
from accessrules.oauth.scopes import ALL as ALL_SCOPES


@transaction.atomic
def opret_api_klient(
    *, navn: str, organisationer: list[Organisation], scopes: list[str], system: bool = False
) -> tuple[ApiClient, str]:
    """An OAuth2 client-credentials application and its ApiClient. Returns the client and the
    plain secret, which is not stored (only its hash is)."""
    unknown = sorted(set(scopes) - ALL_SCOPES.keys())
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)}")
    secret = generate_client_secret()
    application = Application.objects.create(
        name=navn,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    client = ApiClient.objects.create(
        application=application, navn=navn, system=system, scopes=" ".join(sorted(set(scopes)))
    )
    client.organisationer.set(organisationer)
    return client, secret


@transaction.atomic
def ny_klienthemmelighed(*, client: ApiClient) -> str:
    """Replace a client's secret; returns the new plain secret."""
    secret = generate_client_secret()
    client.application.client_secret = secret
    client.application.save(update_fields=["client_secret"])
    return secret
