"""A CPR event's receipt as a chunk handles it (a `HaendelseKvittering` row to be): a stored
one's few columns that a replay needs, or a new one's values. Plain data, not a model
instance: a chunk makes one per event, and the instance (its field defaults and foreign-key
descriptors) cost more than the rest of the receipt's way to the database."""

import datetime
import uuid
from dataclasses import dataclass, field

from accessrules.models import Borger


@dataclass(slots=True)
class Kvittering:
    haendelse_id: str
    fingeraftryk: str
    status: str = ""
    pk: int | None = None  # stored
    type: str = ""  # the rest: a new one's, or a stored one's latest result
    indhold: dict | None = None
    fejl: list = field(default_factory=list)
    borger: Borger | None = None  # its pk is known once the chunk's new citizens are written
    borgerflytning_id: uuid.UUID | None = None
    modtaget: datetime.datetime | None = None
    resultat_tidspunkt: datetime.datetime | None = None
    kilde: str = ""

    def resultat(self) -> dict:
        """The columns of the latest result (a re-sent rejected event updates only these)."""
        return {
            "status": self.status,
            "fejl": self.fejl,
            "borger_id": self.borger.pk if self.borger is not None else None,
            "borgerflytning_id": self.borgerflytning_id,
            "resultat_tidspunkt": self.resultat_tidspunkt,
            "kilde": self.kilde,
        }

    def row(self) -> dict:
        """A new receipt's row."""
        return {
            "haendelse_id": self.haendelse_id,
            "type": self.type,
            "indhold": self.indhold,
            "fingeraftryk": self.fingeraftryk,
            "modtaget": self.modtaget,
            **self.resultat(),
        }
