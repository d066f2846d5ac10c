"""The events of a transition (SPEC 9) and who may see them: each subscribed organisation
that may read the transition under GetAsylOvergivelse's table (SPEC 3) at the moment of the
write. The subject is the transition's opaque id, never the citizen."""

from accessrules import access
from accessrules.access.tables import Operation
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError
from accessrules.models import Abonnement
from accessrules.notifikationer.haendelser import Haendelse, Haendelsestype, registrer
from asylovergivelse.models import Asylovergivelse

OPRETTET = Haendelsestype.ASYLOVERGIVELSE_OPRETTET
AENDRET = Haendelsestype.ASYLOVERGIVELSE_AENDRET


def _synlig_for(instance: Asylovergivelse):
    def synlig(abonnement: Abonnement) -> bool:
        caller = Caller(abonnement.organisation, client=abonnement.klient)
        try:
            access.require(caller, Operation.GET_ASYL, borger=instance.borger)
        except DomainError:
            return False
        return True

    return synlig


def registrer_asylovergivelse(instance: Asylovergivelse, type_: Haendelsestype) -> None:
    data = {
        "asylovergivelseId": str(instance.ekstern_id),
        "overgivelseskommunekode": instance.overgivelseskommunekode,
    }
    registrer([Haendelse(type_, str(instance.ekstern_id), data, _synlig_for(instance))])
