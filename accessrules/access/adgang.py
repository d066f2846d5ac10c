"""The one access decision (SPEC 3): may this caller reach this citizen for this operation?

`require(caller, operation, cpr=... or borger=...)` returns the relation that grants access
(`Adgang`) or raises DomainError 1010 / 6005 naming the citizen once found (`borger`, for the
access log; `concerning` names it on the refusals that follow). The API, the admin and the
commands call it. The
citizen and every relation the caller's grant needs are read in one statement (an anden
aktør's assignments in a second, by CPR), so for a caller without an "alle borgere" level a
known and an unknown CPR cost the same statements and answer the same code.
"""

import contextlib
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accessrules.access.organisationstyper import (
    ORGANISATIONSTYPER,
    SEED_RAEKKER,
    kommunekode_for,
    organisationstype,
)
from accessrules.access.tables import ALLE_LEVELS, ANDEN_AKTOER_LEVELS, TABLES, Level, Operation
from accessrules.core import errors, reads
from accessrules.core.caller import Caller
from accessrules.core.cpr import NULL_CPR
from accessrules.core.errors import DomainError
from accessrules.models import (
    AndenAktoerTildeling,
    ApiClient,
    Borger,
    Gaesteadgang,
    Organisation,
    OrganisationType,
    Tilknytning,
)

# Cheapest first: levels that need no relation are tried before those that do.
_LEVEL_ORDER = [
    Level.ALLE,
    Level.SYSTEM_ALLE,
    Level.AA_ALLE,
    Level.EGNE,
    Level.AA_EGNE,
    Level.GAEST,
    Level.AA_GAEST,
    Level.TIDLIGERE_EGNE,
]


@dataclass(frozen=True)
class Adgang:
    """The citizen and the relation that granted access to it. `level` is None for a caller
    without an API client (a caseworker in the admin, an operator's command): no seed table
    applies to them; Django's permissions decide what they may do."""

    borger: Borger
    level: Level | None
    # For "Anden Aktør - egne borgere": the kommuner of the jobcentres that assigned the
    # citizen to this anden aktør (the municipalities it acts for, rule 9244).
    tildelt_af_kommuner: frozenset[str] = frozenset()


@contextlib.contextmanager
def concerning(borger: Borger | None):
    """A DomainError raised inside (a request id's reuse, a rule) names `borger`, the citizen
    the refused call concerned, for its access-log row."""
    try:
        yield
    except DomainError as refusal:
        if refusal.borger is None:
            refusal.borger = borger
        raise


def _refused(code: int, borger: Borger | None = None) -> DomainError:
    refusal = DomainError.of(code)
    refusal.borger = borger
    return refusal


def grant_for(
    operation: Operation, organisation: Organisation, client: ApiClient | None
) -> frozenset[Level]:
    """The levels under which this caller may reach citizens for this operation."""
    typ = organisationstype(organisation)
    row = TABLES[operation].get(SEED_RAEKKER[typ.tabel_raekke], frozenset())
    levels = {
        level for level in row if (level in ANDEN_AKTOER_LEVELS) == typ.kun_anden_aktoer_kolonner
    }
    if client is None or not client.system:
        levels.discard(Level.SYSTEM_ALLE)
    return frozenset(levels)


def require(
    caller: Caller,
    operation: Operation,
    *,
    cpr: str | None = None,
    borger: Borger | None = None,
    related: tuple[str, ...] = (),
    today: datetime.date | None = None,
) -> Adgang:
    """The relation by which `caller` reaches the citizen that `cpr` names (or `borger`, when
    the caller already holds it: a CPR that names another citizen is looked up), else
    DomainError 1010 / 6005. `related` is loaded with the citizen (select_related). Read on
    the primary, whatever the call reads elsewhere (issue 24: never access by a standby's
    stale residence)."""
    with reads.primary():
        return _require(caller, operation, cpr, borger, related, today)


def _require(caller, operation, cpr, borger, related, today) -> Adgang:
    today = today or timezone.localdate()
    if borger is not None and cpr not in (None, borger.cpr):
        borger = None
    if caller.client is None:  # a caseworker or an operator: no seed table
        found = borger or _citizens(cpr, related).first()
        if found is None:
            raise DomainError.of(errors.UNKNOWN_CPR)
        return Adgang(borger=found, level=None)
    levels = grant_for(operation, caller.organisation, caller.client)
    if not levels:
        raise DomainError.of(errors.CITIZEN_NOT_ACCESSIBLE)
    relations = relationer(levels, caller.organisation, today)
    if borger is None:
        found = _citizens(cpr, related).annotate(**relations).first()
    elif relations:  # the caller's instance, with the relations read now
        read = Borger.objects.filter(pk=borger.pk).annotate(**relations).first()
        for name in relations if read is not None else ():
            setattr(borger, name, getattr(read, name))
        found = borger if read is not None else None
    else:
        found = borger
    tildelt = _tildelt_af(levels, caller.organisation, cpr, found, today)
    if found is None:
        code = errors.UNKNOWN_CPR if levels & ALLE_LEVELS else errors.CITIZEN_NOT_ACCESSIBLE
        raise DomainError.of(code)
    for level in _LEVEL_ORDER:
        if level in levels and _holds(level, found, tildelt):
            return Adgang(borger=found, level=level, tildelt_af_kommuner=tildelt)
    raise _refused(errors.CITIZEN_NOT_ACCESSIBLE, found)


