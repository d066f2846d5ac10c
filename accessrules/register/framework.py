import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from accessrules.core.dates import DATE_MAX, DATE_MIN, strict_iso_date
from accessrules.core.tekst import first_unstorable
from accessrules.models import Organisation

CHUNK_SIZE = 10_000  # records a loader gets at a time (a section `whole` gets all at once)

# key -> (order, loader(records: list, ctx, start), whole); lower order loads first.
_SECTIONS: dict[str, tuple[int, Callable, bool]] = {}
# key on a citizen -> what its value becomes (see borger_field)
_BORGER_FIELDS: dict[str, "BorgerField"] = {}


class RecordError(Exception):
    """An invalid record; `where` names it, e.g. `borgere[17].tilknytninger[0]`."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where, self.message = where, message


def section(key: str, *, order: int, whole: bool = False):
    """Register a top-level section's loader: `loader(records, ctx, start)` gets the records
    CHUNK_SIZE at a time (`start`: the index of the first, for the names of errors), or all of
    them at once with `whole` (a small section that checks them together)."""

    def register(loader: Callable) -> Callable:
        _SECTIONS[key] = (order, loader, whole)
        return loader

    return register


@dataclass(frozen=True)
class BorgerField:
    """A key on a citizen whose value (with `many`: each item of its list) is one row of
    `model`, upserted by `key` (which names borger_id). `row(value, where, ctx)` checks the
    value and returns the row's attributes but borger_id, or raises RecordError."""

    name: str
    kind: str
    model: type
    key: tuple[str, ...]
    row: Callable
    many: bool = False
    # stored row -> why the import must leave it as it is (None: it may update it)
    protected: Callable | None = None


def borger_field(
    name: str,
    *,
    kind: str,
    model,
    key: tuple[str, ...],
    many: bool = False,
    protected: Callable | None = None,
):
    """Register a per-citizen key (see BorgerField); the citizens' loader does the rest: one
    lookup for citizens that existed (none for those the import creates), one COPY."""

    def register(row: Callable) -> Callable:
        _BORGER_FIELDS[name] = BorgerField(name, kind, model, key, row, many, protected)
        return row

    return register


def borger_fields() -> dict[str, BorgerField]:
    return dict(_BORGER_FIELDS)


@dataclass
class ImportContext:
    dry_run: bool = False
    progress: Callable[[str], None] | None = None
    stats: Counter = field(default_factory=Counter)
    _organisations: dict[str, Organisation] | None = None
    # section -> its records in the document (for the progress lines)
    totals: dict[str, int] = field(default_factory=dict)
    _seen: "SeenKeys | None" = None

    def first_time(self, kind: str, keys: list[tuple[str, str]]) -> None:
        """(where, key) pairs of one chunk, keys unique within it: RecordError for a key an
        earlier chunk of this import had (see SeenKeys)."""
        if self._seen is None:
            self._seen = SeenKeys()
        self._seen.add(kind, keys)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        """outcome: created, updated, unchanged or left (see `leave`)."""
        if n:
            self.stats[f"{kind} {outcome}"] += n

    def organisation(self, reference: object, where: str, field: str = "") -> Organisation:
        """The organisation named `TYPE:CODE`, loaded or already in the database. An error
        names `where`, or `where.field`."""
        if self._organisations is None:
            self._organisations = {o.reference: o for o in Organisation.objects.all()}
        try:
            return self._organisations[reference]
        except (KeyError, TypeError):  # TypeError: not hashable, e.g. a list
            where = f"{where}.{field}" if field else where
            raise RecordError(
                where, f"unknown organisation {reference!r} (expected TYPE:CODE)"
            ) from None

    def forget_organisations(self) -> None:
        self._organisations = None

    def leave(self, kind: str, where: str, reason: str) -> None:
        """A stored record the document would change, left as it is (SPEC 7: the import never
        changes what a CPR event or a completed flow has changed); counted and reported."""
        self.count(kind, "left")
        self.report(f"{where}: left as it is ({reason})")

    def report(self, message: str) -> None:
        if self.progress:
            self.progress(message)


def require_list(value: object, where: str) -> list:
    if not isinstance(value, list):
        raise RecordError(where, "must be a list")
    return value


def require_object(value: object, where: str, allowed: set[str], required: set[str]) -> dict:
    if not isinstance(value, dict):
        raise RecordError(where, "must be an object")
    if not value.keys() <= allowed:
        raise RecordError(where, f"unknown key(s) {sorted(value.keys() - allowed)}")
    for key in required:
        if value.get(key) is None:
            missing = sorted(k for k in required if value.get(k) is None)
            raise RecordError(where, f"missing {missing}")
    return value


