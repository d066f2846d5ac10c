"""Middleware for the limits at the edge (SPEC 8) that hold for every path, before any view,
authentication or body parsing runs."""

from django.conf import settings

from accessrules.api import commits
from accessrules.api.headers import read_request_id
from accessrules.api.problems import PROBLEM_CONTENT_TYPE, plain_problem
from accessrules.core import errors
from config.logformat import request_id_context

# the paths whose whole database work is cancelled at the call's deadline: the API and the
# health check (the admin's pages only connect within it; its writes: WriteDeadlineMiddleware)
WATCHED_PREFIXES = ("/v1/", "/healthz")


class CallDeadlineMiddleware:
    """First of all: the call's database work ends DATABASE_OPERATION_TIMEOUT_MS after its
    arrival, whatever it waits for (a new connection, a statement, a commit's wait for a
    synchronous standby; accessrules.api.commits.call). Past it, what the database still
    does is cancelled and the call answered 503 with Retry-After, so that while no primary is
    reachable an answer leaves within that bound and never hangs: under /v1/ and /healthz
    from the first statement on (authentication included), elsewhere a new connection."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with commits.call(settings.DATABASE_OPERATION_TIMEOUT_MS / 1000):
            if not request.path_info.startswith(WATCHED_PREFIXES):
                return self.get_response(request)
            with commits.deadline():
                return self.get_response(request)


class BodySizeLimitMiddleware:
    """A body whose Content-Length exceeds `DATA_UPLOAD_MAX_MEMORY_SIZE` (`API_MAX_BODY_BYTES`)
    is answered 413 41300 at once, on every path, with or without a token: the body is never
    read. (Without a Content-Length, Django reads no body at all.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            announced = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            announced = 0
        if limit is not None and announced > limit:
            return plain_problem(413, errors.BODY_TOO_LARGE)
        return self.get_response(request)


class ApiNoStoreMiddleware:
    """`Cache-Control: no-store` on every answer under /v1/ (personal data), errors included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/v1/"):
            response["Cache-Control"] = "no-store"
        return response


class LogContextMiddleware:
    """The request's valid x-requestId, if any, on every log record made while it is served
    (config.logformat: the JSON log lines' `request_id`). The header is read here, once per
    request; the operation's caller and message use this reading."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = read_request_id(request).value
        if request_id is None:
            return self.get_response(request)
        with request_id_context(request_id):
            return self.get_response(request)


# /metrics itself answers every method as problem+json (config.metrics); paths below it here
API_PREFIXES = ("/v1/", "/oauth/", "/api/", "/metrics/")
_PROBLEM_STATUSES = {404: errors.NOT_FOUND, 405: errors.METHOD_NOT_ALLOWED}


class ApiProblemMiddleware:
    """Under /v1/, /oauth/, /api/ and /metrics/, a 404 or 405 that is not problem+json already
    (Django's own pages, the debug 404 page with DEBUG on, an OAuth view's bare 405) is answered
    as problem+json, with the same status (and a 405's `Allow` header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        code = _PROBLEM_STATUSES.get(response.status_code)
        if code is None or not request.path_info.startswith(API_PREFIXES):
            return response
        if response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            return response
        problem = plain_problem(response.status_code, code)
        if response.has_header("Allow"):
            problem["Allow"] = response["Allow"]
        return problem


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class WriteDeadlineMiddleware:
    """What may write outside the API's operations (the OAuth token endpoint, the admin's forms,
    the SAML sign-in: every method but GET, HEAD and OPTIONS) is bounded as an operation is
    (`DATABASE_OPERATION_TIMEOUT_MS`, accessrules.api.commits), and a commit that no synchronous
    standby confirmed is not answered as done: OperationalError, which Django's handler500
    answers 503 with Retry-After (config.adminfejl: a Danish page in the admin). Under /v1/ the
    operation bounds its own work (EndpointViewSet.serve)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS or request.path_info.startswith("/v1/"):
            return self.get_response(request)
        commits.refuse_while_unreplicated()
        with commits.deadline(settings.DATABASE_OPERATION_TIMEOUT_MS / 1000):
            response = self.get_response(request)
        # committed on the primary only: could be lost with it
        commits.raise_if_unreplicated("a commit was not confirmed by a synchronous standby")
        return response
