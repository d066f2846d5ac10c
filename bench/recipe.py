"""Load test of the production recipe (issue 14, item 7), run by hand: python bench/recipe.py

- a fresh database `borgerindsats_recipe` (CITIZENS=5000 citizens, as many flows, through
  import_register), migrated;
- two app servers as the README runs them: `gunicorn config.wsgi` with gunicorn.conf.py's
  defaults (2 workers x 12 threads each), DEBUG=0, on two loopback ports, nothing in front;
- an open-loop load: RATE=200 requests/s for SECONDS=60, request i scheduled at start + i/RATE
  and sent by whichever of 64 client threads is free, alternating between the servers;
  latency is measured from the scheduled time (a late send counts as latency);
- 80 % reads (GET /v1/Asylovergivelse by CPR, GET /v1/BorgerFlytte?limit=20), 20 % writes
  (POST /v1/Asylovergivelse for a citizen that has none, POST bekraeftfraflytning of a waiting
  flow), each write on a fresh citizen or flow with its own x-requestId;
- reports p50/p95/p99 per kind and overall, and errors (any status other than the expected
  one, or no answer). Target: p99 < 50 ms, zero errors;
- then /healthz under 8 slow clients on the first server (bench/slow_clients.py).

The servers run in their own process groups and are killed on exit (also on Ctrl-C).
"""

import datetime
import http.client
import json
import os
import queue
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = "borgerindsats_recipe"
BASE = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
RATE = float(os.environ.get("RATE", 200))
SECONDS = float(os.environ.get("SECONDS", 60))
CITIZENS = int(os.environ.get("CITIZENS", 5000))
CLIENT_THREADS = 64
WRITE_SHARE = 0.2

os.environ.update(
    DATABASE_URL=f"{BASE}/{DB}",
    DJANGO_SETTINGS_MODULE="config.settings",
    DEBUG="0",
    SECRET_KEY="recipe-bench-only-" + uuid.uuid4().hex,
    ALLOWED_HOSTS="127.0.0.1,localhost",
    SECURE_SSL_REDIRECT="0",
    FLOWS=str(CITIZENS),
)


def prepare() -> dict:
    subprocess.run(
        ["psql", "-q", f"{BASE}/postgres", "-c", f"DROP DATABASE IF EXISTS {DB}"], check=True
    )
    subprocess.run(["psql", "-q", f"{BASE}/postgres", "-c", f"CREATE DATABASE {DB}"], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    import django

    django.setup()
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    from accessrules.models import ApiClient, Organisation
    from accessrules.oauth.scopes import ALL as ALL_SCOPES
    from accessrules.register import import_register
    from bench.populate import document
    from borgerflytte.models import Borgerflytning

    started = time.perf_counter()
    import_register(document(CITIZENS))
    print(f"import_register: {CITIZENS} citizens in {time.perf_counter() - started:.1f} s")
    tokens = {}
    for name, org in (("star", ("1", "STAR")), ("jobcenter", ("8", "10100"))):
        app = Application.objects.create(
            name=f"recipe-{name}",
            client_type="confidential",
            authorization_grant_type="client-credentials",
        )
        client = ApiClient.objects.create(
            application=app, navn=f"recipe-{name}", scopes=" ".join(ALL_SCOPES)
        )
        organisation = Organisation.objects.get(type=int(org[0]), kode=org[1])
        client.organisationer.set([organisation])
        token = f"recipe-{name}-{uuid.uuid4().hex}"
        AccessToken.objects.create(
            application=app,
            token=token,
            scope=" ".join(ALL_SCOPES),
            expires=timezone.now() + datetime.timedelta(hours=2),
        )
        tokens[name] = {
            "Authorization": f"Bearer {token}",
            "x-activeOrganisationTypeIdentifier": org[0],
            "x-activeOrganisationCode": org[1],
        }
    flows = list(Borgerflytning.objects.order_by("id").values_list("id", "borger__cpr"))
    from django.db import connections

    connections.close_all()
    return {"tokens": tokens, "flows": [(str(f), c) for f, c in flows]}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_servers(log_dir: Path) -> list[tuple[subprocess.Popen, int]]:
    servers = []
    for n in (1, 2):
        port = free_port()
        env = {**os.environ, "BIND": f"127.0.0.1:{port}"}
        env.pop("DJANGO_SETTINGS_MODULE")  # config.wsgi sets it: exactly the recipe
        log = open(log_dir / f"server{n}.log", "ab")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        servers.append((process, port))
    for _process, port in servers:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"server on {port} did not start; logs in {log_dir}")
            time.sleep(0.2)
    return servers


def stop_servers(servers) -> None:
    for process, _port in servers:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(10)


