"""One HTTPS POST to a callback, guarded against server-side request forgery (SPEC 9).

The host name is resolved once and the socket connects to a resolved address that the policy
allows; the address actually connected to (`getpeername`) is checked again before a byte is
sent, so a name that resolves differently later (DNS rebinding) cannot reach a refused
network. Private, loopback, link-local and every other non-global address is refused unless a
network in `allowed` holds it. TLS verifies the certificate for the host name against the CA
bundle (`ca_bundle`, or the system's). Redirects are answers like any other (http.client
follows none). The whole exchange has one deadline, enforced by shutting the socket down
(`deadlines`: one watchdog thread for all tries). After a
complete exchange the connection is kept for the next delivery to the same origin
(`keepalive`): its peer was checked when it was opened and cannot change.
"""

import functools
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from accessrules.notifikationer import deadlines, keepalive

MAX_ANSWER_BYTES = 64 * 1024
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TransportError(Exception):
    """The callback was not reached or did not answer in time."""


class AddressRefused(TransportError):
    """No address of the callback is allowed: nothing was connected to."""


@dataclass(frozen=True)
class Policy:
    allowed: tuple[Network, ...] = ()
    ca_bundle: str = ""
    timeout: float = 10.0

    @classmethod
    def of(cls, *, allowed: list[str], ca_bundle: str, timeout: float) -> "Policy":
        networks = tuple(ipaddress.ip_network(n, strict=False) for n in allowed)
        return cls(allowed=networks, ca_bundle=ca_bundle, timeout=timeout)

    def permits(self, address: Address) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if any(address in network for network in self.allowed):
            return True
        return address.is_global and not address.is_multicast

    def context(self) -> ssl.SSLContext:
        return _context(self.ca_bundle)


@functools.lru_cache(maxsize=4)
def _context(ca_bundle: str) -> ssl.SSLContext:
    """One TLS client context per CA bundle (loading a bundle costs milliseconds); its
    settings are never changed after, so threads share it safely."""
    return ssl.create_default_context(cafile=ca_bundle or None)


def check_url(url: str) -> str | None:
    """Why a callback URL is not acceptable (None: it is): https with a host name."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return "not a URL"
    if parts.scheme != "https":
        return "the callback must be an https:// URL"
    if not parts.hostname or parts.username or parts.password:
        return "the callback needs a host name and no user information"
    return None


def post(url: str, body: bytes, headers: dict[str, str], policy: Policy) -> int:
    """POST `body` and return the answer's status; TransportError when there is none. A kept
    connection to the origin is used when there is one (`keepalive`); if the receiver had
    closed it, the POST goes once more on a new connection (at least once: the receiver may
    see it twice, with the same webhook-id)."""
    problem = check_url(url)
    if problem:
        raise AddressRefused(problem)
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 443
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + policy.timeout
    origin = (host, port, policy)
    kept = keepalive.POOL.take(origin)
    if kept is not None:
        try:
            return _exchange(kept, origin, path, body, headers, deadline)
        except _Stale:
            pass
    sock = _connect(host, port, policy, deadline)
    return _exchange(None, origin, path, body, headers, deadline, sock=sock)


class _Stale(Exception):
    """A kept connection the receiver had closed: nothing was answered on it."""


class _Guard:
    """The socket the deadline shuts down (by the shared watchdog), and whether it did."""

    def __init__(self, sock: socket.socket, deadline: float):
        self.sock = sock
        self.watch = deadlines.WATCHDOG.watch(deadline, self.abort)

    def abort(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def stop(self) -> bool:
        """Stop watching; True when the socket is intact."""
        return self.watch.stop()


def _exchange(connection, origin, path, body, headers, deadline, *, sock=None) -> int:
    host, port, policy = origin
    _left(deadline)  # raises when it has passed already
    guard = _Guard(connection.sock if connection is not None else sock, deadline)
    reused, keep = connection is not None, False
    try:
        if connection is None:
            context = policy.context()
            guard.sock = context.wrap_socket(sock, server_hostname=host)
            # given the context, http.client builds none of its own (loading the system's CA
            # bundle cost ~45 ms of CPU per delivery)
            connection = http.client.HTTPSConnection(
                host, port, timeout=_left(deadline), context=context
            )
            connection.sock = guard.sock
            connection.auto_open = 0  # never a connection of its own: only checked ones
        else:
            connection.sock.settimeout(_left(deadline))
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
        except (ConnectionError, ssl.SSLError, http.client.BadStatusLine) as exc:
            if reused and time.monotonic() < deadline:
                raise _Stale from exc
            raise
        response.read(MAX_ANSWER_BYTES)
        keep = response.isclosed() and not response.will_close  # read whole, kept open
        return response.status
    except (OSError, http.client.HTTPException) as exc:
        late = time.monotonic() >= deadline
        raise TransportError("timeout" if late else f"{type(exc).__name__}: {exc}") from exc
    finally:
        intact = guard.stop()
        if keep and intact and connection.sock is not None:
            keepalive.POOL.put(origin, connection)
        else:
            guard.sock.close()
            if connection is not None:
                connection.close()


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TransportError("timeout")
    return left


def _connect(host: str, port: int, policy: Policy, deadline: float) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise TransportError(f"cannot resolve the host: {exc}") from exc
    candidates = [info for info in infos if policy.permits(ipaddress.ip_address(info[4][0]))]
    if not candidates:
        raise AddressRefused("the callback's addresses are not allowed (private or reserved)")
    last: Exception | None = None
    for family, kind, proto, _, address in candidates:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(_left(deadline))
            sock.connect(address)
            peer = ipaddress.ip_address(sock.getpeername()[0])
            if not policy.permits(peer):  # the address connected to, not the one asked for
                raise AddressRefused("the address connected to is not allowed")
            # http.client writes the headers and the body apart: without this a kept
            # connection waits ~40 ms for the receiver's delayed ACK (Nagle)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        except AddressRefused:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            last = exc
    raise TransportError(f"cannot connect: {last}")
