"""The Asylovergivelse rules of SPEC 6, once, for the API, the admin and the operator command.

Each check returns violations (`Violation(code, field)`), field names as the seed spells them.
`kontroller_opret` / `kontroller_ret` run the checks in SPEC 4's stage order and return the
violations of the first stage that fails: 403 9244 → 400 message rules (all together) →
409 stored state (the first conflict). `force` skips the named codes (operators only).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from accessrules.api.problems import Violation
from accessrules.models import AndenAktoerTildeling, Borger, Organisation, OrganisationType
from asylovergivelse.cvservice import CvServiceError, cv_service

FAMILIESAMMENFOERT = "familiesammenfoert"

# model attribute -> seed field name
FIELDS = {
    "cv_edit_end_date": "CVEditEndDate",
    "overgivelsesdato": "overgivelsesdato",
    "tidlig_cv_overgivelsesdato": "tidligCvOvergivelsesdato",
    "tidlig_kontrakt_overgivelsesdato": "tidligKontraktOvergivelsesdato",
    "overgivelseskommunekode": "overgivelseskommunekode",
    "kommentar": "kommentar",
}
SEED_TO_ATTRIBUTE = {seed: attribute for attribute, seed in FIELDS.items()}

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


def _v(code: int, attribute: str | None = None) -> Violation:
    return Violation(code, FIELDS.get(attribute) if attribute else None)


# --- 403: the caller and the municipality -------------------------------------------------
def kommunekoder_for(organisation: Organisation, borger: Borger, today: datetime.date):
    """The municipality codes a caller may name; None means any (STAR)."""
    if organisation.type == OrganisationType.STAR:
        return None
    if organisation.type in (OrganisationType.KOMMUNE, OrganisationType.JOBCENTER):
        return {organisation.kommunekode}
    # An anden aktør acts for the jobcentre(s) that assigned it this citizen.
    jobcentre = (
        AndenAktoerTildeling.objects.active_on(today)
        .filter(borger=borger, anden_aktoer=organisation)
        .values_list("jobcenter__kode", flat=True)
    )
    return {kode[:-2] for kode in jobcentre}


def _same_kommune(a: str, b: str) -> bool:
    return a.lstrip("0") == b.lstrip("0") if a.isdigit() and b.isdigit() else a == b


def kommunekode_regel(
    data: Overgivelsesdata, *, organisation: Organisation | None, borger: Borger, today
) -> list[Violation]:
    if organisation is None:  # admin and operators act for STAR
        return []
    allowed = kommunekoder_for(organisation, borger, today)
    if allowed is None or any(_same_kommune(data.overgivelseskommunekode, k) for k in allowed):
        return []
    return [_v(9244, "overgivelseskommunekode")]


# --- 400: rules on the message ------------------------------------------------------------
def besked_regler(
    data: Overgivelsesdata, *, kontaktgruppe: str, eksisterende=None
) -> list[Violation]:
    found = []
    if data.cv_edit_end_date < data.overgivelsesdato:
        found.append(_v(9196, "cv_edit_end_date"))
    elif (
        data.cv_edit_end_date - data.overgivelsesdato
    ).days > settings.ASYLOVERGIVELSE_MAX_CV_EDIT_DAYS:
        found.append(_v(9197, "cv_edit_end_date"))
    for attribute, value in data.tidlige_datoer.items():
        if value > data.overgivelsesdato:
            found.append(_v(9243, attribute))
    if kontaktgruppe == FAMILIESAMMENFOERT:
        if data.cv_edit_end_date != data.overgivelsesdato:
            found.append(_v(9295, "cv_edit_end_date"))
        for attribute in data.tidlige_datoer:
            found.append(_v(9296, attribute))
    if (
        eksisterende is not None
        and eksisterende.overgivelsesdato != data.overgivelsesdato
        and not data.kommentar.strip()
    ):
        found.append(_v(9202, "kommentar"))
    return found


# --- 409: stored state --------------------------------------------------------------------
def kontaktgruppe_regel(borger: Borger) -> list[Violation]:
    if borger.kontaktgruppe in settings.ASYLOVERGIVELSE_KONTAKTGRUPPER:
        return []
    return [_v(9198)]


def frist_regel(eksisterende, data: Overgivelsesdata, today: datetime.date) -> list[Violation]:
    changes_dates = (
        eksisterende.cv_edit_end_date != data.cv_edit_end_date
        or eksisterende.overgivelsesdato != data.overgivelsesdato
    )
    if eksisterende.cv_edit_end_date < today and changes_dates:
        return [_v(9200, "cv_edit_end_date")]
    return []


def cv_regel(borger: Borger) -> list[Violation]:
    """Ask the CV service for the citizen's jobnet CV (create only)."""
    try:
        cv = cv_service().hent_cv(borger)
    except Exception:  # noqa: BLE001 - any backend failure or timeout is 9338
        return [Violation(9338)]
    if cv is None or not cv.nummer:
        return [Violation(9336)]
    if cv.status == "aktiv":
        return []
    # An answer this service cannot read is a failed call, never an accepted CV.
    return [Violation(_CV_STATUS_CODES.get(cv.status, 9338))]


def _first_failing(stages, force: frozenset[int]) -> list[Violation]:
    for stage in stages:
        violations = [v for v in stage() if v.code not in force]
        if violations:
            return violations
    return []


def kontroller_opret(
    data: Overgivelsesdata,
    *,
    borger: Borger,
    organisation: Organisation | None,
    today: datetime.date,
    findes: bool,
    force: frozenset[int] = frozenset(),
) -> list[Violation]:
    return _first_failing(
        [
            lambda: kommunekode_regel(data, organisation=organisation, borger=borger, today=today),
            lambda: besked_regler(data, kontaktgruppe=borger.kontaktgruppe),
            lambda: kontaktgruppe_regel(borger),
            lambda: [Violation(9302)] if findes else [],
            lambda: cv_regel(borger),
        ],
        force,
    )


def kontroller_ret(
    data: Overgivelsesdata,
    *,
    borger: Borger,
    organisation: Organisation | None,
    today: datetime.date,
    eksisterende,
    force: frozenset[int] = frozenset(),
) -> list[Violation]:
    return _first_failing(
        [
            lambda: kommunekode_regel(data, organisation=organisation, borger=borger, today=today),
            lambda: besked_regler(
                data, kontaktgruppe=borger.kontaktgruppe, eksisterende=eksisterende
            ),
            lambda: kontaktgruppe_regel(borger),
            lambda: [Violation(9201)] if eksisterende is None else [],
            lambda: frist_regel(eksisterende, data, today),
        ],
        force,
    )


def fortael_cv_service(borger: Borger, dato: datetime.date) -> list[Violation]:
    try:
        cv_service().saet_cv_edit_end_date(borger, dato)
    except Exception:  # noqa: BLE001 - any backend failure or timeout is 9346
        return [Violation(9346)]
    return []


__all__ = ["CvServiceError", "Overgivelsesdata", "kontroller_opret", "kontroller_ret"]
