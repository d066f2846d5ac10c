"""Kept-alive connections to a callback (accessrules.notifikationer.keepalive): the next
delivery to the same receiver needs no new connection; the address check still holds (a
connection kept under a policy that allowed the receiver is never used once it does not); a
connection the receiver closed while idle is replaced, and the delivery arrives."""

import pytest

from accessrules.models import Levering, LeveringStatus
from accessrules.notifikationer import keepalive, levering
from borgerflytte import services as flytte
from tests.borgerflytte.conftest import BorgerflytningFactory

# notifications need PostgreSQL (Procrastinate); on SQLite they are off: test_sqlite.py
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _deliveries(abonnent, kommuner, receiver, n):
    integrator = abonnent(kommuner["A"], callback=receiver.url())
    receiver.secrets = [integrator.abonnement["hemmelighed"]]
    for _ in range(n):
        flow = BorgerflytningFactory()
        flytte.annuller(flytning_id=flow.pk, begrundelse="fejl", af="test")
    return list(Levering.objects.order_by("pk"))


def test_deliveries_to_one_receiver_share_a_connection(abonnent, kommuner, receiver):
    found = _deliveries(abonnent, kommuner, receiver, 3)
    for lev in found:
        assert levering.proev(lev.pk, sidste=False) == LeveringStatus.LEVERET
    assert len(receiver.received) == 3
    assert receiver.connections == 1


def test_a_kept_connection_is_not_used_once_its_address_is_refused(
    abonnent, kommuner, receiver, settings
):
    first, second = _deliveries(abonnent, kommuner, receiver, 2)
    assert levering.proev(first.pk, sidste=False) == LeveringStatus.LEVERET
    settings.NOTIFICATION_ALLOWED_NETWORKS = []  # loopback no longer listed
    with pytest.raises(levering.IkkeLeveret, match="not allowed"):
        levering.proev(second.pk, sidste=False)
    assert (receiver.connections, len(receiver.received)) == (1, 1)


def test_a_connection_the_receiver_closed_is_replaced(abonnent, kommuner, receiver):
    first, second = _deliveries(abonnent, kommuner, receiver, 2)
    assert levering.proev(first.pk, sidste=False) == LeveringStatus.LEVERET
    [(kept, _)] = next(iter(keepalive.POOL.idle.values()))
    kept.sock.close()  # as if the receiver had closed it while idle, unseen by the pool
    assert levering.proev(second.pk, sidste=False) == LeveringStatus.LEVERET
    assert len(receiver.received) == 2 and receiver.connections == 2
