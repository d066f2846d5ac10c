"""One chunk of CPR events in one transaction: a few queries read what the rules need, the
rules decide each event in order against that state (a later event sees what an earlier one
changed), and the accepted changes and every receipt are written in bulk at the end.

Concurrency (PostgreSQL): the chunk's known citizens are locked first (FOR NO KEY UPDATE, in
id order, so two intakes queue on them rather than deadlock; a confirmation's inserts that
refer to the citizen are not blocked), then their waiting flows (FOR UPDATE: a confirmation in
flight finishes first, and a flow it closed is no longer waiting). Everything else is read
after the locks, so another intake's committed work on these citizens is seen, receipts
included. A new citizen or a receipt that another intake wrote meanwhile makes the bulk insert
fail on its unique key (or, with new citizens in opposite orders, deadlock); the caller then
rolls the chunk back and runs it again, and sees the other's work (see `modtag`).

The cost is a fixed number of statements per chunk (see `writes`).
"""

import datetime
import logging

from django.db.models import Q

from accessrules.core.bulk import any_of
from accessrules.core.cpr import NULL_CPR
from accessrules.core.errors import DomainError
from accessrules.models import Borger, Tilknytning
from borgerflytte.haendelser.haendelsesregler import SAMME_INDHOLD, Kontekst
from borgerflytte.haendelser.kommuner import Kommuneregister
from borgerflytte.haendelser.kvittering import Kvittering
from borgerflytte.haendelser.regler import Aendringer, Borgerdata, Periode, anvend
from borgerflytte.haendelser.resultat import Resultat
from borgerflytte.haendelser.validering import Haendelse
from borgerflytte.haendelser.writes import write_chunk
from borgerflytte.models import Borgerflytning, HaendelseKvittering, HaendelseStatus, Tilstand

logger = logging.getLogger(__name__)


class Chunk:
    def __init__(
        self,
        haendelser: list[Haendelse],
        *,
        kilde: str,
        register: Kommuneregister,
        now: datetime.datetime,
        today: datetime.date,
    ):
        self.haendelser, self.kilde, self.register = haendelser, kilde[:200], register
        self.now, self.today = now, today
        self.data: dict[str, Borgerdata] = {}
        self.kvitteringer: dict[str, Kvittering] = {}
        self.nye_kvitteringer: list[Kvittering] = []
        self.rettede_kvitteringer: dict[int, Kvittering] = {}
        self.aendringer = Aendringer()

    def load(self) -> None:
        cprs = sorted({h.cpr for h in self.haendelser if h.cpr != NULL_CPR})
        self.data = {cpr: Borgerdata() for cpr in cprs}
        locked = Borger.objects.select_for_update(no_key=True).filter(any_of("cpr", cprs))
        by_id = {}
        for borger in locked.order_by("pk"):
            self.data[borger.cpr].borger = borger
            by_id[borger.pk] = self.data[borger.cpr]
        if by_id:
            self._load_citizens(by_id)
        ids = {h.haendelse_id for h in self.haendelser}
        stored = HaendelseKvittering.objects.filter(any_of("haendelse_id", ids)).values_list(
            "haendelse_id", "fingeraftryk", "status", "pk", "borgerflytning_id"
        )
        self.kvitteringer = {
            haendelse_id: Kvittering(haendelse_id, fingeraftryk, status, pk, borgerflytning_id=flow)
            for haendelse_id, fingeraftryk, status, pk, flow in stored
        }

    def _load_citizens(self, by_id: dict[int, Borgerdata]) -> None:
        waiting = Borgerflytning.objects.select_for_update().filter(
            any_of("borger_id", by_id), tilstand=Tilstand.AFVENTER
        )
        for flow in waiting.order_by("pk"):
            by_id[flow.borger_id].afventende.append(flow)
        # a period that ended before both today and every date of the chunk decides nothing
        cutoff = min([self.today, *(h.dato for h in self.haendelser)])
        periods = (
            Tilknytning.objects.filter(any_of("borger_id", by_id))
            .filter(Q(til__isnull=True) | Q(til__gte=cutoff))
            .order_by("fra", "pk")
            .values_list("borger_id", "organisation_id", "fra", "til", "pk")
        )
        for borger_id, *columns in periods:
            period, data = Periode(*columns), by_id[borger_id]
            if period.organisation_id in self.register.jobcentre:
                data.jobcentre.append(period)
            elif self.register.er_bolig(period.organisation_id):
                data.boliger.append(period)

    def modtag(self, h: Haendelse) -> Resultat:
        """Decide one event: a replay is answered from its receipt; otherwise the rules run
        and the receipt records the result (a rejected event's is its only write)."""
        kvittering = self.kvitteringer.get(h.haendelse_id)
        if kvittering is not None:
            found = SAMME_INDHOLD(Kontekst(h, fingeraftryk=kvittering.fingeraftryk))
            if found:  # the id names another event
                logger.warning(
                    "CPR-hændelse %s sent again with other content: rejected", h.haendelse_id
                )
                return Resultat(h.haendelse_id, HaendelseStatus.AFVIST, errors=tuple(found))
            if kvittering.status == HaendelseStatus.BEHANDLET:
                return Resultat(
                    h.haendelse_id,
                    HaendelseStatus.ALLEREDE_BEHANDLET,
                    kvittering.borgerflytning_id,
                )
        data = self.data.get(h.cpr) or Borgerdata()  # NULL_CPR: nobody, rejected
        flow = None
        try:
            flow = anvend(h, data, self.aendringer, self.register, self.today)
        except DomainError as exc:
            errors = tuple(exc.violations)
            resultat = Resultat(h.haendelse_id, HaendelseStatus.AFVIST, errors=errors)
        else:
            flow_id = flow.pk if flow is not None else None
            resultat = Resultat(h.haendelse_id, HaendelseStatus.BEHANDLET, flow_id)
        self._kvitter(h, kvittering, resultat, data.borger, flow)
        return resultat

    def _kvitter(self, h, kvittering, resultat: Resultat, borger, flow) -> None:
        # the rule that found each violation, for the admin's explanation (never in the API)
        fejl = [{**v.as_dict(), **({"regel": v.regel} if v.regel else {})} for v in resultat.errors]
        if kvittering is None:
            kvittering = Kvittering(
                h.haendelse_id, h.fingeraftryk, type=h.type, indhold=h.indhold, modtaget=self.now
            )
            self.kvitteringer[h.haendelse_id] = kvittering
            self.nye_kvitteringer.append(kvittering)
        elif kvittering.pk is not None:  # rejected before, sent again: the latest result
            self.rettede_kvitteringer[kvittering.pk] = kvittering
        kvittering.status, kvittering.fejl = resultat.status.value, fejl
        kvittering.borger = borger
        kvittering.borgerflytning_id = flow.pk if flow is not None else None
        kvittering.resultat_tidspunkt, kvittering.kilde = self.now, self.kilde

    def write(self) -> None:
        """Every change of the accepted events, then every receipt (rejected ones too)."""
        write_chunk(
            self.aendringer,
            self.nye_kvitteringer,
            list(self.rettede_kvitteringer.values()),
            now=self.now,
        )
