"""The one function that decides whether an organisation may reach a citizen (SPEC 3)."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings

from accessrules import errors
from accessrules.access.tables import (
    ALLE_LEVELS,
    ANDEN_AKTOER_LEVELS,
    TABLES,
    Level,
    Operation,
)
from accessrules.models import (
    AndenAktoerTildeling,
    ApiClient,
    Borger,
    Gaesteadgang,
    Organisation,
    OrganisationType,
    Tilknytning,
)

# Cheapest first: levels that need no query are tried before those that do.
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
class AccessDecision:
    granted: bool
    level: Level | None = None
    code: int | None = None  # the error code when not granted: 1010 or 6005


def grant_for(
    operation: Operation, organisation: Organisation, client: ApiClient | None
) -> frozenset[Level]:
    """The levels under which this caller may reach citizens for this operation."""
    table = TABLES[operation]
    levels = set(table.get(organisation.type, frozenset()))
    if organisation.type == OrganisationType.ANDEN_AKTOER:
        levels |= table.get(OrganisationType.JOBCENTER, frozenset()) & ANDEN_AKTOER_LEVELS
    else:
        levels -= ANDEN_AKTOER_LEVELS
    if client is None or not client.system:
        levels.discard(Level.SYSTEM_ALLE)
    return frozenset(levels)


class _Relations:
    """What holds between one organisation and one citizen today; each fact queried lazily."""

    def __init__(self, organisation: Organisation, borger: Borger, today: datetime.date):
        self.organisation, self.borger, self.today = organisation, borger, today

    @cached_property
    def _affiliation_ends(self) -> list[datetime.date | None]:
        window_start = self.today - datetime.timedelta(days=settings.TIDLIGERE_EGNE_BORGERE_DAYS)
        return list(
            Tilknytning.objects.filter(
                borger=self.borger, organisation=self.organisation, fra__lte=self.today
            )
            .exclude(til__lt=window_start)
            .values_list("til", flat=True)
        )

    def egne(self) -> bool:
        return any(til is None or til >= self.today for til in self._affiliation_ends)

    def tidligere_egne(self) -> bool:
        return any(til is not None and til < self.today for til in self._affiliation_ends)

    def gaest(self) -> bool:
        return (
            Gaesteadgang.objects.active_on(self.today)
            .filter(borger=self.borger, organisation=self.organisation)
            .exists()
        )

    def anden_aktoer_egne(self) -> bool:
        return (
            AndenAktoerTildeling.objects.active_on(self.today)
            .filter(borger=self.borger, anden_aktoer=self.organisation)
            .exists()
        )

    def holds(self, level: Level) -> bool:
        match level:
            case Level.ALLE | Level.AA_ALLE | Level.SYSTEM_ALLE:
                return True
            case Level.EGNE:
                return self.egne()
            case Level.TIDLIGERE_EGNE:
                return self.tidligere_egne()
            case Level.GAEST | Level.AA_GAEST:
                return self.gaest()
            case Level.AA_EGNE:
                return self.anden_aktoer_egne()
        raise AssertionError(level)


def decide(
    *,
    operation: Operation,
    organisation: Organisation,
    client: ApiClient | None,
    borger: Borger | None,
    today: datetime.date,
) -> AccessDecision:
    levels = grant_for(operation, organisation, client)
    if borger is None:
        code = errors.UNKNOWN_CPR if levels & ALLE_LEVELS else errors.CITIZEN_NOT_ACCESSIBLE
        return AccessDecision(granted=False, code=code)
    relations = _Relations(organisation, borger, today)
    for level in _LEVEL_ORDER:
        if level in levels and relations.holds(level):
            return AccessDecision(granted=True, level=level)
    return AccessDecision(granted=False, code=errors.CITIZEN_NOT_ACCESSIBLE)
