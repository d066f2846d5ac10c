"""/healthz and an authenticated GET under 500 slow clients, through the recipe's nginx
(issue 20, item 1), run by hand: python bench/proxy.py [--clients 500] [--waves 3]

- the recipe's database and servers (bench/recipe.py: a fresh `borgerindsats_recipe`, here
  CITIZENS=1000 by default; two `gunicorn config.wsgi` with gunicorn.conf.py's defaults);
- the recipe's nginx in front of both (config/deploy/nginx/, rendered as tests/proxy/nginx.py
  renders it: a self-signed certificate, loopback ports, the recipe's timeouts and limits);
- a baseline: --probes rounds of /healthz and GET /v1/Asylovergivelse (a jobcentre's token, one
  of its citizens), one after the other, each on a new TLS connection;
- then --waves times: --clients slow TLS connections (a POST's headers announcing 1,000 bytes,
  one byte of the body, then silence), probed the same way until nginx's client_body_timeout
  has closed them all; only the probes sent while all of them were held are counted.

Prints p50 / p99 / max per probe and phase, failures, and when nginx closed the slow clients.
Goal (issue 20): p99 under 1 s. Loopback only; everything is stopped on exit.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("CITIZENS", "1000")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import recipe  # noqa: E402  (sets the recipe's environment)
from bench.slow_tls import SlowClients, client_context, probe_once, summary  # noqa: E402
from tests.proxy.nginx import Nginx  # noqa: E402

PROBE_TIMEOUT = 10.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--probes", type=int, default=200, help="baseline rounds")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, args.clients + 1024)), hard))

    data = recipe.prepare()
    headers = {**data["tokens"]["jobcenter"], "x-civilRegistrationIdentifier": data["flows"][0][1]}
    folder = Path(tempfile.mkdtemp(prefix="proxy-bench-"))
    servers = recipe.start_servers(folder)
    (folder / "nginx").mkdir()
    nginx = Nginx(folder / "nginx", [f"127.0.0.1:{port}" for _, port in servers])
    try:
        nginx.start()
        host, port = "127.0.0.1", nginx.https_port
        context = client_context(str(nginx.certificate))
        probes = {
            "/healthz": lambda: probe_once(
                "/healthz", host, port, "/healthz", context=context, timeout=PROBE_TIMEOUT
            ),
            "GET /v1/Asylovergivelse": lambda: probe_once(
                "GET /v1/Asylovergivelse",
                host,
                port,
                "/v1/Asylovergivelse",
                context=context,
                headers=headers,
                timeout=PROBE_TIMEOUT,
            ),
        }
        print(f"nginx on {port} in front of {[p for _, p in servers]}; logs in {folder}")
        for _ in range(20):  # warm-up: each worker's first requests
            for send in probes.values():
                send()
        baseline = [send() for _ in range(args.probes) for send in probes.values()]
        report("no slow clients", baseline)

        held_samples = []
        for wave in range(1, args.waves + 1):
            slow = SlowClients(host, port, args.clients, context).open()
            try:
                samples = []
                deadline = slow.opened_at + 60
                while slow.held() and time.monotonic() < deadline:
                    samples.extend(send() for send in probes.values())
                slow.wait_all_closed(timeout=max(0.0, deadline - time.monotonic()))
            finally:
                slow.close()
            first = slow.first_closed_at() or time.monotonic()
            counted = [s for s in samples if slow.opened_at <= s.started and s.started <= first]
            held_samples.extend(counted)
            closed = sorted(a for a in slow.closed_after if a is not None)
            print(
                f"wave {wave}: {args.clients} slow clients opened in "
                f"{slow.opened_at - slow.sent_at[0]:.1f} s; {len(counted)} probes while all "
                f"were held; nginx closed {len(closed)} of them "
                f"{closed[0]:.2f}-{closed[-1]:.2f} s after their last byte"
                if closed
                else f"wave {wave}: none closed"
            )
        report(f"under {args.clients} slow clients", held_samples)
        load = os.getloadavg()
        print(f"load average (1/5 min): {load[0]:.1f} / {load[1]:.1f}; {os.cpu_count()} cores")
    finally:
        nginx.stop()
        recipe.stop_servers(servers)


def report(phase: str, samples: list) -> None:
    for name in sorted({s.name for s in samples}):
        mine = [s for s in samples if s.name == name]
        failed = [s for s in mine if s.status != 200]
        print(
            f"{phase:>26} | {name:24} n={len(mine):4} {summary([s.seconds for s in mine])}"
            f"; failed {len(failed)}" + (f" (first: {failed[0]})" if failed else "")
        )


if __name__ == "__main__":
    main()
