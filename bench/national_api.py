"""The API at two sizes in the same run (issue 23 item 3): an app server per database
(gunicorn with the recipe's configuration), the same calls sent to each in turn, round after
round (each size first in every other round), over keep-alive HTTP from this process, so
that both sizes see the same moments of the machine. Prints, per call, the median and p90
at each size and the ratio of the medians.

    .venv/bin/python bench/national_api.py [--rounds 41] SMALL_DB LARGE_DB

Both databases are bench/national.py's (e.g. `national.py 100000` and `national.py 6000000`
on 127.0.0.1:5432); the actors of bench/national_actors.py are made if missing. The calls are
bench/national_times.py's API rows: GET /v1/Asylovergivelse, the flow list's first page (also
AFVENTER) and a deep cursor page as STAR, the same two for kommune 101 (60,000 flows), and
both first confirmations (each round confirms a flow nobody confirmed yet). One warm-up round
is not counted. Each server has one worker with one thread, and its own Redis database.
"""

import argparse
import contextlib
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STAR = {
    "Authorization": "Bearer bench-token",
    "x-activeOrganisationTypeIdentifier": "1",
    "x-activeOrganisationCode": "STAR",
}


def prepare(count: int) -> None:
    """In a subprocess with DATABASE_URL set: the actors, then what the calls need, as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from accessrules.models import Borger
    from bench.national_actors import KOMMUNE_AUTH, deep_cursor, ensure_actors, unconfirmed_flows

    ensure_actors()
    cpr = Borger.objects.filter(kontaktgruppe="flygtning").values_list("cpr", flat=True)[0]
    json.dump(
        {
            "cpr": cpr,
            "cursor": deep_cursor(),
            "kommune": KOMMUNE_AUTH,
            "fra": [(str(f), c) for f, c in unconfirmed_flows(count, skip=0)],
            "til": [(str(f), c) for f, c in unconfirmed_flows(count, skip=count)],
        },
        sys.stdout,
    )


def calls(data: dict) -> dict:
    """name -> a function of the round giving (method, path, headers, body)."""
    kommune, cursor = data["kommune"], data["cursor"]

    def get(path, headers):
        return lambda _round: ("GET", path, headers, None)

    def confirm(which, flows):
        def make(round_):
            flow, cpr = flows[round_]
            headers = {**STAR, "x-civilRegistrationIdentifier": cpr, "x-requestId": flow}
            body = json.dumps({"borgerflytningId": flow}).encode()
            return "POST", f"/v1/BorgerFlytte/action/{which}", headers, body

        return make

    return {
        "GET /v1/Asylovergivelse": get(
            "/v1/Asylovergivelse", {**STAR, "x-civilRegistrationIdentifier": data["cpr"]}
        ),
        "GET /v1/BorgerFlytte (first page)": get("/v1/BorgerFlytte?limit=20", STAR),
        "GET /v1/BorgerFlytte AFVENTER": get("/v1/BorgerFlytte?limit=20&tilstand=AFVENTER", STAR),
        "GET /v1/BorgerFlytte deep cursor page": get(
            f"/v1/BorgerFlytte?limit=20&cursor={cursor}", STAR
        ),
        "kommune 101: first page": get("/v1/BorgerFlytte?limit=20", kommune),
        "kommune 101: deep cursor page": get(f"/v1/BorgerFlytte?limit=20&cursor={cursor}", kommune),
        "POST bekraeftfraflytning (first)": confirm("bekraeftfraflytning", data["fra"]),
        "POST bekraefttilflytning (first)": confirm("bekraefttilflytning", data["til"]),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(servers) -> None:
    for process, _port in servers:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def start(database: str, redis_db: int, log: Path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "CACHE_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "1",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            probe.request("GET", "/healthz")
            if probe.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server for {database} did not start: {log}")


def send(connection: http.client.HTTPConnection, request) -> float:
    method, path, headers, body = request
    if body is not None:
        headers = {**headers, "Content-Type": "application/json"}
    started = time.perf_counter()
    connection.request(method, path, body=body, headers={**headers, "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    took = (time.perf_counter() - started) * 1000
    if response.status >= 400:
        raise SystemExit(f"{method} {path} answered {response.status}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("small")
    parser.add_argument("large")
    parser.add_argument("--rounds", type=int, default=41)
    args = parser.parse_args()
    databases = [args.small, args.large]
    data = {}
    for database in databases:
        env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}"}
        out = subprocess.run(
            [sys.executable, __file__, "--prepare", str(args.rounds + 1)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        data[database] = calls(json.loads(out.splitlines()[-1]))  # after opret_grupper's line
    log_dir = Path(tempfile.mkdtemp(prefix="national-api-"))
    servers = [start(db, 13 + i, log_dir / f"{db}.log") for i, db in enumerate(databases)]
    try:
        connections = [http.client.HTTPConnection("127.0.0.1", port) for _, port in servers]
        times = {(name, db): [] for name in data[args.small] for db in databases}
        for round_ in range(args.rounds + 1):
            for name in data[args.small]:
                pairs = list(zip(databases, connections, strict=True))
                for db, connection in pairs[:: 1 if round_ % 2 else -1]:  # each first in turn
                    took = send(connection, data[db][name](round_))
                    if round_:  # the first round warms up
                        times[name, db].append(took)
    finally:
        stop(servers)
    print(f"| call | {args.small}: median / p90 (ms) | {args.large}: median / p90 (ms) | ratio |")
    print("| --- | --- | --- | --- |")
    for name in data[args.small]:
        cells, medians = [], []
        for db in databases:
            values = sorted(times[name, db])
            medians.append(statistics.median(values))
            cells.append(f"{medians[-1]:.1f} / {values[int(len(values) * 0.9)]:.1f}")
        print(f"| {name} | {cells[0]} | {cells[1]} | {medians[1] / medians[0]:.2f} |")


if __name__ == "__main__":
    if "--prepare" in sys.argv:
        prepare(int(sys.argv[sys.argv.index("--prepare") + 1]))
    else:
        main()
