"""Writes owned by accessrules: request ids (SPEC 2) and the access log (SPEC 7)."""

import logging

from django.db import IntegrityError, connection, transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application

from accessrules import errors
from accessrules.api.problems import ApiError
from accessrules.caller import Caller
from accessrules.models import AccessLogEntry, ApiClient, Borger, Organisation, RequestId

logger = logging.getLogger(__name__)


def claim_request_id(*, caller: Caller, operation: str) -> None:
    """Record the caller's x-requestId inside the current (write) transaction.

    Call it first in the write's transaction: a concurrent request with the same id then waits
    on the unique index until this one commits (-> it gets 412) or rolls back (-> it proceeds).
    Callers without a client (admin, commands) or without an id record nothing.
    """
    if caller.client is None or not caller.request_id:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim_request_id must run inside the write's transaction")
    try:
        with transaction.atomic():
            RequestId.objects.create(
                client=caller.client, request_id=caller.request_id, operation=operation
            )
    except IntegrityError as exc:
        raise ApiError.of(errors.REQUEST_ID_REUSED, field="x-requestId") from exc


def log_access(
    *,
    operation: str,
    client: ApiClient | None,
    organisation: Organisation | None,
    borger: Borger | None,
    outcome: int,
    error_code: int | None,
    request_id: str | None,
) -> None:
    """Write one access-log row; never let a logging failure change the API answer.

    On PostgreSQL the row commits without waiting for the WAL flush (synchronous_commit off,
    for this transaction only): a read then costs no fsync. The row is still written in
    order and never half-written; only a server crash within ~0.6 s (3 x wal_writer_delay)
    can lose the newest rows. The domain writes keep synchronous commits.
    """
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            AccessLogEntry.objects.create(
                operation=operation,
                client=client,
                organisation=organisation,
                borger=borger,
                outcome=outcome,
                error_code=error_code,
                request_id=(request_id or "")[:46],
            )
    except Exception:
        logger.exception("Could not write the access log row for %s", operation)


@transaction.atomic
def opret_api_klient(
    *, navn: str, organisationer: list[Organisation], scopes: list[str], system: bool = False
) -> tuple[ApiClient, str]:
    """An OAuth2 client-credentials application and its ApiClient. Returns the client and the
    plain secret, which is not stored (only its hash is)."""
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
