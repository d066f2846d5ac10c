"""Rules as objects: each carries its codes, its stage and whether an operator may skip it.

A service runs its operation's rules with `kontroller(regler, kontekst)`; the same tuple is
named in the operation's spec, so the OpenAPI code list and `ret_asylovergivelse --force`
derive from it. Stages follow SPEC 4: the caller (403), then the message (400, every violation
together), then stored state (409, the first conflict), then the calls made after the write.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from accessrules.core.errors import DomainError, Violation


class Stage(IntEnum):
    KALDER = 1  # the caller may not name this (403)
    BESKED = 2  # the message's own rules (400): all reported together
    TILSTAND = 3  # stored state (409): the first conflict
    EFTER = 4  # after the write: calls to other services (502)


@dataclass(frozen=True)
class Regel:
    navn: str
    koder: tuple[int, ...]
    stage: Stage
    check: Callable[[Any], Iterable[Violation]]
    forceable: bool = False  # an operator may skip it (`--force CODE`), recorded in the history

    def __call__(self, kontekst) -> list[Violation]:
        return list(self.check(kontekst))


def kontroller(regler: Iterable[Regel], kontekst, *, force: frozenset[int] = frozenset()):
    """Raise DomainError with the violations of the first stage that fails (`force`: codes
    skipped). In the message stage every rule runs; elsewhere the first failing rule answers."""
    by_stage: dict[Stage, list[Regel]] = {}
    for regel in regler:
        by_stage.setdefault(regel.stage, []).append(regel)
    for stage in sorted(by_stage):
        found: list[Violation] = []
        for regel in by_stage[stage]:
            found += [v for v in regel(kontekst) if v.code not in force]
            if found and stage != Stage.BESKED:
                break
        if found:
            raise DomainError(*found)


def koder(regler: Iterable[Regel]) -> set[int]:
    return {code for regel in regler for code in regel.koder}


def forceable_koder(regler: Iterable[Regel]) -> tuple[int, ...]:
    return tuple(sorted({code for regel in regler if regel.forceable for code in regel.koder}))
