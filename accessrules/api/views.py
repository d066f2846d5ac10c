"""The base viewset of every Borgerindsats operation.

Each action is declared with `@serves(endpoint)`, which also gives it its OpenAPI description
(`accessrules.api.schema.extend_schema_for`). `EndpointViewSet.serve` runs SPEC 4's stages in
order: authentication (401, the one permission), the caller (scopes and active organisation,
403), the message (400, every header and body violation together), then the action's service:
access (404 1010 / 403 6005), rules and stored state. Every call that reached an operation
leaves one access-log row, written in `serve` before its answer leaves (a write's row in the
write's transaction, a refusal's after the rollback); when it cannot be written the answer is
503.
"""

import contextlib
import functools
from typing import NamedTuple

from django.conf import settings
from django.utils import translation
from rest_framework import viewsets
from rest_framework.response import Response

from accessrules.access import Adgang
from accessrules.accesslog import log as accesslog
from accessrules.accesslog.transaction import logged_write
from accessrules.api import commits, headers, replica
from accessrules.api.callers import caller_of
from accessrules.api.endpoints import Endpoint, endpoint_of
from accessrules.api.permissions import Authenticated
from accessrules.api.problems import database_unavailable, problem_of, validation_violations
from accessrules.api.schema import extend_schema_for
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError


class Message(NamedTuple):
    cpr: str | None
    data: dict


class Answer(NamedTuple):
    """What an action answers: the response, and the access its service was granted (its
    citizen goes into the access-log row)."""

    response: Response
    adgang: Adgang | None = None


def serves(endpoint: Endpoint):
    """Serve `endpoint` with the decorated action `action(self, request, message) -> Answer`."""

    def decorate(action):
        @functools.wraps(action)
        def serve(view, request, *args, **kwargs):
            return view.serve(endpoint, action, request)

        serve.endpoint = endpoint
        return extend_schema_for(endpoint)(serve)

    return decorate


def read_message(request, endpoint: Endpoint) -> Message:
    """Validate headers and body together; raise every violation at once (400)."""
    violations = []
    cpr = None
    if endpoint.cpr_header:
        cpr, found = headers.read_cpr(request.headers)
        violations += found
    if endpoint.request_id is not None:
        violations += headers.read_request_id(request).violations(required=endpoint.request_id)
    data = {}
    if endpoint.request is not None:
        serializer = endpoint.request(data=request.data)
        if serializer.is_valid():
            data = serializer.validated_data
        else:
            violations += validation_violations(serializer.errors)
    if violations:
        raise DomainError(*violations)
    return Message(cpr=cpr, data=data)


class EndpointViewSet(viewsets.GenericViewSet):
    permission_classes = [Authenticated]
    metadata_class = None  # no OPTIONS introspection: 405

    caller: Caller | None = None  # set by `serve`, once the organisation is known

    def dispatch(self, request, *args, **kwargs):
        # The API speaks English in `detail` (the admin is Danish): validation messages of DRF,
        # Django forms and django-filter are made in English here.
        with translation.override("en"):
            return super().dispatch(request, *args, **kwargs)

    def get_serializer_class(self):
        endpoint = endpoint_of(self)
        return endpoint.request if endpoint is not None else None

    def serve(self, endpoint: Endpoint, action, request) -> Response:
        """One call of an operation, and its access-log row (the one place it is written)."""
        caller = Caller(None, client=request.auth.client)  # until the organisation is known
        if endpoint.writes or settings.ACCESS_LOG_SYNCHRONOUS_COMMIT in commits.STANDBY_LEVELS:
            commits.refuse_while_unreplicated()  # its commit would wait as the last one did
        try:
            # the database work is bounded, and a commit that no synchronous standby confirmed
            # is not answered as done (accessrules.api.commits)
            with (
                commits.deadline(settings.DATABASE_OPERATION_TIMEOUT_MS / 1000),
                logged_write() if endpoint.writes else contextlib.nullcontext(),
            ):
                self.caller = caller = caller_of(request, endpoint)
                message = read_message(request, endpoint)
                # a read-only operation may read its data on a standby (accessrules.api.replica)
                with replica.reading(endpoint.operation, caller.client):
                    answer = action(self, request, message)
                borger = answer.adgang.borger if answer.adgang is not None else None
                self.log(endpoint, caller, answer.response.status_code, None, borger)
            # committed on the primary only
            commits.raise_if_unreplicated("a commit was not confirmed by a synchronous standby")
            if endpoint.method != "GET":  # the client's later reads must see this write
                replica.remember_write(caller.client)
        except accesslog.AccessLogUnavailable:
            raise  # 503
        except Exception as refusal:  # after the write's rollback
            if database_unavailable(refusal):  # 503: a row could not be written either
                raise
            problem = problem_of(refusal)
            borger = refusal.borger if isinstance(refusal, DomainError) else None
            # the refusal's row commits on its own: bounded, and replicated or 503, as above
            with commits.deadline(settings.DATABASE_OPERATION_TIMEOUT_MS / 1000):
                self.log(endpoint, caller, problem.status, problem.code, borger)
            commits.raise_if_unreplicated("an access-log row was not confirmed by a standby")
            raise
        return answer.response

    @staticmethod
    def log(endpoint: Endpoint, caller: Caller, outcome: int, code: int | None, borger) -> None:
        accesslog.write(
            handling=endpoint.operation,
            caller=caller,
            borger=borger,
            outcome=outcome,
            error_code=code,
        )
