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


CPR_MISSING = "Missing: send the citizen's CPR number in this header."
CPR_INVALID = (
    "Not a CPR number: 10 digits DDMMYYSSSS whose first six form a real date (the century from "
    "the 7th digit); no hyphen or spaces."
)
REQUEST_ID_MISSING = (
    "Missing: send a fresh id with every write (e.g. a UUID), 1-46 printable characters."
)
REQUEST_ID_EMPTY = "Empty: send a fresh id (e.g. a UUID), 1-46 printable characters."
REQUEST_ID_INVALID = (
    f"Longer than {REQUEST_ID_MAX_LENGTH} characters or not printable: send a fresh id "
    "(e.g. a UUID), 1-46 printable characters."
)
ORG_TYPE_INVALID = (
    "Must be an organisation type number: 8 JobCenter, 7 Kommune, 4 AndenAktoer, 1 STAR."
)
ORG_CODE_INVALID = f"Must be the organisation's code, 1-{ORG_CODE_MAX_LENGTH} printable characters."
ORG_PAIR = (
    "x-activeOrganisationTypeIdentifier and x-activeOrganisationCode go together: send both "
    "or neither."
)


def read_cpr(headers) -> tuple[str | None, list[Violation]]:
    value = headers.get(CPR_HEADER)
    if value is None or not is_valid_cpr(value):
        detail = CPR_MISSING if value is None else CPR_INVALID
        return None, [Violation(errors.VALIDATION_FAILED, CPR_HEADER, detail)]
    return value, []


def read_request_id(headers, *, required: bool) -> tuple[str | None, list[Violation]]:
    value = headers.get(REQUEST_ID_HEADER)
    if value is None:
        if required:
            return None, [
                Violation(errors.VALIDATION_FAILED, REQUEST_ID_HEADER, REQUEST_ID_MISSING)
            ]
        return None, []
    if not value:
        return None, [Violation(errors.VALIDATION_FAILED, REQUEST_ID_HEADER, REQUEST_ID_EMPTY)]
    if len(value) > REQUEST_ID_MAX_LENGTH or not value.isprintable():
        return None, [Violation(errors.VALIDATION_FAILED, REQUEST_ID_HEADER, REQUEST_ID_INVALID)]
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
    if raw_type is None or code is None:
        missing = ORG_TYPE_HEADER if raw_type is None else ORG_CODE_HEADER
        return None, [Violation(errors.VALIDATION_FAILED, missing, ORG_PAIR)]
    if org_type is None or not 0 <= org_type <= 32767:
        violations.append(Violation(errors.VALIDATION_FAILED, ORG_TYPE_HEADER, ORG_TYPE_INVALID))
    if not 1 <= len(code) <= ORG_CODE_MAX_LENGTH or not code.isprintable():
        violations.append(Violation(errors.VALIDATION_FAILED, ORG_CODE_HEADER, ORG_CODE_INVALID))
    if violations:
        return None, violations
    return (org_type, code), []
