"""The error registry and DomainError (accessrules.core.errors)."""

import pytest

from accessrules.core import errors
from accessrules.core.errors import REGISTRY, DomainError, Violation, lookup


def test_every_code_has_a_text_and_an_http_status():
    for code, entry in REGISTRY.items():
        assert entry.code == code and entry.text.strip()
        assert 400 <= entry.status <= 599, code


def test_the_named_codes_are_in_the_registry():
    named = [v for k, v in vars(errors).items() if k.isupper() and isinstance(v, int)]
    assert errors.VALIDATION_FAILED in named
    assert not [code for code in named if code not in REGISTRY]


def test_a_violation_carries_the_seed_text_and_its_field():
    violation = Violation(9196, "CVEditEndDate")
    assert violation.text == lookup(9196).text
    assert violation.as_dict() == {"code": 9196, "text": violation.text, "field": "CVEditEndDate"}
    assert Violation(1010).as_dict() == {"code": 1010, "text": "Unknown cpr"}
    assert str(violation).startswith("9196 ") and str(violation).endswith("(CVEditEndDate)")


def test_a_domain_error_has_the_first_violations_status_and_every_code():
    error = DomainError(Violation(9196), 9243)
    assert error.codes == [9196, 9243] and error.status == 400
    assert DomainError.of(6005).status == 403
    assert DomainError.of(1014, "x").violations == [Violation(1014, "x")]


def test_a_domain_error_needs_a_violation_and_a_known_code():
    with pytest.raises(ValueError):
        DomainError()
    with pytest.raises(KeyError):
        lookup(12345)
