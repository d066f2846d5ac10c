"""In-process timing and profile of each benchmarked endpoint against its same-work bare view:
what the gap between them is made of.

python bench/inprocess.py [--calls 300] [--rounds 6] [--top 30] [--only get|list|confirm]

Runs on the bench database that bench/run.sh leaves behind (its token lives two hours). Each
request goes through Django's whole handler and middleware (the test Client), one at a time,
so the times are latency, not throughput. Endpoint and bare view run interleaved over
--rounds: first timed (wall time, and this process's CPU time, which leaves out the waits on
PostgreSQL and holds up better when the machine is shared), then profiled (cProfile, half as
many calls per round, added up over the rounds). The profile prints the time spent
in the parts that only the endpoint has (DRF, authentication, permissions, access decision,
serializers, the access-log module...) and in the parts both have (SQL, transactions), in ms
per request; then the endpoint's top functions by cumulative time. cProfile slows Python code
more than waiting on PostgreSQL, so its shares of Python work read high: compare its rows with
each other, and the wall times with the load run.
"""

import argparse
import cProfile
import itertools
import os
import pstats
import statistics
import sys
import time
import uuid

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.test import Client  # noqa: E402

from accessrules.models import Borger  # noqa: E402
from borgerflytte.models import Borgerflytning  # noqa: E402

AUTH = {
    "Authorization": "Bearer bench-token",
    "x-activeOrganisationTypeIdentifier": "1",
    "x-activeOrganisationCode": "STAR",
}

# (label, file path suffix, function name): cumulative time, ms per request.
ENDPOINT_PARTS = [
    ("DRF dispatch, all of it", "rest_framework/views.py", "dispatch"),
    ("  request wrapping (initialize_request)", "rest_framework/views.py", "initialize_request"),
    ("  initial: auth, permissions, negotiation", "rest_framework/views.py", "initial"),
    ("    authentication", "rest_framework/request.py", "_authenticate"),
    ("      token from the cache (get + unpickle)", "django/core/cache/backends/locmem.py", "get"),
    ("    permissions (scope, organisation)", "rest_framework/views.py", "check_permissions"),
    ("    content negotiation", "rest_framework/views.py", "perform_content_negotiation"),
    ("  the message (headers, body serializer)", "accessrules/api/views.py", "read_message"),
    ("  the access decision (require, its SELECT)", "accessrules/access/adgang.py", "require"),
    ("  list: filters (django-filter)", "rest_framework/generics.py", "filter_queryset"),
    (
        "  list: page (cursor pagination, SELECT)",
        "rest_framework/pagination.py",
        "paginate_queryset",
    ),
    ("  list: next/previous links", "rest_framework/pagination.py", "get_paginated_response"),
    ("  response serializers (.data)", "rest_framework/serializers.py", "data"),
    ("  access-log row (accesslog.write, its SQL)", "accessrules/accesslog/log.py", "write"),
    ("  finalize_response", "rest_framework/views.py", "finalize_response"),
    ("rendering (JSONRenderer)", "rest_framework/response.py", "rendered_content"),
]
SHARED_PARTS = [
    ("SQL: execute (round trips)", "django/db/backends/utils.py", "_execute"),
    ("SQL: compile (ORM to SQL)", "django/db/models/sql/compiler.py", "as_sql"),
    ("ORM: rows to model instances", "django/db/models/base.py", "from_db"),
    ("transaction.atomic exit (COMMIT)", "django/db/transaction.py", "__exit__"),
    ("model save (with history row)", "django/db/models/base.py", "save"),
    ("Django middleware and handler, all", "django/core/handlers/base.py", "get_response"),
]
BARE_PARTS = [
    ("the view function, all of it", "bench/views.py", "same_asylovergivelse"),
    ("the view function, all of it", "bench/views.py", "same_flows"),
    ("the view function, all of it", "bench/views.py", "same_bekraeft"),
    ("list: items built by hand", "bench/views.py", "flow_item"),
    ("access-log row (bench/views.py log_row, its SQL)", "bench/views.py", "log_row"),
    ("rendering (JsonResponse)", "django/http/response.py", "__init__"),
]


