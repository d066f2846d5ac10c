import pytest

from tests.borgerflytte.conftest import kommuner  # noqa: F401
from tests.conftest import ALL_SCOPES

SCOPES = [*ALL_SCOPES, "borgerindsats.abonnementer.write"]
URL = "/v1/Abonnementer"
CALLBACK = "https://modtager.example.dk/haendelser"


@pytest.fixture
def abonnent(integrator_for):
    """An integrator for `organisation` with a subscription to `typer` (default: all)."""

    def make(organisation, typer=None, callback=CALLBACK):
        integrator = integrator_for(organisation, SCOPES)
        body = {"callbackUrl": callback, "haendelsestyper": typer or ALLE_TYPER}
        response = integrator.call("post", URL, body)
        assert response.status_code == 201, response.content
        integrator.abonnement = response.json()
        return integrator

    return make


ALLE_TYPER = [
    "borgerflytning.oprettet",
    "borgerflytning.bekraeftet",
    "borgerflytning.afsluttet",
    "borgerflytning.annulleret",
    "asylovergivelse.oprettet",
    "asylovergivelse.aendret",
]
