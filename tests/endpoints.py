"""The tests every endpoint gets: subclass `EndpointTests` once per endpoint, in the app's
tests/<app>/api/test_endpoints.py (tests/accessrules/api/test_every_endpoint.py fails for a
served endpoint without one).

A subclass names its `endpoint` and says how to make a call that only the caller and the
access decision can refuse: `prepare(borger, organisation)` stores what the call needs and
returns it, `call(integrator, borger, prepared, headers)` sends it. The base class gives it:

- 401 without a token, 403 40300 with a token without the endpoint's scopes, 1014 for a
  malformed active-organisation header: each with its access-log row (operation, outcome,
  code) or, for the 401, none;
- an answered call's one access-log row;
- when the endpoint has a seed table: every cell of it through the real endpoint (an allowed
  cell answers the endpoint's success status, a denied one `refusal(organisation)`, by default
  403 6005), expected from tests/matrix.py's hand-written rows, never from the tables.
"""

import re
import uuid

import pytest
from rest_framework.test import APIClient

from accessrules.api.endpoints import Endpoint
from accessrules.models import AccessLogEntry
from tests.conftest import error_codes
from tests.factories import BorgerFactory, StarFactory
from tests.matrix import EXPECTED, acting_organisation, citizen_in_relation, matrix_cases

SUBCLASSES: list[type] = []


class EndpointTests:
    endpoint: Endpoint

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        SUBCLASSES.append(cls)

    # --- what a subclass says ------------------------------------------------------------
    def prepare(self, borger, organisation):
        """Store what an allowed call on `borger` by `organisation` needs; return it."""
        return None

    def call(self, integrator, borger, prepared, headers=None):
        raise NotImplementedError

    def refusal(self, organisation) -> tuple[int, int]:
        """What a denied cell answers."""
        return 403, 6005

    def stored(self):
        """What a call could change (a denied cell changes none of it)."""
        return None

    # --- derived from the endpoint ---------------------------------------------------------
    @property
    def url(self) -> str:
        """The endpoint's URL; a path parameter (`<uuid:pk>`) is an id that names nothing."""
        return self.url_for(uuid.UUID(int=0))

    def url_for(self, pk) -> str:
        return "/v1/" + re.sub(r"<[^>]+>", str(pk), self.endpoint.path)

    @property
    def success(self) -> int:
        return next(status for status in self.endpoint.success if 200 <= status < 300)

    @property
    def scopes(self) -> list[str]:
        return [scope.navn for scope in self.endpoint.scopes]

    def allowed(self, integrator_for):
        """A STAR system client, which every table lets reach every citizen, and a citizen
        with what the call needs."""
        star = StarFactory()
        borger = BorgerFactory()
        integrator = integrator_for(star, scopes=self.scopes, system=True)
        return integrator, borger, self.prepare(borger, star)

    def assert_row(self, integrator, outcome: int, code: int | None) -> None:
        row = AccessLogEntry.objects.get()
        assert (row.handling, row.outcome, row.error_code, row.client) == (
            self.endpoint.operation,
            outcome,
            code,
            integrator.client,
        )

    # --- the tests -------------------------------------------------------------------------
    def pytest_generate_tests(self, metafunc):
        if "allowed" in metafunc.fixturenames:
            operation, cells = self.endpoint.operation, []
            if self.endpoint.access_table:
                missing = pytest.param(None, None, None, id="no-expected-row")
                cells = matrix_cases(operation) if operation in EXPECTED else [missing]
            metafunc.parametrize(("row", "level", "allowed"), cells)

    def test_without_a_token_is_401_and_not_logged(self, db):
        response = getattr(APIClient(), self.endpoint.method.lower())(self.url)
        assert response.status_code == 401
        assert error_codes(response) == [40100]
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert not AccessLogEntry.objects.exists()

    def test_a_token_without_its_scopes_is_403_40300_and_logged(self, integrator_for):
        integrator, borger, prepared = self.allowed(integrator_for)
        integrator = integrator_for(integrator.organisation, scopes=["an.unrelated.scope"])
        response = self.call(integrator, borger, prepared)
        assert (response.status_code, error_codes(response)) == (403, [40300])
        self.assert_row(integrator, 403, 40300)

    def test_a_malformed_organisation_header_is_1014_and_logged(self, integrator_for):
        integrator, borger, prepared = self.allowed(integrator_for)
        bad = {"x-activeOrganisationTypeIdentifier": "STAR"}
        response = self.call(integrator, borger, prepared, headers=bad)
        assert (response.status_code, error_codes(response)) == (400, [1014])
        assert response.json()["errors"][0]["field"] == "x-activeOrganisationTypeIdentifier"
        self.assert_row(integrator, 400, 1014)

    def test_an_answered_call_leaves_one_row(self, integrator_for):
        integrator, borger, prepared = self.allowed(integrator_for)
        response = self.call(integrator, borger, prepared)
        assert response.status_code == self.success, response.content
        self.assert_row(integrator, self.success, None)

    def test_cell(self, integrator_for, row, level, allowed):
        assert row is not None, f"{self.endpoint.operation}: write its row in tests/matrix.py"
        organisation, system = acting_organisation(row, level)
        borger = citizen_in_relation(level, organisation)
        prepared = self.prepare(borger, organisation)
        integrator = integrator_for(organisation, scopes=self.scopes, system=system)
        before = self.stored()
        response = self.call(integrator, borger, prepared)
        if allowed:
            assert response.status_code == self.success, response.content
        else:
            status, code = self.refusal(organisation)
            assert (response.status_code, error_codes(response)) == (status, [code])
            assert self.stored() == before
