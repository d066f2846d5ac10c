import pytest

from accessrules.notifikationer import keepalive
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


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    from tests.accessrules.notifikationer.receiver import make_certificate

    return make_certificate(tmp_path_factory.mktemp("receiver"))


@pytest.fixture
def receiver(certificate, settings):
    """A receiver on loopback the service may reach: its network listed, its certificate
    the CA bundle (not DEBUG)."""
    from tests.accessrules.notifikationer.receiver import Receiver

    cert, key = certificate
    settings.NOTIFICATION_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
    settings.NOTIFICATION_CA_BUNDLE = str(cert)
    settings.NOTIFICATION_TIMEOUT_SECONDS = 2
    keepalive.POOL.clear()  # no connection kept from another test's receiver
    with Receiver(cert, key) as running:
        yield running
    keepalive.POOL.clear()
