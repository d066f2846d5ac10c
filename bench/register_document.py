"""Write a national-scale register document (issue 23 item 4) to a file, streamed (constant
memory): 98 kommuner with their jobcentres, CITIZENS citizens each with a residence (10.8 % in
kommune 101), one in four with a jobcentre affiliation, one in fifty `flygtning` with a CV,
CITIZENS/24 flows. The CPRs are bench/national.py's.

    .venv/bin/python bench/register_document.py CITIZENS PATH
"""

import datetime
import json
import sys

KOMMUNER = ["101"] + [str(k) for k in range(147, 147 + 97)]
BORN = [datetime.date(1930, 1, 1) + datetime.timedelta(days=d) for d in range(25000)]
BORN_TEXT = [f"{d:%d%m%y}" for d in BORN]


def cpr(n: int) -> str:
    """Citizen n's CPR: unique up to 100 million (as bench/national.py's CPR_SQL)."""
    return f"{BORN_TEXT[n % 25000]}{(n // 25000) % 4}{n // 100000:03d}"


def kommune(n: int) -> str:
    return KOMMUNER[0] if n % 1000 < 108 else KOMMUNER[1 + n % 97]


def citizen(n: int) -> dict:
    k = kommune(n)
    record = {"cpr": cpr(n), "tilknytninger": [{"organisation": f"7:{k}", "fra": "2020-01-01"}]}
    if n % 4 == 0:
        record["tilknytninger"].append({"organisation": f"8:{k}00", "fra": "2021-01-01"})
    if n % 50 == 0:
        record["kontaktgruppe"] = "flygtning"
        record["cv"] = {"nummer": f"CV-{n}", "status": "aktiv"}
    return record


def flow(i: int, n: int) -> dict:
    fra = kommune(n)
    til = KOMMUNER[1 + (KOMMUNER.index(fra)) % 97]
    return {
        "id": f"00000000-0000-4000-8000-{i:012d}",
        "cpr": cpr(n),
        "fraflytningskommune": fra,
        "tilflytningskommune": til,
        "flyttedato": "2026-11-01",
    }


def write(citizens: int, path: str) -> None:
    organisationer = [{"type": 1, "kode": "STAR", "navn": "STAR"}]
    for k in KOMMUNER:
        organisationer.append({"type": 7, "kode": k, "navn": f"Kommune {k}"})
        organisationer.append({"type": 8, "kode": f"{k}00", "navn": f"Jobcenter {k}"})
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"organisationer":' + dumps(organisationer) + ',"borgere":[')
        for n in range(citizens):
            out.write(("," if n else "") + dumps(citizen(n)))
        out.write('],"borgerflytninger":[')
        for i in range(citizens // 24):
            out.write(("," if i else "") + dumps(flow(i, i * 24 + 7)))
        out.write("]}")


if __name__ == "__main__":
    write(int(sys.argv[1]), sys.argv[2])