def plan(data: dict, total: int) -> list[tuple[str, str, str, dict, bytes | None, int]]:
    """(kind, method, path, headers, body, expected status) for each request, in order."""
    star, jobcenter = data["tokens"]["star"], data["tokens"]["jobcenter"]
    flows = data["flows"]
    today = datetime.date.today()

    def days(n):
        return (today + datetime.timedelta(days=n)).isoformat()

    create_body = json.dumps(
        {
            "CVEditEndDate": days(40),
            "overgivelsesdato": days(10),
            "tidligCvOvergivelsesdato": days(5),
            "tidligKontraktOvergivelsesdato": days(1),
            "overgivelseskommunekode": "101",
        }
    ).encode()
    creates = iter(range(0, len(flows), 2))  # citizens with an even index: creates
    confirms = iter(range(1, len(flows), 2))  # odd: confirmations of their flow
    requests = []
    every = round(1 / WRITE_SHARE)
    for i in range(total):
        if i % every == every - 1:
            if (i // every) % 2 == 0:
                cpr = flows[next(creates)][1]
                headers = {**jobcenter, "x-civilRegistrationIdentifier": cpr}
                headers |= {"x-requestId": str(uuid.uuid4()), "Content-Type": "application/json"}
                requests.append(
                    ("POST create", "POST", "/v1/Asylovergivelse", headers, create_body, 201)
                )
            else:
                flow, cpr = flows[next(confirms)]
                headers = {**star, "x-civilRegistrationIdentifier": cpr}
                headers |= {"x-requestId": str(uuid.uuid4()), "Content-Type": "application/json"}
                body = json.dumps({"borgerflytningId": flow}).encode()
                path = "/v1/BorgerFlytte/action/bekraeftfraflytning"
                requests.append(("POST confirm", "POST", path, headers, body, 204))
        elif i % 2 == 0:
            cpr = flows[(i * 7919) % len(flows)][1]
            headers = {**jobcenter, "x-civilRegistrationIdentifier": cpr}
            requests.append(
                ("GET Asylovergivelse", "GET", "/v1/Asylovergivelse", headers, None, 200)
            )
        else:
            requests.append(
                ("GET BorgerFlytte", "GET", "/v1/BorgerFlytte?limit=20", star, None, 200)
            )
    return requests


def drive(ports: list[int], requests: list, rate: float) -> list[tuple[str, float, object]]:
    """Open loop: request i is due at start + i / rate; results are (kind, latency, status)."""
    jobs: queue.Queue = queue.Queue()
    results, lock = [], threading.Lock()

    def client():
        connections = {}
        while True:
            job = jobs.get()
            if job is None:
                return
            due, index, (kind, method, path, headers, body, expected) = job
            port = ports[index % len(ports)]
            status: object
            for attempt in (1, 2):  # a kept-alive connection the server closed: once more
                try:
                    if port not in connections:
                        connections[port] = http.client.HTTPConnection(
                            "127.0.0.1", port, timeout=30
                        )
                    connections[port].request(method, path, body=body, headers=headers)
                    response = connections[port].getresponse()
                    response.read()
                    status = response.status
                    break
                except (OSError, http.client.HTTPException) as error:
                    connections.pop(port).close()
                    status = type(error).__name__
                    # the server closed a kept-alive connection as we reused it: the request
                    # never reached the app (its access log shows it), so send it once more
                    stale = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)
                    if attempt == 2 or not isinstance(error, stale):
                        break
            latency = time.perf_counter() - due
            with lock:
                results.append((kind, latency, status if status != expected else "ok"))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    start = time.perf_counter() + 0.5
    for index, request in enumerate(requests):
        due = start + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        jobs.put((due, index, request))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join(60)
    return results


def report(results) -> None:
    kinds = sorted({kind for kind, _, _ in results})
    print(f"{'kind':22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}  errors")
    for kind in [*kinds, "all"]:
        rows = [r for r in results if kind in ("all", r[0])]
        latencies = sorted(latency * 1000 for _, latency, _ in rows)
        q = statistics.quantiles(latencies, n=100)
        errors = {}
        for _, _, outcome in rows:
            if outcome != "ok":
                errors[outcome] = errors.get(outcome, 0) + 1
        print(
            f"{kind:22} {len(rows):6} {q[49]:8.1f} {q[94]:8.1f} {q[98]:8.1f} "
            f"{latencies[-1]:8.1f}  {errors or 0}"
        )


def server_side(log_dir: Path) -> None:
    """What the latency is made of: gunicorn's own request time (from reading the request to
    the end of the answer) per path, from the servers' access logs, against the client's."""
    pattern = re.compile(r'"(GET|POST) (\S+) HTTP/1.1" (\d+) \S+ (\d+)ms')
    times: dict[str, list[int]] = {}
    for log in log_dir.glob("server*.log"):
        for match in pattern.finditer(log.read_text(errors="replace")):
            times.setdefault(f"{match[1]} {match[2]}", []).append(int(match[4]))
    print("gunicorn's own request time (access log, whole ms, warm-up included):")
    for path, values in sorted(times.items()):
        if len(values) < 100:
            continue
        q = statistics.quantiles(values, n=100)
        print(f"  {path:50} n={len(values):6} p50 {q[49]:5.0f} p95 {q[94]:5.0f} p99 {q[98]:5.0f}")
    load = os.getloadavg()
    print(f"load average (1/5 min): {load[0]:.1f} / {load[1]:.1f}; {os.cpu_count()} cores")


def main() -> None:
    data = prepare()
    total = int(RATE * SECONDS)
    requests = plan(data, total)
    log_dir = Path(tempfile.mkdtemp(prefix="recipe-"))
    servers = start_servers(log_dir)
    try:
        # warm-up, not measured: each worker's first requests (lazy imports, connections)
        reads = [r for r in requests if r[1] == "GET"][:400]
        drive([p for _, p in servers], reads, RATE)
        print(f"servers on ports {[p for _, p in servers]}; logs in {log_dir}")
        print(f"open loop: {RATE:.0f} requests/s for {SECONDS:.0f} s ({total} requests)")
        results = drive([p for _, p in servers], requests, RATE)
        report(results)
        server_side(log_dir)
        from bench.slow_clients import report as slow_clients_report

        slow_clients_report("127.0.0.1", servers[0][1])
    finally:
        stop_servers(servers)


if __name__ == "__main__":
    main()
