"""The base viewset of every Borgerindsats operation.

A subclass declares, per action: the seed operation, the scopes, whether the CPR header is read
and whether x-requestId is required. The stages of SPEC 4 run in order: authentication and
permissions (401/403) in `initial`, then `read_message` (400, all header and body violations
together), then `get_citizen` (404 1010 / 403 6005), then the action's rules and service.
Every call that reached an operation leaves one access-log row.
"""

import dataclasses
from typing import NamedTuple

from django.utils.functional import cached_property
from rest_framework import viewsets

from accessrules.access.tables import Operation
from accessrules.api import headers
from accessrules.api.permissions import (
    ActiveOrganisation,
    CitizenAccess,
    HasActionScope,
    api_client_of,
    organisation_of,
)
from accessrules.api.problems import ApiError, validation_violations
from accessrules.models import Borger
from accessrules.queries import citizen_by_cpr
from accessrules.services import log_access


class Message(NamedTuple):
    cpr: str | None
    request_id: str | None
    data: dict


class BorgerindsatsViewSet(viewsets.GenericViewSet):
    permission_classes = [HasActionScope, ActiveOrganisation, CitizenAccess]
    metadata_class = None  # no OPTIONS introspection: 405

    operations: dict[str, Operation] = {}
    required_scopes: dict[str, list[str]] = {}
    cpr_header_actions: frozenset[str] = frozenset()
    request_id_actions: dict[str, bool] = {}  # action -> x-requestId required

    borger: Borger | None = None
    citizen_related: dict[str, tuple[str, ...]] = {}  # action -> loaded with the citizen

    @cached_property
    def operation(self) -> Operation | None:
        return self.operations.get(self.action)

    @property
    def caller(self):
        return self.request.caller

    def read_message(self, *, body: bool = True) -> Message:
        """Validate headers and body together; raise every violation at once (400)."""
        request = self.request
        violations = []
        cpr = request_id = None
        if self.action in self.cpr_header_actions:
            cpr, found = headers.read_cpr(request.headers)
            violations += found
        if self.action in self.request_id_actions:
            request_id, found = headers.read_request_id(
                request.headers, required=self.request_id_actions[self.action]
            )
            violations += found
        data = {}
        if body:
            serializer = self.get_serializer(data=request.data)
            if serializer.is_valid():
                data = serializer.validated_data
            else:
                violations += validation_violations(serializer.errors)
        if violations:
            raise ApiError(*violations)
        if request_id:
            request.caller = dataclasses.replace(request.caller, request_id=request_id)
        return Message(cpr=cpr, request_id=request_id, data=data)

    def get_citizen(self, cpr: str) -> Borger:
        """The citizen the CPR names, after the access check (404 1010 / 403 6005)."""
        borger = citizen_by_cpr(cpr, self.citizen_related.get(self.action, ()))
        self.check_citizen_access(borger)
        return borger

    def check_citizen_access(self, borger: Borger | None) -> None:
        """The caller's access to this citizen (None: an unknown CPR): 1010 / 6005."""
        self.borger = borger
        self.check_object_permissions(self.request, borger)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.operation is not None and request.auth is not None:
            self._log_access(request, response)
        return response

    def _log_access(self, request, response) -> None:
        error_code = None
        if response.status_code >= 400 and isinstance(response.data, dict):
            problems = response.data.get("errors") or [{}]
            error_code = problems[0].get("code")
        caller = getattr(request, "caller", None)
        log_access(
            operation=self.operation,
            client=api_client_of(request),
            organisation=organisation_of(request),
            borger=self.borger,
            outcome=response.status_code,
            error_code=error_code,
            request_id=caller.request_id if caller else request.headers.get("x-requestId"),
        )
