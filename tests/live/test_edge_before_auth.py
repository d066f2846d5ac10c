"""SPEC 8 before authentication, on a real server: deep nesting and invalid code points
without a token are 401 or 400, never 500, and each leaves one log line (gunicorn's access
line), not a traceback."""

import time

import pytest

from tests.live.harness import fetch

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BODIES = {
    "nested 5,000 deep": ("[" * 5000 + "]" * 5000).encode(),
    "a lone surrogate in a key": b'{"x\\ud83d": 1}',
    "a lone surrogate in a value": b'{"kommentar": "\\udc00"}',
    "a surrogate encoded as UTF-8": b'{"kommentar": "\xed\xa0\x80"}',
    "bytes that are not UTF-8": b'{"kommentar": "\xff\xfe"}',
}


def log_lines(server) -> list[str]:
    return server.log_path.read_text(errors="replace").splitlines()


def settled_log(server, quiet: float = 0.3, limit: float = 5.0) -> list[str]:
    """The log once it has not grown for `quiet` seconds (lines are written after the answer)."""
    deadline = time.monotonic() + limit
    lines = log_lines(server)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        again = log_lines(server)
        if again == lines:
            break
        lines = again
    return lines


@pytest.mark.parametrize("token", [None, "Bearer not-a-token"])
def test_hostile_bodies_before_authentication_are_401_or_400_and_one_log_line(live_servers, token):
    [server] = live_servers(worker_class=None, threads=None)
    headers = {"Content-Type": "application/json", "x-requestId": "edge"}
    if token:
        headers["Authorization"] = token
    for name, raw in BODIES.items():
        before = len(settled_log(server))
        answer = fetch("POST", server.url("/v1/Asylovergivelse"), headers=headers, body=raw)
        assert answer.status in (400, 401), (name, answer.status, answer.body[:300])
        assert answer.headers["Content-Type"].startswith("application/problem+json"), name
        new = settled_log(server)[before:]
        assert len(new) == 1, (name, new)
        assert "Traceback" not in "\n".join(new)
        assert '"POST /v1/Asylovergivelse HTTP/1.1"' in new[0]
