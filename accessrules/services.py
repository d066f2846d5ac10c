"""Writes owned by accessrules: request ids (SPEC 2) and the access log (SPEC 7)."""

import contextlib
import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections, transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application

from accessrules import errors
from accessrules.accesslog import BatchedWriter
from accessrules.api.problems import ApiError
from accessrules.caller import Caller
from accessrules.models import AccessLogEntry, ApiClient, Borger, Organisation, RequestId
from accessrules.queries import insert_sql

logger = logging.getLogger(__name__)


def claim_request_id(*, caller: Caller, operation: str) -> None:
    """Record the caller's x-requestId inside the current (write) transaction.

    Call it first in the write's transaction. `INSERT ... ON CONFLICT DO NOTHING` on the unique
    (client, request_id): a concurrent request with the same id waits on the unique index until
    this one commits (-> it inserts nothing: 412) or rolls back (-> it inserts and proceeds).
    No savepoint is needed, as the statement never fails on a reuse. Callers without a client
    (admin, commands) or without an id record nothing.
    """
    if caller.client is None or not caller.request_id:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("claim_request_id must run inside the write's transaction")
    params = [caller.client.pk, caller.request_id, operation, timezone.now()]
    with connection.cursor() as cursor:
        cursor.execute(_REQUEST_ID_INSERT, params)
        claimed = cursor.rowcount == 1
    if not claimed:
        raise ApiError.of(errors.REQUEST_ID_REUSED, field="x-requestId")


_REQUEST_ID_INSERT = insert_sql(
    RequestId,
    ["client", "request_id", "operation", "created_at"],
    "ON CONFLICT (client_id, request_id) DO NOTHING",
)


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
    """Log one API call; never let a logging failure change the API answer.

    With `ACCESS_LOG_BATCH_MS` > 0 the row is queued and written by the batched writer
    (`accessrules.accesslog`); otherwise it is one INSERT now. Either way it goes to
    `settings.ACCESS_LOG_DATABASE` (on PostgreSQL a connection with asynchronous commit: see
    settings), whose connection has no per-request health check (a `SELECT 1` round trip on
    every call): a connection found dropped (the database restarted) is reopened and the
    row(s) written once more. Inside a transaction (tests, or a caller's atomic block) a
    synchronous row is written under a savepoint, so a failure here cannot break the caller's
    transaction.
    """
    row = [
        timezone.now(),
        operation,
        client.pk if client else None,
        organisation.pk if organisation else None,
        borger.pk if borger else None,
        outcome,
        error_code,
        (request_id or "")[:46],
    ]
    if settings.ACCESS_LOG_BATCH_MS > 0:
        access_log_writer.submit(row)
        return
    try:
        _write_access_log_rows([row])
    except Exception:
        logger.exception("Could not write the access log row for %s", operation)


def _write_access_log_rows(rows: list) -> None:
    alias = settings.ACCESS_LOG_DATABASE
    connection = connections[alias]
    try:
        _insert_access_log_rows(alias, rows)
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block:
            raise
        connection.close()  # dropped: the next cursor opens a new one
        _insert_access_log_rows(alias, rows)


def _insert_access_log_rows(alias: str, rows: list) -> None:
    with _savepoint_if_in_transaction(alias), connections[alias].cursor() as cursor:
        if len(rows) == 1:
            cursor.execute(_ACCESS_LOG_INSERT, rows[0])
        else:
            cursor.executemany(_ACCESS_LOG_INSERT, rows)


access_log_writer = BatchedWriter(
    _write_access_log_rows,
    interval_seconds=lambda: settings.ACCESS_LOG_BATCH_MS / 1000,
    on_thread_exit=connections.close_all,  # the thread's own connections
)


_ACCESS_LOG_INSERT = insert_sql(
    AccessLogEntry,
    [
        "created_at",
        "operation",
        "client",
        "organisation",
        "borger",
        "outcome",
        "error_code",
        "request_id",
    ],
)


def _savepoint_if_in_transaction(alias: str):
    if connections[alias].in_atomic_block:
        return transaction.atomic(using=alias)
    return contextlib.nullcontext()


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
