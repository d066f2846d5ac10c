"""Slow clients over TLS and probes beside them: the measurement behind the proxy's test
(tests/proxy/test_slow_clients_behind_nginx.py) and its bench (bench/proxy.py). Loopback only.

A slow client completes the TLS handshake, sends the headers of a POST announcing a
1,000-byte body and one byte of it, then nothing. `SlowClients` opens them and then watches
every one, in a thread of its own, for the moment the server closes it (EOF, a reset, or an
answer followed by EOF), so a test can say both "they were all held while the probes ran" and
"the proxy's timeout closed each of them".

`probe_until` sends probes (a new TLS connection each: the path a new client takes), one
after the other, until a condition holds or a deadline passes.
"""

import contextlib
import http.client
import selectors
import socket
import ssl
import statistics
import threading
import time
from dataclasses import dataclass, field

LOOPBACK = ("127.0.0.1", "::1")
SLOW_PATH = "/v1/Asylovergivelse"
ANNOUNCED_BODY_BYTES = 1000


def slow_request(host_header: str) -> bytes:
    return (
        f"POST {SLOW_PATH} HTTP/1.1\r\nHost: {host_header}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {ANNOUNCED_BODY_BYTES}\r\n\r\n{{"
    ).encode()


def client_context(cafile: str) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=cafile)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


@dataclass
class SlowClients:
    """`n` slow TLS connections to host:port; `closed_after[i]` is how long after its last byte
    the server closed connection i (None while it is held)."""

    host: str
    port: int
    n: int
    context: ssl.SSLContext
    server_hostname: str = "localhost"
    connect_timeout: float = 10.0
    sockets: list = field(default_factory=list)
    sent_at: list = field(default_factory=list)
    closed_after: list = field(default_factory=list)
    answered: list = field(default_factory=list)  # bytes the server sent before closing
    _stop: threading.Event = field(default_factory=threading.Event)
    _watcher: threading.Thread | None = None

    def __post_init__(self):
        if self.host not in LOOPBACK:
            raise ValueError(f"slow clients go to loopback only, not {self.host!r}")

    def open(self) -> "SlowClients":
        request = slow_request(self.server_hostname)
        for _ in range(self.n):
            raw = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
            try:
                tls = self.context.wrap_socket(raw, server_hostname=self.server_hostname)
                tls.sendall(request)
            except BaseException:
                raw.close()
                raise
            self.sent_at.append(time.monotonic())
            tls.setblocking(False)
            self.sockets.append(tls)
            self.closed_after.append(None)
            self.answered.append(b"")
        self._watcher = threading.Thread(target=self._watch, name="slow-clients", daemon=True)
        self._watcher.start()
        return self

    @property
    def opened_at(self) -> float:
        """When the last of them had sent its byte: from then on all n were held."""
        return self.sent_at[-1]

    def held(self) -> int:
        return sum(after is None for after in self.closed_after)

    def first_closed_at(self) -> float | None:
        closed = [self.sent_at[i] + a for i, a in enumerate(self.closed_after) if a is not None]
        return min(closed) if closed else None

    def _watch(self) -> None:
        selector = selectors.DefaultSelector()
        for index, tls in enumerate(self.sockets):
            selector.register(tls, selectors.EVENT_READ, index)
        try:
            while selector.get_map() and not self._stop.is_set():
                for key, _ in selector.select(timeout=0.2):
                    if self._read(key.data):
                        selector.unregister(key.fileobj)
        finally:
            selector.close()

    def _read(self, index: int) -> bool:
        """True once connection `index` is closed by the server."""
        tls = self.sockets[index]
        while True:
            try:
                data = tls.recv(4096)
            except (ssl.SSLWantReadError, BlockingIOError):
                return False
            except (OSError, ssl.SSLError):  # a reset, or TLS torn down without close_notify
                data = b""
            if not data:
                self.closed_after[index] = time.monotonic() - self.sent_at[index]
                return True
            self.answered[index] += data

    def wait_all_closed(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.held() and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.held() == 0

    def close(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
        for tls in self.sockets:
            with contextlib.suppress(OSError):
                tls.close()


@dataclass
class Probe:
    name: str
    started: float
    seconds: float
    status: int | None
    error: str | None = None


def probe_once(
    name: str,
    host: str,
    port: int,
    path: str,
    *,
    context: ssl.SSLContext,
    headers: dict | None = None,
    server_hostname: str = "localhost",
    timeout: float = 10.0,
) -> Probe:
    """One GET over a new TLS connection (the certificate checked for `host`), with Host:
    `server_hostname`; any failure is a Probe with an error, not raised."""
    if host not in LOOPBACK:
        raise ValueError(f"probes go to loopback only, not {host!r}")
    started = time.monotonic()
    connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
    try:
        connection.request("GET", path, headers={"Host": server_hostname, **(headers or {})})
        response = connection.getresponse()
        response.read()
        return Probe(name, started, time.monotonic() - started, response.status)
    except (OSError, http.client.HTTPException) as error:
        return Probe(name, started, time.monotonic() - started, None, repr(error))
    finally:
        connection.close()


def probe_until(probes: list, done, deadline: float) -> list[Probe]:
    """Run each of `probes` (callables returning a Probe) in turn, round after round, until
    `done()` or the monotonic `deadline`."""
    results = []
    while not done() and time.monotonic() < deadline:
        for send in probes:
            results.append(send())
    return results


def summary(latencies: list[float]) -> str:
    """p50 / p99 / max in milliseconds."""
    if not latencies:
        return "no samples"
    ms = sorted(t * 1000 for t in latencies)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms"
