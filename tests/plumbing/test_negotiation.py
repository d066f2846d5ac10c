"""Content negotiation (accessrules.api.negotiation): DRF's answers, with a short cut."""

import pytest
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from accessrules.api.negotiation import FirstRendererForAnyNegotiation
from tests.conftest import error_codes
from tests.factories import BorgerFactory, StarFactory

URL = "/v1/Asylovergivelse"


@pytest.mark.parametrize("accept", [None, "*/*", " */* ", "application/json", "text/html"])
@pytest.mark.parametrize("renderers", [[JSONRenderer()], [BrowsableAPIRenderer(), JSONRenderer()]])
def test_the_same_choice_as_drf(accept, renderers):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get("/x", **headers))

    def choice(negotiation):
        try:
            return negotiation.select_renderer(request, renderers)
        except NotAcceptable:
            return "406"

    assert choice(FirstRendererForAnyNegotiation()) == choice(DefaultContentNegotiation())


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["*/*", "application/json", "application/*;q=0.5"])
def test_json_for_what_integrators_send(integrator_for, accept):
    borger = BorgerFactory()
    response = integrator_for(StarFactory()).call(
        "get", URL, headers={"x-civilRegistrationIdentifier": borger.cpr, "Accept": accept}
    )
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")


@pytest.mark.django_db
def test_an_accept_header_nothing_fits_is_406(integrator_for):
    borger = BorgerFactory()
    response = integrator_for(StarFactory()).call(
        "get", URL, headers={"x-civilRegistrationIdentifier": borger.cpr, "Accept": "text/xml"}
    )
    assert response.status_code == 406
    assert error_codes(response) == [40600]
