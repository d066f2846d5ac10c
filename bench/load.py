"""A bounded load generator over keep-alive HTTP/1.1 connections (loopback only).

python bench/load.py --url http://127.0.0.1:8001 --seconds 10 --concurrency 8 [--token T]
Runs each scenario for --seconds with --concurrency threads and prints requests/s, p50, p99
and the ratio to the ceiling scenario.
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
    auth = {
        "Authorization": f"Bearer {token}",
        "x-activeOrganisationTypeIdentifier": "1",
        "x-activeOrganisationCode": "STAR",
    }
    counter = iter(range(10**9))

    def ceiling():
        i = next(counter)
        return "GET", "/bench/ceiling", {"x-civilRegistrationIdentifier": cprs[i % len(cprs)]}, None

    def get_asyl():
        i = next(counter)
        return (
            "GET",
            "/v1/Asylovergivelse",
            {**auth, "x-civilRegistrationIdentifier": cprs[i % len(cprs)]},
            None,
        )

    def list_flows():
        return "GET", "/v1/BorgerFlytte?limit=20", auth, None

    def fraflytning():
        i = next(counter)
        flow_index = i % len(flows)
        body = json.dumps({"borgerflytningId": flows[flow_index]})
        headers = {
            **auth,
            "x-civilRegistrationIdentifier": cprs[flow_index],
            "x-requestId": str(uuid.uuid4()),
            "Content-Type": "application/json",
        }
        return "POST", "/v1/BorgerFlytte/action/bekraeftfraflytning", headers, body

    return {
        "ceiling (bare Django, 1 indexed query)": ceiling,
        "GET /v1/Asylovergivelse": get_asyl,
        "POST bekraeftfraflytning": fraflytning,
        "GET /v1/BorgerFlytte": list_flows,
    }


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
    results = {}
    for name, make in scenarios(args.token, cprs, flows).items():
        run(args.url, make, min(2.0, args.seconds), args.concurrency)  # warm-up
        results[name] = run(args.url, make, args.seconds, args.concurrency)
    ceiling_rps = next(iter(results.values()))[0]
    print(f"{'scenario':42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'x ceiling':>9}  statuses")
    for name, (rps, p50, p99, statuses) in results.items():
        print(f"{name:42} {rps:8.0f} {p50:8.1f} {p99:8.1f} {rps / ceiling_rps:9.2f}  {statuses}")


if __name__ == "__main__":
    main()
