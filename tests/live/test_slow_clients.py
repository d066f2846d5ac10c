"""SPEC 8 / issue 14: slow clients cannot stop the service. With gunicorn.conf.py's worker
model (2 workers x 8 threads), 8 connections that send a POST's headers and one byte of the
body (no token) and then nothing leave /healthz answering. Liveness, not speed: the timeout
is generous (bench/slow_clients.py measures the time)."""

import pytest

from bench.slow_clients import measure

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LIVENESS_TIMEOUT = 20.0  # seconds; sync workers answered only after gunicorn's 30 s timeout


def test_healthz_answers_while_8_slow_clients_hold_connections(live_servers):
    [server] = live_servers(worker_class=None, threads=None)  # gunicorn.conf.py's defaults
    statuses, _latencies, held = measure(
        "127.0.0.1", server.port, clients=8, probes=5, timeout=LIVENESS_TIMEOUT
    )
    assert statuses == [200] * 5
    assert held == 8, "the server dropped slow connections: the test proved nothing"
    assert "Using worker: gthread" in server.log_tail(400)
