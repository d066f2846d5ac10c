"""RFC 9457 problem+json: the one exception handler every API error goes through (SPEC 4).

The domain raises `accessrules.core.errors.DomainError`; this is the only place it becomes HTTP.
"""

import logging
import sys
from http import HTTPStatus
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from accessrules.accesslog.log import AccessLogUnavailable
from accessrules.api import shared_cache
from accessrules.core import errors
from accessrules.core.errors import DomainError, Violation
from accessrules.core.hints import hint
from accessrules.core.masking import mask_cpr_text

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


MAX_REPORTED_VIOLATIONS = 100  # SPEC 8: the first 100 are reported
MAX_FIELD_LENGTH = 100  # an echoed field name (it may be a client's unknown key) is cut


def problem_type(code: int) -> str:
    """The problem's `type`: this service's page about the code (config.fejlsider)."""
    return f"/fejl/{code}"


def error_entry(violation: Violation) -> dict:
    """One `errors` entry as the API answers it: its detail (the check's own, else the code's
    hint), field and detail CPR-masked, an echoed field cut."""
    entry = violation.as_dict()
    if "field" in entry:
        entry["field"] = mask_cpr_text(entry["field"])[:MAX_FIELD_LENGTH]
    detail = entry.get("detail") or hint(entry["code"])
    if detail:
        entry["detail"] = mask_cpr_text(detail)
    return entry


def problem_body(status_code: int, violations: list[Violation], detail: str | None = None) -> dict:
    if detail is None:
        detail = (
            errors.lookup(violations[0].code).text
            if len(violations) == 1
            else f"{len(violations)} errors; see 'errors'."
            if len(violations) <= MAX_REPORTED_VIOLATIONS
            else f"{len(violations)} errors; the first {MAX_REPORTED_VIOLATIONS} are in 'errors'."
        )
    reported = [error_entry(v) for v in violations[:MAX_REPORTED_VIOLATIONS]]
    return {
        "type": problem_type(violations[0].code),
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        "errors": reported,
    }


def problem_response(
    status_code: int,
    violations: list[Violation],
    detail: str | None = None,
    headers: dict | None = None,
) -> Response:
    return Response(
        problem_body(status_code, violations, detail),
        status=status_code,
        headers=headers,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def validation_violations(detail, path: str | None = None) -> list[Violation]:
    """Flatten a DRF ValidationError detail into violations.

    An ErrorDetail whose `code` is a registry code (validators raise by code, as a string)
    keeps that code; every other validation failure (type, required, pattern, length) is 1014.
    """
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            if key == "non_field_errors":
                child = path
            else:
                child = f"{path}.{key}" if path else str(key)
            found.extend(validation_violations(value, child))
        return found
    if isinstance(detail, list):
        found = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                found.extend(validation_violations(value, f"{path}[{index}]" if path else None))
            else:
                found.extend(validation_violations(value, path))
        return found
    code = getattr(detail, "code", None)
    message = str(detail) if detail is not None else None
    if isinstance(code, str) and code.isdigit() and int(code) in errors.REGISTRY:
        return [Violation(int(code), path, None if message == code else message)]
    return [Violation(errors.VALIDATION_FAILED, path, message or None)]


def _status_of(violations: list[Violation]) -> int:
    return errors.lookup(violations[0].code).status


_DRF_CODES = {
    exceptions.NotAuthenticated: errors.NOT_AUTHENTICATED,
    exceptions.AuthenticationFailed: errors.NOT_AUTHENTICATED,
    exceptions.PermissionDenied: errors.OPERATION_FORBIDDEN,
    exceptions.NotFound: errors.NOT_FOUND,
    exceptions.MethodNotAllowed: errors.METHOD_NOT_ALLOWED,
    exceptions.NotAcceptable: errors.NOT_ACCEPTABLE,
    exceptions.UnsupportedMediaType: errors.UNSUPPORTED_MEDIA_TYPE,
    exceptions.Throttled: errors.THROTTLED,
}


class Problem(NamedTuple):
    """What an exception answers: its status, violations, a detail and extra headers."""

    status: int
    violations: list[Violation]
    detail: str | None = None
    headers: dict | None = None

    @property
    def code(self) -> int:
        return self.violations[0].code


def problem_of(exc: Exception) -> Problem:
    """The problem every exception answers (a DomainError its own codes; anything unknown
    500 50000): what the response says and what the access-log row records."""
    headers = {}
    if isinstance(exc, exceptions.APIException):
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, DomainError):
        return Problem(exc.status, exc.violations, headers=headers)
    if isinstance(exc, AccessLogUnavailable) or database_unavailable(exc) or cache_unavailable(exc):
        return Problem(503, [Violation(errors.UNAVAILABLE)], headers=retry_after())
    if isinstance(exc, exceptions.ParseError):
        reason = f"Not valid JSON ({exc.detail}); send one JSON object, UTF-8."
        violations = [Violation(errors.VALIDATION_FAILED, detail=reason)]
        return Problem(400, violations, "Malformed request body", headers)
    if isinstance(exc, exceptions.ValidationError):
        violations = validation_violations(exc.detail) or [Violation(errors.VALIDATION_FAILED)]
        return Problem(_status_of(violations), violations, headers=headers)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    for exc_class, code in _DRF_CODES.items():
        if isinstance(exc, exc_class):
            status_code = errors.lookup(code).status
            if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
                status_code = status.HTTP_401_UNAUTHORIZED
            return Problem(status_code, [Violation(code)], headers=headers)
    if isinstance(exc, exceptions.APIException):
        return Problem(exc.status_code, [Violation(errors.INTERNAL_ERROR)], str(exc.detail))
    return Problem(500, [Violation(errors.INTERNAL_ERROR)])


