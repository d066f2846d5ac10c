"""Bulk upsert by natural key: one query to read what exists, then bulk create and update."""

from accessrules.register.framework import ImportContext, RecordError

BATCH_SIZE = 1000


def upsert(
    ctx: ImportContext,
    *,
    kind: str,
    model,
    rows: list[tuple[str, dict]],
    key: tuple[str, ...],
    existing,
) -> dict:
    """rows: (where, attributes) pairs. Attributes in `key` find the stored row; every other
    attribute is compared and updated. Returns natural key -> instance for every row."""
    index = {tuple(getattr(obj, k) for k in key): obj for obj in existing}
    seen: set[tuple] = set()
    to_create, to_update, changed_fields = [], [], set()
    for where, attributes in rows:
        natural_key = tuple(attributes[k] for k in key)
        if natural_key in seen:
            raise RecordError(where, f"duplicate {kind} {natural_key!r} in the document")
        seen.add(natural_key)
        obj = index.get(natural_key)
        if obj is None:
            obj = model(**attributes)
            index[natural_key] = obj
            to_create.append(obj)
            continue
        changes = {name: value for name, value in attributes.items() if getattr(obj, name) != value}
        if changes:
            for name, value in changes.items():
                setattr(obj, name, value)
            changed_fields |= set(changes)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH_SIZE)
    ctx.count(kind, "created", len(to_create))
    ctx.count(kind, "updated", len(to_update))
    ctx.count(kind, "unchanged", len(rows) - len(to_create) - len(to_update))
    return index