def calls(kind: str, client: Client):
    """(endpoint call, bare view call) for one kind."""
    cprs = itertools.cycle(Borger.objects.order_by("id").values_list("cpr", flat=True)[:1000])
    unconfirmed = iter(
        Borgerflytning.objects.filter(fraflytning_tidspunkt__isnull=True)
        .order_by("-id")
        .values_list("id", "borger__cpr")
    )

    def by_cpr(path):
        return lambda: client.get(
            path, headers={**AUTH, "x-civilRegistrationIdentifier": next(cprs)}
        )

    def confirm(path):
        def call():
            flow_id, cpr = next(unconfirmed)
            return client.post(
                path,
                {"borgerflytningId": str(flow_id)},
                content_type="application/json",
                headers={
                    **AUTH,
                    "x-civilRegistrationIdentifier": cpr,
                    "x-requestId": str(uuid.uuid4()),
                },
            )

        return call

    if kind == "get":
        return by_cpr("/v1/Asylovergivelse"), by_cpr("/bench/same/asylovergivelse")
    if kind == "list":
        return (
            lambda: client.get("/v1/BorgerFlytte?limit=20", headers=AUTH),
            lambda: client.get("/bench/same/flows?limit=20", headers=AUTH),
        )
    return (
        confirm("/v1/BorgerFlytte/action/bekraeftfraflytning"),
        confirm("/bench/same/bekraeft"),
    )


def timed(call, n: int) -> tuple[float, float]:
    """Wall and CPU (this process: Python, not PostgreSQL) ms per request."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        response = call()
        assert response.status_code < 300, (response.status_code, response.content)
    return (time.perf_counter() - wall) / n * 1000, (time.process_time() - cpu) / n * 1000


def profiled(call, n: int, profiler: cProfile.Profile) -> None:
    profiler.enable()
    for _ in range(n):
        call()
    profiler.disable()


# Functions of that name that call each other (ListSerializer.data -> BaseSerializer.data):
# the outermost one's time, not their sum.
NESTED = {"data", "__init__"}


def cumulative(stats: pstats.Stats, path: str, name: str) -> float:
    """Cumulative seconds of the function(s) of that name in files ending with `path`."""
    found = [
        ct
        for (filename, _line, function), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()
        if function == name and filename.endswith(path)
    ]
    return max(found, default=0.0) if name in NESTED else sum(found)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300, help="timed requests per round, side")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--only", choices=["get", "list", "confirm"])
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    for kind in [args.only] if args.only else ["get", "list", "confirm"]:
        endpoint, bare = calls(kind, client)
        for call in (endpoint, bare):  # warm: connection, token cache, prepared plans
            timed(call, 50)
        times = {"endpoint": [], "bare": []}
        profilers = {"endpoint": cProfile.Profile(), "bare": cProfile.Profile()}
        for _ in range(args.rounds):  # interleaved: a slow spell weighs on both sides
            for side, call in (("endpoint", endpoint), ("bare", bare)):
                times[side].append(timed(call, args.calls))
            for side, call in (("endpoint", endpoint), ("bare", bare)):
                profiled(call, args.calls // 2, profilers[side])
        print(f"\n===== {kind}: ms per request in process, median of {args.rounds} rounds [range]")
        medians = {}
        for side, found in times.items():
            wall, cpu = [w for w, _ in found], [c for _, c in found]
            medians[side] = statistics.median(wall), statistics.median(cpu)
            print(
                f"{side:9} wall {medians[side][0]:5.2f} [{min(wall):.2f}-{max(wall):.2f}]"
                f"   CPU {medians[side][1]:5.2f} [{min(cpu):.2f}-{max(cpu):.2f}]"
            )
        (api_wall, api_cpu), (bare_wall, bare_cpu) = medians["endpoint"], medians["bare"]
        print(
            f"gap: wall {api_wall - bare_wall:.2f} ms (bare/endpoint {bare_wall / api_wall:.2f}),"
            f" CPU {api_cpu - bare_cpu:.2f} ms (bare/endpoint {bare_cpu / api_cpu:.2f})"
        )
        api_stats, bare_stats = (pstats.Stats(profilers[side]) for side in ("endpoint", "bare"))
        per = 1000 / (args.rounds * (args.calls // 2))
        print(f"\ncProfile, cumulative ms per request ({args.rounds * (args.calls // 2)} each)")
        print(f"{'part':50} {'endpoint':>9} {'bare':>9}")
        for label, path, name in SHARED_PARTS:
            a, b = cumulative(api_stats, path, name), cumulative(bare_stats, path, name)
            print(f"{label:50} {a * per:9.3f} {b * per:9.3f}")
        print("only the endpoint's:")
        for label, path, name in ENDPOINT_PARTS:
            a = cumulative(api_stats, path, name)
            if a:
                print(f"{label:50} {a * per:9.3f}")
        print("the bare view's counterparts:")
        for label, path, name in BARE_PARTS:
            b = cumulative(bare_stats, path, name)
            if b:
                print(f"{label:50} {'':9} {b * per:9.3f}")
        print(f"\nthe endpoint's top {args.top} by cumulative time:")
        api_stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
