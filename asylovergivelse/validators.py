"""The seed's field patterns and the Asylovergivelse message, once: used by the API
serializers, the model (so the admin form), the rules and the operator command. A value that
fails here is 1014 on the API.

The seed's patterns are matched against the whole value (`\\A...\\Z`: no leading or trailing
whitespace, no trailing newline), and with ASCII digits only.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from accessrules.core.dates import DATE_MAX, DATE_MIN, parse_iso_date
from accessrules.core.tekst import unstorable

# overgivelseskommunekode (TransitionMunicipality): the seed's pattern [-][1]|[0-9]{1,8},
# declared once: as OpenAPI (ECMA-262) writes it, and matched whole (`re.fullmatch`) here.
KOMMUNEKODE_PATTERN = "^(-1|[0-9]{1,8})$"
KOMMUNEKODE_MAX_LENGTH = 8
KOMMENTAR_MAX_LENGTH = 1500


def is_kommunekode(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(KOMMUNEKODE_PATTERN, value) is not None


def validate_kommunekode(value: object) -> None:
    """Model-field validator (the admin form runs it)."""
    if not is_kommunekode(value):
        raise ValidationError("'-1' eller 1-8 cifre (seedens mønster [-][1]|[0-9]{1,8}).")


# --- the PUT / POST message, once: the API's serializers, the operator command and the rules
# read this definition (field list, kinds, occurrence, limits) -----------------------------


@dataclass(frozen=True)
class Felt:
    """One field of the message: its seed name, the attribute it fills (`Overgivelsesdata`,
    the model), how a value is read, whether it must be given, whether null is allowed."""

    navn: str
    attribut: str
    art: str  # DATO, KOMMUNEKODE or TEKST
    beskrivelse: str  # the seed's "Beskrivelse", verbatim (the document's text)
    kraevet: bool = True
    max_length: int | None = None
    note: str = ""  # what the document adds to the seed's text
    option: str = ""  # `ret_asylovergivelse --OPTION` (default: the attribute, dashed)

    @property
    def kommandolinje(self) -> str:
        return self.option or self.attribut.replace("_", "-")

    @property
    def nullable(self) -> bool:
        return not self.kraevet


DATO, KOMMUNEKODE, TEKST = "dato", "kommunekode", "tekst"

# The seed's "Beskrivelse" of each field (seed 002), verbatim.
CV_EDIT_END_DATE = "Dato for hvornår jobcenter ikke længere kan rette i CV"
OVERGIVELSESDATO = "Overgivelsesdato til kommune"
TIDLIG_CV = "Tidlig overtagelsesdato for hvornår kommunen kan påbegynde opdateringer af CV"
TIDLIG_KONTRAKT = (
    "Tidlig overtagelsesdato for hvornår kommunen kan påbegynde opdateringer af kontraktdata "
    "efter integrationsloven"
)
OVERGIVELSESKOMMUNEKODE = (
    "For flygtninge, den kommune der fra Udlændingestyrelsen har fået visiteret borgeren og som "
    "ønsker adgang til data fra LetAsyl. For borgere med en eksisterende kontrakt efter "
    "integrationsloven og familiesammenførte den kommune der p.t. har borger tilknyttet"
)
KOMMENTAR = "Kommentar til evt. ændring"

OPRET_FELTER = (
    Felt("CVEditEndDate", "cv_edit_end_date", DATO, CV_EDIT_END_DATE),
    Felt("overgivelsesdato", "overgivelsesdato", DATO, OVERGIVELSESDATO),
    Felt(
        "tidligCvOvergivelsesdato",
        "tidlig_cv_overgivelsesdato",
        DATO,
        TIDLIG_CV,
        False,
        option="tidlig-cv",
    ),
    Felt(
        "tidligKontraktOvergivelsesdato",
        "tidlig_kontrakt_overgivelsesdato",
        DATO,
        TIDLIG_KONTRAKT,
        False,
        option="tidlig-kontrakt",
    ),
    Felt(
        "overgivelseskommunekode",
        "overgivelseskommunekode",
        KOMMUNEKODE,
        OVERGIVELSESKOMMUNEKODE,
        note="`-1` eller 1-8 cifre, som JSON-streng.",
        option="kommunekode",
    ),
)
RET_FELTER = (
    *OPRET_FELTER,
    Felt(
        "kommentar",
        "kommentar",
        TEKST,
        KOMMENTAR,
        False,
        KOMMENTAR_MAX_LENGTH,
        note="Kræves når overgivelsesdato ændres (9202).",
    ),
)

_INVALID = "invalid"
UNKNOWN_KEY = (
    "Unknown key: the message has no field of this name (names are case-sensitive); remove it."
)
_REASONS = {
    DATO: f'Must be a JSON string date YYYY-MM-DD (e.g. "2026-12-31"), between '
    f"{DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}.",
    KOMMUNEKODE: "Must be a JSON string of '-1' or 1-8 digits, e.g. \"101\".",
    TEKST: "Must be a JSON string without NUL characters or lone surrogates.",
}


def _tekst(value: object) -> bool:
    return isinstance(value, str) and not unstorable(value)


def _laes_vaerdi(felt: Felt, raw: object) -> tuple[object, str | None]:
    """The value and None, or None and why `raw` is not a value of `felt`."""
    if felt.art == DATO:
        parsed = parse_iso_date(raw)
        return parsed, None if parsed is not None else _REASONS[DATO]
    if felt.art == KOMMUNEKODE:
        return raw, None if is_kommunekode(raw) else _REASONS[KOMMUNEKODE]
    if not _tekst(raw):
        return None, _REASONS[TEKST]
    if felt.max_length is not None and len(raw) > felt.max_length:
        return None, f"Too long: at most {felt.max_length} characters."
    return raw, None


def laes_besked(
    message: object, felter: tuple[Felt, ...]
) -> tuple[dict, list[tuple[str | None, str]]]:
    """The message checked, once, for the API and the command alike: the values by seed name
    (a field left out is left out; null only where allowed), and the (field, reason) of each
    failure (1014): unknown keys together with every other failure, each reason saying in
    English how to fix it (the `detail` of the API's answer)."""
    if not isinstance(message, dict):
        return {}, [(None, "Send one JSON object with the message's fields.")]
    known = {felt.navn for felt in felter}
    unknown = sorted(str(key) for key in message if key not in known)
    values, failures = {}, [(key, UNKNOWN_KEY) for key in unknown]
    for felt in felter:
        if felt.navn not in message:
            if felt.kraevet:
                failures.append((felt.navn, f"Required: send {felt.navn}."))
            continue
        raw = message[felt.navn]
        if raw is None:
            if felt.nullable:
                values[felt.navn] = None
            else:
                failures.append((felt.navn, f"May not be null: send a value for {felt.navn}."))
            continue
        value, reason = _laes_vaerdi(felt, raw)
        if reason is None:
            values[felt.navn] = value
        else:
            failures.append((felt.navn, reason))
    return values, failures
