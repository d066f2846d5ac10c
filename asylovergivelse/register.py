"""The `cv` key of a citizen in the register document: `{"nummer": "...", "status": "..."}`."""

from accessrules.register import borger_field
from accessrules.register.framework import RecordError, require_object
from asylovergivelse.models import CvStatus, JobnetCv

_STATUSES = frozenset(CvStatus.values)


@borger_field("cv", kind="jobnet-CV", model=JobnetCv, key=("borger_id",))
def cv_row(value: object, where: str, ctx) -> dict:
    require_object(value, where, {"nummer", "status"}, {"nummer", "status"})
    nummer, status = value["nummer"], value["status"]
    if not isinstance(nummer, str) or not 1 <= len(nummer) <= 50:
        raise RecordError(where, "nummer must be 1-50 characters")
    if not isinstance(status, str) or status not in _STATUSES:
        raise RecordError(where, f"status must be one of {sorted(_STATUSES)}")
    return {"nummer": nummer, "status": status}
