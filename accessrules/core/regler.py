"""Rules as objects: each carries its codes, its stage and whether an operator may skip it.

A service runs its operation's rules with `kontroller(regler, kontekst)`; the same tuple is
named in the operation's spec, so the OpenAPI code list and `ret_asylovergivelse --force`
derive from it. Stages follow SPEC 4: the caller (403), then the message (400, every violation
together), then stored state (409, the first conflict), then the calls made after the write.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any

from accessrules.core.errors import DomainError, Violation, lookup


class Stage(IntEnum):
    KALDER = 1  # the caller may not name this (403)
    BESKED = 2  # the message's own rules (400): all reported together
    TILSTAND = 3  # stored state (409): the first conflict
    EFTER = 4  # after the write: calls to other services (502)


# What a check yields for each violation it finds: the field at fault (or None) for the
# rule's one code, a code of the rule (for a rule of several codes), or a whole Violation.
Fund = str | int | Violation | None


@dataclass(frozen=True)
class Regel:
    """A rule. Its code(s) are written here and nowhere else: a check yields what it found
    (`Fund`) and the rule makes the Violation, so a check cannot name a code of another rule.
    The code's text and Danish explanation are its row in `accessrules.core.errors`;
    `forklaring` is for a rule whose code is shared (1014) and so says too little alone."""

    navn: str
    koder: tuple[int, ...]
    stage: Stage
    check: Callable[[Any], Iterable[Fund]]
    forceable: bool = False  # an operator may skip it (`--force CODE`), recorded in the history
    felt: str | None = None  # the field its violations name when the check names none
    forklaring: str | None = None  # Danish: what a violation of this rule means

    def __post_init__(self) -> None:
        for code in self.koder:
            lookup(code)  # KeyError: a rule's code must be in the registry

    @property
    def kode(self) -> int:
        """The rule's code (a rule of several codes has none)."""
        if len(self.koder) != 1:
            raise TypeError(f"{self.navn} has {len(self.koder)} codes")
        return self.koder[0]

    def brud(self, fund: Fund = None) -> Violation:
        """The violation of this rule that `fund` describes."""
        if isinstance(fund, Violation):
            violation = fund
        elif isinstance(fund, int):
            violation = Violation(fund, self.felt)
        else:
            violation = Violation(self.kode, fund or self.felt)
        if violation.code not in self.koder:
            raise ValueError(f"{self.navn} has no code {violation.code}")
        return replace(violation, regel=self.navn)

    def fejl(self, fund: Fund = None) -> DomainError:
        """The refusal of this one rule."""
        return DomainError(self.brud(fund))

    def __call__(self, kontekst) -> list[Violation]:
        return [self.brud(fund) for fund in self.check(kontekst)]


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
