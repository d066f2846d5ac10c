"""Reading the headers every operation reads (SPEC 1 and 2). Each reader returns the value and
the violations it found, so that one response can report every header and body error."""

from accessrules.core import errors
from accessrules.core.cpr import is_valid_cpr
from accessrules.core.errors import Violation

CPR_HEADER = "x-civilRegistrationIdentifier"
REQUEST_ID_HEADER = "x-requestId"
ORG_TYPE_HEADER = "x-activeOrganisationTypeIdentifier"
ORG_CODE_HEADER = "x-activeOrganisationCode"
REQUEST_ID_MAX_LENGTH = 46
ORG_CODE_MAX_LENGTH = 20
ORG_TYPE_MAX = 32767  # Organisation.type, a PositiveSmallIntegerField
# What `str.isprintable()` accepts of a header's (latin-1) characters, as the schema says it
PRINTABLE_PATTERN = "^[ -~\\u00a1-\\u00ac\\u00ae-\\u00ff]+$"


def read_cpr(headers) -> tuple[str | None, list[Violation]]:
    value = headers.get(CPR_HEADER)
    if value is None or not is_valid_cpr(value):
        return None, [Violation(errors.VALIDATION_FAILED, CPR_HEADER)]
    return value, []


def read_request_id(headers, *, required: bool) -> tuple[str | None, list[Violation]]:
    value = headers.get(REQUEST_ID_HEADER)
    if value is None:
        if required:
            return None, [Violation(errors.VALIDATION_FAILED, REQUEST_ID_HEADER)]
        return None, []
    if not 1 <= len(value) <= REQUEST_ID_MAX_LENGTH or not value.isprintable():
        return None, [Violation(errors.VALIDATION_FAILED, REQUEST_ID_HEADER)]
    return value, []


def read_active_organisation(headers) -> tuple[tuple[int, str] | None, list[Violation]]:
    """(type, code) from the two headers; None when both are absent."""
    raw_type, code = headers.get(ORG_TYPE_HEADER), headers.get(ORG_CODE_HEADER)
    if raw_type is None and code is None:
        return None, []
    violations = []
    org_type = None
    try:
        org_type = int(raw_type) if raw_type is not None else None
    except ValueError:
        pass
    if org_type is None or not 0 <= org_type <= ORG_TYPE_MAX:
        violations.append(Violation(errors.VALIDATION_FAILED, ORG_TYPE_HEADER))
    if code is None or not 1 <= len(code) <= ORG_CODE_MAX_LENGTH or not code.isprintable():
        violations.append(Violation(errors.VALIDATION_FAILED, ORG_CODE_HEADER))
    if violations:
        return None, violations
    return (org_type, code), []
