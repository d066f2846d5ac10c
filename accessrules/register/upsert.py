"""Writing the register document's rows: match them to the stored ones by natural key (one
lookup, `accessrules.core.bulk.where_in`), update the stored ones that differ, create the rest
(`accessrules.core.bulk.create_rows`)."""

from collections.abc import Callable
from types import SimpleNamespace

from accessrules.core.bulk import BATCH_SIZE, create_rows, key_of
from accessrules.register.framework import ImportContext, RecordError


def upsert(
    ctx: ImportContext,
    *,
    kind: str,
    model,
    rows: list[tuple[str, dict]],
    key: tuple[str, ...],
    existing,
    protected: Callable | None = None,
) -> list[dict]:
    """rows: (where, attributes) pairs. Attributes in `key` find the stored row; every other
    attribute is compared and updated, unless `protected(stored)` names a reason to leave it.
    Returns the new rows (see create_rows)."""
    matcher = Matcher(kind, key, existing, protected, ctx, model=model)
    to_create = [attributes for where, attributes in rows if matcher.match(where, attributes)]
    created = create_rows(model, to_create)
    matcher.save(ctx, model)
    return created


class Matcher:
    """Matches rows, one at a time, to the stored ones by natural key: a key twice is an
    error; a stored row gets the row's changes (saved by `save`), unless `protected(stored)`
    names why it must be left as it is (then `ctx.leave` reports it).

    With `model`, `existing` may hold plain objects (`stored_rows`) rather than instances: a
    re-run compares millions of rows, and Django builds an instance only for a row that
    changes (measured: bench/README.md)."""

    def __init__(
        self,
        kind: str,
        key: tuple[str, ...],
        existing,
        protected: Callable | None = None,
        ctx: ImportContext | None = None,
        *,
        model=None,
    ):
        self.kind, self.natural_key = kind, key_of(key)
        self.protected, self.ctx, self.model = protected, ctx, model
        self.index = {tuple(getattr(obj, k) for k in key): obj for obj in existing}
        self.seen: set[tuple] = set()
        self.to_update: list = []
        self.changed_fields: set[str] = set()
        self.stored = 0
        self.left = 0

    def match(self, where: str, attributes: dict) -> bool:
        """True for a new row (the caller creates it)."""
        row_key = self.natural_key(attributes)
        if row_key in self.seen:
            raise RecordError(where, f"duplicate {self.kind} {row_key!r} in the document")
        self.seen.add(row_key)
        obj = self.index.get(row_key) if self.index else None
        if obj is None:
            return True
        self.stored += 1
        changes = {name: value for name, value in attributes.items() if getattr(obj, name) != value}
        if changes and self.model is not None and not isinstance(obj, self.model):
            obj = self.index[row_key] = self.model(**vars(obj))  # an instance, to save
        reason = self.protected(obj) if changes and self.protected else None
        if reason:
            self.ctx.leave(self.kind, where, reason)
            self.left += 1
        elif changes:
            for name, value in changes.items():
                setattr(obj, name, value)
            self.changed_fields |= changes.keys()
            self.to_update.append(obj)
        return False

    def stored_row(self, attributes: dict):
        """The stored row the attributes matched, or None."""
        return self.index.get(self.natural_key(attributes))

    def save(self, ctx: ImportContext, model) -> None:
        """Write the updates; count the rows matched (those not stored as created)."""
        if self.to_update:
            model.objects.bulk_update(
                self.to_update, sorted(self.changed_fields), batch_size=BATCH_SIZE
            )
        ctx.count(self.kind, "created", len(self.seen) - self.stored)
        ctx.count(self.kind, "updated", len(self.to_update))
        ctx.count(self.kind, "unchanged", self.stored - len(self.to_update) - self.left)


def stored_rows(rows) -> list[SimpleNamespace]:
    """Rows read as values (dicts of the model's attnames) as plain objects, for a Matcher
    with its model: several times cheaper than model instances."""
    return [SimpleNamespace(**row) for row in rows]
