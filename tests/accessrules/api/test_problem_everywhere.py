"""Every path under /v1/, /oauth/ and /api/ answers problem+json for 404 and 405, with DEBUG on
or off (SPEC 4, 8); GET /v1/ lists the operations from their Endpoints."""

import json

import pytest
from django.test import override_settings

from accessrules.api.endpoints import Endpoint
from accessrules.api.routes import documented_path
from accessrules.core import errors
from accessrules.notifikationer.api import endpoints as notifikation_ops
from asylovergivelse.api import endpoints as asyl_ops
from borgerflytte.api import endpoints as flyt_ops
from tests.factories import StarFactory

PROBLEM = "application/problem+json"

NOT_FOUND = ["/v1/Ukendt", "/v1/BorgerFlytte/action/ukendt", "/oauth/ukendt/", "/api/x"]
NOT_ALLOWED = [
    ("DELETE", "/v1/Asylovergivelse"),
    ("GET", "/v1/BorgerFlytte/action/bekraeftfraflytning"),
    ("PATCH", "/v1/CprHaendelser"),
    ("GET", "/oauth/token/"),
    ("DELETE", "/v1/"),
]


def assert_problem(response, status: int, code: int):
    assert response.status_code == status
    assert response["Content-Type"].startswith(PROBLEM)
    body = json.loads(response.content)
    assert body["status"] == status
    assert [e["code"] for e in body["errors"]] == [code]


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("path", NOT_FOUND)
def test_an_unknown_path_is_a_problem_404(client, path, debug):
    with override_settings(DEBUG=debug):
        response = client.get(path)
    assert_problem(response, 404, errors.NOT_FOUND)


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(("method", "path"), NOT_ALLOWED)
def test_a_method_not_served_is_a_problem_405(client, integrator_for, method, path, debug):
    star = integrator_for(StarFactory())
    with override_settings(DEBUG=debug):
        response = client.generic(method, path, headers=star.headers())
    assert_problem(response, 405, errors.METHOD_NOT_ALLOWED)
    assert response.has_header("Allow")


def test_the_root_lists_every_endpoint(client):
    client.head("/v1/Asylovergivelse")
    response = client.get("/v1/")
    assert response.status_code == 200
    body = response.json()
    declared = [
        value
        for module in (asyl_ops, flyt_ops, notifikation_ops)
        for value in vars(module).values()
        if isinstance(value, Endpoint)
    ]
    listed = [(o["method"], o["path"], o["operationId"], o["summary"]) for o in body["operations"]]
    # each endpoint once (DRF adds HEAD to a served GET's actions after the first request)
    assert sorted(listed) == sorted(
        (e.method, f"/v1/{documented_path(e.path)}", str(e.operation), e.summary) for e in declared
    )
    cpr = flyt_ops.CPR_HAENDELSER
    assert ("POST", "/v1/CprHaendelser", str(cpr.operation), cpr.summary) in listed
    assert body["documentation"].endswith("/api/docs/")
    assert body["openapi"].endswith("/api/schema/")
