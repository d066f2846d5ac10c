"""/healthz: whether this process can serve, for load balancers and operators.

200 when the database answers and every migration is applied; 503 otherwise (with Retry-After
when the database is down: no primary reachable, for example during a failover). Once a process
has seen its migrations applied it does not look again (they do not come undone), so a steady
probe costs one `SELECT 1`.
"""

from importlib.metadata import PackageNotFoundError, version

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes

try:
    VERSION = version("borgerindsats")
except PackageNotFoundError:  # run from a checkout that was never installed
    VERSION = "unknown"

_migrations_applied = False  # per process: once applied, they stay applied


def migrations_state() -> str:
    """'applied' or 'pending' for the default database (raises DatabaseError when it is down)."""
    global _migrations_applied
    if _migrations_applied:
        return "applied"
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return "pending"
    _migrations_applied = True
    return "applied"


def forget_migrations_state() -> None:
    """Look again on the next probe (tests)."""
    global _migrations_applied
    _migrations_applied = False


# Plain strings in the schema (no enum components, whose generated names other serializers'
# `status` fields would collide with).
_HEALTH = inline_serializer(
    "Health",
    {
        "status": serializers.CharField(help_text="`ok` eller `unavailable`"),
        "database": serializers.CharField(help_text="`ok` eller `down`"),
        "migrations": serializers.CharField(
            help_text="`applied`, `pending`, eller `unknown` mens databasen er nede"
        ),
        "version": serializers.CharField(help_text="Servicens pakkeversion"),
    },
)


@extend_schema(
    summary="Sundhedstjek: servicen, dens database og dens migreringer",
    responses={
        200: OpenApiResponse(_HEALTH, description="I orden"),
        503: OpenApiResponse(_HEALTH, description="Databasen er nede, eller migreringer mangler"),
    },
    auth=[],
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database, migrations = "ok", migrations_state()
    except DatabaseError:
        database, migrations = "down", "unknown"
    healthy = database == "ok" and migrations == "applied"
    # a database that is down (no primary during a failover) comes back: say when to look again
    headers = (
        {} if database == "ok" else {"Retry-After": str(settings.UNAVAILABLE_RETRY_AFTER_SECONDS)}
    )
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "database": database,
            "migrations": migrations,
            "version": VERSION,
        },
        status=200 if healthy else 503,
        headers=headers,
    )
