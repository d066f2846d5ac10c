"""A random sort key per row (issue 20: no masked CPR recoverable by ordering).

Rows made in bulk get their ids in CPR order (the CPR intake sorts a chunk's CPRs, register
extracts come sorted), so a list in id order, or with ties broken by id, orders the masked
numbers that share a birth date: any deterministic function of the CPR leaks. A model whose
admin list shows a masked CPR or a citizen has `sorteringsnoegle()`: a bigint the database
draws at random for each row it inserts (`db_default`), whoever inserts it (the ORM, a COPY
that leaves the column out, `bench/national.py`'s SQL), and the migration that added it drew
one for every row already stored. Its index (`noegleindeks`) lets a list open on its first
rows in that order without sorting the table. `accessrules.admin.cpr` orders by it for users
who see CPRs masked.
"""

from django.db import models

SORTERINGSNOEGLE = "sorteringsnoegle"


class TilfaeldigNoegle(models.Func):
    """A random bigint, drawn anew for each row: PostgreSQL's `random()` (a double in [0, 1),
    seeded per connection from a strong source) scaled to bigint; SQLite's `random()` is
    already a random 64-bit integer."""

    arity = 0
    output_field = models.BigIntegerField()
    template = "(random() * 9223372036854775807)::bigint"

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="random()", **extra_context)


def sorteringsnoegle() -> models.BigIntegerField:
    return models.BigIntegerField(
        "sorteringsnøgle",
        db_default=TilfaeldigNoegle(),
        editable=False,
        help_text="Tilfældig, sat ved oprettelsen: listernes orden for maskerede CPR-numre.",
    )


def noegleindeks(name: str) -> models.Index:
    """The index a list in key order opens on (the key, then the id that breaks a tie)."""
    return models.Index(fields=[SORTERINGSNOEGLE, "id"], name=name)
