"""SPEC 8, the limits at the edge: body size (413), Cache-Control on the API."""

import json

import pytest
from django.conf import settings as django_settings

from accessrules.api.authentication import clear_token_cache
from tests.conftest import error_codes
from tests.factories import BorgerFactory, StarFactory

pytestmark = pytest.mark.django_db

CPR = "x-civilRegistrationIdentifier"
PROBLEM = "application/problem+json"


@pytest.fixture
def star(integrator_for):
    return integrator_for(StarFactory())


def assert_problem(response, status: int, code: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert set(problem) == {"type", "title", "status", "detail", "errors"}
    assert problem["status"] == status
    assert [e["code"] for e in problem["errors"]] == [code]
    return problem


def nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


# --- 413 -------------------------------------------------------------------------------------
def test_the_limit_is_django_s_own():
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == django_settings.API_MAX_BODY_BYTES


@pytest.mark.parametrize(
    "path", ["/v1/Asylovergivelse", "/v1/BorgerFlytte", "/oauth/token/", "/admin/login/", "/nope"]
)
def test_a_content_length_over_the_limit_is_413_on_every_path_without_reading(client, path):
    """Content-Length alone decides: the (short) body is never read, no token is needed."""
    announced = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = client.generic(
        "POST", path, b"{}", content_type="application/json", CONTENT_LENGTH=str(announced)
    )
    problem = assert_problem(response, 413, 41300)
    assert problem["errors"][0]["text"] == "The request body is too large"
    assert problem["title"] == "Request Entity Too Large"


def test_a_body_over_the_limit_is_413_with_a_valid_token(star, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = {"kommentar": "x" * 1000}
    response = star.call("post", "/v1/Asylovergivelse", big, headers={CPR: "0101901234"})
    assert_problem(response, 413, 41300)
    assert response["Cache-Control"] == "no-store"


def test_a_body_over_the_limit_is_413_with_a_cached_token(star, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.TOKEN_CACHE_SECONDS = 30
    clear_token_cache()
    try:
        borger = BorgerFactory()
        warm = star.call("get", "/v1/Asylovergivelse", headers={CPR: borger.cpr})
        assert warm.status_code == 200
        big = {"kommentar": "x" * 1000}
        response = star.call("put", "/v1/Asylovergivelse", big, headers={CPR: borger.cpr})
        assert_problem(response, 413, 41300)
    finally:
        clear_token_cache()


def test_a_body_at_the_limit_is_read(star, settings):
    data = json.dumps({"x": "y" * 100}).encode()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(data)
    response = star.http.generic(
        "POST",
        "/v1/Asylovergivelse",
        data,
        content_type="application/json",
        headers=star.headers({CPR: "0101901234"}),
    )
    assert response.status_code == 400  # read and validated: "x" is not a field
    assert error_codes(response)[0] == 1014


# --- Cache-Control ----------------------------------------------------------------------------
def test_api_answers_are_not_stored(star, client):
    borger = BorgerFactory()
    ok = star.call("get", "/v1/Asylovergivelse", headers={CPR: borger.cpr})
    assert ok.status_code == 200
    assert ok["Cache-Control"] == "no-store"
    for response in (
        client.get("/v1/Asylovergivelse", headers={CPR: borger.cpr}),  # 401
        star.call("get", "/v1/Asylovergivelse", headers={CPR: "bad"}),  # 400
        star.call("get", "/v1/nope"),  # 404
        star.call("delete", "/v1/Asylovergivelse"),  # 405
    ):
        assert response.status_code >= 400
        assert response["Cache-Control"] == "no-store"


def test_other_paths_keep_their_own_caching(client):
    assert "no-store" not in client.get("/healthz").get("Cache-Control", "")
