"""Prometheus metrics (prometheus-client): requests by operation and status, and latency.

An operation is the HTTP method and the URL route that served it (`POST`,
`v1/Asylovergivelse`): the route's pattern, never the path, so labels stay few whatever the
requests. A path no route serves is `unmatched`. Static files (WhiteNoise answers them before
this middleware) are not counted.

`/metrics` is not public: it answers only when `METRICS_TOKEN` is set and the request's
`X-Metrics-Token` header equals it; otherwise it is an unknown path (404). Under gunicorn with
several workers each worker counts on its own, so prometheus-client's multiprocess mode is used
when `PROMETHEUS_MULTIPROC_DIR` is set (gunicorn.conf.py sets it and cleans it up) and the
endpoint adds up the workers' files.

`borgerindsats_access_log_partitions_ahead_days` is read from the database at each scrape (not
per worker): how many days past today the access log's daily partitions exist (PostgreSQL;
`opret_partitioner` makes them; -1: not even today's, the rows go to the DEFAULT partition).
Alert when it falls below a few days.
"""

import hmac
import os
import time

from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from accessrules.accesslog import partitions
from accessrules.api.problems import plain_problem
from accessrules.core import errors
from accessrules.notifikationer import haendelser, selectors

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "borgerindsats_http_requests",
    "Requests answered, by method, route and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "borgerindsats_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by method and route",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10),
)


def route_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:  # answered by middleware before the URL was resolved (e.g. 413)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
    return match.route or match.view_name or "unmatched"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "other"
        route = route_of(request)
        LATENCY.labels(method, route).observe(time.perf_counter() - started)
        REQUESTS.labels(method, route, str(response.status_code)).inc()
        return response


class LeveringCollector:
    """Notification deliveries by status, read from the database when scraped: the worker
    that delivers them is its own process, not one of the app server's."""

    def collect(self):
        if not haendelser.enabled():
            return
        family = GaugeMetricFamily(
            "borgerindsats_notification_deliveries",
            "Notification deliveries in the database, by status (fejlet: failed after the "
            "last try; alert on it)",
            labels=["status"],
        )
        for status, count in selectors.leveringer_efter_status().items():
            family.add_metric([status], count)
        yield family


def _registry():
    registry = CollectorRegistry()
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Default())
    registry.register(LeveringCollector())
    return registry


class _Default:
    """This process's own metrics (the default registry's), in a registry of the scrape."""

    def collect(self):
        return REGISTRY.collect()


_ALLOWED = ("GET", "HEAD")


@csrf_exempt  # it changes nothing; without this a POST got the CSRF middleware's HTML page
def metrics(request):
    """Every method is answered here: Prometheus text for GET and HEAD with the token,
    otherwise a problem (404 without the token, whatever the method; 405 with it)."""
    token = settings.METRICS_TOKEN
    offered = request.headers.get("X-Metrics-Token", "")
    if not token or not hmac.compare_digest(offered.encode(), token.encode()):
        return plain_problem(404, errors.NOT_FOUND)
    if request.method not in _ALLOWED:
        problem = plain_problem(405, errors.METHOD_NOT_ALLOWED)
        problem["Allow"] = ", ".join(_ALLOWED)
        return problem
    body = generate_latest(_registry()) + _partitions_ahead()
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


_AHEAD = "borgerindsats_access_log_partitions_ahead_days"


def _partitions_ahead() -> bytes:
    if not partitions.enabled():
        return b""
    return (
        f"# HELP {_AHEAD} Days past today the access log's daily partitions exist for\n"
        f"# TYPE {_AHEAD} gauge\n{_AHEAD} {partitions.days_ahead()}\n"
    ).encode()
