"""SPEC 8, the limits at the edge: body size (413), JSON depth and code points (400 1014), at most
100 violations, echoed field names cut, Cache-Control on the API."""

import json
import logging
from io import BytesIO

import pytest
from django.conf import settings as django_settings
from rest_framework.exceptions import ParseError

from accessrules.api.parsers import MAX_DEPTH, LimitedJSONParser
from accessrules.api.problems import problem_body
from accessrules.core.errors import Violation
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
    borger = BorgerFactory()  # the token cache is on, as in production
    warm = star.call("get", "/v1/Asylovergivelse", headers={CPR: borger.cpr})
    assert warm.status_code == 200
    big = {"kommentar": "x" * 1000}
    response = star.call("put", "/v1/Asylovergivelse", big, headers={CPR: borger.cpr})
    assert_problem(response, 413, 41300)


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


# --- JSON depth and code points ----------------------------------------------------------------
def raw_post(caller, text: str, path: str = "/v1/Asylovergivelse"):
    return caller.http.generic(
        "POST",
        path,
        text.encode("utf-8", "surrogatepass"),
        content_type="application/json",
        headers=caller.headers({CPR: "0101901234"}),
    )


def test_nesting_100_deep_is_parsed_101_is_refused(star):
    # the object is level 1, so the value of a field holds 99 or 100 more levels
    at_limit = raw_post(star, '{"overgivelsesdato": ' + nested(MAX_DEPTH - 1) + "}")
    assert at_limit.status_code == 400
    # the serializer's answer, naming the field: the parser let it through
    assert (1014, "overgivelsesdato") in [
        (e["code"], e.get("field")) for e in at_limit.json()["errors"]
    ]

    too_deep = raw_post(star, '{"overgivelsesdato": ' + nested(MAX_DEPTH) + "}")
    problem = assert_problem(too_deep, 400, 1014)
    assert "field" not in problem["errors"][0]
    assert problem["detail"] == "Malformed request body"


def parse(text: str):
    return LimitedJSONParser().parse(BytesIO(text.encode()), "application/json", {})


def test_the_parser_measures_depth_exactly():

    assert parse(nested(MAX_DEPTH)) == json.loads(nested(MAX_DEPTH))
    assert parse('{"a": ' * (MAX_DEPTH - 1) + "{}" + "}" * (MAX_DEPTH - 1))
    # brackets inside strings are not nesting
    assert parse(json.dumps(["[" * 500, {"k": "{" * 500}]))
    with pytest.raises(ParseError):
        parse(nested(MAX_DEPTH + 1))
    with pytest.raises(ParseError):
        parse('{"a": ' * MAX_DEPTH + "{}" + "}" * MAX_DEPTH)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 990, 5_000, 100_000])
def test_deep_nesting_is_400_never_500_and_logs_no_traceback(star, depth, caplog):
    caplog.set_level(logging.INFO)
    response = raw_post(star, nested(depth))
    assert_problem(response, 400, 1014)
    assert not any(record.exc_info for record in caplog.records)
    assert "Traceback" not in caplog.text
    assert len([r for r in caplog.records if r.levelno >= logging.INFO]) <= 2


def test_deep_nesting_without_a_token_is_401_or_400_never_500(client, caplog):
    response = client.generic(
        "POST",
        "/v1/Asylovergivelse",
        nested(5_000).encode(),
        content_type="application/json",
        headers={CPR: "0101901234"},
    )
    assert response.status_code in (400, 401)
    assert response["Content-Type"] == PROBLEM
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize(
    "text",
    [
        '{"\\ud800": 1}',
        '{"kommentar": "a\\udc00b"}',
        '{"overgivelsesdato": ["\\uDFFF"]}',
        '{"x\\ud83d": 1}',  # a high surrogate without its low half
    ],
)
def test_a_lone_surrogate_is_400_1014(star, text, caplog):
    response = raw_post(star, text)
    problem = assert_problem(response, 400, 1014)
    assert problem["detail"] == "Malformed request body"
    assert "Traceback" not in caplog.text


def test_a_surrogate_pair_is_one_character_and_fine():
    assert parse('{"k": "\\ud83d\\ude00"}') == {"k": "\U0001f600"}


def test_bytes_that_are_not_utf8_are_400_1014(star):
    response = star.http.generic(
        "POST",
        "/v1/Asylovergivelse",
        b'{"kommentar": "\xed\xa0\x80"}',  # a surrogate encoded as UTF-8: not UTF-8
        content_type="application/json",
        headers=star.headers({CPR: "0101901234"}),
    )
    assert_problem(response, 400, 1014)


# --- at most 100 violations, field names cut -----------------------------------------------------
def test_150_unknown_keys_report_the_first_100(star):
    data = {f"ukendt{i:03d}": 1 for i in range(150)}
    response = star.call("post", "/v1/Asylovergivelse", data, headers={CPR: "0101901234"})
    assert response.status_code == 400
    problem = response.json()
    assert len(problem["errors"]) == 100
    assert {e["code"] for e in problem["errors"]} == {1014}
    # the true count: the 150 unknown keys and the three required fields left out, together
    assert problem["detail"].startswith("153 errors")
    assert response["Cache-Control"] == "no-store"


def test_an_echoed_unknown_key_is_cut_to_100_characters(star):
    data = {"k" * 5000: 1}
    response = star.call("post", "/v1/Asylovergivelse", data, headers={CPR: "0101901234"})
    fields = [e.get("field") or "" for e in response.json()["errors"]]
    assert "k" * 100 in fields
    assert max(len(f) for f in fields) == 100


def test_problem_body_caps_violations_and_fields_and_masks_a_cpr():
    violations = [Violation(1014, f"f{i}") for i in range(150)]
    body = problem_body(400, violations)
    assert [e["field"] for e in body["errors"]] == [f"f{i}" for i in range(100)]
    assert body["detail"] == "150 errors; the first 100 are in 'errors'."
    assert problem_body(400, violations[:2])["detail"] == "2 errors; see 'errors'."

    (entry,) = problem_body(400, [Violation(1014, "x" * 200)])["errors"]
    assert entry["field"] == "x" * 100
    (entry,) = problem_body(400, [Violation(1014, "a0101901234")])["errors"]
    assert entry["field"] == "a010190-xxxx"


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
