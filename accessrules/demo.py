"""The demo data set of `seed_demo`: a register document (SPEC 7a) with dates relative to
today, so that every access relation, CV status and flow state is present on any day."""

import datetime

KOMMUNER = [
    ("101", "Københavns Kommune"),
    ("147", "Frederiksberg Kommune"),
    ("751", "Aarhus Kommune"),
]
ANDEN_AKTOER = ("12345678", "Eksempel Anden Aktør ApS")

# name -> CPR (valid dates, 1900s); the names say the relation
CPR = {
    "flygtning": "0101901234",  # own citizen of København (kommune + jobcenter), CV aktiv
    "med_overgivelse": "0202911234",  # own citizen of København, has a transition
    "familiesammenfoert": "0303921234",  # own citizen of København, familiesammenført
    "tidligere": "0404931234",  # left Jobcenter København 30 days ago
    "gaest": "0505941234",  # guest access for Jobcenter Frederiksberg
    "anden_aktoer": "0606951234",  # assigned to the anden aktør by Jobcenter København
    "cv_arkiveret": "0707961234",
    "cv_deaktiveret": "0808971234",
    "cv_laast": "0909981234",
    "flytter": "1010991234",  # moved København -> Frederiksberg: flow AFVENTER
    "flyttet": "1111801234",  # moved København -> Aarhus: flow AFSLUTTET
    "annulleret": "1212811234",  # flow ANNULLERET
    "doed": "1301821234",  # dead; a flow AFVENTER that answers 60007
}
FLOW_IDS = {
    "flytter": "5f0c1a4e-0000-4000-8000-000000000001",
    "flyttet": "5f0c1a4e-0000-4000-8000-000000000002",
    "annulleret": "5f0c1a4e-0000-4000-8000-000000000003",
    "doed": "5f0c1a4e-0000-4000-8000-000000000004",
}


def _d(today: datetime.date, days: int) -> str:
    return (today + datetime.timedelta(days=days)).isoformat()


def _borger(cpr, *, tilknytninger=(), cv="aktiv", kontaktgruppe="flygtning", **extra):
    record = {"cpr": cpr, "kontaktgruppe": kontaktgruppe, "tilknytninger": list(tilknytninger)}
    if cv:
        record["cv"] = {"nummer": f"CV-{cpr[:6]}", "status": cv}
    record.update(extra)
    return record


SINCE = "2020-01-01"  # fixed start dates: a re-run on another day updates, never copies
MOVED = "2025-06-01"  # the completed move


def document(today: datetime.date) -> dict:
    year_ago = SINCE
    kbh = [
        {"organisation": "7:101", "fra": year_ago, "til": None},
        {"organisation": "8:10100", "fra": year_ago, "til": None},
    ]
    organisationer = [
        {"type": 1, "kode": "STAR", "navn": "Styrelsen for Arbejdsmarked og Rekruttering"}
    ]
    for kode, navn in KOMMUNER:
        organisationer.append({"type": 7, "kode": kode, "navn": navn})
        organisationer.append({"type": 8, "kode": f"{kode}00", "navn": f"Jobcenter {navn[:-8]}"})
    organisationer.append({"type": 4, "kode": ANDEN_AKTOER[0], "navn": ANDEN_AKTOER[1]})
    borgere = [
        _borger(CPR["flygtning"], tilknytninger=kbh),
        _borger(CPR["med_overgivelse"], tilknytninger=kbh),
        _borger(CPR["familiesammenfoert"], tilknytninger=kbh, kontaktgruppe="familiesammenfoert"),
        _borger(
            CPR["tidligere"],
            tilknytninger=[{"organisation": "8:10100", "fra": year_ago, "til": _d(today, -30)}],
        ),
        _borger(
            CPR["gaest"],
            tilknytninger=[{"organisation": "8:75100", "fra": year_ago}],
            gaesteadgange=[{"organisation": "8:14700", "fra": SINCE, "til": _d(today, 60)}],
        ),
        _borger(
            CPR["anden_aktoer"],
            tilknytninger=kbh,
            andenAktoerTildelinger=[
                {
                    "organisation": f"4:{ANDEN_AKTOER[0]}",
                    "jobcenter": "8:10100",
                    "fra": SINCE,
                    "til": None,
                }
            ],
        ),
        _borger(CPR["cv_arkiveret"], tilknytninger=kbh, cv="arkiveret"),
        _borger(CPR["cv_deaktiveret"], tilknytninger=kbh, cv="deaktiveret"),
        _borger(CPR["cv_laast"], tilknytninger=kbh, cv="laast"),
        _borger(
            CPR["flytter"],
            tilknytninger=[
                {"organisation": "8:10100", "fra": year_ago},
                {"organisation": "7:147", "fra": SINCE},
            ],
            kontaktgruppe="jobparat",
        ),
        _borger(
            CPR["flyttet"],
            tilknytninger=[  # the state after the completed move
                {"organisation": "8:10100", "fra": year_ago, "til": MOVED},
                {"organisation": "8:75100", "fra": MOVED},
                {"organisation": "7:751", "fra": MOVED},
            ],
            kontaktgruppe="jobparat",
        ),
        _borger(CPR["annulleret"], tilknytninger=kbh, kontaktgruppe="jobparat"),
        _borger(CPR["doed"], tilknytninger=kbh, doedsdato=_d(today, -2), cv=None),
    ]
    flows = [
        ("flytter", "147", _d(today, -3)),
        ("flyttet", "751", MOVED),
        ("annulleret", "147", _d(today, -1)),
        ("doed", "147", _d(today, -4)),
    ]
    borgerflytninger = [
        {
            "id": FLOW_IDS[name],
            "cpr": CPR[name],
            "fraflytningskommune": "101",
            "tilflytningskommune": til,
            "flyttedato": flyttedato,
        }
        for name, til, flyttedato in flows
    ]
    return {
        "organisationer": organisationer,
        "borgere": borgere,
        "borgerflytninger": borgerflytninger,
    }


def overgivelse(today: datetime.date) -> dict:
    """The transition the citizen "med_overgivelse" has (seed format)."""
    return {
        "CVEditEndDate": _d(today, 40),
        "overgivelsesdato": _d(today, 10),
        "tidligCvOvergivelsesdato": _d(today, 2),
        "overgivelseskommunekode": "101",
    }
