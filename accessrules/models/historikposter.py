"""A record's history as changes (SPEC 10), read from its django-simple-history rows.

`historikposter(rows, felter, tekst)` walks the rows oldest first and gives one
`Historikpost` per row: when, what kind of change (`aendringstype`), who by kind (`kilde`)
and organisation (a caseworker's own; never a person), the fields that changed (old and new
value, by the name the API's JSON uses), and the change's text (a transition's kommentar, a
flow's begrundelse). Values are text as the API's JSON writes them (ISO dates and times, an
organisation as TYPE:CODE); CPR-like numbers in a text are masked (DDMMYY-xxxx).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from accessrules.core.masking import mask_cpr_text
from accessrules.models.historik import kilde_af

# simple-history's history_type, as the API names it
AENDRINGSTYPER = {"+": "oprettet", "~": "aendret", "-": "slettet"}


@dataclass(frozen=True)
class Aendring:
    felt: str
    gammel: str | None
    ny: str | None


@dataclass(frozen=True)
class Historikpost:
    tidspunkt: datetime.datetime
    aendringstype: str
    kilde: str | None
    organisation: object | None  # an accessrules.models.Organisation
    aendringer: list[Aendring]
    tekst: str | None


def som_tekst(value) -> str | None:
    """A value as the API's JSON writes it: None, an ISO date/time, TYPE:CODE, or text."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):  # in local time, as DRF writes it
        text = (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()
        return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    reference = getattr(value, "reference", None)  # an Organisation
    return reference if isinstance(reference, str) else str(value)


def historikposter(
    rows: Iterable,
    felter: dict[str, Callable],
    tekst: Callable[[object], str | None],
) -> list[Historikpost]:
    """One post per history row (oldest first: `rows` must be in that order). `felter` maps a
    JSON field name to the row's value of it; `tekst` gives the row's kommentar/begrundelse."""
    posts, before = [], {}
    for row in rows:
        values = {navn: som_tekst(vaerdi(row)) for navn, vaerdi in felter.items()}
        aendringer = [
            Aendring(navn, before.get(navn), ny)
            for navn, ny in values.items()
            if ny != before.get(navn)
        ]
        text = tekst(row)
        posts.append(
            Historikpost(
                tidspunkt=row.history_date,
                aendringstype=AENDRINGSTYPER.get(row.history_type, row.history_type),
                kilde=kilde_af(row),
                organisation=row.organisation,
                aendringer=aendringer,
                tekst=mask_cpr_text(text) if text else None,
            )
        )
        before = values
    return posts
