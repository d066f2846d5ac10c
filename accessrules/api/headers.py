"""Reading the headers every operation reads (SPEC 1 and 2). Each reader returns the value and
the violations it found, so that one response can report every header and body error."""

from typing import NamedTuple

from accessrules.core import errors
from accessrules.core.caller import (
    REQUEST_ID_HEADER,
    REQUEST_ID_MAX_LENGTH,
    is_valid_request_id,
)
from accessrules.core.cpr import is_valid_cpr
from accessrules.core.errors import Violation

CPR_HEADER = "x-civilRegistrationIdentifier"
ORG_TYPE_HEADER = "x-activeOrganisationTypeIdentifier"
ORG_CODE_HEADER = "x-activeOrganisationCode"
ORG_CODE_MAX_LENGTH = 20
ORG_TYPE_MAX = 32767  # Organisation.type, a PositiveSmallIntegerField
# What `str.isprintable()` accepts of a header's (latin-1) characters, as the schema says it
PRINTABLE_PATTERN = "^[ -~\\u00a1-\\u00ac\\u00ae-\\u00ff]+$"


CPR_MISSING = "Missing: send the citizen's CPR number in this header."
CPR_INVALID = (
    "Not a CPR number: 10 digits DDMMYYSSSS whose first six form a real date (the century from "
    "the 7th digit); no hyphen or spaces."
)
REQUEST_ID_MISSING = (
    f"Missing: send a fresh id with every write (e.g. a UUID), 1-{REQUEST_ID_MAX_LENGTH} "
    "printable characters."
)
REQUEST_ID_EMPTY = (
    f"Empty: send a fresh id (e.g. a UUID), 1-{REQUEST_ID_MAX_LENGTH} printable characters."
)
REQUEST_ID_INVALID = (
    f"Longer than {REQUEST_ID_MAX_LENGTH} characters or not printable: send a fresh id "
    f"(e.g. a UUID), 1-{REQUEST_ID_MAX_LENGTH} printable characters."
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


class RequestId(NamedTuple):
    """The request's x-requestId as read: its value when valid, and whether it was sent."""

    value: str | None
    sent: bool
    empty: bool = False  # sent with no characters

    def violations(self, *, required: bool) -> list[Violation]:
        if self.value is not None or not (self.sent or required):
            return []
        if self.empty:
            detail = REQUEST_ID_EMPTY
        else:
            detail = REQUEST_ID_INVALID if self.sent else REQUEST_ID_MISSING
        return [Violation(errors.VALIDATION_FAILED, REQUEST_ID_HEADER, detail)]


def read_request_id(request) -> RequestId:
    """The request's x-requestId, parsed once per request: the first reader (the log lines'
    middleware, `config.middleware.LogContextMiddleware`) keeps it on the request."""
    try:
        return request.request_id_read
    except AttributeError:
        raw = request.headers.get(REQUEST_ID_HEADER)
        valid = raw is not None and is_valid_request_id(raw)
        read = RequestId(raw if valid else None, sent=raw is not None, empty=raw == "")
        request.request_id_read = read
        return read


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
    if org_type is None or not 0 <= org_type <= ORG_TYPE_MAX:
        violations.append(Violation(errors.VALIDATION_FAILED, ORG_TYPE_HEADER, ORG_TYPE_INVALID))
    if not 1 <= len(code) <= ORG_CODE_MAX_LENGTH or not code.isprintable():
        violations.append(Violation(errors.VALIDATION_FAILED, ORG_CODE_HEADER, ORG_CODE_INVALID))
    if violations:
        return None, violations
    return (org_type, code), []
