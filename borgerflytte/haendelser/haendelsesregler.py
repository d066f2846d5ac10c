"""The rules that reject one CPR event (SPEC 5a) as `Regel` objects: each carries its code,
the field it names and what it means (Danish, for the admin), so a rejection tells its meaning
by its rule, not by the field of a 1014. `regler.anvend` runs them against the citizen's
locked state; the shape of an event is `validering.FORM`."""

import datetime
from dataclasses import dataclass

from django.conf import settings

from accessrules.core.cpr import NULL_CPR
from accessrules.core.errors import UNKNOWN_CPR, VALIDATION_FAILED, Violation, lookup
from accessrules.core.regler import Regel, Stage
from borgerflytte.haendelser.kommuner import Kommuneregister
from borgerflytte.haendelser.validering import FORM, Haendelse


@dataclass(frozen=True)
class Kontekst:
    h: Haendelse
    data: object = None  # regler.Borgerdata: the citizen as read under its row lock
    register: Kommuneregister | None = None
    fingeraftryk: str | None = None  # that of the stored receipt of the same id, if any
    today: datetime.date | None = None


def _gyldig_cpr(k: Kontekst):
    if k.h.cpr == NULL_CPR:  # passes the pattern, names nobody (SPEC 2)
        yield


def _fra_kommune_kendt(k: Kontekst):
    if k.register.kommune(k.h.fra_kommunekode) is None:  # informative, but known
        yield


def _til_kommune_kendt(k: Kontekst):
    if k.register.kommune(k.h.til_kommunekode) is None:
        yield


def _ikke_for_langt_frem(k: Kontekst):
    # SPEC 5a: CPR registers a move at most four weeks ahead (CPR_FLYTNING_MAX_DAYS_AHEAD)
    days = settings.CPR_FLYTNING_MAX_DAYS_AHEAD
    latest = k.today + datetime.timedelta(days=days)
    if k.h.dato > latest:
        detail = f"a move is registered at most {days} days ahead (latest {latest})"
        yield Violation(VALIDATION_FAILED, "flyttedato", detail)


def _levende_borger(k: Kontekst):
    if k.data.borger is not None and k.data.borger.doedsdato is not None:
        yield Violation(
            VALIDATION_FAILED,
            "cpr",
            "the citizen has a date of death: a dead citizen does not move",
        )


def _nyere_end_bopaelen(k: Kontekst):
    # not newer than the current (or an already registered future) residence: a correction of
    # CPR history is a caseworker's
    if any(bolig.fra >= k.h.dato for bolig in k.data.boliger):
        yield


def _ikke_bosat(k: Kontekst):
    # lives here already, on or after the date: that is a flytning
    if any(b.til is None or b.til >= k.h.dato for b in k.data.boliger):
        yield


def _kendt_borger(k: Kontekst):
    if k.data.borger is None:
        yield


def _samme_indhold(k: Kontekst):
    if k.fingeraftryk is not None and k.fingeraftryk != k.h.fingeraftryk:
        yield


GYLDIG_CPR = Regel(
    "CPR-nummeret kan bruges",
    (VALIDATION_FAILED,),
    Stage.BESKED,
    _gyldig_cpr,
    felt="cpr",
    forklaring="CPR-nummeret er ugyldigt eller kan ikke bruges.",
)
FRA_KOMMUNE_KENDT = Regel(
    "Fraflytningskommunen findes",
    (VALIDATION_FAILED,),
    Stage.BESKED,
    _fra_kommune_kendt,
    felt="fraKommunekode",
    forklaring="Fraflytningskommunen findes ikke i registret.",
)
TIL_KOMMUNE_KENDT = Regel(
    "Tilflytningskommunen findes",
    (VALIDATION_FAILED,),
    Stage.BESKED,
    _til_kommune_kendt,
    felt="tilKommunekode",
    forklaring="Tilflytningskommunen findes ikke i registret.",
)
IKKE_FOR_LANGT_FREM = Regel(
    "Flytningen ligger højst fire uger frem",
    (VALIDATION_FAILED,),
    Stage.BESKED,
    _ikke_for_langt_frem,
    felt="flyttedato",
    forklaring="Flytningen ligger for langt ude i fremtiden (CPR registrerer flytninger højst "
    "fire uger frem).",
)
LEVENDE_BORGER = Regel(
    "Borgeren lever",
    (VALIDATION_FAILED,),
    Stage.TILSTAND,
    _levende_borger,
    felt="cpr",
    forklaring="Borgeren er død: en død borger flytter ikke.",
)
NYERE_END_BOPAELEN = Regel(
    "Flytningen er nyere end bopælen",
    (VALIDATION_FAILED,),
    Stage.TILSTAND,
    _nyere_end_bopaelen,
    felt="flyttedato",
    forklaring="Flytningen er ikke nyere end borgerens nuværende bopæl "
    "(eller datoen er uden for det tilladte interval).",
)
IKKE_BOSAT = Regel(
    "Borgeren bor her ikke i forvejen",
    (VALIDATION_FAILED,),
    Stage.TILSTAND,
    _ikke_bosat,
    felt="type",
    forklaring="Borgeren bor her allerede: det er en flytning.",
)
KENDT_BORGER = Regel("Borgeren kendes", (UNKNOWN_CPR,), Stage.TILSTAND, _kendt_borger, felt="cpr")
SAMME_INDHOLD = Regel(
    "Hændelses-id'et nævner samme hændelse",
    (VALIDATION_FAILED,),
    Stage.BESKED,
    _samme_indhold,
    felt="haendelseId",
    forklaring="Hændelses-id'et er brugt af en anden hændelse.",
)

FLYTNING = (
    IKKE_FOR_LANGT_FREM,
    FRA_KOMMUNE_KENDT,
    TIL_KOMMUNE_KENDT,
    LEVENDE_BORGER,
    NYERE_END_BOPAELEN,
)
INDREJSE = (TIL_KOMMUNE_KENDT, IKKE_BOSAT)
DOEDSFALD = (KENDT_BORGER,)

REGLER: dict[str, Regel] = {
    regel.navn: regel
    for regel in (FORM, GYLDIG_CPR, *FLYTNING, *INDREJSE, *DOEDSFALD, SAMME_INDHOLD)
}


def forklaring(violation: Violation) -> str:
    """What a CPR event's violation means: its rule's explanation, else its code's."""
    regel = REGLER.get(violation.regel or "")
    return (regel and regel.forklaring) or lookup(violation.code).forklaring
