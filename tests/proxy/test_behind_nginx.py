"""The recipe's nginx in front of two app servers, as a client meets it (issue 20, item 1).

The app servers run with SECURE_SSL_REDIRECT on, as in production: an https request through
nginx is served (nginx sets X-Forwarded-Proto, whatever the client sent) and plain http is
redirected by nginx, except /healthz, which is passed through. nginx's own errors (a body over
the app's limit, a header line over gunicorn's, no app server answering) are the app's
problem+json; its access log carries no query string.
"""

import http.client
import json
import time

import pytest

from bench.slow_tls import client_context
from tests.live.harness import fetch
from tests.proxy.nginx import SERVER_NAME

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PROBLEM = "application/problem+json"


def https(site, method, path, *, headers=None, body=None, timeout=10.0):
    context = client_context(str(site.nginx.certificate))
    connection = http.client.HTTPSConnection(*site.https, timeout=timeout, context=context)
    try:
        connection.request(
            method, path, body=body, headers={"Host": SERVER_NAME, **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def logged(path, line, *, within=10.0):
    """The log's text once it holds `line` (the assertion fails if it never does)."""
    deadline = time.monotonic() + within
    text = path.read_text()
    while line not in text and time.monotonic() < deadline:
        time.sleep(0.05)
        text = path.read_text()
    assert line in text
    return text


def test_https_http_and_nginxs_own_answers(proxied, settings):
    site = proxied(env={"SECURE_SSL_REDIRECT": "1"})
    direct = site.servers[0]

    # https: served, and the app sees https whatever the client claims
    status, _, body = https(site, "GET", "/v1/", headers={"X-Forwarded-Proto": "http"})
    assert status == 200
    assert json.loads(body)["documentation"].startswith(f"https://{SERVER_NAME}/")
    status, _, body = https(site, "GET", "/healthz")
    assert (status, json.loads(body)["status"]) == (200, "ok")

    # plain http: /healthz passed through, everything else redirected (query string kept)
    plain = f"http://127.0.0.1:{site.nginx.http_port}"
    answer = fetch("GET", plain + "/healthz", headers={"Host": SERVER_NAME})
    assert answer.status == 200 and answer.json()["database"] == "ok"
    answer = fetch("GET", plain + "/v1/BorgerFlytte?limit=1", headers={"Host": SERVER_NAME})
    assert answer.status == 301
    assert answer.headers["Location"] == f"https://{SERVER_NAME}/v1/BorgerFlytte?limit=1"

    # a body over the app's limit: nginx answers what the app answers, without passing it on
    too_large = {"Content-Length": str(settings.API_MAX_BODY_BYTES + 1)}
    status, headers, body = https(site, "POST", "/v1/Asylovergivelse", headers=too_large)
    as_proxied = {**too_large, "X-Forwarded-Proto": "https"}  # what nginx would have sent
    from_app = fetch("POST", direct.url("/v1/Asylovergivelse"), headers=as_proxied)
    assert (status, from_app.status) == (413, 413)
    assert headers["Content-Type"] == PROBLEM and headers["Cache-Control"] == "no-store"
    assert json.loads(body) == from_app.json()

    # a header line gunicorn would refuse with its own page: nginx's problem+json 400
    status, headers, body = https(site, "GET", "/v1/", headers={"X-Long": "a" * 8200})
    assert (status, headers["Content-Type"]) == (400, PROBLEM)
    assert [e["code"] for e in json.loads(body)["errors"]] == [1014]

    # the access log: paths, never a query string
    status, _, _ = https(site, "GET", "/v1/BorgerFlytte?limit=1&marker=QUERYMARK")
    assert status == 401
    # nginx writes its log line after the answer has left: wait for it, not for a fixed time
    log = logged(site.nginx.access_log, '"GET /v1/BorgerFlytte HTTP/1.1" 401')
    assert "QUERYMARK" not in log and "?" not in log

    # no app server answering: the app's 503 problem
    for server in site.servers:
        server.kill()
    status, headers, body = https(site, "GET", "/healthz")
    assert (status, headers["Content-Type"]) == (503, PROBLEM)
    assert [e["code"] for e in json.loads(body)["errors"]] == [50300]