def require_alle(caller: Caller, operation: Operation) -> Level:
    """For an operation on citizens at large (the CPR event intake): the caller's grant must
    cover every citizen ("... alle borgere"), else DomainError 6005."""
    levels = grant_for(operation, caller.organisation, caller.client) & ALLE_LEVELS
    if caller.client is None or not levels:
        raise DomainError.of(errors.CITIZEN_NOT_ACCESSIBLE)
    return next(level for level in _LEVEL_ORDER if level in levels)


def _citizens(cpr: str | None, related: tuple[str, ...]) -> QuerySet:
    if cpr is None or cpr == NULL_CPR:  # 0000000000 names nobody
        return Borger.objects.none()
    return Borger.objects.select_related(*related).filter(cpr=cpr)


def relationer(
    levels: frozenset[Level], organisation: Organisation, today, outer: str = "pk"
) -> dict:
    """EXISTS subqueries for the relations the grant needs, read with the citizen (`outer`:
    the outer query's reference to the citizen; `restrict` names its own)."""
    return {
        name: Exists(rows.filter(borger=OuterRef(outer)))
        for name, rows in relationsraekker(levels, organisation, today).items()
    }


def relationsraekker(
    levels: frozenset[Level], organisation: Organisation, today, *, egne: list | None = None
) -> dict:
    """The rows (tilknytninger, gæsteadgange) behind each relation the grant needs, not yet
    tied to a citizen: `relationer` ties them to one (EXISTS), the admin's lists read their
    citizens as a set or probe them per row. `egne`: the organisations' ids of
    `egne_organisationer`, when read beforehand (lists: see there)."""
    found = {}
    mine = Tilknytning.objects.filter(_egne(organisation, egne))
    if Level.EGNE in levels:
        found["adgang_egne"] = mine.active_on(today)
    if Level.TIDLIGERE_EGNE in levels:
        window = today - datetime.timedelta(days=settings.TIDLIGERE_EGNE_BORGERE_DAYS)
        found["adgang_tidligere_egne"] = mine.filter(fra__lte=today, til__lt=today, til__gte=window)
    if levels & {Level.GAEST, Level.AA_GAEST}:
        guests = Gaesteadgang.objects.active_on(today)
        found["adgang_gaest"] = guests.filter(organisation=organisation)
    return found


def _egne(organisation: Organisation, egne: list | None = None) -> Q:
    """The relations (tilknytninger) that make a citizen the organisation's own (SPEC 3): an
    affiliation to it, or (a jobcentre) a residence in its kommune."""
    if egne is not None:
        return Q(organisation_id__in=egne)
    if not organisationstype(organisation).egne_via_bopael:
        return Q(organisation=organisation)
    # By the organisations' ids (a subquery on their small table), so that the relations are
    # read through their organisation index: a join to the organisations with an OR on their
    # columns scanned every relation of the country (7.5 million rows).
    return Q(organisation__in=_egne_organisationer(organisation).values("pk"))


def _egne_organisationer(organisation: Organisation) -> QuerySet:
    kommune = Q(type=OrganisationType.KOMMUNE, kode=kommunekode_for(organisation))
    return Organisation.objects.filter(Q(pk=organisation.pk) | kommune)


def egne_organisationer(organisation: Organisation) -> list:
    """The ids of the organisations whose relations make a citizen `organisation`'s own, read
    now (a jobcentre: itself and its kommune; one small query). A list that walks citizens
    and probes their relations needs them as values: with a subquery the planner cannot tell
    how many relations they have and builds a hash of all of them (810,000 for jobcentre
    10100) instead of probing the few rows it walks."""
    if not organisationstype(organisation).egne_via_bopael:
        return [organisation.pk]
    return list(_egne_organisationer(organisation).values_list("pk", flat=True))


def _tildelt_af(levels, organisation, cpr, borger, today) -> frozenset[str]:
    """For an anden aktør: the kommuner of the jobcentres that assigned it the citizen. Read
    by CPR, so that a known and an unknown CPR cost the same."""
    if Level.AA_EGNE not in levels:
        return frozenset()
    assignments = AndenAktoerTildeling.objects.active_on(today).filter(anden_aktoer=organisation)
    if borger is not None:
        assignments = assignments.filter(borger=borger)
    elif cpr is not None:
        assignments = assignments.filter(borger__cpr=cpr)
    else:
        return frozenset()
    kommune_of = ORGANISATIONSTYPER[OrganisationType.JOBCENTER].kommunekode
    return frozenset(
        kommune_of(kode) for kode in assignments.values_list("jobcenter__kode", flat=True)
    )


def _holds(level: Level, borger: Borger, tildelt: frozenset[str]) -> bool:
    match level:
        case Level.ALLE | Level.AA_ALLE | Level.SYSTEM_ALLE:
            return True
        case Level.EGNE:
            return borger.adgang_egne
        case Level.TIDLIGERE_EGNE:
            return borger.adgang_tidligere_egne
        case Level.GAEST | Level.AA_GAEST:
            return borger.adgang_gaest
        case Level.AA_EGNE:
            return bool(tildelt)
    raise AssertionError(level)
