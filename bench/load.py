"""A bounded load generator over keep-alive HTTP/1.1 connections (loopback only).

python bench/load.py --url http://127.0.0.1:8001 --seconds 10 --concurrency 8 [--token T]
Runs each scenario for --seconds with --concurrency threads and prints requests/s, p50, p99,
the ratio to the ceiling (a bare view doing one indexed query) and, for the list and the
confirmation, the ratio to a bare view doing the same database work (bench/views.py).
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


def scenarios(token: str, cprs: list[str], flows: list[str]) -> dict:
    """name -> (make_request, the name of its same-query bare view or None)."""
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
        "GET /v1/Asylovergivelse": (by_cpr("/v1/Asylovergivelse", auth), CEILING),
        "bare: flows page": (get("/bench/ceiling/flows?limit=20", {}), None),
        "GET /v1/BorgerFlytte": (get("/v1/BorgerFlytte?limit=20", auth), "bare: flows page"),
        "bare: lock+stamp flow": (confirm("/bench/ceiling/bekraeft", "bare"), None),
        "POST bekraeftfraflytning": (
            confirm("/v1/BorgerFlytte/action/bekraeftfraflytning", "api"),
            "bare: lock+stamp flow",
        ),
    }


CEILING = "ceiling (bare Django, 1 indexed query)"


def run(url: str, make_request, seconds: float, concurrency: int):
    parsed = urllib.parse.urlparse(url)
    latencies, statuses, lock = [], {}, threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        mine, my_statuses = [], {}
        while time.perf_counter() < deadline:
            method, path, headers, body = make_request()
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
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return len(latencies) / elapsed, quantiles[49] * 1000, quantiles[98] * 1000, statuses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8001")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--token", required=True)
    parser.add_argument("--cprs", required=True, help="file: one CPR per line")
    parser.add_argument("--flows", required=True, help="file: one flow id per line (same order)")
    args = parser.parse_args()
    if urllib.parse.urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    cprs = Path(args.cprs).read_text().split()
    flows = Path(args.flows).read_text().split()
    results, same = {}, {}
    for name, (make, same_query) in scenarios(args.token, cprs, flows).items():
        run(args.url, make, min(2.0, args.seconds), args.concurrency)  # warm-up
        results[name] = run(args.url, make, args.seconds, args.concurrency)
        same[name] = same_query
    ceiling_rps = results[CEILING][0]
    print(
        f"{'scenario':42} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'x ceiling':>9} "
        f"{'x same query':>12}  statuses"
    )
    for name, (rps, p50, p99, statuses) in results.items():
        same_query = f"{rps / results[same[name]][0]:12.2f}" if same[name] else f"{'':12}"
        print(
            f"{name:42} {rps:7.0f} {p50:7.1f} {p99:7.1f} {rps / ceiling_rps:9.2f} "
            f"{same_query}  {statuses}"
        )


if __name__ == "__main__":
    main()
