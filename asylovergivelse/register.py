"""The `cv` key of a citizen in the register document: `{"nummer": "...", "status": "..."}`."""

from accessrules.register import borger_field
from accessrules.register.framework import RecordError, require_object
from accessrules.register.upsert import upsert, where_in
from asylovergivelse.models import CvStatus, JobnetCv

_STATUSES = frozenset(CvStatus.values)


@borger_field("cv")
def load_cv(items, ctx) -> None:
    rows = []
    for borger_id, value, where in items:
        require_object(value, where, {"nummer", "status"}, {"nummer", "status"})
        nummer, status = value["nummer"], value["status"]
        if not isinstance(nummer, str) or not 1 <= len(nummer) <= 50:
            raise RecordError(where, "nummer must be 1-50 characters")
        if status not in _STATUSES:
            raise RecordError(where, f"status must be one of {sorted(_STATUSES)}")
        rows.append((where, {"borger_id": borger_id, "nummer": nummer, "status": status}))
    upsert(
        ctx,
        kind="jobnet-CV",
        model=JobnetCv,
        rows=rows,
        key=("borger_id",),
        existing=where_in(
            JobnetCv.objects.all(),
            "borger_id",
            ctx.stored_borger_ids(borger_id for borger_id, _v, _w in items),
        ),
    )
