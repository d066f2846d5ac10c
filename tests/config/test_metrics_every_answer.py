"""Issue 20, item 5: every answer under /metrics is problem+json or Prometheus text, for every
method, with and without the token, with DEBUG on and off, and with CSRF checks enforced as a
browser's request meets them (a POST used to get the CSRF middleware's HTML 403 page)."""

import json

import pytest
from django.test import Client, override_settings

from accessrules.core import errors

pytestmark = pytest.mark.django_db

SECRET = "a-metrics-secret"
PROBLEM = "application/problem+json"
PROMETHEUS = "text/plain; version="
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW"]


@pytest.fixture
def csrf_client(settings):
    settings.METRICS_TOKEN = SECRET
    return Client(enforce_csrf_checks=True)


def problem_codes(response) -> tuple[int, list[int]]:
    assert response["Content-Type"] == PROBLEM, response.content[:200]
    body = json.loads(response.content)
    assert body["status"] == response.status_code
    return response.status_code, [entry["code"] for entry in body["errors"]]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("method", METHODS)
def test_without_the_token_every_method_is_a_problem_404(csrf_client, method, debug):
    with override_settings(DEBUG=debug):
        for headers in ({}, {"X-Metrics-Token": "wrong"}):
            response = csrf_client.generic(method, "/metrics", headers=headers)
            if method == "HEAD":  # no body: the headers say what it would have been
                assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)
                continue
            assert problem_codes(response) == (404, [errors.NOT_FOUND])


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("method", sorted(set(METHODS) - {"GET", "HEAD"}))
def test_with_the_token_a_method_other_than_get_or_head_is_a_problem_405(
    csrf_client, method, debug
):
    with override_settings(DEBUG=debug):
        response = csrf_client.generic(
            method,
            "/metrics",
            b"x=1",
            "application/x-www-form-urlencoded",
            headers={"X-Metrics-Token": SECRET},
        )
    assert problem_codes(response) == (405, [errors.METHOD_NOT_ALLOWED])
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_with_the_token_get_and_head_are_prometheus_text(csrf_client, method):
    response = csrf_client.generic(method, "/metrics", headers={"X-Metrics-Token": SECRET})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(PROMETHEUS)
    if method == "GET":
        assert b"borgerindsats_http_requests_total" in response.content


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/metrics/", "/metrics/x", "/metrics/x/y"])
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_paths_below_metrics_are_problem_404s(csrf_client, path, method, debug):
    with override_settings(DEBUG=debug):
        response = csrf_client.generic(method, path, headers={"X-Metrics-Token": SECRET})
    assert problem_codes(response) == (404, [errors.NOT_FOUND])


def test_a_body_over_the_limit_is_a_problem_413(csrf_client, settings):
    announced = str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = csrf_client.generic(
        "POST", "/metrics", b"{}", CONTENT_LENGTH=announced, headers={"X-Metrics-Token": SECRET}
    )
    assert problem_codes(response) == (413, [errors.BODY_TOO_LARGE])
