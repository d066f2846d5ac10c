"""Property-based API tests from the served OpenAPI schema (schemathesis): no input gives a
5xx, every response matches the schema, and a schema-valid request is not rejected (schemathesis'
`positive_data_acceptance`). Bounded: a few dozen examples per operation.

OpenAPI cannot say that the two active-organisation headers go together (both or neither, SPEC
2; their descriptions say it), so a hook on the schema (`both_or_neither`) makes every generated
case carry both or neither: most of the pairs are steered to STAR (the client's organisation), so
the rules run; the others stay as generated (403 40301: not the client's organisation).

Hypothesis drives each operation's strategy directly (schemathesis' own pytest plugin does not
run under pytest 9 yet), against the WSGI app, with the demo data and a STAR token.
"""

import io
import uuid

import pytest
from django.db import connection

schemathesis = pytest.importorskip("schemathesis")
from django.core.management import call_command  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
)
from schemathesis.openapi.checks import RejectedPositiveData  # noqa: E402

from accessrules.api.headers import ORG_CODE_HEADER, ORG_TYPE_HEADER  # noqa: E402
from accessrules.oauth.scopes import ALL as ALL_SCOPES  # noqa: E402
from config import demo  # noqa: E402
from tests.factories import ApiClientFactory, StarFactory, access_token_for  # noqa: E402

EXAMPLES_PER_OPERATION = 40
CPR = "x-civilRegistrationIdentifier"
REQUEST_ID = "x-requestId"
KNOWN = [
    demo.CPR["flygtning"],
    demo.CPR["med_overgivelse"],
    demo.CPR["familiesammenfoert"],
    demo.CPR["cv_laast"],
    demo.CPR["doed"],
]


STAR = {ORG_TYPE_HEADER: "1", ORG_CODE_HEADER: "STAR"}
PAIRS_SEEN = {"both": 0, "neither": 0}


def both_or_neither(ctx, headers):
    """A generated case's organisation headers: both or neither, never one (SPEC 2)."""
    headers = dict(headers or {})
    given = [name for name in (ORG_TYPE_HEADER, ORG_CODE_HEADER) if name in headers]
    if len(given) == 1:
        headers.update({name: STAR[name] for name in STAR if name not in headers})
    if len(given) in (1, 2) and len(str(headers[ORG_CODE_HEADER])) % 4:
        headers.update(STAR)  # three in four pairs name STAR, so the rules run
    PAIRS_SEEN["both" if ORG_TYPE_HEADER in headers else "neither"] += 1
    return headers


def refused_by_design(response) -> bool:
    """A 400 naming only rules (9196 ...), what the data means, which no schema can say; or a
    1014 on `cursor` only, an opaque token that only a previous page gives; or a 1014 on the CPR
    header only, which the pattern lets through when its first six digits are no calendar date
    (`2902860188`: 29 February 1986): a pattern cannot say which days a month has. 1014 on
    anything else, and the generic codes, are the contract's to say."""
    if response.status_code != 400:
        return False
    entries = response.json().get("errors", [])
    rules = all(e["code"] != 1014 and e["code"] < 40000 for e in entries)
    cursor = all(e["code"] == 1014 and e.get("field") == "cursor" for e in entries)
    calendar = all(e["code"] == 1014 and e.get("field") == CPR for e in entries)
    return bool(entries) and (rules or cursor or calendar)


@schemathesis.check
def schema_valid_requests_are_accepted(ctx, response, case):
    """schemathesis' positive_data_acceptance, on: a schema-valid request refused as malformed
    fails; one refused by design (`refused_by_design`) does not."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if refused_by_design(response):
            return None
        raise


def _operations():
    from config.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    schema.hook("map_headers")(both_or_neither)
    operations = [result.ok() for result in schema.get_all_operations()]
    if connection.vendor != "postgresql":  # notifications are off: their paths answer 503
        operations = [op for op in operations if not op.path.startswith("/v1/Abonnementer")]
    return operations


@pytest.fixture
def star_headers(db, settings):
    settings.DEMO_ALLOWED = True
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    client = ApiClientFactory(organisationer=[StarFactory()])
    token = access_token_for(client, sorted(ALL_SCOPES))
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def keep_connection():
    """Like Django's test client: the test's transaction must survive the WSGI app's
    request_started/finished signals, which would close the connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_every_operation_conforms_to_the_schema(star_headers, keep_connection):
    operations = _operations()
    assert {op.path for op in operations} >= {"/v1/Asylovergivelse", "/v1/BorgerFlytte"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case):
            headers = dict(star_headers)
            if case.headers and CPR in case.headers and case.headers[CPR][0] in "01":
                # steer most generated CPRs to known citizens, so the rules run too
                headers[CPR] = KNOWN[int(case.headers[CPR][5]) % len(KNOWN)]
            if case.headers and REQUEST_ID in case.headers:
                # a generated id repeats, and a reused one is 412 by design: one id per case
                headers[REQUEST_ID] = str(uuid.uuid4())
            case.call_and_validate(
                headers=headers,
                checks=[
                    not_a_server_error,
                    response_schema_conformance,
                    schema_valid_requests_are_accepted,
                ],
            )

        check()
    assert PAIRS_SEEN["both"] and PAIRS_SEEN["neither"]  # the hook ran, both ways
