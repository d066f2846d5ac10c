"""The shape of CPR events (SPEC 5a, 2 and 8): types, patterns and lengths, checked before
anything is applied, so that the API can refuse a malformed batch whole (400 1014) and the
command a malformed file, with every violation named by its field path
(`haendelser[3].flyttedato`). Plain Python, no web framework: the API, the command and the
admin share it. `laes_haendelse` turns a well-formed event into a `Haendelse`.

Whether a kommune code names a kommune, or a CPR a citizen, is not shape: those reject the one
event (see `regler`)."""

import datetime
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from accessrules.core.cpr import is_valid_cpr
from accessrules.core.dates import strict_iso_date
from accessrules.core.errors import VALIDATION_FAILED, DomainError, Violation
from accessrules.core.regler import Regel, Stage
from accessrules.core.tekst import first_unstorable, printable

FLYTNING, INDREJSE, DOEDSFALD = "flytning", "indrejse", "doedsfald"
TYPES = (FLYTNING, INDREJSE, DOEDSFALD)
MAX_BATCH = 1000
ID_MAX_LENGTH = 64
KONTAKTGRUPPE_MAX_LENGTH = 50  # Borger.kontaktgruppe
UNSTORABLE_DETAIL = "a string with a lone surrogate or a NUL, which no stored text can hold"

# SPEC 5a: a CPR kommune code is 1-4 digits, compared as a number (`0101` names kommune 101);
# as OpenAPI (ECMA-262) writes it, matched whole (`re.fullmatch`) here.
KOMMUNEKODE_PATTERN = "^[0-9]{1,4}$"


def kommunenummer(kode: str) -> int | None:
    """A kommune code as the number it is compared as; None when it is not digits."""
    return int(kode) if kode.isascii() and kode.isdigit() else None


def _text(value: object, low: int, high: int) -> bool:
    return isinstance(value, str) and low <= len(value) <= high


def _id(value: object) -> bool:
    return _text(value, 1, ID_MAX_LENGTH)


def _type(value: object) -> bool:
    return value in TYPES


def _kommunekode(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(KOMMUNEKODE_PATTERN, value) is not None


def _dato(value: object) -> bool:
    """A date `YYYY-MM-DD` within SPEC 8's range (the feed is a machine: strict)."""
    return strict_iso_date(value) is not None


def _kontaktgruppe(value: object) -> bool:
    return value is None or _text(value, 1, KONTAKTGRUPPE_MAX_LENGTH)


_COMMON: dict[str, Callable[[object], bool]] = {
    "haendelseId": _id,
    "type": _type,
    "cpr": is_valid_cpr,
}
# per type: key -> (check, required)
_BY_TYPE: dict[str, dict[str, tuple[Callable[[object], bool], bool]]] = {
    FLYTNING: {
        "fraKommunekode": (_kommunekode, True),
        "tilKommunekode": (_kommunekode, True),
        "flyttedato": (_dato, True),
    },
    INDREJSE: {
        "tilKommunekode": (_kommunekode, True),
        "dato": (_dato, True),
        "kontaktgruppe": (_kontaktgruppe, False),
    },
    DOEDSFALD: {"doedsdato": (_dato, True)},
}
DATE_KEY = {FLYTNING: "flyttedato", INDREJSE: "dato", DOEDSFALD: "doedsdato"}


def _path(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _form(kontekst: tuple[object, str]):
    """The field paths at fault in one event (see `valider_haendelse`)."""
    raw, felt = kontekst
    if not isinstance(raw, dict):
        yield felt or None
        return
    unstorable = first_unstorable(raw, felt)
    if unstorable is not None:
        yield Violation(VALIDATION_FAILED, printable(unstorable), UNSTORABLE_DETAIL)
        return
    for key, check in _COMMON.items():
        if not check(raw.get(key)):
            yield _path(felt, key)
    fields = _BY_TYPE.get(raw.get("type")) if isinstance(raw.get("type"), str) else None
    if fields is None:
        return
    for key, (check, required) in fields.items():
        if (key in raw or required) and not check(raw.get(key)):
            yield _path(felt, key)
    for key in raw:
        if key not in _COMMON and key not in fields:
            yield _path(felt, printable(str(key)))


FORM = Regel("Hændelsen har den rigtige form", (VALIDATION_FAILED,), Stage.BESKED, _form)


def valider_haendelse(raw: object, felt: str = "") -> list[Violation]:
    """The violations (1014) of one event; `felt` prefixes each field path (`haendelser[3]`).
    A missing key, a wrong type, pattern, length or date, and a key the event's type does not
    have are each named; an event whose type is unknown is checked for its common keys only.
    A key or string that no stored text can hold (a lone surrogate, a NUL) is the event's one
    violation: it would fail only when written, after other events were applied."""
    return FORM((raw, felt))


def valider_batch(body: object) -> list[Violation]:
    """The violations of a whole document `{"haendelser": [EVENT, ...]}` of 1-MAX_BATCH events
    (the API's body): the batch is applied only when this is empty."""
    if not isinstance(body, dict):
        return [FORM.brud()]
    violations = [FORM.brud(printable(str(key))) for key in body if key != "haendelser"]
    haendelser = body.get("haendelser")
    if not isinstance(haendelser, list) or not 1 <= len(haendelser) <= MAX_BATCH:
        return [*violations, FORM.brud("haendelser")]
    for index, raw in enumerate(haendelser):
        violations += valider_haendelse(raw, f"haendelser[{index}]")
    return violations


def fingeraftryk(raw: dict) -> str:
    """SHA-256 of the event in canonical JSON (keys sorted, no spaces): the same event sent
    again, with its keys in any order, has the same fingerprint."""
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Haendelse:
    """A well-formed CPR event. `dato` is the type's date (flyttedato, dato or doedsdato);
    kommune codes are numbers (`0101` names kommune 101)."""

    haendelse_id: str
    type: str
    cpr: str
    dato: datetime.date
    indhold: dict
    fingeraftryk: str
    til_kommunekode: int | None = None
    fra_kommunekode: int | None = None
    kontaktgruppe: str | None = None


def laes_haendelse(raw: object, felt: str = "") -> Haendelse:
    """The event `raw` names; DomainError (1014, every violation) when it is malformed."""
    violations = valider_haendelse(raw, felt)
    if violations:
        raise DomainError(*violations)
    return laes_gyldig(raw)


def laes_gyldig(raw: dict) -> Haendelse:
    """The event of a `raw` that `valider_haendelse` (or `valider_batch`) has found
    well-formed: read, not checked again (a message is validated once)."""
    kind = raw["type"]
    til, fra = raw.get("tilKommunekode"), raw.get("fraKommunekode")
    return Haendelse(
        haendelse_id=raw["haendelseId"],
        type=kind,
        cpr=raw["cpr"],
        dato=strict_iso_date(raw[DATE_KEY[kind]]),
        indhold=raw,
        fingeraftryk=fingeraftryk(raw),
        til_kommunekode=kommunenummer(til) if til is not None else None,
        fra_kommunekode=kommunenummer(fra) if fra is not None else None,
        kontaktgruppe=raw.get("kontaktgruppe"),
    )
