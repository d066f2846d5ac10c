"""Notification delivery (run by hand, not in CI): WRITES_PER_SECOND writes (default 50) for
SECONDS (default 10), each a flow's event to 5 subscribers (kommune and jobcentre of A and B,
and STAR), delivered by one worker (`lever_notifikationer`, its default concurrency) to HTTPS
receivers on loopback. It prints deliveries per second and commit-to-delivery p50/p99; then the
same with one of the five receivers hanging (answering nothing until the timeout).

    .venv/bin/python bench/notifikationer.py [SECONDS] [WRITES_PER_SECOND]

It recreates the database BENCH_DATABASE (default `bi_notify_bench`) on 127.0.0.1:5432. With
BENCH_DRAIN=1 a third run queues all its writes' deliveries first and only then starts the
worker: the worker's own ceiling (deliveries/s from its first delivery, CPU each), without the
writer competing for the cores. The receivers are processes of their own
(tests/accessrules/notifikationer/receiver.py); the writes are the cancellation service in this
process, on BENCH_WRITERS threads (default 4: one write costs ~15 ms of CPU and waits on the
database, so one thread cannot make 50 a second), each paced to its due time (the bench
measures delivery, not the API); a write's commit time is taken right after its transaction
commits.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("BENCH_DATABASE", "bi_notify_bench")
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DEBUG", "1")
sys.path.insert(0, str(ROOT))

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 10
RATE = float(sys.argv[2]) if len(sys.argv) > 2 else 50
TIMEOUT = os.environ.get("NOTIFICATION_TIMEOUT_SECONDS", "10")
WRITERS = int(os.environ.get("BENCH_WRITERS", "4"))


def cpu_seconds(pid: int) -> float:
    """A process's CPU time so far (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sh(*args):
    subprocess.run(args, check=True, capture_output=True)


