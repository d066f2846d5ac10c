"""Count the SQL statements of one request per benchmarked operation, on every connection (the
access log has its own), token and organisation caches warm, and the access-log rows it queued
for the batched writer. The confirmation is a real first confirmation.

python bench/queries.py CPRS_FILE FLOWS_FILE   (one per line, the same order: run.sh writes them)
"""

import contextlib
import os
import sys
import uuid
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accessrules.services import access_log_writer  # noqa: E402

queued = []
_submit = access_log_writer.submit
access_log_writer.submit = lambda row: (queued.append(row), _submit(row))

cprs = Path(sys.argv[1]).read_text().split()
flows = Path(sys.argv[2]).read_text().split()
client = Client(HTTP_HOST="127.0.0.1")
auth = {
    "Authorization": "Bearer bench-token",
    "x-activeOrganisationTypeIdentifier": "1",
    "x-activeOrganisationCode": "STAR",
}
unused = iter(range(len(flows) - 1, -1, -1))  # from the end: the load run starts at the front


def confirm():
    i = next(unused)
    return client.post(
        "/v1/BorgerFlytte/action/bekraeftfraflytning",
        {"borgerflytningId": flows[i]},
        content_type="application/json",
        headers={
            **auth,
            "x-civilRegistrationIdentifier": cprs[i],
            "x-requestId": str(uuid.uuid4()),
        },
    )


calls = {
    "GET /v1/Asylovergivelse": lambda: client.get(
        "/v1/Asylovergivelse", headers={**auth, "x-civilRegistrationIdentifier": cprs[0]}
    ),
    "POST bekraeftfraflytning": confirm,
    "GET /v1/BorgerFlytte": lambda: client.get("/v1/BorgerFlytte?limit=20", headers=auth),
}
for name, call in calls.items():
    call()  # warm the token cache
    queued.clear()
    with contextlib.ExitStack() as stack:
        captured = [stack.enter_context(CaptureQueriesContext(connections[a])) for a in connections]
        status = call().status_code
    statements = [q["sql"].split()[0] for c in captured for q in c.captured_queries]
    data = [s for s in statements if s in ("SELECT", "INSERT", "UPDATE", "DELETE")]
    print(
        f"{name:26} {status}: {len(data)} data statements of {len(statements)}: {statements}"
        f" + {len(queued)} access-log row(s) queued"
    )
