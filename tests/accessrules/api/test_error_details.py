"""Issue 19, item 1: every violation says what is wrong and how to fix it (`detail`, English,
never a CPR); the message stage's violations come together, unknown keys with the rest; 40300
names the scope; the problem `type` is this service's page about the code."""

import pytest

from accessrules.core import errors
from accessrules.core.hints import HINTS
from accessrules.oauth import scopes
from asylovergivelse.models import Asylovergivelse
from tests.factories import BorgerFactory, StarFactory

URL = "/v1/Asylovergivelse"
CPR = "x-civilRegistrationIdentifier"
GOOD = {"CVEditEndDate": "2030-01-04", "overgivelsesdato": "2029-12-05"}


@pytest.fixture
def star(integrator_for, db):
    return integrator_for(StarFactory())


def by_field(response) -> dict[str, dict]:
    return {entry.get("field"): entry for entry in response.json()["errors"]}


def test_an_unknown_key_comes_with_the_other_violations_each_with_its_detail(star):
    body = {
        "CVEditEndDate": "31-12-2026",
        "overgivelsesdato": "2029-12-05",
        "overgivelseskommunekode": 101,
        "kommentar": "not on create",
    }
    response = star.call("post", URL, body, headers={CPR: "0101901234"})
    assert response.status_code == 400
    found = by_field(response)
    assert set(found) == {"CVEditEndDate", "overgivelseskommunekode", "kommentar"}
    assert {entry["code"] for entry in found.values()} == {1014}
    assert "YYYY-MM-DD" in found["CVEditEndDate"]["detail"]
    assert "'-1' or 1-8 digits" in found["overgivelseskommunekode"]["detail"]
    assert found["kommentar"]["detail"].startswith("Unknown key")
    assert not Asylovergivelse.objects.exists()


def test_a_number_for_a_string_and_a_value_too_long_say_so(star):
    BorgerFactory(cpr="0101901234")
    body = {**GOOD, "overgivelseskommunekode": "101", "kommentar": 7}
    found = by_field(star.call("put", URL, body, headers={CPR: "0101901234"}))
    assert found["kommentar"]["detail"].startswith("Must be a JSON string")
    body["kommentar"] = "x" * 1501
    found = by_field(star.call("put", URL, body, headers={CPR: "0101901234"}))
    assert "1500" in found["kommentar"]["detail"]


@pytest.mark.parametrize(
    ("headers", "field", "says"),
    [
        ({CPR: "0101901234", "x-requestId": ""}, "x-requestId", "Empty"),
        ({CPR: "0101901234", "x-requestId": "x" * 47}, "x-requestId", "Longer than 46"),
        ({CPR: "3213901234"}, CPR, "real date"),
        ({}, CPR, "Missing"),
    ],
)
def test_a_bad_header_says_what_is_wrong(star, headers, field, says):
    body = {**GOOD, "overgivelseskommunekode": "101"}
    response = star.call("post", URL, body, headers=headers)
    assert response.status_code == 400
    entry = by_field(response)[field]
    assert entry["code"] == 1014 and says in entry["detail"]


def test_a_detail_never_echoes_a_cpr(star):
    body = {**GOOD, "overgivelseskommunekode": "101", "0101901234": "x"}
    response = star.call("post", URL, body, headers={CPR: "0101901234"})
    assert response.status_code == 400
    assert "0101901234" not in response.content.decode()


def test_40300_names_the_scope_it_needs(integrator_for, db):
    reader = integrator_for(StarFactory(), [scopes.ASYLOVERGIVELSE_READ.navn])
    response = reader.call("post", URL, {**GOOD, "overgivelseskommunekode": "101"})
    assert response.status_code == 403
    [entry] = response.json()["errors"]
    assert entry["code"] == 40300
    assert scopes.ASYLOVERGIVELSE_WRITE.navn in entry["detail"]


def test_a_rule_violation_carries_its_code_detail_and_its_page_as_type(star):
    BorgerFactory(cpr="0101901234")
    body = {"CVEditEndDate": "2029-12-01", "overgivelsesdato": "2029-12-05"}
    response = star.call(
        "post", URL, {**body, "overgivelseskommunekode": "101"}, headers={CPR: "0101901234"}
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "/fejl/9196"
    [entry] = problem["errors"]
    assert (entry["code"], entry["detail"]) == (9196, HINTS[9196])


def test_every_code_has_a_hint_in_its_registry_row():
    assert all(entry.raad.strip().endswith(".") for entry in errors.REGISTRY.values())
    assert {code: entry.raad for code, entry in errors.REGISTRY.items()} == HINTS


def test_the_code_page_tells_text_meaning_fix_and_operations(client, db):
    response = client.get("/fejl/9302")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fejlkode 9302" in page and 'lang="da"' in page
    assert errors.lookup(9302).text in page
    assert "PUT" in page  # how to fix it: change it with PUT
    assert "CreateAsylOvergivelse" in page and "GetAsylOvergivelse" not in page
    listing = client.get("/fejl/").content.decode()
    assert all(f'href="/fejl/{code}"' in listing for code in errors.REGISTRY)


def test_an_unknown_code_page_is_a_problem_404(client, db):
    response = client.get("/fejl/99999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_rejected_cpr_event_carries_a_detail_too(integrator_for, db):
    feed = integrator_for(StarFactory(), [scopes.CPRHAENDELSER_WRITE.navn], system=True)
    event = {"haendelseId": "d-1", "type": "doedsfald", "cpr": "0101901234"}
    response = feed.call(
        "post", "/v1/CprHaendelser", {"haendelser": [{**event, "doedsdato": "2026-01-01"}]}
    )
    assert response.status_code == 200
    [result] = response.json()["resultater"]
    [entry] = result["errors"]
    assert (result["status"], entry["code"]) == ("afvist", 1010)
    assert entry["detail"] == HINTS[1010]
