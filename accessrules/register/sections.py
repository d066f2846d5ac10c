"""The accessrules sections of the register document: organisations and citizens with their
affiliations, guest accesses and anden-aktør assignments (SPEC 7a)."""

from accessrules.cpr import is_valid_cpr, mask_cpr
from accessrules.models import (
    AndenAktoerTildeling,
    Borger,
    Gaesteadgang,
    Organisation,
    OrganisationType,
    Tilknytning,
)
from accessrules.register.framework import (
    ImportContext,
    RecordError,
    borger_fields,
    chunks,
    parse_date,
    parse_period,
    require_list,
    require_object,
    section,
)
from accessrules.register.upsert import upsert, where_in

_TYPES = {t.value for t in OrganisationType}


@section("organisationer", order=10)
def load_organisationer(records: list, ctx: ImportContext) -> None:
    rows = []
    for index, record in enumerate(records):
        where = f"organisationer[{index}]"
        require_object(record, where, {"type", "kode", "navn"}, {"type", "kode", "navn"})
        if record["type"] not in _TYPES or isinstance(record["type"], bool):
            raise RecordError(where, f"type must be one of {sorted(_TYPES)}")
        kode, navn = record["kode"], record["navn"]
        if not isinstance(kode, str) or not 1 <= len(kode) <= 20 or " " in kode:
            raise RecordError(where, "kode must be 1-20 characters without spaces")
        if not isinstance(navn, str) or not 1 <= len(navn) <= 200:
            raise RecordError(where, "navn must be 1-200 characters")
        organisation = Organisation(type=record["type"], kode=kode, navn=navn)
        try:
            organisation.clean()
        except Exception as exc:  # django ValidationError: report it on the record
            raise RecordError(where, "; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        rows.append((where, {"type": record["type"], "kode": kode, "navn": navn}))
    upsert(
        ctx,
        kind="organisation",
        model=Organisation,
        rows=rows,
        key=("type", "kode"),
        existing=Organisation.objects.all(),
    )
    ctx.forget_organisations()  # new ones are read back on first use


_BORGER_KEYS = {
    "cpr",
    "doedsdato",
    "kontaktgruppe",
    "tilknytninger",
    "gaesteadgange",
    "andenAktoerTildelinger",
}


@section("borgere", order=20)
def load_borgere(records: list, ctx: ImportContext) -> None:
    extra_fields = borger_fields()
    allowed = _BORGER_KEYS | set(extra_fields)
    for start, chunk in chunks(records):
        rows = []
        for offset, record in enumerate(chunk):
            where = f"borgere[{start + offset}]"
            require_object(record, where, allowed, {"cpr"})
            if not is_valid_cpr(record["cpr"]) or record["cpr"] == "0000000000":
                raise RecordError(where, "cpr is not a valid CPR number")
            where = f"{where} (cpr {mask_cpr(record['cpr'])})"
            attributes = {"cpr": record["cpr"]}
            if "doedsdato" in record:
                attributes["doedsdato"] = parse_date(
                    record["doedsdato"], f"{where}.doedsdato", optional=True
                )
            if "kontaktgruppe" in record:
                gruppe = record["kontaktgruppe"] or ""
                if not isinstance(gruppe, str) or len(gruppe) > 50:
                    raise RecordError(where, "kontaktgruppe must be text of at most 50 chars")
                attributes["kontaktgruppe"] = gruppe
            rows.append((where, attributes))
        stored = list(where_in(Borger.objects.all(), "cpr", [a["cpr"] for _w, a in rows]))
        ids = upsert(
            ctx,
            kind="borger",
            model=Borger,
            rows=rows,
            key=("cpr",),
            existing=stored,
            need_ids=True,
        ).ids
        ctx.note_borgere({cpr: borger_id for (cpr,), borger_id in ids.items()}, stored)
        items = [
            (ids[(attributes["cpr"],)], record, where)
            for (where, attributes), record in zip(rows, chunk, strict=True)
        ]
        _load_relations(items, ctx)
        for key, handler in extra_fields.items():
            present = [(b, r[key], f"{w}.{key}") for b, r, w in items if r.get(key) is not None]
            if present:
                handler(present, ctx)
        ctx.report(f"borgere: {start + len(chunk)}/{len(records)}")


def _load_relations(items, ctx: ImportContext) -> None:
    borger_ids = ctx.stored_borger_ids(borger_id for borger_id, _record, _where in items)
    tilknytninger, gaester, tildelinger = [], [], []
    for borger_id, record, where in items:
        for i, rel in enumerate(require_list(record.get("tilknytninger") or [], where)):
            at = f"{where}.tilknytninger[{i}]"
            require_object(rel, at, {"organisation", "fra", "til"}, {"organisation", "fra"})
            org = ctx.organisation(rel["organisation"], f"{at}.organisation")
            if org.type not in (OrganisationType.KOMMUNE, OrganisationType.JOBCENTER):
                raise RecordError(at, "a tilknytning is to a kommune (7) or a jobcenter (8)")
            fra, til = parse_period(rel, at)
            tilknytninger.append(
                (at, {"borger_id": borger_id, "organisation_id": org.pk, "fra": fra, "til": til})
            )
        for i, rel in enumerate(require_list(record.get("gaesteadgange") or [], where)):
            at = f"{where}.gaesteadgange[{i}]"
            require_object(rel, at, {"organisation", "fra", "til"}, {"organisation", "fra", "til"})
            org = ctx.organisation(rel["organisation"], f"{at}.organisation")
            fra, til = parse_period(rel, at, til_required=True)
            gaester.append(
                (at, {"borger_id": borger_id, "organisation_id": org.pk, "fra": fra, "til": til})
            )
        for i, rel in enumerate(require_list(record.get("andenAktoerTildelinger") or [], where)):
            at = f"{where}.andenAktoerTildelinger[{i}]"
            keys = {"organisation", "jobcenter", "fra", "til"}
            require_object(rel, at, keys, {"organisation", "jobcenter", "fra"})
            aktoer = ctx.organisation(rel["organisation"], f"{at}.organisation")
            jobcenter = ctx.organisation(rel["jobcenter"], f"{at}.jobcenter")
            if aktoer.type != OrganisationType.ANDEN_AKTOER:
                raise RecordError(at, "organisation must be an anden aktør (4)")
            if jobcenter.type != OrganisationType.JOBCENTER:
                raise RecordError(at, "jobcenter must be a jobcenter (8)")
            fra, til = parse_period(rel, at)
            tildelinger.append(
                (
                    at,
                    {
                        "borger_id": borger_id,
                        "anden_aktoer_id": aktoer.pk,
                        "jobcenter_id": jobcenter.pk,
                        "fra": fra,
                        "til": til,
                    },
                )
            )
    upsert(
        ctx,
        kind="tilknytning",
        model=Tilknytning,
        rows=tilknytninger,
        key=("borger_id", "organisation_id", "fra"),
        existing=where_in(Tilknytning.objects.all(), "borger_id", borger_ids),
    )
    upsert(
        ctx,
        kind="gaesteadgang",
        model=Gaesteadgang,
        rows=gaester,
        key=("borger_id", "organisation_id", "fra"),
        existing=where_in(Gaesteadgang.objects.all(), "borger_id", borger_ids),
    )
    upsert(
        ctx,
        kind="anden aktør-tildeling",
        model=AndenAktoerTildeling,
        rows=tildelinger,
        key=("borger_id", "anden_aktoer_id", "fra"),
        existing=where_in(AndenAktoerTildeling.objects.all(), "borger_id", borger_ids),
    )
