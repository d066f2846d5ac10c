"""How long /healthz takes while slow clients hold connections (issue 14, item 2).

python bench/slow_clients.py --url http://127.0.0.1:8000 [--clients 8] [--probes 20]
python bench/slow_clients.py --url http://127.0.0.1:8000 --survey 7,8,11,12,16 [--trials 10]

Each slow client sends a POST's headers (no token, Content-Length 1000) and one byte of the
body, then nothing; while they all hold their connections, /healthz is probed --probes times,
one after the other. Prints the probes' p50 and max, and whether every slow connection was
still open at the end (else the server dropped them and the measurement says nothing).
bench/recipe.py runs it against its first server.

--survey: for each count, --trials times: open that many slow clients, send 6 probes (3 s
timeout each: one with no answer counts as hung), close them, wait for the server to answer
again. Prints in how many trials a probe hung: the number of slow clients a server survives
(docs/operations.md, "The proxy (nginx)"). Loopback only.
"""

import argparse
import contextlib
import http.client
import socket
import statistics
import time
import urllib.parse

SLOW_REQUEST = (
    b"POST /v1/Asylovergivelse HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
)


def open_slow_clients(host: str, port: int, n: int) -> list[socket.socket]:
    clients = []
    for _ in range(n):
        client = socket.create_connection((host, port), timeout=5)
        client.sendall(SLOW_REQUEST)
        clients.append(client)
    return clients


def still_open(client: socket.socket) -> bool:
    """True when the server has neither answered nor closed the connection."""
    try:
        return client.recv(1, socket.MSG_DONTWAIT | socket.MSG_PEEK) != b""  # b"": closed
    except BlockingIOError:
        return True
    except OSError:
        return False


def probe(host: str, port: int, timeout: float) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", "/healthz")
        status = connection.getresponse().status
    finally:
        connection.close()
    return status, time.perf_counter() - started


def measure(host: str, port: int, clients: int = 8, probes: int = 20, timeout: float = 60.0):
    """(statuses, latencies in seconds, how many slow connections were still open)."""
    slow = open_slow_clients(host, port, clients)
    try:
        time.sleep(0.5)  # the server has taken them up
        results = [probe(host, port, timeout) for _ in range(probes)]
        held = sum(still_open(client) for client in slow)
    finally:
        for client in slow:
            with contextlib.suppress(OSError):
                client.close()
    return [s for s, _ in results], [t for _, t in results], held


def survey(host: str, port: int, counts: list[int], trials: int = 10, probes: int = 6) -> None:
    for count in counts:
        hung_trials = hung = 0
        for _ in range(trials):
            slow = open_slow_clients(host, port, count)
            try:
                time.sleep(0.3)  # the server has taken them up
                statuses = [answer(host, port, 3.0) for _ in range(probes)]
            finally:
                for client in slow:
                    with contextlib.suppress(OSError):
                        client.close()
            failed = sum(status != 200 for status in statuses)
            hung, hung_trials = hung + failed, hung_trials + (failed > 0)
            for _ in range(50):  # the held threads see EOF and come back
                if answer(host, port, 1.0) == 200:
                    break
        print(
            f"{count:4} slow clients: a /healthz hung in {hung_trials} of {trials} trials "
            f"({hung} of {trials * probes} probes)",
            flush=True,
        )


def answer(host: str, port: int, timeout: float) -> int | None:
    try:
        return probe(host, port, timeout)[0]
    except (OSError, http.client.HTTPException):
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--probes", type=int, default=20)
    parser.add_argument("--survey", help="comma-separated counts of slow clients")
    parser.add_argument("--trials", type=int, default=10)
    args = parser.parse_args()
    parts = urllib.parse.urlsplit(args.url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    if args.survey:
        counts = [int(n) for n in args.survey.split(",")]
        survey(parts.hostname, parts.port or 80, counts, args.trials)
        return
    report(parts.hostname, parts.port or 80, args.clients, args.probes)


def report(host: str, port: int, clients: int = 8, probes: int = 20) -> None:
    statuses, latencies, held = measure(host, port, clients, probes)
    ms = sorted(t * 1000 for t in latencies)
    print(
        f"/healthz under {clients} slow clients: {probes} probes, statuses {set(statuses)}, "
        f"p50 {statistics.median(ms):.1f} ms, max {ms[-1]:.1f} ms; "
        f"{held}/{clients} slow connections still held"
    )


if __name__ == "__main__":
    main()
