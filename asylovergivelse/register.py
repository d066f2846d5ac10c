"""The `cv` key of a citizen in the register document: `{"nummer": "...", "status": "..."}`."""

from accessrules.register import borger_field
from accessrules.register.framework import RecordError, require_object
from accessrules.register.upsert import upsert
from asylovergivelse.models import CvStatus, JobnetCv


@borger_field("cv")
def load_cv(items, ctx) -> None:
    rows = []
    for borger, value, where in items:
        require_object(value, where, {"nummer", "status"}, {"nummer", "status"})
        nummer, status = value["nummer"], value["status"]
        if not isinstance(nummer, str) or not 1 <= len(nummer) <= 50:
            raise RecordError(where, "nummer must be 1-50 characters")
        if status not in CvStatus.values:
            raise RecordError(where, f"status must be one of {sorted(CvStatus.values)}")
        rows.append((where, {"borger_id": borger.pk, "nummer": nummer, "status": status}))
    upsert(
        ctx,
        kind="jobnet-CV",
        model=JobnetCv,
        rows=rows,
        key=("borger_id",),
        existing=JobnetCv.objects.filter(
            borger_id__in=ctx.stored_borger_ids(b for b, _v, _w in items)
        ),
    )
