"""The subscription endpoints' shared tests (tests/endpoints.py, SPEC 9): 401, 403, 1014 and
their access-log rows. No seed table: a client reaches only its own subscriptions
(tests/accessrules/notifikationer)."""

import pytest

from accessrules.models import Abonnement
from accessrules.notifikationer import signering
from accessrules.notifikationer.api import endpoints
from tests.accessrules.notifikationer.conftest import CALLBACK
from tests.endpoints import EndpointTests

# notifications need PostgreSQL (Procrastinate); on SQLite they are off: test_sqlite.py
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BODY = {"callbackUrl": CALLBACK, "haendelsestyper": ["borgerflytning.oprettet"]}


class Abonnementer(EndpointTests):
    def call(self, integrator, borger, prepared, headers=None):
        return integrator.call(self.endpoint.method, self.url, headers=headers)


class OwnAbonnement(EndpointTests):
    """A call on a subscription of the calling client (made for it in `call`)."""

    def call(self, integrator, borger, prepared, headers=None):
        abonnement = Abonnement.objects.create(
            klient=integrator.client,
            organisation=integrator.organisation,
            callback_url=CALLBACK,
            haendelsestyper=["borgerflytning.oprettet"],
            hemmelighed=signering.ny_hemmelighed(),
        )
        return integrator.call(self.endpoint.method, self.url_for(abonnement.pk), headers=headers)


class TestOpret(Abonnementer):
    endpoint = endpoints.OPRET

    def call(self, integrator, borger, prepared, headers=None):
        return integrator.call("post", self.url, BODY, headers=headers)


class TestListe(Abonnementer):
    endpoint = endpoints.LISTE


class TestOphoer(OwnAbonnement):
    endpoint = endpoints.OPHOER


class TestNyHemmelighed(OwnAbonnement):
    endpoint = endpoints.NY_HEMMELIGHED


class TestHaendelser(OwnAbonnement):
    endpoint = endpoints.HAENDELSER
