"""The base viewset of every Borgerindsats operation.

Each action is declared with `@operation(spec)`, which also gives it its OpenAPI description
(`accessrules.api.schema.extend_schema_for`). `OperationViewSet.serve` runs SPEC 4's stages in
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

from rest_framework import viewsets
from rest_framework.response import Response

from accessrules.access import Adgang
from accessrules.accesslog import log as accesslog
from accessrules.accesslog.transaction import logged_write
from accessrules.api import headers
from accessrules.api.callers import caller_of
from accessrules.api.operations import OperationSpec, spec_of
from accessrules.api.permissions import Authenticated
from accessrules.api.problems import problem_of, validation_violations
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


def operation(spec: OperationSpec):
    """Serve `spec` with the decorated action `action(self, request, message) -> Answer`."""

    def decorate(action):
        @functools.wraps(action)
        def serve(view, request, *args, **kwargs):
            return view.serve(spec, action, request)

        serve.spec = spec
        return extend_schema_for(spec)(serve)

    return decorate


def read_message(request, spec: OperationSpec) -> Message:
    """Validate headers and body together; raise every violation at once (400)."""
    violations = []
    cpr = None
    if spec.cpr_header:
        cpr, found = headers.read_cpr(request.headers)
        violations += found
    if spec.request_id is not None:
        violations += headers.read_request_id(request).violations(required=spec.request_id)
    data = {}
    if spec.request is not None:
        serializer = spec.request(data=request.data)
        if serializer.is_valid():
            data = serializer.validated_data
        else:
            violations += validation_violations(serializer.errors)
    if violations:
        raise DomainError(*violations)
    return Message(cpr=cpr, data=data)


class OperationViewSet(viewsets.GenericViewSet):
    permission_classes = [Authenticated]
    metadata_class = None  # no OPTIONS introspection: 405

    caller: Caller | None = None  # set by `serve`, once the organisation is known

    def get_serializer_class(self):
        spec = spec_of(self)
        return spec.request if spec is not None else None

    def serve(self, spec: OperationSpec, action, request) -> Response:
        """One call of an operation, and its access-log row (the one place it is written)."""
        caller = Caller(None, client=request.auth.client)  # until the organisation is known
        try:
            with logged_write() if spec.writes else contextlib.nullcontext():
                self.caller = caller = caller_of(request, spec)
                answer = action(self, request, read_message(request, spec))
                borger = answer.adgang.borger if answer.adgang is not None else None
                self.log(spec, caller, answer.response.status_code, None, borger)
        except accesslog.AccessLogUnavailable:
            raise  # 503
        except Exception as refusal:  # after the write's rollback
            problem = problem_of(refusal)
            borger = refusal.borger if isinstance(refusal, DomainError) else None
            self.log(spec, caller, problem.status, problem.code, borger)
            raise
        return answer.response

    @staticmethod
    def log(spec: OperationSpec, caller: Caller, outcome: int, code: int | None, borger) -> None:
        accesslog.write(
            operation=spec.operation,
            caller=caller,
            borger=borger,
            outcome=outcome,
            error_code=code,
        )
