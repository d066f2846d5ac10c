"""Count the SQL queries of one request per benchmarked operation (token cache warm)."""

import os
import sys
import uuid

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

cpr, flow = sys.argv[1], sys.argv[2]
client = Client(HTTP_HOST="127.0.0.1")
auth = {
    "Authorization": "Bearer bench-token",
    "x-activeOrganisationTypeIdentifier": "1",
    "x-activeOrganisationCode": "STAR",
}
calls = {
    "GET /v1/Asylovergivelse": lambda: client.get(
        "/v1/Asylovergivelse", headers={**auth, "x-civilRegistrationIdentifier": cpr}
    ),
    "POST bekraeftfraflytning": lambda: client.post(
        "/v1/BorgerFlytte/action/bekraeftfraflytning",
        {"borgerflytningId": flow},
        content_type="application/json",
        headers={**auth, "x-civilRegistrationIdentifier": cpr, "x-requestId": str(uuid.uuid4())},
    ),
    "GET /v1/BorgerFlytte": lambda: client.get("/v1/BorgerFlytte?limit=20", headers=auth),
}
for name, call in calls.items():
    call()  # warm the token cache
    with CaptureQueriesContext(connection) as captured:
        status = call().status_code
    statements = [q["sql"].split()[0] for q in captured.captured_queries]
    print(f"{name:30} status {status}: {len(statements)} statements {statements}")
