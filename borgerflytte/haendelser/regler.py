"""What a CPR event does to a citizen (SPEC 5a), decided on the citizen's data as read under
its row lock, and recorded in `Aendringer` to be written with the rest of the chunk.

Every rule that can reject an event is checked before anything is changed, so a rejected
event changes nothing: it leaves only its receipt. Periods are inclusive, so a residence that
ends the day before `flyttedato` and one that opens on it never share a day.

Where SPEC 5a is silent, decided here:
- The residences that end are all that would overlap the new one (open, or ending on or after
  `flyttedato`); a `flytning` is refused when any residence starts on or after `flyttedato`.
- A move whose ending residence is already in the new kommune (a new address within it) moves
  the residence and leaves the flows alone: it cancels none (a waiting flow still describes
  the move between kommuner) and opens none.
- The jobcentre affiliation that decides a new flow is open today (`til` empty or today or
  later), the latest started if several.
- An `indrejse` is refused (field `type`) when a residence is open on or after its `dato`.
- `0000000000` is refused with 1014 `cpr` for every type (a `doedsfald` too, not 1010).
- A `doedsfald` sets `doedsdato`, also over another date. A `flytning` more than
  `CPR_FLYTNING_MAX_DAYS_AHEAD` days after the day it is received (CPR registers at most four
  weeks ahead) or of a citizen with a `doedsdato` is rejected (SPEC 5a), before the kommune
  codes are looked at. `kontaktgruppe` left out of an `indrejse` leaves the citizen's as it is.
"""

import datetime
import logging
from dataclasses import dataclass, field

from accessrules.core.regler import kontroller
from accessrules.models import Borger, Organisation
from borgerflytte.haendelser import haendelsesregler as regelsaet
from borgerflytte.haendelser.haendelsesregler import Kontekst
from borgerflytte.haendelser.kommuner import Kommuneregister
from borgerflytte.haendelser.validering import DOEDSFALD, FLYTNING, INDREJSE, Haendelse
from borgerflytte.models import Borgerflytning

logger = logging.getLogger(__name__)

ONE_DAY = datetime.timedelta(days=1)


@dataclass(slots=True)
class Periode:
    """A residence or a jobcentre affiliation (a `Tilknytning` row) as the rules see it: a
    stored one's columns (`pk` set), or a new one's and its citizen, whose pk is known once
    the chunk's new citizens are written. Plain data: a chunk reads and makes one or two per
    event, and a model instance each cost more than the rules that read them."""

    organisation_id: int
    fra: datetime.date
    til: datetime.date | None = None
    pk: int | None = None
    borger: Borger | None = None


@dataclass
class Borgerdata:
    """One citizen as the rules see it: the row (None: not known yet), its residences and
    jobcentre affiliations that are open or end on or after the chunk's earliest date (older
    ones can decide nothing), and its waiting flows."""

    borger: Borger | None = None
    boliger: list[Periode] = field(default_factory=list)
    jobcentre: list[Periode] = field(default_factory=list)
    afventende: list[Borgerflytning] = field(default_factory=list)


@dataclass
class Aendringer:
    """The writes of a chunk's accepted events, in the order they must reach the database."""

    nye_borgere: list[Borger] = field(default_factory=list)
    rettede_borgere: dict[int, Borger] = field(default_factory=dict)
    rettede_felter: set[str] = field(default_factory=set)
    nye_tilknytninger: list[Periode] = field(default_factory=list)
    afsluttede: dict[int, Periode] = field(default_factory=dict)  # stored ones, new `til`
    nye_flytninger: list[tuple[Borgerflytning, str]] = field(default_factory=list)  # + reason
    annulleringer: list[tuple[Borgerflytning, str]] = field(default_factory=list)  # flow, af

    def borger(self, data: Borgerdata, cpr: str) -> Borger:
        if data.borger is None:
            data.borger = Borger(cpr=cpr)
            self.nye_borgere.append(data.borger)
        return data.borger

    def ret(self, borger: Borger, name: str, value) -> None:
        if getattr(borger, name) == value:
            return
        setattr(borger, name, value)
        if borger.pk is not None:  # a new one is written with its values
            self.rettede_borgere[borger.pk] = borger
            self.rettede_felter.add(name)

    def bolig(self, data: Borgerdata, borger: Borger, kommune: Organisation, fra) -> None:
        tilknytning = Periode(kommune.pk, fra, borger=borger)
        self.nye_tilknytninger.append(tilknytning)
        data.boliger.append(tilknytning)

    def afslut(self, tilknytning: Periode, til: datetime.date) -> None:
        tilknytning.til = til  # written with kilde CPR
        if tilknytning.pk is not None:
            self.afsluttede[tilknytning.pk] = tilknytning


