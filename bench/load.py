"""A bounded load generator over keep-alive HTTP/1.1 connections (loopback only).

python bench/load.py --url http://127.0.0.1:8001 --seconds 10 --concurrency 8 [--token T]
Runs each scenario for --seconds (split over --rounds interleaved rounds) with --concurrency
threads and prints requests/s, p50, p99, the ratio to the ceiling (a bare view doing one
indexed query) and, for each endpoint, the ratio to the bare view that sends the same
statements, its access-log row included (bench/views.py).
"""

import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import NamedTuple


def scenarios(token: str, cprs: list[str], flows: list[str]) -> dict:
    """name -> (make_request, the name of its same-work bare view or None)."""
    auth = {
        "Authorization": f"Bearer {token}",
        "x-activeOrganisationTypeIdentifier": "1",
        "x-activeOrganisationCode": "STAR",
    }
    counter = iter(range(10**9))
    # Each confirmation scenario takes its own flows, so every call is a real first confirmation.
    flow_numbers = {"api": iter(range(0, len(flows), 2)), "bare": iter(range(1, len(flows), 2))}

    def by_cpr(path, headers):
        def make():
            i = next(counter)
            return (
                "GET",
                path,
                {**headers, "x-civilRegistrationIdentifier": cprs[i % len(cprs)]},
                None,
            )

        return make

    def confirm(path, which):
        def make():
            i = next(flow_numbers[which])
            body = json.dumps({"borgerflytningId": flows[i]})
            headers = {
                **auth,
                "x-civilRegistrationIdentifier": cprs[i],
                "x-requestId": str(uuid.uuid4()),
                "Content-Type": "application/json",
            }
            return "POST", path, headers, body

        return make

    def get(path, headers):
        return lambda: ("GET", path, headers, None)

    return {
        CEILING: (by_cpr("/bench/ceiling", {}), None),
        SAME_GET: (by_cpr("/bench/same/asylovergivelse", auth), None),
        "GET /v1/Asylovergivelse": (by_cpr("/v1/Asylovergivelse", auth), SAME_GET),
        SAME_LIST: (get("/bench/same/flows?limit=20", auth), None),
        "GET /v1/BorgerFlytte": (get("/v1/BorgerFlytte?limit=20", auth), SAME_LIST),
        SAME_CONFIRM: (confirm("/bench/same/bekraeft", "bare"), None),
        "POST bekraeftfraflytning": (
            confirm("/v1/BorgerFlytte/action/bekraeftfraflytning", "api"),
            SAME_CONFIRM,
        ),
    }


CEILING = "ceiling (bare Django, 1 indexed query)"
SAME_GET = "bare: same work as GET Asylovergivelse"
SAME_LIST = "bare: same work as GET BorgerFlytte"
SAME_CONFIRM = "bare: same work as a first confirmation"


def run(url: str, make_request, seconds: float, concurrency: int):
    parsed = urllib.parse.urlparse(url)
    latencies, statuses, lock, exhausted = [], {}, threading.Lock(), threading.Event()
    deadline = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        mine, my_statuses = [], {}
        while time.perf_counter() < deadline:
            try:
                method, path, headers, body = make_request()
            except StopIteration:  # no unconfirmed flow left: run.sh FLOWS= more
                exhausted.set()
                break
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            my_statuses[response.status] = my_statuses.get(response.status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for status, count in my_statuses.items():
                statuses[status] = statuses.get(status, 0) + count

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if exhausted.is_set():
        raise SystemExit("out of unconfirmed flows: give run.sh more (FLOWS=...) or fewer seconds")
    return Run(time.perf_counter() - started, latencies, statuses)


class Run(NamedTuple):
    elapsed: float
    latencies: list[float]
    statuses: dict[int, int]

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed


def summary(runs: list[Run]) -> tuple[float, float, float, dict]:
    """requests/s over all rounds, p50 and p99 in ms, statuses."""
    latencies = [latency for r in runs for latency in r.latencies]
    statuses = {}
    for r in runs:
        for status, count in r.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    quantiles = statistics.quantiles(latencies, n=100)
    rps = len(latencies) / sum(r.elapsed for r in runs)
    return rps, quantiles[49] * 1000, quantiles[98] * 1000, statuses


def ratio(runs: list[Run], baseline: list[Run]) -> float:
    """The median over rounds of the ratio within a round: the scenarios of one round run
    back to back, so a slow spell of the machine weighs on both sides of a ratio."""
    return statistics.median(r.rps / b.rps for r, b in zip(runs, baseline, strict=True))


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8001")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--token", required=True)
    parser.add_argument("--cprs", required=True, help="file: one CPR per line")
    parser.add_argument("--flows", required=True, help="file: one flow id per line (same order)")
    args = parser.parse_args()
    if urllib.parse.urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    cprs = Path(args.cprs).read_text().split()
    flows = Path(args.flows).read_text().split()
    plan = scenarios(args.token, cprs, flows)
    runs = {name: [] for name in plan}
    for make, _same in plan.values():
        run(args.url, make, min(2.0, args.seconds), args.concurrency)  # warm-up
    for _ in range(args.rounds):  # interleaved, so that drift hits every scenario alike
        for name, (make, _same) in plan.items():
            runs[name].append(run(args.url, make, args.seconds / args.rounds, args.concurrency))
    print(
        f"{'scenario':42} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'x ceiling':>9} "
        f"{'x same work':>11}  statuses"
    )
    for name, (_make, same) in plan.items():
        rps, p50, p99, statuses = summary(runs[name])
        same_work = f"{ratio(runs[name], runs[same]):11.2f}" if same else f"{'':11}"
        print(
            f"{name:42} {rps:7.0f} {p50:7.1f} {p99:7.1f} {ratio(runs[name], runs[CEILING]):9.2f} "
            f"{same_work}  {statuses}"
        )
    print(f"({args.rounds} interleaved rounds of {args.seconds / args.rounds:.1f} s per scenario;")
    print(" the ratios are medians of the per-round ratios)")
    print("\nnoise: the range over rounds")
    print(f"{'scenario':42} {'req/s':>11} {'x ceiling':>11} {'x same work':>11}")
    for name, (_make, same) in plan.items():
        rps = [r.rps for r in runs[name]]
        to_ceiling = [r.rps / c.rps for r, c in zip(runs[name], runs[CEILING], strict=True)]
        to_same = (
            [r.rps / b.rps for r, b in zip(runs[name], runs[same], strict=True)] if same else []
        )
        print(
            f"{name:42} {min(rps):5.0f}-{max(rps):<5.0f} {spread(to_ceiling):>11} "
            f"{spread(to_same) if to_same else '':>11}"
        )


if __name__ == "__main__":
    main()
