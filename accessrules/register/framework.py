import datetime
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from accessrules.models import Organisation

CHUNK_SIZE = 2000

# key -> (order, loader(records: list, ctx)); lower order loads first.
_SECTIONS: dict[str, tuple[int, Callable]] = {}
# key -> handler(items: list[tuple[borger_id, value, where]], ctx), once per chunk of citizens.
_BORGER_FIELDS: dict[str, Callable] = {}


class RecordError(Exception):
    """An invalid record; `where` names it, e.g. `borgere[17].tilknytninger[0]`."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where, self.message = where, message


def section(key: str, *, order: int):
    def register(loader: Callable) -> Callable:
        _SECTIONS[key] = (order, loader)
        return loader

    return register


def borger_field(key: str):
    def register(handler: Callable) -> Callable:
        _BORGER_FIELDS[key] = handler
        return handler

    return register


def borger_fields() -> dict[str, Callable]:
    return dict(_BORGER_FIELDS)


@dataclass
class ImportContext:
    dry_run: bool = False
    progress: Callable[[str], None] | None = None
    stats: Counter = field(default_factory=Counter)
    _organisations: dict[str, Organisation] | None = None
    # the citizens of this document, CPR -> id, and the ids of those it created (nothing of
    # theirs can exist yet, so their relations need no lookup)
    borger_ids: dict[str, int] = field(default_factory=dict)
    new_borger_ids: set[int] = field(default_factory=set)

    def note_borgere(self, ids: dict[str, int], stored) -> None:
        """ids: CPR -> id of citizens just loaded; `stored`: those of them that existed."""
        self.borger_ids.update(ids)
        self.new_borger_ids.update(set(ids.values()) - {borger.pk for borger in stored})

    def stored_borger_ids(self, borger_ids) -> list[int]:
        """Of these citizen ids, those that existed before this import."""
        return [pk for pk in borger_ids if pk not in self.new_borger_ids]

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        """outcome: created, updated or unchanged."""
        if n:
            self.stats[f"{kind} {outcome}"] += n

    def organisation(self, reference: object, where: str) -> Organisation:
        """The organisation named `TYPE:CODE`, loaded or already in the database."""
        if self._organisations is None:
            self._organisations = {o.reference: o for o in Organisation.objects.all()}
        if not isinstance(reference, str) or reference not in self._organisations:
            raise RecordError(where, f"unknown organisation {reference!r} (expected TYPE:CODE)")
        return self._organisations[reference]

    def forget_organisations(self) -> None:
        self._organisations = None

    def report(self, message: str) -> None:
        if self.progress:
            self.progress(message)


def chunks(records: list, size: int = CHUNK_SIZE) -> Iterator[tuple[int, list]]:
    for start in range(0, len(records), size):
        yield start, records[start : start + size]


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


def parse_date(value: object, where: str, *, optional: bool = False) -> datetime.date | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise RecordError(where, "must be a date YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else _bad_date(value)
    except ValueError:
        raise RecordError(where, f"not a date YYYY-MM-DD: {value!r}") from None


def _bad_date(value: str):
    raise ValueError(value)


def parse_period(record: dict, where: str, *, til_required: bool = False):
    fra = parse_date(record.get("fra"), f"{where}.fra")
    til = parse_date(record.get("til"), f"{where}.til", optional=not til_required)
    if til is not None and til < fra:
        raise RecordError(where, "til is before fra")
    return fra, til


def import_register(
    document: object, *, dry_run: bool = False, progress: Callable[[str], None] | None = None
) -> Counter:
    """Load a register document; everything or nothing. Returns counts per kind and outcome."""
    if not isinstance(document, dict):
        raise RecordError("document", "must be a JSON object")
    unknown = set(document) - set(_SECTIONS)
    if unknown:
        raise RecordError("document", f"unknown section(s) {sorted(unknown)}")
    ctx = ImportContext(dry_run=dry_run, progress=progress)
    with transaction.atomic():
        for key, (_order, loader) in sorted(_SECTIONS.items(), key=lambda item: item[1][0]):
            if key in document and document[key] is not None:
                loader(require_list(document[key], key), ctx)
        if dry_run:
            transaction.set_rollback(True)
    return ctx.stats
