"""The `borgerflytninger` section of the register document (SPEC 7a), upsert by id.

A flow that a side has confirmed, or that is closed (also by a CPR event's cancellation), is
never changed by an import: it is reported and left as it is (SPEC 7). New and changed flows get
a history row ("import_register"), as changes through the API and admin do; a new flow's
`borgerflytning.oprettet` event is recorded in the import's transaction (SPEC 9)."""

import uuid

from django.utils import timezone

from accessrules.core.bulk import analyze, create_rows, where_in
from accessrules.core.masking import mask_cpr
from accessrules.models import Borger, Organisation, OrganisationType, Tilknytning
from accessrules.models.historik import HistorikKilde
from accessrules.register import section
from accessrules.register.framework import RecordError, parse_date, require_object
from accessrules.register.upsert import Matcher
from borgerflytte.models import Borgerflytning, Tilstand
from borgerflytte.notifikationer import OPRETTET, registrer_flytninger

_KEYS = {"id", "cpr", "fraflytningskommune", "tilflytningskommune", "flyttedato"}
_SIDES = ("fraflytningskommune", "tilflytningskommune")


@section("borgerflytninger", order=30)
def load_borgerflytninger(records: list, ctx, start: int = 0) -> None:
    """One chunk of flows (`start`: the first one's index): its citizens looked up by CPR
    (those of this document are written by then), its stored flows by id."""
    if start == 0:  # the citizens and residences this import wrote count
        analyze(Borger, Tilknytning, Borgerflytning)
    kommuner = dict(
        Organisation.objects.filter(type=OrganisationType.KOMMUNE).values_list("kode", "pk")
    )
    cprs = {r.get("cpr") for r in records if isinstance(r, dict) and isinstance(r.get("cpr"), str)}
    borgere = dict(where_in(Borger.objects.values_list("cpr", "pk"), "cpr", cprs))
    ids = [flow_id for r in records if isinstance(r, dict) and (flow_id := _uuid(r.get("id")))]
    stored = where_in(Borgerflytning.objects.all(), "id", ids)
    matcher = Matcher("borgerflytning", ("id",), stored, _confirmed_or_closed, ctx)
    changed, now = set(), timezone.now()

    def new_flows():
        """Check every record; yield the new flows (written as they are checked)."""
        for i, record in enumerate(records, start):
            where, attributes = _row(record, f"borgerflytninger[{i}]", kommuner, borgere)
            wheres.append((where, str(attributes["id"])))
            flow = matcher.stored_row(attributes)  # before match() applies the changes to it
            if flow is not None and _changes(flow, attributes):
                changed.add(flow.pk)
            if matcher.match(where, attributes):  # new
                attributes["oprettet"] = now  # set here, so that its history row has the same
                yield attributes

    wheres = []  # (where, id) of each flow, for the ids an earlier chunk had
    created = create_rows(Borgerflytning, new_flows())
    ctx.first_time("borgerflytning", wheres)
    matcher.save(ctx, Borgerflytning)
    _record_history(created, changed, now)
    # a new flow is news to its sides wherever it comes from: `borgerflytning.oprettet`, in
    # the import's transaction, as the CPR intake does (docs/operations.md, the register)
    registrer_flytninger((Borgerflytning(**values), OPRETTET, {}) for values in created)
    _report_flows_without_residence_in_b(records, kommuner, borgere, ctx, start)


def _report_flows_without_residence_in_b(
    records: list, kommuner: dict, borgere: dict, ctx, start: int
):
    """A waiting flow whose citizen has no residence in B from flyttedato cannot be confirmed
    by B (6005: access follows residence, SPEC 3) until the CPR register reports the move:
    each is reported and counted, not refused (SPEC 7a's document may come before the event)."""
    # every record passed _row, so it is well formed; only flows still waiting matter
    waiting = set(
        where_in(
            Borgerflytning.objects.filter(tilstand=Tilstand.AFVENTER).values_list("id", flat=True),
            "id",
            [uuid.UUID(str(r["id"])) for r in records],
        )
    )
    wanted = [(i, r) for i, r in enumerate(records, start) if uuid.UUID(str(r["id"])) in waiting]
    boliger = {}
    for borger_id, organisation_id, fra, til in where_in(
        Tilknytning.objects.filter(
            organisation_id__in={kommuner[r["tilflytningskommune"]] for _i, r in wanted}
        ).values_list("borger_id", "organisation_id", "fra", "til"),
        "borger_id",
        {borgere[r["cpr"]] for _i, r in wanted},
    ):
        boliger.setdefault((borger_id, organisation_id), []).append((fra, til))
    for i, record in wanted:
        flyttedato = parse_date(record["flyttedato"], f"borgerflytninger[{i}].flyttedato")
        key = (borgere[record["cpr"]], kommuner[record["tilflytningskommune"]])
        if any(
            fra <= flyttedato and (til is None or til >= flyttedato)
            for fra, til in boliger.get(key, [])
        ):
            continue
        ctx.count("borgerflytning", "without residence in B")
        ctx.report(
            f"borgerflytninger[{i}] (cpr {mask_cpr(record['cpr'])}): no residence in kommune "
            f"{record['tilflytningskommune']} from flyttedato {flyttedato.isoformat()}; "
            "kommune B and its jobcentres cannot confirm the move-in (6005) until one is "
            "registered"
        )


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _record_history(created: list[dict], changed: set, now) -> None:
    """One history row per new ("+") or changed ("~") flow, written as the flows are (COPY):
    a new flow's from the values written (the history model's defaults are the flow's for
    the rest), a changed one's read back."""
    history = {
        "history_date": now,
        "history_change_reason": "import_register",
        "kilde": HistorikKilde.REGISTER.value,
    }
    names = [f.attname for f in Borgerflytning.history.model.tracked_fields]  # no sort key
    rows = [
        {**{n: v for n, v in values.items() if n in names}, **history, "history_type": "+"}
        for values in created
    ]
    if changed:
        rows += [
            {**values, **history, "history_type": "~"}
            for values in where_in(Borgerflytning.objects.values(*names), "id", changed)
        ]
    create_rows(Borgerflytning.history.model, rows)


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


def _changes(flow: Borgerflytning, attributes: dict) -> bool:
    """Will the record change the stored flow (so: a history row)? Not one that is left."""
    differs = any(getattr(flow, name) != value for name, value in attributes.items())
    return differs and _confirmed_or_closed(flow) is None


def _confirmed_or_closed(flow: Borgerflytning) -> str | None:
    """A flow a side has confirmed, or that is closed, is left as it is (SPEC 7): its
    confirmations and the affiliation move were made for what it says."""
    if flow.tilstand != Tilstand.AFVENTER:
        return f"borgerflytning {flow.pk} is {flow.tilstand}"
    if flow.fraflytning_tidspunkt or flow.tilflytning_tidspunkt:
        return f"borgerflytning {flow.pk} is confirmed"
    return None
