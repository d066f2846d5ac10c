"""The CPR event intake (SPEC 5a): the one way moves, first registrations and deaths reach
the service, for the API, the command and the admin alike.

Events are applied in the order given, in chunks of CHUNK_SIZE, one transaction each (a
savepoint when the caller holds a transaction already). Each event is atomic on its own: the
rules decide it against the locked state before it changes anything, so a rejected event
writes nothing but its receipt and does not stop the others, and an accepted one's writes
commit together with its receipt. A chunk that loses a race with another intake (the same
new citizen or `haendelseId` committed meanwhile, or a deadlock) is rolled back whole and run
again, and then sees the other's work: a replay answers `allerede behandlet`.
"""

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from accessrules.core.errors import DomainError
from borgerflytte.haendelser.chunk import Chunk
from borgerflytte.haendelser.kommuner import Kommuneregister
from borgerflytte.haendelser.resultat import Resultat
from borgerflytte.haendelser.validering import (
    Haendelse,
    laes_gyldig,
    laes_haendelse,
    valider_haendelse,
)

logger = logging.getLogger(__name__)

# Events per transaction: its statements are per chunk, so larger chunks save little (100,000
# moves: 30 s in chunks of 500, 28 s in chunks of 2,000; bench/cpr_haendelser.py), while a
# chunk holds its citizens' row locks until it commits.
CHUNK_SIZE = 500
ATTEMPTS = 5
# unique_violation (a concurrent intake committed the same citizen or receipt first),
# deadlock_detected, serialization_failure (PostgreSQL's codes)
_RETRYABLE_SQLSTATES = {"23505", "40P01", "40001"}


def modtag_haendelse(*, haendelse: Mapping | Haendelse, kilde: str) -> Resultat:
    """Apply one event; DomainError (1014 with the fields at fault) when it is malformed."""
    if not isinstance(haendelse, Haendelse):
        haendelse = laes_haendelse(haendelse)
    return next(anvend_haendelser(haendelser=[haendelse], kilde=kilde))


def modtag_haendelser(*, haendelser: Sequence[Mapping | Haendelse], kilde: str) -> list[Resultat]:
    """Apply a batch, a result per event in order. Every event not read yet (a mapping, not a
    `Haendelse`) is checked first, once: a malformed one refuses the whole batch (DomainError
    with every violation, fields `haendelser[i].<key>`) and nothing is applied or stored."""
    violations = []
    for index, raw in enumerate(haendelser):
        if not isinstance(raw, Haendelse):
            violations += valider_haendelse(raw, f"haendelser[{index}]")
    if violations:
        raise DomainError(*violations)
    parsed = [raw if isinstance(raw, Haendelse) else laes_gyldig(raw) for raw in haendelser]
    return list(anvend_haendelser(haendelser=parsed, kilde=kilde))


def anvend_haendelser(
    *, haendelser: Iterable[Haendelse], kilde: str, chunk_size: int = CHUNK_SIZE
) -> Iterator[Resultat]:
    """Apply well-formed events, streamed: the results of each chunk once it has committed.
    `kilde` names who delivered them (an API client, the command, an admin user)."""
    register = Kommuneregister.load()
    events = iter(haendelser)
    while chunk := list(islice(events, chunk_size)):
        yield from _modtag_chunk(chunk, kilde=kilde, register=register)


def _modtag_chunk(chunk: list[Haendelse], *, kilde: str, register) -> list[Resultat]:
    attempt = 1
    while True:
        try:
            with transaction.atomic():
                part = Chunk(
                    chunk,
                    kilde=kilde,
                    register=register,
                    now=timezone.now(),
                    today=timezone.localdate(),
                )
                part.load()
                results = [part.modtag(h) for h in chunk]
                part.write()
            return results
        except (IntegrityError, OperationalError) as exc:
            if attempt >= ATTEMPTS or not _lost_a_race(exc):
                raise
            attempt += 1
            logger.info("CPR-hændelser: a concurrent intake won a race; chunk run again")


def _lost_a_race(exc: Exception) -> bool:
    """A unique key taken by a concurrent intake's commit (the chunk run again sees it), or a
    deadlock or serialization failure. Anything else (another constraint, another database)
    is not retried."""
    return getattr(exc.__cause__, "sqlstate", None) in _RETRYABLE_SQLSTATES