def setup_database():
    sh("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE)
    sh("createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE)
    sh(sys.executable, str(ROOT / "manage.py"), "migrate", "-v0")


def main():
    from tests.accessrules.notifikationer.receiver import make_certificate

    setup_database()
    import django

    django.setup()
    from django.db import connection

    from accessrules.models import Abonnement, Borger, Notifikation, Organisation
    from accessrules.notifikationer import signering
    from borgerflytte.models import Borgerflytning
    from borgerflytte.services import annuller

    folder = Path(tempfile.mkdtemp(prefix="notify-bench-"))
    cert, key = make_certificate(folder)
    orgs = [
        Organisation.objects.create(type=t, kode=k, navn=k)
        for t, k in [(7, "101"), (8, "10100"), (7, "147"), (8, "14700"), (1, "STAR")]
    ]
    from tests.factories import ApiClientFactory

    client = ApiClientFactory(organisationer=orgs)
    n = int(SECONDS * RATE) * 3 + 10
    borgere = Borger.objects.bulk_create(Borger(cpr=f"01019{i:05d}") for i in range(n))
    flows = Borgerflytning.objects.bulk_create(
        Borgerflytning(
            borger=b,
            fraflytningskommune=orgs[0],
            tilflytningskommune=orgs[2],
            flyttedato="2026-11-01",
        )
        for b in borgere
    )

    def run(label: str, hang: bool, flows, drain: bool = False):
        Abonnement.objects.update(ophoert="2026-01-01T00:00:00Z")
        receivers, subscriptions, out = [], [], folder / f"{label}.jsonl"
        for i, org in enumerate(orgs):
            port = 18650 + i + (10 if hang else 0)
            secret = signering.ny_hemmelighed()
            secrets = folder / f"{label}-{i}.secrets"
            secrets.write_text(secret)
            mode = "hang" if hang and i == 4 else "up"
            receivers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "tests.accessrules.notifikationer.receiver",
                        str(port),
                        str(cert),
                        str(key),
                        str(secrets),
                        str(out),
                        mode,
                    ],
                    cwd=ROOT,
                )  # fmt: skip
            )
            subscriptions.append(
                Abonnement.objects.create(
                    klient=client,
                    organisation=org,
                    callback_url=f"https://localhost:{port}/h",
                    haendelsestyper=["borgerflytning.annulleret"],
                    hemmelighed=secret,
                )
            )
        env = {
            **os.environ,
            "NOTIFICATION_ALLOWED_NETWORKS": "127.0.0.1/32",
            "NOTIFICATION_CA_BUNDLE": str(cert),
            "NOTIFICATION_TIMEOUT_SECONDS": TIMEOUT,
        }

        def start_worker():
            command = [sys.executable, str(ROOT / "manage.py"), "lever_notifikationer"]
            return subprocess.Popen(command, cwd=ROOT, env=env)

        worker = None if drain else start_worker()
        time.sleep(3)  # the worker and receivers start
        committed = {}
        own_cpu = time.process_time()
        worker_cpu = cpu_seconds(worker.pid) if worker else 0
        start = time.monotonic()

        def write(flow):
            annuller(flytning_id=flow.pk, begrundelse="bench", af="bench")
            committed[str(flow.pk)] = time.time()

        with ThreadPoolExecutor(WRITERS) as writers:  # each with its own connection
            for i, flow in enumerate(flows):
                due = start + i / RATE
                if not drain and (wait := due - time.monotonic()) > 0:
                    time.sleep(wait)
                writers.submit(write, flow)
        elapsed = time.monotonic() - start
        write_cpu = (time.process_time() - own_cpu) / len(flows)
        if drain:  # all queued before the worker starts: its own pace, from its first delivery
            worker = start_worker()
            worker_cpu = cpu_seconds(worker.pid)
        expected = len(flows) * (4 if hang else 5)
        deadline = time.monotonic() + 60
        lines = []
        while time.monotonic() < deadline:
            lines = [json.loads(x) for x in out.read_text().splitlines()] if out.exists() else []
            if len([x for x in lines if "id" in x]) >= expected:
                break
            time.sleep(0.2)
        worker_cpu = cpu_seconds(worker.pid) - worker_cpu
        worker.terminate()  # it finishes the jobs in progress: a hanging try ends at the timeout
        stopping = time.monotonic()
        worker.wait(120)
        stopped = time.monotonic() - stopping
        for r in receivers:
            r.kill()
        subject = dict(
            Notifikation.objects.filter(subject__in=committed).values_list("id", "subject")
        )
        got = [x for x in lines if "id" in x]
        latencies = sorted(x["at"] - committed[subject[uuid.UUID(x["id"])]] for x in got)
        first = min(x["at"] for x in got) if drain and got else min(committed.values())
        span = max(x["at"] for x in got) - first if got else 0
        p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
        p50, p99, top = (1000 * v for v in (statistics.median(latencies), p(0.99), latencies[-1]))
        refused = len([x for x in lines if "refused" in x])
        print(
            f"{label}: {len(flows)} writes in {elapsed:.1f} s ({len(flows) / elapsed:.0f}/s), "
            f"{len(got)} of {expected} deliveries to receivers that answer in {span:.1f} s "
            f"({len(got) / span:.0f}/s); commit to delivery p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
            f"max {top:.0f} ms; refused signatures: {refused}; CPU: worker "
            f"{1000 * worker_cpu / max(1, len(got)):.1f} ms a delivery, the writer "
            f"{1000 * write_cpu:.1f} ms a write; load average {os.getloadavg()[0]:.1f}; "
            f"the worker stopped in {stopped:.1f} s"
        )
        connection.close()

    k = int(SECONDS * RATE)
    run("receivers up", False, flows[:k])
    run("one receiver hangs", True, flows[k : 2 * k])
    if os.environ.get("BENCH_DRAIN"):  # the worker's own ceiling, without the writer beside it
        run("drain (queued first)", False, flows[2 * k : 3 * k], drain=True)


if __name__ == "__main__":
    main()
