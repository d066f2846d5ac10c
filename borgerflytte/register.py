"""The `borgerflytninger` section of the register document (SPEC 7a), upsert by id."""

import uuid

from accessrules.models import Borger, Organisation, OrganisationType
from accessrules.register import section
from accessrules.register.framework import RecordError, parse_date, require_object
from accessrules.register.upsert import upsert
from borgerflytte.models import Borgerflytning

_KEYS = {"id", "cpr", "fraflytningskommune", "tilflytningskommune", "flyttedato"}


@section("borgerflytninger", order=30)
def load_borgerflytninger(records: list, ctx) -> None:
    kommuner = set(
        Organisation.objects.filter(type=OrganisationType.KOMMUNE).values_list("kode", flat=True)
    )
    cprs = {r.get("cpr") for r in records if isinstance(r, dict)}
    borgere = {b.cpr: b.pk for b in Borger.objects.filter(cpr__in=cprs).only("cpr")}
    rows = []
    for index, record in enumerate(records):
        where = f"borgerflytninger[{index}]"
        require_object(record, where, _KEYS, _KEYS)
        try:
            flow_id = uuid.UUID(str(record["id"]))
        except ValueError:
            raise RecordError(f"{where}.id", "not a uuid") from None
        if record["cpr"] not in borgere:
            raise RecordError(f"{where}.cpr", "unknown citizen (list it under borgere)")
        for key in ("fraflytningskommune", "tilflytningskommune"):
            if record[key] not in kommuner:
                raise RecordError(f"{where}.{key}", f"unknown kommune code {record[key]!r}")
        if record["fraflytningskommune"] == record["tilflytningskommune"]:
            raise RecordError(where, "fraflytningskommune and tilflytningskommune are the same")
        rows.append(
            (
                where,
                {
                    "id": flow_id,
                    "borger_id": borgere[record["cpr"]],
                    "fraflytningskommune": record["fraflytningskommune"],
                    "tilflytningskommune": record["tilflytningskommune"],
                    "flyttedato": parse_date(record["flyttedato"], f"{where}.flyttedato"),
                },
            )
        )
    upsert(
        ctx,
        kind="borgerflytning",
        model=Borgerflytning,
        rows=rows,
        key=("id",),
        existing=Borgerflytning.objects.filter(pk__in=[attrs["id"] for _w, attrs in rows]),
    )
