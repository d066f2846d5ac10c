"""Every error code an operation answered during the test run is documented for it in
docs/openapi.yaml (derived from its Endpoint: rules, access, generic codes), and every
violation it answered carried a `detail` (what is wrong, how to fix it).

Runs after the rest of the suite (tests/conftest.py orders it last) and reads what the suite's
API calls answered (`tests.conftest.ANSWERED_CODES`)."""

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ANSWERED_CODES, ANSWERED_WITHOUT_DETAIL

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
_CODE = re.compile(r"`(\d+)`")


def documented_codes() -> dict[str, set[int]]:
    document = yaml.safe_load(DOCUMENT.read_text())
    found = {}
    for methods in document["paths"].values():
        for operation in methods.values():
            codes = set()
            for status, response in operation.get("responses", {}).items():
                if int(status) >= 400:
                    codes |= {int(code) for code in _CODE.findall(response["description"])}
            found[operation["operationId"]] = codes
    return found


def test_every_answered_code_is_documented():
    if not ANSWERED_CODES:
        pytest.skip("run with the whole suite: this checks what the other tests saw answered")
    documented = documented_codes()
    missing = {
        operation: sorted(codes - documented.get(operation, set()))
        for operation, codes in ANSWERED_CODES.items()
        if codes - documented.get(operation, set())
    }
    assert missing == {}, f"answered but not in docs/openapi.yaml: {missing}"


def test_every_answered_violation_carries_a_detail():
    if not ANSWERED_CODES:
        pytest.skip("run with the whole suite: this checks what the other tests saw answered")
    assert not ANSWERED_WITHOUT_DETAIL, sorted(ANSWERED_WITHOUT_DETAIL)
