"""The accessrules sections of the register document: organisations and citizens with their
affiliations, guest accesses and anden-aktør assignments (SPEC 7a)."""

from accessrules.core.bulk import analyze, create_rows, key_of, new_ids, where_in
from accessrules.core.cpr import is_valid_cpr
from accessrules.core.masking import mask_cpr
from accessrules.models import (
    AndenAktoerTildeling,
    Borger,
    Gaesteadgang,
    Kilde,
    Organisation,
    OrganisationType,
    Tilknytning,
)
from accessrules.register.framework import (
    ImportContext,
    RecordError,
    borger_field,
    borger_fields,
    parse_date,
    parse_period,
    require_list,
    require_object,
    section,
)
from accessrules.register.upsert import Matcher, stored_rows, upsert

_TYPES = {t.value for t in OrganisationType}


@section("organisationer", order=10, whole=True)
def load_organisationer(records: list, ctx: ImportContext, start: int = 0) -> None:
    rows = []
    for index, record in enumerate(records):
        where = f"organisationer[{index}]"
        require_object(record, where, {"type", "kode", "navn", "cvr"}, {"type", "kode", "navn"})
        kind = record["type"]
        if isinstance(kind, bool) or not isinstance(kind, int | float) or kind not in _TYPES:
            raise RecordError(where, f"type must be one of {sorted(_TYPES)}")
        kode, navn = record["kode"], record["navn"]
        if not isinstance(kode, str) or not 1 <= len(kode) <= 20 or " " in kode:
            raise RecordError(where, "kode must be 1-20 characters without spaces")
        if not isinstance(navn, str) or not 1 <= len(navn) <= 200:
            raise RecordError(where, "navn must be 1-200 characters")
        organisation = Organisation(type=int(kind), kode=kode, navn=navn)
        try:
            organisation.clean()
        except Exception as exc:  # django ValidationError: report it on the record
            raise RecordError(where, "; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        attributes = {"type": int(kind), "kode": kode, "navn": navn}
        if "cvr" in record:  # left out: the stored one stays; null: none
            attributes["cvr"] = _cvr(record["cvr"], where)
        rows.append((where, attributes))
    _check_cvr_unique(rows)
    upsert(
        ctx,
        kind="organisation",
        model=Organisation,
        rows=rows,
        key=("type", "kode"),
        existing=Organisation.objects.all(),
    )
    ctx.forget_organisations()  # new ones are read back on first use


def _cvr(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 8 or not value.isascii() or not value.isdigit():
        raise RecordError(f"{where}.cvr", "cvr must be 8 digits as a string, or null")
    return value


def _check_cvr_unique(rows: list[tuple[str, dict]]) -> None:
    """A CVR number names one organisation (SPEC 7a): in the document, and against the
    organisations stored that the document does not give another one (one lookup)."""
    given = {(a["type"], a["kode"]): (where, a["cvr"]) for where, a in rows if "cvr" in a}
    seen: dict[str, str] = {}
    for where, cvr in given.values():
        if cvr is not None and cvr in seen:
            raise RecordError(f"{where}.cvr", f"cvr {cvr} is also {seen[cvr]}'s")
        if cvr is not None:
            seen[cvr] = where
    stored = Organisation.objects.filter(cvr__in=list(seen)).values_list("type", "kode", "cvr")
    for kind, kode, cvr in stored:
        if (kind, kode) not in given:
            raise RecordError(
                f"{seen[cvr]}.cvr", f"cvr {cvr} belongs to organisation {kind}:{kode} already"
            )
        if given[(kind, kode)][1] != cvr:  # it moves from that organisation to another
            raise RecordError(
                f"{seen[cvr]}.cvr",
                f"cvr {cvr} belongs to {kind}:{kode} until a run that removes it there",
            )


_BORGER_KEYS = {"cpr", "doedsdato", "kontaktgruppe"}


@section("borgere", order=20)
def load_borgere(records: list, ctx: ImportContext, start: int = 0) -> None:
    """One chunk of citizens (`start`: the first one's index), then each per-citizen key (see
    borger_field), each in one COPY whose rows are checked as they are sent, so that the
    checking overlaps the database's work. One lookup of the chunk's citizens that exist, and
    one per key for their rows (none for the citizens this import creates); the ids of new
    citizens are reserved first (on PostgreSQL). A progress line per chunk."""
    fields = borger_fields()
    if start == 0:
        analyze(Borger, *(field.model for field in fields.values()))
    allowed = _BORGER_KEYS | fields.keys()
    cprs = [r["cpr"] for r in records if type(r) is dict and _maybe_cpr(r.get("cpr"))]
    matcher = Matcher(
        "borger", ("cpr",), stored_rows(where_in_values(Borger, "cpr", cprs)), model=Borger
    )
    ids = new_ids(Borger, len(records) - len(matcher.index))  # enough unless in error
    wheres, citizens = [], []  # per record: where, its attributes

    def new_citizens():
        reserved = iter(ids or ())
        for i, record in enumerate(records, start):
            where, attributes = _borger_row(record, f"borgere[{i}]", allowed)
            wheres.append(where)
            citizens.append(attributes)
            if matcher.match(where, attributes):
                if ids is not None:
                    attributes["id"] = next(reserved)
                yield attributes

    created = create_rows(Borger, new_citizens())  # on PostgreSQL with the reserved ids
    # a CPR an earlier chunk had; the chunk's own twice are the matcher's
    ctx.first_time("borger", [(w, a["cpr"]) for w, a in zip(wheres, citizens, strict=True)])
    matcher.save(ctx, Borger)
    borger_ids = {obj.cpr: obj.id for obj in matcher.index.values()}
    borger_ids.update((row["cpr"], row["id"]) for row in created)
    citizen_ids = [borger_ids[attributes["cpr"]] for attributes in citizens]
    stored_ids = {obj.id for obj in matcher.index.values()}
    for field in fields.values():
        _load_field(field, records, wheres, citizen_ids, stored_ids, ctx)
    total = ctx.totals.get("borgere", start + len(records))
    ctx.report(f"borgere: {start + len(records)}/{total}")


def where_in_values(model, field: str, values):
    """where_in's rows as dicts of every column, not instances (see stored_rows)."""
    names = [f.attname for f in model._meta.concrete_fields]
    return where_in(model.objects.values(*names), field, values)


def _maybe_cpr(value: object) -> bool:
    """Worth looking up (a valid CPR or not: _borger_row checks)."""
    return type(value) is str and len(value) == 10


def _load_field(field, records, wheres, citizen_ids, stored_ids: set, ctx: ImportContext):
    """One per-citizen key: the rows of new citizens COPYed as they are checked (nothing of
    theirs can exist; a key twice can only be within one citizen), those of citizens that
    existed upserted after."""
    name, natural_key = field.name, key_of(field.key)
    of_stored = []

    def new_rows():
        for record, where, borger_id in zip(records, wheres, citizen_ids, strict=True):
            value = record.get(name)
            if value is None:
                continue
            rows = _related_rows(field, value, where, ctx, borger_id)
            if borger_id in stored_ids:
                of_stored.extend(rows)
                continue
            if len(rows) > 1:
                seen = set()
                for at, attributes in rows:
                    key = natural_key(attributes)
                    if key in seen:
                        raise RecordError(at, f"duplicate {field.kind} {key!r} in the document")
                    seen.add(key)
            for _at, attributes in rows:
                yield attributes

    ctx.count(field.kind, "created", len(create_rows(field.model, new_rows())))
    if of_stored:
        existing = stored_rows(where_in_values(field.model, "borger_id", stored_ids))
        upsert(
            ctx,
            kind=field.kind,
            model=field.model,
            rows=of_stored,
            key=field.key,
            existing=existing,
            protected=field.protected,
        )


def _related_rows(field, value, where: str, ctx: ImportContext, borger_id: int) -> list:
    """Check a citizen's value of `field`: its rows, as (where, attributes) pairs."""
    if not field.many:
        at = f"{where}.{field.name}"
        attributes = field.row(value, at, ctx)
        attributes["borger_id"] = borger_id
        return [(at, attributes)]
    rows = []
    for j, item in enumerate(require_list(value, f"{where}.{field.name}")):
        at = f"{where}.{field.name}[{j}]"
        attributes = field.row(item, at, ctx)
        attributes["borger_id"] = borger_id
        rows.append((at, attributes))
    return rows


def _borger_row(record: object, where: str, allowed: set) -> tuple[str, dict]:
    require_object(record, where, allowed, {"cpr"})
    if not is_valid_cpr(record["cpr"]) or record["cpr"] == "0000000000":
        raise RecordError(where, "cpr is not a valid CPR number")
    where = f"{where} (cpr {mask_cpr(record['cpr'])})"
    attributes = {"cpr": record["cpr"]}
    if "doedsdato" in record:
        attributes["doedsdato"] = parse_date(
            record["doedsdato"], where, optional=True, field="doedsdato"
        )
    if "kontaktgruppe" in record:
        gruppe = record["kontaktgruppe"] or ""
        if not isinstance(gruppe, str) or len(gruppe) > 50:
            raise RecordError(where, "kontaktgruppe must be text of at most 50 chars")
        attributes["kontaktgruppe"] = gruppe
    return where, attributes


_PERIOD = {"organisation", "fra", "til"}


def _set_by_others(tilknytning: Tilknytning) -> str | None:
    """A residence or affiliation that a CPR event, a completed flow or a caseworker set."""
    if tilknytning.kilde == Kilde.REGISTER:
        return None
    return f"set by: {tilknytning.get_kilde_display()}"


@borger_field(
    "tilknytninger",
    kind="tilknytning",
    model=Tilknytning,
    key=("borger_id", "organisation_id", "fra"),
    many=True,
    protected=_set_by_others,
)
def tilknytning_row(rel: object, at: str, ctx: ImportContext) -> dict:
    require_object(rel, at, _PERIOD, {"organisation", "fra"})
    org = ctx.organisation(rel["organisation"], at, "organisation")
    if org.type not in (OrganisationType.KOMMUNE, OrganisationType.JOBCENTER):
        raise RecordError(at, "a tilknytning is to a kommune (7) or a jobcenter (8)")
    fra, til = parse_period(rel, at)
    return {"organisation_id": org.pk, "fra": fra, "til": til}


@borger_field(
    "gaesteadgange",
    kind="gaesteadgang",
    model=Gaesteadgang,
    key=("borger_id", "organisation_id", "fra"),
    many=True,
)
def gaesteadgang_row(rel: object, at: str, ctx: ImportContext) -> dict:
    require_object(rel, at, _PERIOD, _PERIOD)
    org = ctx.organisation(rel["organisation"], at, "organisation")
    fra, til = parse_period(rel, at, til_required=True)
    return {"organisation_id": org.pk, "fra": fra, "til": til}


@borger_field(
    "andenAktoerTildelinger",
    kind="anden aktør-tildeling",
    model=AndenAktoerTildeling,
    key=("borger_id", "anden_aktoer_id", "fra"),
    many=True,
)
def tildeling_row(rel: object, at: str, ctx: ImportContext) -> dict:
    keys = {"organisation", "jobcenter", "fra", "til"}
    require_object(rel, at, keys, {"organisation", "jobcenter", "fra"})
    aktoer = ctx.organisation(rel["organisation"], at, "organisation")
    jobcenter = ctx.organisation(rel["jobcenter"], at, "jobcenter")
    if aktoer.type != OrganisationType.ANDEN_AKTOER:
        raise RecordError(at, "organisation must be an anden aktør (4)")
    if jobcenter.type != OrganisationType.JOBCENTER:
        raise RecordError(at, "jobcenter must be a jobcenter (8)")
    fra, til = parse_period(rel, at)
    return {"anden_aktoer_id": aktoer.pk, "jobcenter_id": jobcenter.pk, "fra": fra, "til": til}
