"""The demo data set of `seed_demo`: a register document (SPEC 7a) with dates relative to
today, so that every access relation, CV status and flow state is present on any day."""

import datetime

KOMMUNER = [  # code, kommune, its jobcentre
    ("101", "Københavns Kommune", "Jobcenter København"),
    ("147", "Frederiksberg Kommune", "Jobcenter Frederiksberg"),
    ("751", "Aarhus Kommune", "Jobcenter Aarhus"),
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
    "flytter": "1010991234",  # moved København -> Frederiksberg 3 days ago: flow AFVENTER
    "flyttet": "1111801234",  # moved København -> Aarhus: flow AFSLUTTET
    "annulleret": "1212811234",  # flow ANNULLERET
    "doed": "1301821234",  # moved to Frederiksberg 4 days ago, died since: 60007 to both sides
    "cpr_flytter": "1402831234",  # lives in København; the demo's CPR event moves it to 147
}
# The demo's CPR event (a move 101 -> 147 on the day seed_demo runs): its haendelseId is fixed,
# and seed_demo's reset deletes its receipt and the flow it opened, so it is fresh on each run.
HAENDELSE_ID = "demo-flytning-1402831234"
HAENDELSE_PREFIX = "demo-"  # every receipt whose haendelseId starts so is the demo's
CLIENT_PREFIX = "demo "  # every API client whose name starts so is the demo's
CPR_FEED_CLIENT = "demo cpr-feed"  # the system client acting as STAR that posts the event
# One admin user per role and organisation kind (seed_demo prints their passwords, new on every
# run); every user whose name starts with USER_PREFIX is the demo's.
USER_PREFIX = "demo-"
ADMIN_USERS = [
    (f"{USER_PREFIX}{kind}-{rolle.lower()}", reference, rolle)
    for kind, reference in (("kommune", "7:101"), ("jobcenter", "8:10100"), ("star", "1:STAR"))
    for rolle in ("Sagsbehandler", "Support")
]
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


def _d_iso(iso: str, days: int) -> str:
    return _d(datetime.date.fromisoformat(iso), days)


SINCE = "2020-01-01"  # fixed start dates: a re-run on another day updates, never copies
MOVED = "2025-06-01"  # the completed move


def flyttet_til_147(today: datetime.date, days: int) -> list[dict]:
    """Lived in København (affiliated to its jobcentre) until the move to Frederiksberg, `days`
    from today, as the CPR register reports it: the flow's own story."""
    return [
        {"organisation": "8:10100", "fra": SINCE, "til": None},
        {"organisation": "7:101", "fra": SINCE, "til": _d(today, days - 1)},
        {"organisation": "7:147", "fra": _d(today, days), "til": None},
    ]


def document(today: datetime.date) -> dict:
    year_ago = SINCE
    kbh = [
        {"organisation": "7:101", "fra": year_ago, "til": None},
        {"organisation": "8:10100", "fra": year_ago, "til": None},
    ]
    organisationer = [
        {"type": 1, "kode": "STAR", "navn": "Styrelsen for Arbejdsmarked og Rekruttering"}
    ]
    for kode, navn, jobcenter in KOMMUNER:
        organisationer.append({"type": 7, "kode": kode, "navn": navn})
        organisationer.append({"type": 8, "kode": f"{kode}00", "navn": jobcenter})
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
        _borger(CPR["flytter"], tilknytninger=flyttet_til_147(today, -3), kontaktgruppe="jobparat"),
        _borger(
            CPR["flyttet"],
            tilknytninger=[  # before the move: seed_demo completes its flow, which moves the
                {"organisation": "8:10100", "fra": year_ago},  # jobcentre affiliation
                {"organisation": "7:101", "fra": year_ago, "til": _d_iso(MOVED, -1)},
                {"organisation": "7:751", "fra": MOVED},
            ],
            kontaktgruppe="jobparat",
        ),
        _borger(CPR["cpr_flytter"], tilknytninger=kbh, kontaktgruppe="jobparat"),
        _borger(CPR["annulleret"], tilknytninger=kbh, kontaktgruppe="jobparat"),
        _borger(
            CPR["doed"], tilknytninger=flyttet_til_147(today, -4), doedsdato=_d(today, -2), cv=None
        ),
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


def haendelse(today: datetime.date) -> dict:
    """The demo's CPR event: `cpr_flytter` moves from København to Frederiksberg today, so
    Kommune 147 and Jobcenter 14700 have the citizen as their own from today (SPEC 3)."""
    return {
        "haendelseId": HAENDELSE_ID,
        "type": "flytning",
        "cpr": CPR["cpr_flytter"],
        "fraKommunekode": "0101",
        "tilKommunekode": "0147",
        "flyttedato": today.isoformat(),
    }


def overgivelse(today: datetime.date) -> dict:
    """The transition the citizen "med_overgivelse" has (seed format)."""
    return {
        "CVEditEndDate": _d(today, 40),
        "overgivelsesdato": _d(today, 10),
        "tidligCvOvergivelsesdato": _d(today, 2),
        "overgivelseskommunekode": "101",
    }
