"""Reading the headers every operation reads (SPEC 1 and 2). Each reader returns the value and
the violations it found, so that one response can report every header and body error."""

from typing import NamedTuple

from accessrules.core import errors
from accessrules.core.caller import REQUEST_ID_HEADER, is_valid_request_id
from accessrules.core.cpr import is_valid_cpr
from accessrules.core.errors import Violation

CPR_HEADER = "x-civilRegistrationIdentifier"
ORG_TYPE_HEADER = "x-activeOrganisationTypeIdentifier"
ORG_CODE_HEADER = "x-activeOrganisationCode"
ORG_CODE_MAX_LENGTH = 20


def read_cpr(headers) -> tuple[str | None, list[Violation]]:
    value = headers.get(CPR_HEADER)
    if value is None or not is_valid_cpr(value):
        return None, [Violation(errors.VALIDATION_FAILED, CPR_HEADER)]
    return value, []


class RequestId(NamedTuple):
    """The request's x-requestId as read: its value when valid, and whether it was sent."""

    value: str | None
    sent: bool

    def violations(self, *, required: bool) -> list[Violation]:
        if self.value is not None or not (self.sent or required):
            return []
        return [Violation(errors.VALIDATION_FAILED, REQUEST_ID_HEADER)]


def read_request_id(request) -> RequestId:
    """The request's x-requestId, parsed once per request: the first reader (the log lines'
    middleware, `config.middleware.LogContextMiddleware`) keeps it on the request."""
    try:
        return request.request_id_read
    except AttributeError:
        raw = request.headers.get(REQUEST_ID_HEADER)
        valid = raw is not None and is_valid_request_id(raw)
        read = RequestId(raw if valid else None, sent=raw is not None)
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
    if org_type is None or not 0 <= org_type <= 32767:
        violations.append(Violation(errors.VALIDATION_FAILED, ORG_TYPE_HEADER))
    if code is None or not 1 <= len(code) <= ORG_CODE_MAX_LENGTH or not code.isprintable():
        violations.append(Violation(errors.VALIDATION_FAILED, ORG_CODE_HEADER))
    if violations:
        return None, violations
    return (org_type, code), []
