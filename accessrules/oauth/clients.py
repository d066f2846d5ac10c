"""Writes owned by accessrules: request ids (SPEC 2) and API clients."""

from django.db import connection, transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application

from accessrules.core import errors
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError
from accessrules.models import ApiClient, Organisation
from accessrules.oauth.scopes import ALL as ALL_SCOPES

REQUEST_ID_HEADER = "x-requestId"

# One explicit statement where the ORM would need a savepoint: a reuse inserts nothing.
_CLAIM_REQUEST_ID = (
    "INSERT INTO accessrules_requestid (client_id, request_id, operation, created_at) "
    "VALUES (%s, %s, %s, %s) ON CONFLICT (client_id, request_id) DO NOTHING"
)


def claim_request_id(*, caller: Caller, operation: str) -> None:
    """Record the caller's x-requestId inside the current (write) transaction, else 412.

    `INSERT ... ON CONFLICT DO NOTHING` on the unique (client, request_id): a concurrent
    request with the same id waits on the unique index until this one commits (-> it inserts
    nothing: 412) or rolls back (-> it inserts and proceeds). No savepoint is needed, as the
    statement never fails on a reuse. Callers without a client (admin, commands) or without an
    id record nothing.
    """
    if caller.client is None or not caller.request_id:
        return
    if not connection.in_atomic_block:
        raise RuntimeError("claim_request_id must run inside the write's transaction")
    params = [caller.client.pk, caller.request_id, operation, timezone.now()]
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM_REQUEST_ID, params)
        claimed = cursor.rowcount == 1
    if not claimed:
        raise DomainError.of(errors.REQUEST_ID_REUSED, field=REQUEST_ID_HEADER)


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


@transaction.atomic
def ret_kontaktgruppe(*, caller: Caller, borger_id: int, kontaktgruppe: str) -> None:
    """A caseworker's correction of a citizen's contact group (rule 9198 reads it); the other
    fields of a citizen come from the register and CPR events."""
    from accessrules.models import Borger

    borger = Borger.objects.select_for_update().get(pk=borger_id)
    if borger.kontaktgruppe != kontaktgruppe:
        borger.kontaktgruppe = kontaktgruppe
        borger.save(update_fields=["kontaktgruppe"])
