"""The answer for one CPR event (SPEC 5a): what the API returns per event, in the order sent,
and what the command counts."""

import uuid
from dataclasses import dataclass

from accessrules.core.errors import Violation
from borgerflytte.models import HaendelseStatus


@dataclass(frozen=True)
class Resultat:
    haendelse_id: str
    status: HaendelseStatus
    borgerflytning_id: uuid.UUID | None = None
    errors: tuple[Violation, ...] = ()

    def as_dict(self) -> dict:
        """The API's item: `{"haendelseId", "status", "borgerflytningId", "errors"}`."""
        return {
            "haendelseId": self.haendelse_id,
            "status": self.status.value,
            "borgerflytningId": str(self.borgerflytning_id) if self.borgerflytning_id else None,
            "errors": [violation.as_dict() for violation in self.errors],
        }
