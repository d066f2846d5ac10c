import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from accessrules.core.tekst import printable
from accessrules.register import RecordError, import_register
from accessrules.register.stream import DocumentError, JsonFile


class Command(BaseCommand):
    help = (
        "Load a register document (JSON, see docs/operations.md) in one transaction: "
        "organisations, citizens and their relations, CVs, relocation flows. Upserts; a re-run "
        "changes nothing. Streamed: memory does not grow with the document."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the JSON document, or - for standard input")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count; write nothing"
        )

    def handle(self, *args, file, dry_run, **options):
        started = time.monotonic()
        try:
            handle = sys.stdin.buffer if file == "-" else open(file, "rb")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        try:
            with handle:
                stats = import_register(JsonFile(handle), dry_run=dry_run, progress=self._progress)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        except DocumentError as exc:
            raise CommandError(f"{file} {exc}") from exc
        except RecordError as exc:
            raise CommandError(f"nothing was written: {printable(str(exc))}") from exc
        except DatabaseError as exc:
            raise CommandError(f"nothing was written: the database refused a row: {exc}") from exc
        elapsed = time.monotonic() - started
        verb = "would be" if dry_run else "were"
        lines = [f"  {kind}: {count}" for kind, count in sorted(stats.items())]
        self.stdout.write("\n".join([f"Records that {verb} loaded ({elapsed:.1f}s):", *lines]))
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")

    def _progress(self, message: str) -> None:
        self.stderr.write(printable(message))
