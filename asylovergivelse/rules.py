"""The Asylovergivelse rules of SPEC 6, once, for the API, the admin and the operator command.

Each rule is a `Regel` carrying its code(s), its stage (SPEC 4: 403 caller → 400 message → 409
stored state → 502 after the write) and whether an operator may skip it with `--force`.
`OPRET` and `RET` are the rules create and update run, in that order; the operation specs name
the same tuples, so the OpenAPI code lists and the command's `--force` choices follow them.
Violations name fields as the seed spells them. A rule's code is written once, in its `Regel`:
a check yields the field at fault (or, for AKTIVT_CV, which of its codes).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from accessrules.access import Adgang
from accessrules.access.organisationstyper import (
    Kommunekoder,
    kommunekode_for,
    kommunekoder_for_9244,
)
from accessrules.core.regler import Regel, Stage, forceable_koder
from accessrules.models import Organisation
from asylovergivelse.cvservice import cv_service
from asylovergivelse.validators import RET_FELTER

FAMILIESAMMENFOERT = "familiesammenfoert"

# model attribute -> seed field name, from the message's one definition
FIELDS = {felt.attribut: felt.navn for felt in RET_FELTER}
SEED_TO_ATTRIBUTE = {seed: attribute for attribute, seed in FIELDS.items()}

# the CV service's answers that refuse a create (AKTIVT_CV's codes)
CV_MANGLER, CV_KALD_FEJLET = 9336, 9338
_CV_STATUS_CODES = {"arkiveret": 4753, "deaktiveret": 4754, "laast": 4823}


@dataclass(frozen=True)
class Overgivelsesdata:
    cv_edit_end_date: datetime.date
    overgivelsesdato: datetime.date
    overgivelseskommunekode: str
    tidlig_cv_overgivelsesdato: datetime.date | None = None
    tidlig_kontrakt_overgivelsesdato: datetime.date | None = None
    kommentar: str = ""

    @classmethod
    def from_seed(cls, data: dict) -> "Overgivelsesdata":
        values = {SEED_TO_ATTRIBUTE[k]: v for k, v in data.items() if k in SEED_TO_ATTRIBUTE}
        values["kommentar"] = values.get("kommentar") or ""
        return cls(**values)

    @property
    def tidlige_datoer(self) -> dict[str, datetime.date]:
        found = {
            "tidlig_cv_overgivelsesdato": self.tidlig_cv_overgivelsesdato,
            "tidlig_kontrakt_overgivelsesdato": self.tidlig_kontrakt_overgivelsesdato,
        }
        return {name: value for name, value in found.items() if value is not None}


@dataclass(frozen=True)
class Kontekst:
    """What the rules of one call look at."""

    data: Overgivelsesdata
    adgang: Adgang
    organisation: Organisation | None  # None: a caseworker or an operator (acts as STAR)
    today: datetime.date
    eksisterende: object | None = None  # the stored Asylovergivelse, if any

    @property
    def kontaktgruppe(self) -> str:
        return self.adgang.borger.kontaktgruppe


# --- 403: the caller and the municipality -------------------------------------------------
def kommunekoder_for(organisation: Organisation | None, adgang: Adgang) -> set[str] | None:
    """The municipality codes a caller may name (its type's `kommunekoder`); None means any
    (STAR, operators)."""
    match kommunekoder_for_9244(organisation):
        case Kommunekoder.ALLE:
            return None
        case Kommunekoder.KOMMUNENS:
            return {kommunekode_for(organisation)}
    # An anden aktør acts for the jobcentre(s) that assigned it this citizen (read by access).
    return set(adgang.tildelt_af_kommuner)


def _same_kommune(a: str, b: str) -> bool:
    return a.lstrip("0") == b.lstrip("0") if a.isdigit() and b.isdigit() else a == b


def _kommunekode(k: Kontekst):
    allowed = kommunekoder_for(k.organisation, k.adgang)
    if allowed is not None and not any(
        _same_kommune(k.data.overgivelseskommunekode, kode) for kode in allowed
    ):
        yield FIELDS["overgivelseskommunekode"]


# --- 400: rules on the message ------------------------------------------------------------
def _cv_frist_foer_overgivelse(k: Kontekst):
    if k.data.cv_edit_end_date < k.data.overgivelsesdato:
        yield FIELDS["cv_edit_end_date"]


def _cv_frist_for_lang(k: Kontekst):
    days = (k.data.cv_edit_end_date - k.data.overgivelsesdato).days
    if days > settings.ASYLOVERGIVELSE_MAX_CV_EDIT_DAYS:
        yield FIELDS["cv_edit_end_date"]


def _tidlige_datoer_efter_overgivelse(k: Kontekst):
    for attribute, value in k.data.tidlige_datoer.items():
        if value > k.data.overgivelsesdato:
            yield FIELDS[attribute]


def _familiesammenfoert_samme_dato(k: Kontekst):
    if k.kontaktgruppe == FAMILIESAMMENFOERT and k.data.cv_edit_end_date != k.data.overgivelsesdato:
        yield FIELDS["cv_edit_end_date"]


def _familiesammenfoert_ingen_tidlige(k: Kontekst):
    if k.kontaktgruppe == FAMILIESAMMENFOERT:
        for attribute in k.data.tidlige_datoer:
            yield FIELDS[attribute]


def _kommentar_ved_ny_overgivelsesdato(k: Kontekst):
    stored = k.eksisterende
    if (
        stored is not None
        and stored.overgivelsesdato != k.data.overgivelsesdato
        and not k.data.kommentar.strip()
    ):
        yield FIELDS["kommentar"]


# --- 409: stored state --------------------------------------------------------------------
def _kontaktgruppe_tilladt(k: Kontekst):
    if k.kontaktgruppe not in settings.ASYLOVERGIVELSE_KONTAKTGRUPPER:
        yield


def _findes_ikke(k: Kontekst):
    if k.eksisterende is not None:
        yield


def _findes(k: Kontekst):
    if k.eksisterende is None:
        yield


def _frist_ikke_passeret(k: Kontekst):
    stored, data = k.eksisterende, k.data
    changes_dates = (
        stored.cv_edit_end_date != data.cv_edit_end_date
        or stored.overgivelsesdato != data.overgivelsesdato
    )
    if stored.cv_edit_end_date < k.today and changes_dates:
        yield FIELDS["cv_edit_end_date"]


def _aktivt_cv(k: Kontekst):
    """Ask the CV service for the citizen's jobnet CV (create only)."""
    try:
        cv = cv_service().hent_cv(k.adgang.borger)
    except Exception:  # noqa: BLE001 - any backend failure or timeout is a failed call
        yield CV_KALD_FEJLET
        return
    if cv is None or not cv.nummer:
        yield CV_MANGLER
    elif cv.status != "aktiv":
        # An answer this service cannot read is a failed call, never an accepted CV.
        yield _CV_STATUS_CODES.get(cv.status, CV_KALD_FEJLET)


# --- 502: after the write -----------------------------------------------------------------
def _cv_frist_meddelt(k: Kontekst):
    try:
        cv_service().saet_cv_edit_end_date(k.adgang.borger, k.data.cv_edit_end_date)
    except Exception:  # noqa: BLE001 - any backend failure or timeout: CV_FRIST_MEDDELT
        yield


KOMMUNEKODE = Regel("Kommunekoden er kalderens", (9244,), Stage.KALDER, _kommunekode)
CV_FRIST_FOER = Regel(
    "CVEditEndDate før overgivelsesdato", (9196,), Stage.BESKED, _cv_frist_foer_overgivelse, True
)
CV_FRIST_LANG = Regel("CV-frist for lang", (9197,), Stage.BESKED, _cv_frist_for_lang, True)
TIDLIGE_DATOER = Regel(
    "Tidlige datoer efter overgivelsesdato",
    (9243,),
    Stage.BESKED,
    _tidlige_datoer_efter_overgivelse,
    True,
)
FAMILIE_DATO = Regel(
    "Familiesammenført: samme dato", (9295,), Stage.BESKED, _familiesammenfoert_samme_dato, True
)
FAMILIE_TIDLIGE = Regel(
    "Familiesammenført: ingen tidlige datoer",
    (9296,),
    Stage.BESKED,
    _familiesammenfoert_ingen_tidlige,
    True,
)
KOMMENTAR = Regel(
    "Kommentar ved ny overgivelsesdato",
    (9202,),
    Stage.BESKED,
    _kommentar_ved_ny_overgivelsesdato,
    True,
)
KONTAKTGRUPPE = Regel(
    "Kontaktgruppen tillader overgivelse", (9198,), Stage.TILSTAND, _kontaktgruppe_tilladt, True
)
FINDES_IKKE = Regel("Findes ikke i forvejen", (9302,), Stage.TILSTAND, _findes_ikke)
FINDES = Regel("Findes", (9201,), Stage.TILSTAND, _findes)
FRIST_IKKE_PASSERET = Regel(
    "CV-fristen er ikke passeret", (9200,), Stage.TILSTAND, _frist_ikke_passeret, True
)
AKTIVT_CV = Regel(
    "Borgeren har et aktivt jobnet-CV",
    (CV_MANGLER, *_CV_STATUS_CODES.values(), CV_KALD_FEJLET),
    Stage.TILSTAND,
    _aktivt_cv,
)
CV_FRIST_MEDDELT = Regel("CV-fristen meddelt CV-servicen", (9346,), Stage.EFTER, _cv_frist_meddelt)

_BESKED = (CV_FRIST_FOER, CV_FRIST_LANG, TIDLIGE_DATOER, FAMILIE_DATO, FAMILIE_TIDLIGE)
OPRET = (KOMMUNEKODE, *_BESKED, KONTAKTGRUPPE, FINDES_IKKE, AKTIVT_CV)
RET = (KOMMUNEKODE, *_BESKED, KOMMENTAR, KONTAKTGRUPPE, FINDES, FRIST_IKKE_PASSERET)
EFTER_SKRIVNING = (CV_FRIST_MEDDELT,)

# Rules an operator may skip with `ret_asylovergivelse --force CODE`.
FORCEABLE = forceable_koder(RET)
