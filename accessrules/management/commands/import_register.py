import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from accessrules.core.tekst import first_unstorable, printable
from accessrules.register import RecordError, import_register


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


class Command(BaseCommand):
    help = (
        "Load a register document (JSON, see docs/operations.md) in one transaction: "
        "organisations, citizens and their relations, CVs, relocation flows. Upserts; a re-run "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the JSON document, or - for standard input")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count; write nothing"
        )

    def handle(self, *args, file, dry_run, **options):
        started = time.monotonic()
        document = _read(file)
        unstorable = first_unstorable(document)
        if unstorable is not None:
            raise CommandError(
                f"nothing was written: {printable(unstorable)}: a string with a lone surrogate "
                "or a NUL, which no stored text can hold"
            )
        try:
            stats = import_register(document, dry_run=dry_run, progress=self._progress)
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


def _read(file: str):
    """The parsed document; CommandError for a file that is not UTF-8 JSON (NaN, Infinity
    and nesting too deep for the parser included)."""
    try:
        if file == "-":
            return json.load(sys.stdin, parse_constant=_no_constant)
        with open(file, encoding="utf-8-sig") as handle:
            return json.load(handle, parse_constant=_no_constant)
    except OSError as exc:
        raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{file} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except RecursionError as exc:
        raise CommandError(f"{file} is not valid JSON: nested too deeply") from exc
    except ValueError as exc:  # JSONDecodeError included
        raise CommandError(f"{file} is not valid JSON: {exc}") from exc
