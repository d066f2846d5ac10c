"""Count the SQL statements of one request per benchmarked operation, on every connection, with
the token cache warm, the access-log row included (it is written before the answer leaves).
The confirmation is a real first confirmation. For each operation it also runs its "same work"
bare view (bench/views.py) and checks that both send the same statements.

python bench/queries.py CPRS_FILE [-v]   (one CPR per line: run.sh writes it; -v prints each
statement's SQL)
"""

import contextlib
import os
import re
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

from borgerflytte.models import Borgerflytning  # noqa: E402

DATA = ("SELECT", "INSERT", "UPDATE", "DELETE")

args = [a for a in sys.argv[1:] if a != "-v"]
verbose = "-v" in sys.argv[1:]
cprs = Path(args[0]).read_text().split()
client = Client(HTTP_HOST="127.0.0.1")
auth = {
    "Authorization": "Bearer bench-token",
    "x-activeOrganisationTypeIdentifier": "1",
    "x-activeOrganisationCode": "STAR",
}
# Flows not yet confirmed, from the end (the load run starts at the front): every call is a
# real first confirmation, also when this script runs again on the same database.
unused = iter(
    Borgerflytning.objects.filter(fraflytning_tidspunkt__isnull=True)
    .order_by("-id")
    .values_list("id", "borger__cpr")
)


def confirm(path):
    def call():
        flow_id, cpr = next(unused)
        return client.post(
            path,
            {"borgerflytningId": str(flow_id)},
            content_type="application/json",
            headers={
                **auth,
                "x-civilRegistrationIdentifier": cpr,
                "x-requestId": str(uuid.uuid4()),
            },
        )

    return call


def by_cpr(path):
    return lambda: client.get(path, headers={**auth, "x-civilRegistrationIdentifier": cprs[0]})


# operation -> (its call, the call of its same-work bare view)
calls = {
    "GET /v1/Asylovergivelse": (
        by_cpr("/v1/Asylovergivelse"),
        by_cpr("/bench/same/asylovergivelse"),
    ),
    "GET /v1/BorgerFlytte": (
        lambda: client.get("/v1/BorgerFlytte?limit=20", headers=auth),
        lambda: client.get("/bench/same/flows?limit=20", headers=auth),
    ),
    "POST bekraeftfraflytning": (
        confirm("/v1/BorgerFlytte/action/bekraeftfraflytning"),
        confirm("/bench/same/bekraeft"),
    ),
}


def captured(call) -> tuple[int, list[str]]:
    call()  # warm the token cache (and the connection)
    with contextlib.ExitStack() as stack:
        contexts = [stack.enter_context(CaptureQueriesContext(connections[a])) for a in connections]
        status = call().status_code
    return status, [q["sql"] for c in contexts for q in c.captured_queries]


def shape(sql: str) -> str:
    """A statement without its literal values (savepoint names, ids) for the comparison."""
    sql = re.sub(r'"s\d+_x\d+"', "SP", sql)  # Django's savepoint names
    sql = re.sub(r"'[^']*'", "?", sql)
    return re.sub(r"\b\d+\b", "?", sql)


def describe(sql: str) -> str:
    """The verb and the tables of a statement (transaction control as it is)."""
    verb = sql.split()[0]
    if verb not in DATA:
        return sql if len(sql) < 60 else sql[:57] + "..."
    tables = re.findall(r'(?:FROM|JOIN|INTO|UPDATE)\s+"?(\w+)"?', sql)
    tables = [t for t in tables if t != "OF"]
    lock = " FOR UPDATE" if "FOR UPDATE" in sql else ""
    conflict = " ON CONFLICT DO NOTHING" if "ON CONFLICT" in sql else ""
    return f"{verb} {', '.join(dict.fromkeys(tables))}{lock}{conflict}"


differences = 0
for name, (api, bare) in calls.items():
    status, statements = captured(api)
    bare_status, bare_statements = captured(bare)
    data = [s for s in statements if s.lstrip().startswith(DATA)]
    print(f"{name:26} {status}: {len(data)} data statements ({len(statements)} in all)")
    for sql in statements:
        print(f"    {describe(sql)}")
        if verbose:
            print(f"        {sql}")
    same = [shape(s) for s in statements] == [shape(s) for s in bare_statements]
    differences += not same
    print(f"  same-work bare view {bare_status}: {'the same statements' if same else 'DIFFERS:'}")
    if not same:
        for sql in bare_statements:
            print(f"    {describe(sql)}")
            if verbose:
                print(f"        {sql}")
if differences:
    raise SystemExit(f"{differences} bare view(s) do not send their endpoint's statements")
