"""/metrics: Prometheus text, served only to a request carrying METRICS_TOKEN."""

import pytest
from prometheus_client import REGISTRY

from tests.factories import StarFactory

pytestmark = pytest.mark.django_db

SECRET = "a-metrics-secret"


def requests_counted(method: str, route: str, status: int) -> float:
    value = REGISTRY.get_sample_value(
        "borgerindsats_http_requests_total",
        {"method": method, "route": route, "status": str(status)},
    )
    return value or 0.0


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = SECRET


def test_no_metrics_without_a_configured_token(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics", headers={"X-Metrics-Token": ""})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Metrics-Token": "wrong"},
        {"X-Metrics-Token": SECRET + "x"},
        {"Authorization": f"Bearer {SECRET}"},
    ],
)
def test_metrics_are_refused_without_the_secret(client, metrics_on, headers):
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert b"borgerindsats_http" not in response.content


def test_metrics_count_requests_by_operation_and_status(client, metrics_on, integrator_for):
    star = integrator_for(StarFactory())
    before_ok = requests_counted("GET", "healthz", 200)
    before_401 = requests_counted("POST", "v1/Asylovergivelse", 401)
    before_404 = requests_counted("GET", "unmatched", 404)
    assert client.get("/healthz").status_code == 200
    assert client.post("/v1/Asylovergivelse", {}, "application/json").status_code == 401
    assert star.call("get", "/v1/nope").status_code == 404

    response = client.get("/metrics", headers={"X-Metrics-Token": SECRET})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "borgerindsats_http_request_duration_seconds_bucket" in text
    assert requests_counted("GET", "healthz", 200) == before_ok + 1
    assert requests_counted("POST", "v1/Asylovergivelse", 401) == before_401 + 1
    assert requests_counted("GET", "unmatched", 404) == before_404 + 1
    observed = REGISTRY.get_sample_value(
        "borgerindsats_http_request_duration_seconds_count",
        {"method": "GET", "route": "healthz"},
    )
    assert observed >= 1


def test_a_413_is_counted_under_its_route(client, settings):
    before = requests_counted("POST", "v1/Asylovergivelse", 413)
    announced = str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    client.generic("POST", "/v1/Asylovergivelse", b"{}", CONTENT_LENGTH=announced)
    assert requests_counted("POST", "v1/Asylovergivelse", 413) == before + 1


def test_an_unknown_method_is_one_label(client):
    before = requests_counted("other", "healthz", 405)
    client.generic("BREW", "/healthz")
    assert requests_counted("other", "healthz", 405) == before + 1
