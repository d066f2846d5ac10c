"""The base viewset of every Borgerindsats operation.

Each action is declared with `@operation(spec)`, which also gives it its OpenAPI description
(`accessrules.api.schema.extend_schema_for`). The stages of SPEC 4 run in order:
authentication and permissions (401/403) in `initial`, then the message (400, every header and
body violation together), then the action's service: access (404 1010 / 403 6005), rules and
stored state. Every call that reached an operation leaves one access-log row before its answer
leaves (a write's row in the write's transaction); when it cannot be written the answer is 503.
"""

import dataclasses
import functools
from typing import NamedTuple

from django.conf import settings
from django.db import OperationalError, transaction
from rest_framework import viewsets

from accessrules.access import Lookup
from accessrules.accesslog import log as accesslog
from accessrules.api import commits, headers
from accessrules.api.operations import OperationSpec, spec_of
from accessrules.api.permissions import ActiveOrganisation, HasOperationScope
from accessrules.api.problems import unavailable_response, validation_violations
from accessrules.api.schema import extend_schema_for
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError


def operation(spec: OperationSpec):
    """Serve `spec` with the decorated action `action(self, request, message)`.

    The message (headers and body) is read and validated first (400, every violation
    together). A writing operation runs in one transaction with its access-log row. The
    action's database work is bounded by DATABASE_OPERATION_TIMEOUT_MS, and a commit that no
    synchronous standby confirmed is answered 503 (accessrules.api.commits).
    """

    def decorate(action):
        @functools.wraps(action)
        def serve(view, request, *args, **kwargs):
            message = view.read_message(spec)
            with commits.deadline(settings.DATABASE_OPERATION_TIMEOUT_MS / 1000):
                if not spec.writes:
                    response = action(view, request, message)
                else:
                    with transaction.atomic():
                        response = action(view, request, message)
                        view.write_access_log(request, response)
            if commits.unreplicated():  # committed on the primary only: not answered as done
                raise OperationalError("a commit was not confirmed by a synchronous standby")
            return response

        serve.spec = spec
        return extend_schema_for(spec)(serve)

    return decorate


class Message(NamedTuple):
    cpr: str | None
    request_id: str | None
    data: dict


class OperationViewSet(viewsets.GenericViewSet):
    permission_classes = [HasOperationScope, ActiveOrganisation]
    metadata_class = None  # no OPTIONS introspection: 405

    spec: OperationSpec | None = None
    lookup: Lookup | None = None  # the citizen this call looked up, for the access log
    access_logged = False

    def initial(self, request, *args, **kwargs):
        self.spec = spec_of(self)
        self.lookup = Lookup()
        super().initial(request, *args, **kwargs)

    def get_serializer_class(self):
        return self.spec.request

    @property
    def caller(self) -> Caller:
        return self.request.caller

    def read_message(self, spec: OperationSpec) -> Message:
        """Validate headers and body together; raise every violation at once (400)."""
        request = self.request
        violations = []
        cpr = request_id = None
        if spec.cpr_header:
            cpr, found = headers.read_cpr(request.headers)
            violations += found
        if spec.request_id is not None:
            request_id, found = headers.read_request_id(request.headers, required=spec.request_id)
            violations += found
        data = {}
        if spec.request is not None:
            serializer = spec.request(data=request.data)
            if serializer.is_valid():
                data = serializer.validated_data
            else:
                violations += validation_violations(serializer.errors)
        if violations:
            raise DomainError(*violations)
        if request_id:
            request.caller = dataclasses.replace(request.caller, request_id=request_id)
        return Message(cpr=cpr, request_id=request_id, data=data)

    def write_access_log(self, request, response) -> None:
        """The call's access-log row (raises AccessLogUnavailable)."""
        error_code = None
        if response.status_code >= 400 and isinstance(response.data, dict):
            error_code = (response.data.get("errors") or [{}])[0].get("code")
        caller = getattr(request, "caller", None) or Caller(None, client=request.auth.client)
        accesslog.write(
            operation=self.spec.operation,
            caller=caller,
            borger=self.lookup.borger,
            outcome=response.status_code,
            error_code=error_code,
        )
        self.access_logged = True

    def finalize_response(self, request, response, *args, **kwargs):
        # A 503 is answered when the database is unavailable: no row can be written then, and
        # asking for request.auth would try the database again (after a failed authentication).
        if response.status_code == 503:
            return super().finalize_response(request, response, *args, **kwargs)
        if self.spec is not None and request.auth is not None and not self.access_logged:
            try:
                self.write_access_log(request, response)
            except accesslog.AccessLogUnavailable:
                response = unavailable_response()
        return super().finalize_response(request, response, *args, **kwargs)