def parse_date(
    value: object, where: str, *, optional: bool = False, field: str | None = None
) -> datetime.date | None:
    """A date YYYY-MM-DD within SPEC 8's range (`accessrules.core.dates`); the error names
    `where`, or `where.field` (built only then)."""
    parsed = strict_iso_date(value)
    if parsed is not None:
        return parsed
    if value is None and optional:
        return None
    if field is not None:
        where = f"{where}.{field}"
    if not isinstance(value, str):
        raise RecordError(where, "must be a date YYYY-MM-DD")
    raise RecordError(where, f"not a date YYYY-MM-DD within {DATE_MIN}..{DATE_MAX}: {value!r}")


def parse_period(record: dict, where: str, *, til_required: bool = False):
    fra = parse_date(record.get("fra"), where, field="fra")
    til = parse_date(record.get("til"), where, optional=not til_required, field="til")
    if til is not None and til < fra:
        raise RecordError(where, "til is before fra")
    return fra, til


def import_register(
    document: object, *, dry_run: bool = False, progress: Callable[[str], None] | None = None
) -> Counter:
    """Load a register document (parsed JSON, or a `stream.JsonFile`); everything or nothing.
    Returns counts per kind and outcome."""
    if not hasattr(document, "scan"):
        document = _Parsed(document)
    totals = document.scan(set(_SECTIONS))
    ctx = ImportContext(dry_run=dry_run, progress=progress)
    ctx.totals = {key: n for key, n in totals.items() if n is not None}
    with transaction.atomic():
        for key, (_order, loader, whole) in sorted(_SECTIONS.items(), key=lambda i: i[1][0]):
            records = document.records(key)
            if records is None:
                continue
            if whole:
                loader(list(records), ctx, 0)
                continue
            start = 0
            for chunk in _chunks(records, CHUNK_SIZE):
                loader(chunk, ctx, start)
                start += len(chunk)
        if dry_run:
            transaction.set_rollback(True)
    return ctx.stats


def _chunks(records, size: int):
    chunk = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Parsed:
    """A document already parsed (a dict), read as a JsonFile is."""

    def __init__(self, document: object):
        self.document = document

    def scan(self, known: set[str]) -> dict[str, int | None]:
        if not isinstance(self.document, dict):
            raise RecordError("document", "must be a JSON object")
        unknown = set(self.document) - known
        if unknown:
            raise RecordError("document", f"unknown section(s) {sorted(unknown)}")
        counts = {}
        for key, value in self.document.items():
            if value is not None:
                counts[key] = len(require_list(value, key))
            else:
                counts[key] = None
        return counts

    def records(self, key: str):
        value = self.document.get(key)
        return None if value is None else storable(value, key)


def storable(records, key: str):
    """The section's records, each checked for text that no database can store."""
    for index, record in enumerate(records):
        path = first_unstorable(record, f"{key}[{index}]")
        if path is not None:
            raise RecordError(path, UNSTORABLE)
        yield record


UNSTORABLE = "a string with a lone surrogate or a NUL, which no stored text can hold"


class SeenKeys:
    """The natural keys an import has met so far, per kind, so that a key twice in the
    document is refused even when the two are in different chunks. On PostgreSQL in a
    temporary table (dropped at the transaction's end), so that memory does not grow with the
    document; elsewhere (the demo's SQLite) in a set."""

    TABLE = "import_register_seen"

    def __init__(self):
        self.postgresql = connection.vendor == "postgresql"
        self.sets: dict[str, set] = {}
        if self.postgresql:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.TABLE} "
                    "(kind text, key text, PRIMARY KEY (kind, key)) ON COMMIT DROP"
                )
                cursor.execute(f"TRUNCATE {self.TABLE}")  # an earlier import's, in one transaction

    def add(self, kind: str, keys: list[tuple[str, str]]) -> None:
        if not keys:
            return
        if self.postgresql:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {self.TABLE} SELECT %s, unnest(%s::text[]) "
                    "ON CONFLICT DO NOTHING RETURNING key",
                    [kind, [key for _where, key in keys]],
                )
                new = {row[0] for row in cursor.fetchall()}
        else:
            seen = self.sets.setdefault(kind, set())
            new = {key for _where, key in keys if key not in seen}
            seen |= new
        if len(new) < len(keys):
            where, key = next((w, k) for w, k in keys if k not in new)
            raise RecordError(where, f"duplicate {kind} in the document")