READ_ONLY_TRANSACTION = "25006"  # SQLSTATE: a standby (or a demoted primary) refused a write


def database_unavailable(exc: BaseException | None) -> bool:
    """True for an error that means no usable primary just now: a connection refused, lost or
    timed out, only standbys reachable, a statement cancelled by its timeout (Django's
    OperationalError and InterfaceError), or a write refused as read-only. Such a call is
    answered 503 with Retry-After (a failover takes seconds), never 500. Logged without the
    error's text (it may quote a value)."""
    if not isinstance(exc, DatabaseError):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    if isinstance(exc, OperationalError | InterfaceError) or sqlstate == READ_ONLY_TRANSACTION:
        logger.warning("Database unavailable: %s (SQLSTATE %s)", type(exc).__name__, sqlstate)
        return True
    return False


def cache_unavailable(exc: BaseException | None) -> bool:
    """True for the shared cache (Redis) refusing, dropping or not answering a connection
    within CACHE_SOCKET_TIMEOUT_MS: 503 with Retry-After, as for the database."""
    if isinstance(exc, shared_cache.ERRORS):
        logger.warning("Cache unavailable: %s", type(exc).__name__)
        return True
    return False


def retry_after() -> dict:
    return {"Retry-After": str(settings.UNAVAILABLE_RETRY_AFTER_SECONDS)}


def problem_exception_handler(exc, context):
    """DRF EXCEPTION_HANDLER: every exception becomes a problem+json response."""
    problem = problem_of(exc)
    if problem.status == 500 and not isinstance(exc, exceptions.APIException | DomainError):
        view = context.get("view")
        logger.exception("Unhandled error in %s", type(view).__name__ if view else "API view")
    return problem_response(problem.status, problem.violations, problem.detail, problem.headers)


def plain_problem(status_code: int, code: int) -> JsonResponse:
    """A problem+json answer with one registry code, for plain Django code (no DRF view)."""
    return JsonResponse(
        problem_body(status_code, [Violation(code)]),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


# Django-level handlers (urls outside DRF views: unknown paths, errors in middleware).
def handler400(request, exception=None):
    return plain_problem(400, errors.VALIDATION_FAILED)


def handler403(request, exception=None):
    return plain_problem(403, errors.OPERATION_FORBIDDEN)


def handler404(request, exception=None):
    return plain_problem(404, errors.NOT_FOUND)


def handler500(request):
    """An error outside a DRF view (a middleware, the OAuth views, the admin): a database that
    or cache that is unavailable is 503 with Retry-After here too, anything else 500."""
    if database_unavailable(sys.exc_info()[1]) or cache_unavailable(sys.exc_info()[1]):
        response = plain_problem(503, errors.UNAVAILABLE)
        for name, value in retry_after().items():
            response[name] = value
        return response
    return plain_problem(500, errors.INTERNAL_ERROR)
