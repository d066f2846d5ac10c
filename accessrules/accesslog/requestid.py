"""The x-requestId claim (SPEC 2): a client's request id is used once; a reuse is 412."""

from django.db import connection
from django.utils import timezone

from accessrules.core import errors
from accessrules.core.caller import REQUEST_ID_HEADER, Caller
from accessrules.core.errors import DomainError

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