def anvend(
    h: Haendelse, data: Borgerdata, aendringer: Aendringer, register: Kommuneregister, today
) -> Borgerflytning | None:
    """Apply the event to the citizen; the flow it opened, if any. DomainError, with nothing
    changed, when it is rejected (the rules of `haendelsesregler`)."""
    kontekst = Kontekst(h, data, register, today=today)
    kontroller((regelsaet.GYLDIG_CPR,), kontekst)
    if h.type == FLYTNING:
        kontroller(regelsaet.FLYTNING, kontekst)
        return _flytning(h, data, aendringer, register, today)
    if h.type == INDREJSE:
        kontroller(regelsaet.INDREJSE, kontekst)
        _indrejse(h, data, aendringer, register)
    elif h.type == DOEDSFALD:
        kontroller(regelsaet.DOEDSFALD, kontekst)
        aendringer.ret(data.borger, "doedsdato", h.dato)
    return None


def _flytning(h, data: Borgerdata, aendringer: Aendringer, register, today):
    ny = register.kommune(h.til_kommunekode)
    borger = aendringer.borger(data, h.cpr)
    ending = [b for b in data.boliger if b.til is None or b.til >= h.dato]
    current = max(ending, key=lambda b: b.fra, default=None)
    within = current is not None and current.organisation_id == ny.pk
    for bolig in ending:
        aendringer.afslut(bolig, h.dato - ONE_DAY)
    aendringer.bolig(data, borger, ny, h.dato)
    if within:  # a new address in the same kommune: the flows stay as they are
        return None

    af = f"CPR-hændelse {h.haendelse_id}"
    aendringer.annulleringer += [(waiting, af) for waiting in data.afventende]
    data.afventende = []
    fra = _jobcentrets_kommune(h, data, register, today)
    if fra is None:
        return None
    flow = Borgerflytning(
        borger=borger, fraflytningskommune=fra, tilflytningskommune=ny, flyttedato=h.dato
    )
    aendringer.nye_flytninger.append((flow, af[:100]))
    data.afventende.append(flow)
    return flow


def _jobcentrets_kommune(h, data: Borgerdata, register: Kommuneregister, today):
    """The kommune a flow opens from: that of the citizen's jobcentre affiliation (the most
    recently started open one), when it is not the new kommune and is in the register."""
    open_ = [j for j in data.jobcentre if j.til is None or j.til >= today]
    affiliation = max(open_, key=lambda j: (j.fra, j.pk or 0), default=None)
    if affiliation is None:
        return None
    number = register.kommune_af.get(affiliation.organisation_id)
    if number == h.til_kommunekode:
        return None  # back into the jobcentre's kommune
    kommune = register.kommune(number)
    if kommune is None:
        logger.warning(
            "CPR-hændelse %s: the kommune of jobcenter %s is not in the register;"
            " no borgerflytning opened",
            h.haendelse_id,
            register.koder.get(affiliation.organisation_id),
        )
    return kommune


def _indrejse(h, data: Borgerdata, aendringer: Aendringer, register) -> None:
    borger = aendringer.borger(data, h.cpr)
    if h.kontaktgruppe is not None:
        aendringer.ret(borger, "kontaktgruppe", h.kontaktgruppe)
    aendringer.bolig(data, borger, register.kommune(h.til_kommunekode), h.dato)
