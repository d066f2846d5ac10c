"""The `borgerflytninger` section of the register document (SPEC 7a), upsert by id.

A flow that a side has confirmed, or that is closed, is never changed by an import (its
confirmations and the affiliation move were made for what it says). New and changed flows get
a history row ("import_register"), as changes through the API and admin do."""

import uuid

from django.db.models import QuerySet
from django.utils import timezone

from accessrules.models import Borger, Organisation, OrganisationType
from accessrules.register import section
from accessrules.register.framework import RecordError, parse_date, require_object
from accessrules.register.upsert import create_rows, field_defaults, upsert, where_in
from borgerflytte.models import Borgerflytning, Tilstand

_KEYS = {"id", "cpr", "fraflytningskommune", "tilflytningskommune", "flyttedato"}
_SIDES = ("fraflytningskommune", "tilflytningskommune")


@section("borgerflytninger", order=30)
def load_borgerflytninger(records: list, ctx) -> None:
    kommuner = dict(
        Organisation.objects.filter(type=OrganisationType.KOMMUNE).values_list("kode", "pk")
    )
    cprs = {r.get("cpr") for r in records if isinstance(r, dict) and isinstance(r.get("cpr"), str)}
    borgere = {cpr: ctx.borger_ids[cpr] for cpr in cprs & ctx.borger_ids.keys()}
    if cprs - borgere.keys():  # citizens not in this document's borgere
        known = where_in(Borger.objects.all(), "cpr", cprs - borgere.keys())
        borgere.update(known.values_list("cpr", "pk"))
    rows = [
        _row(record, f"borgerflytninger[{i}]", kommuner, borgere)
        for i, record in enumerate(records)
    ]
    stored = {flow.pk: flow for flow in _flows_with_ids([a["id"] for _w, a in rows])}
    changed = {
        a["id"] for where, a in rows if a["id"] in stored and _changes(stored[a["id"]], a, where)
    }
    now = timezone.now()
    for _where, attributes in rows:
        if attributes["id"] not in stored:
            attributes["oprettet"] = now  # set here, so that its history row has the same
    upserted = upsert(
        ctx,
        kind="borgerflytning",
        model=Borgerflytning,
        rows=rows,
        key=("id",),
        existing=stored.values(),
    )
    _record_history(upserted.created, changed, now)


def _record_history(created: list[dict], changed: set, now) -> None:
    """One history row per new ("+") or changed ("~") flow, written as the flows are (COPY):
    a new flow's from its attributes and the defaults, a changed one's read back."""
    names = [f.attname for f in Borgerflytning._meta.concrete_fields]
    defaults = field_defaults(Borgerflytning, now)
    history = [({**defaults, **values}, "+") for values in created]
    if changed:
        history += [(v, "~") for v in _flows_with_ids(list(changed)).values(*names)]
    create_rows(
        Borgerflytning.history.model,
        [
            {
                **{name: values[name] for name in names},
                "history_date": now,
                "history_type": history_type,
                "history_change_reason": "import_register",
            }
            for values, history_type in history
        ],
    )


def _flows_with_ids(ids) -> QuerySet:
    return where_in(Borgerflytning.objects.all(), "id", ids)


def _row(record, where: str, kommuner: dict, borgere: dict) -> tuple[str, dict]:
    require_object(record, where, _KEYS, _KEYS)
    try:
        flow_id = uuid.UUID(str(record["id"]))
    except ValueError:
        raise RecordError(f"{where}.id", "not a uuid") from None
    if not isinstance(record["cpr"], str) or record["cpr"] not in borgere:
        raise RecordError(f"{where}.cpr", "unknown citizen (list it under borgere)")
    for key in _SIDES:
        if not isinstance(record[key], str) or record[key] not in kommuner:
            raise RecordError(f"{where}.{key}", f"unknown kommune code {record[key]!r}")
    if record["fraflytningskommune"] == record["tilflytningskommune"]:
        raise RecordError(where, "fraflytningskommune and tilflytningskommune are the same")
    return where, {
        "id": flow_id,
        "borger_id": borgere[record["cpr"]],
        "fraflytningskommune_id": kommuner[record["fraflytningskommune"]],
        "tilflytningskommune_id": kommuner[record["tilflytningskommune"]],
        "flyttedato": parse_date(record["flyttedato"], f"{where}.flyttedato"),
    }


def _changes(flow: Borgerflytning, attributes: dict, where: str) -> bool:
    """Does the record change the stored flow? Refuses to change a confirmed or closed one."""
    if all(getattr(flow, name) == value for name, value in attributes.items()):
        return False
    if (
        flow.tilstand != Tilstand.AFVENTER
        or flow.fraflytning_tidspunkt
        or flow.tilflytning_tidspunkt
    ):
        state = "confirmed" if flow.tilstand == Tilstand.AFVENTER else flow.tilstand
        raise RecordError(where, f"borgerflytning {flow.pk} is {state}; an import cannot change it")
    return True
