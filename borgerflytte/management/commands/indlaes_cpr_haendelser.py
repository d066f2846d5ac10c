"""`indlaes_cpr_haendelser FILE|-`: apply a file of CPR events through the intake (SPEC 5a).

The file is read twice, streamed both times: first every event's shape is checked, and a
file with a malformed event (bad JSON, not an event, a wrong type, pattern, length or date, a
string no stored text can hold: a lone surrogate such as `\\ud800`, or a NUL) is refused
whole, each bad one named, before anything is applied, as the API refuses such a batch (400
1014); then the events are applied in order, in chunks (`borgerflytte.management.intake`;
with `--workers N`, by N processes, each the events of its share of the citizens in order).
Standard input is copied to a temporary file for the two readings. An event the rules
reject (afvist) does not stop the others; the command exits non-zero after the last one when
any was rejected.
"""

import collections
import contextlib
import os
import shutil
import sys
import tempfile
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accessrules.core.tekst import printable
from borgerflytte.haendelser import CHUNK_SIZE, valider_haendelse
from borgerflytte.haendelser.stream import StreamError, read_events
from borgerflytte.management import intake
from borgerflytte.management.intake import SHOWN
from borgerflytte.models import HaendelseStatus


class Command(BaseCommand):
    help = (
        'Apply CPR events from FILE (or - for standard input): the document {"haendelser": '
        "[...]} or one event per line (JSON Lines). A malformed event refuses the whole file; "
        "exits non-zero when an event was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the events, or - for standard input")
        parser.add_argument(
            "--dry-run", action="store_true", help="apply and report, then roll everything back"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes applying events at once, each those of its share of the citizens "
            "in the file's order (default 1: the whole file in order)",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help=f"events per transaction (default {CHUNK_SIZE})",
        )

    def handle(self, *args, file, dry_run, workers, chunk_size, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1")
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        if workers > 1 and dry_run:
            raise CommandError("--dry-run rolls back one transaction: use it with --workers 1")
        kilde = "indlaes_cpr_haendelser" + ("" if file == "-" else f" {os.path.basename(file)}")
        with _opened(file) as (handle, path):
            total = self._check(handle)
            handle.seek(0)
            started = time.monotonic()
            tally = intake.Tally(self.stderr, total=total, started=started)
            if workers > 1:
                intake.apply_in_workers(
                    path, tally, workers=workers, kilde=kilde, chunk_size=chunk_size
                )
            else:
                with transaction.atomic() if dry_run else contextlib.nullcontext():
                    intake.apply(handle, tally, kilde=kilde, chunk_size=chunk_size)
                    if dry_run:
                        transaction.set_rollback(True)
        counts = tally.counts
        self._report(counts, started=started, dry_run=dry_run)
        rejected = counts[HaendelseStatus.AFVIST]
        if rejected:
            others = "nothing was kept (dry run)" if dry_run else "the others were applied"
            raise CommandError(f"{rejected} event(s) rejected (afvist); {others}")

    def _check(self, handle) -> int:
        """Pass 1: the shape of every event. Returns their number; CommandError naming the
        malformed ones (nothing has been applied)."""
        total, bad = 0, []
        try:
            for item in read_events(handle):
                total += 1
                if item.error is not None:
                    bad.append(f"{item.where}: {item.error}")
                    continue
                violations = valider_haendelse(item.value, item.felt)
                if violations:
                    fields = ", ".join(v.field or "the event" for v in violations)
                    bad.append(f"{item.where}: 1014 Failed to validate message ({fields})")
        except StreamError as exc:
            bad.append(str(exc))
        except UnicodeDecodeError as exc:
            bad.append(f"not UTF-8 text ({exc.reason} at byte {exc.start} of a read)")
        if bad:
            shown = bad[:SHOWN] + ([f"... and {len(bad) - SHOWN} more"] if len(bad) > SHOWN else [])
            self.stderr.write(printable("\n".join(shown)))
            raise CommandError(f"{len(bad)} malformed event(s): nothing was applied")
        return total

    def _report(self, counts: collections.Counter, *, started: float, dry_run: bool) -> None:
        elapsed = time.monotonic() - started
        done = sum(counts.values())
        rate = done / elapsed if elapsed > 0 else 0
        lines = [f"{done} CPR events in {elapsed:.1f}s ({rate:.0f}/s):"]
        lines += [f"  {status.value}: {counts[status]}" for status in HaendelseStatus]
        if dry_run:
            lines.append("Dry run: everything was rolled back.")
        self.stdout.write("\n".join(lines))


@contextlib.contextmanager
def _opened(file: str):
    """The file as seekable UTF-8 text (a BOM skipped) and its path; standard input via a
    temporary file (a path too, for workers to open)."""
    if file != "-":
        try:
            handle = open(file, encoding="utf-8-sig")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        with handle:
            yield handle, file
        return
    with tempfile.NamedTemporaryFile() as spool:
        source = getattr(sys.stdin, "buffer", None)
        if source is not None:
            shutil.copyfileobj(source, spool)
        else:  # a text stream (tests)
            for text in iter(lambda: sys.stdin.read(1 << 16), ""):
                spool.write(text.encode())
        spool.seek(0)
        spool.flush()
        with open(spool.name, encoding="utf-8-sig") as handle:
            yield handle, spool.name
