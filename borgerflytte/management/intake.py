"""Pass 2 of `indlaes_cpr_haendelser`: a checked file's events applied through the intake
(`anvend_haendelser`), on this process or on several at once.

With `workers` > 1 the file is applied by that many forked processes. Each reads the whole
file and applies, in the file's order, the events of its share of the citizens (a hash of
the CPR), so a citizen's events keep their order. The rules relate only the events of one
citizen, so the outcome is the one-process outcome but for events of different citizens
that share a `haendelseId`: the first to commit is applied, the other answered as that id's
other content. The processes parse the JSON while the others wait on the database, and
so use more than one core. Each reports to this one through a pipe: counts per chunk, the
rejected events to name, and how it ended. One that fails or dies does not stop the
others; what it applied stays applied (sent again, those are `allerede behandlet`), and
this process raises CommandError after the last has ended.
"""

import collections
import multiprocessing
import time
import zlib
from multiprocessing.connection import wait

from django.core.cache import caches
from django.core.management.base import CommandError
from django.db import DatabaseError, connections

from accessrules.core.errors import DomainError
from accessrules.core.masking import mask_cpr_text
from borgerflytte.haendelser import anvend_haendelser, laes_haendelse
from borgerflytte.haendelser.stream import StreamError, read_events
from borgerflytte.models import HaendelseStatus

PROGRESS_EVERY = 5000
SHOWN = 100  # malformed or rejected events named one by one; the rest counted


def rejected(where: str, result) -> str:
    """The line naming a rejected event (its place in the file, its id, its errors)."""
    return f"{where} ({result.haendelse_id}): afvist: " + "; ".join(map(str, result.errors))


class Tally:
    """The counts of a run, its progress lines and the rejected events it names (the first
    SHOWN), on `stderr` (a management command's)."""

    def __init__(self, stderr, *, total: int, started: float):
        self.stderr, self.total, self.started = stderr, total, started
        self.counts: collections.Counter = collections.Counter()
        self.named = 0

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    def record(self, where: str, result) -> None:
        if result.status == HaendelseStatus.AFVIST:
            self.name(rejected(where, result))
        self.add({result.status: 1})

    def name(self, line: str) -> None:
        self.named += 1
        if self.named <= SHOWN:
            self.stderr.write(line)

    def add(self, counts) -> None:
        before = self.done // PROGRESS_EVERY
        self.counts.update(counts)
        if self.done // PROGRESS_EVERY > before:
            rate = self.done / max(time.monotonic() - self.started, 1e-9)
            self.stderr.write(f"{self.done}/{self.total} events ({rate:.0f}/s)")


def apply(handle, tally: Tally, *, kilde: str, chunk_size: int, share=None) -> None:
    """Apply the events of `handle` (checked by pass 1) in order, each result into `tally`;
    with `share` (index, workers), only the events of that share of the citizens."""
    wheres = collections.deque()

    def events():
        for item in read_events(handle):
            if share is not None and share_of(item.value, share[1]) != share[0]:
                continue
            try:
                haendelse = laes_haendelse(item.value, item.felt)
            except DomainError:
                raise CommandError(f"{item.where} changed while the file was read") from None
            wheres.append(item.where)
            yield haendelse

    try:
        for result in anvend_haendelser(haendelser=events(), kilde=kilde, chunk_size=chunk_size):
            tally.record(wheres.popleft(), result)
    except StreamError as exc:
        raise CommandError(f"the file changed while it was read: {exc}") from exc
    except DatabaseError as exc:
        raise CommandError(
            f"stopped by a database error after {tally.done} events (unless --dry-run, those "
            f"were applied; sent again they are allerede behandlet): {mask_cpr_text(str(exc))}"
        ) from exc


def share_of(value, workers: int) -> int:
    """The worker (0 to workers - 1) whose share of the citizens an event's CPR is in."""
    cpr = value.get("cpr") if isinstance(value, dict) else None
    return zlib.crc32(str(cpr).encode()) % workers


def apply_in_workers(path: str, tally: Tally, *, workers: int, kilde: str, chunk_size: int):
    """`apply` on `workers` forked processes, each its share of the file at `path`."""
    connections.close_all()  # each process opens its own
    caches.close_all()
    context = multiprocessing.get_context("fork")
    pipes, processes, failures = {}, [], []
    for index in range(workers):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_worker,
            args=(sender, path, (index, workers), kilde, chunk_size),
            name=f"indlaes_cpr_haendelser worker {index + 1}/{workers}",
        )
        process.start()
        sender.close()
        pipes[receiver] = process
        processes.append(process)
    try:
        while pipes:
            for receiver in wait(list(pipes)):
                try:
                    kind, *message = receiver.recv()
                except EOFError:  # it ended without a word: killed, or it crashed
                    process = pipes.pop(receiver)
                    process.join()
                    failures.append(f"{process.name} ended with exit code {process.exitcode}")
                    continue
                if kind == "counts":
                    counts, named = message
                    for line in named:
                        tally.name(line)
                    tally.add(counts)
                elif kind == "failed":
                    failures.append(f"{pipes[receiver].name}: {message[0]}")
                    pipes.pop(receiver).join()
                else:  # done
                    pipes.pop(receiver).join()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join()
    if failures:
        raise CommandError(
            f"{len(failures)} of {workers} workers stopped; what they and the others applied "
            "was kept (sent again, those are allerede behandlet): " + "; ".join(failures)
        )


class _Forward:
    """A worker's Tally: counts and named rejections go to the parent once per chunk."""

    def __init__(self, sender, chunk_size: int):
        self.sender, self.chunk_size = sender, chunk_size
        self.counts: collections.Counter = collections.Counter()
        self.named: list[str] = []
        self.done = self.shown = 0

    def record(self, where: str, result) -> None:
        self.done += 1
        self.counts[result.status] += 1
        if result.status == HaendelseStatus.AFVIST and self.shown < SHOWN:
            self.shown += 1
            self.named.append(rejected(where, result))
        if sum(self.counts.values()) >= self.chunk_size:
            self.flush()

    def flush(self) -> None:
        if self.counts or self.named:
            self.sender.send(("counts", dict(self.counts), self.named))
        self.counts, self.named = collections.Counter(), []


def _worker(sender, path: str, share, kilde: str, chunk_size: int) -> None:
    forward = _Forward(sender, chunk_size)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            apply(handle, forward, kilde=kilde, chunk_size=chunk_size, share=share)
    except CommandError as exc:
        forward.flush()
        sender.send(("failed", str(exc)))
    else:
        forward.flush()
        sender.send(("done",))
    finally:
        connections.close_all()
        sender.close()
