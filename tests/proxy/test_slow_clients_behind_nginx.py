"""Issue 20, item 1: slow clients cannot stop the service behind the recipe's proxy.

The recipe's nginx (TLS, a self-signed certificate) in front of two app servers with
gunicorn.conf.py's defaults. 500 slow connections (TLS handshake, a POST's headers announcing
1,000 bytes, one byte of the body, then silence) are held while /healthz and an authenticated
GET (a real token, a real citizen) are sampled over and over, each on a new TLS connection:
every sample answers 200 within a generous timeout. Then every slow connection is closed by
nginx's client_body_timeout (the recipe's own value), not before it and not long after; and
not one slow request reached an app server (nginx buffers bodies), while both served probes.
Liveness, not speed: bench/proxy.py measures the latencies.
"""

import re
import resource

import pytest

from bench.slow_tls import SlowClients, client_context, probe_once, probe_until
from config.deploy.nginx import render
from tests.asylovergivelse.conftest import CPR, URL
from tests.conftest import Integrator
from tests.factories import BorgerFactory, JobcenterFactory, KommuneFactory, TilknytningFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SLOW_CLIENTS = 500
PROBE_TIMEOUT = 10.0  # seconds: generous; a held-up service shows as a timeout
CLOSE_MARGIN = 5.0  # seconds after the timeout by which nginx has closed every slow client
EARLY = 0.5  # seconds: nginx's timers are coarse, a close this much early is still the timeout
MIN_SAMPLES_WHILE_ALL_HELD = 10  # of each probe


def raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.fail(f"the test needs {needed} file descriptors; the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def test_500_slow_clients_leave_healthz_and_an_authenticated_get_answering(proxied):
    raise_fd_limit(SLOW_CLIENTS + 1024)
    jobcenter = JobcenterFactory(kode="10100")
    KommuneFactory(kode="101")
    borger = BorgerFactory(kontaktgruppe="flygtning")
    TilknytningFactory(borger=borger, organisation=jobcenter)
    caller = Integrator(jobcenter)
    site = proxied()
    host, port = site.https
    timeout = int(render.values(site.nginx.environment())["client_timeout"])  # the recipe's
    context = client_context(str(site.nginx.certificate))

    def healthz():
        return probe_once("healthz", host, port, "/healthz", context=context, timeout=PROBE_TIMEOUT)

    def get():
        headers = caller.headers({CPR: borger.cpr})
        return probe_once(
            "get", host, port, URL, context=context, headers=headers, timeout=PROBE_TIMEOUT
        )

    assert [healthz().status, get().status] == [200, 200]  # before: the path works
    slow = SlowClients(host, port, SLOW_CLIENTS, context)
    try:
        slow.open()
        deadline = slow.opened_at + timeout + CLOSE_MARGIN
        samples = probe_until([healthz, get], done=lambda: slow.held() == 0, deadline=deadline)
        all_closed = slow.wait_all_closed(timeout=max(0.0, deadline - slow.opened_at))
    finally:
        slow.close()

    failed = [s for s in samples if s.status != 200]
    assert not failed, f"{len(failed)} of {len(samples)} probes failed, first: {failed[0]}"
    first_closed = slow.first_closed_at()
    while_all_held = [s for s in samples if slow.opened_at <= s.started <= first_closed]
    for name in ("healthz", "get"):
        count = sum(s.name == name for s in while_all_held)
        assert count >= MIN_SAMPLES_WHILE_ALL_HELD, f"{count} {name} probes while all were held"

    assert all_closed, f"{slow.held()} slow connections still open {timeout + CLOSE_MARGIN} s on"
    closed_after = sorted(slow.closed_after)
    assert closed_after[0] >= timeout - EARLY, f"closed before the timeout: {closed_after[:5]}"
    assert closed_after[-1] <= timeout + CLOSE_MARGIN
    assert not any(answer.startswith(b"HTTP/1.1 2") for answer in slow.answered)

    # nginx buffered the slow bodies: no app server ever saw one; both served the probes
    for server in site.servers:
        log = server.log_tail(100_000)
        assert not re.search(r'"POST /v1/Asylovergivelse', log), f"{server.name} saw a slow POST"
        assert re.search(r'"GET /v1/Asylovergivelse [^"]*" 200', log), f"{server.name} idle"
