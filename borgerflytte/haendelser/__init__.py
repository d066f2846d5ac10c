"""CPR events (SPEC 5a): moves, first registrations and deaths from the CPR register, the
source of truth for where a citizen lives and whether they are alive. One intake for the API,
the command `indlaes_cpr_haendelser` and the admin; no web framework here.

- `valider_batch(body)` / `valider_haendelse(raw, felt)`: the shape (400 1014), as violations.
- `modtag_haendelser(haendelser=[...], kilde=...)`: a checked batch, applied, a `Resultat`
  per event in order; `modtag_haendelse(haendelse=..., kilde=...)` for one.
- `anvend_haendelser(haendelser=iterable, kilde=...)`: well-formed events streamed in chunks.
"""

from borgerflytte.haendelser.modtag import (
    CHUNK_SIZE,
    anvend_haendelser,
    modtag_haendelse,
    modtag_haendelser,
)
from borgerflytte.haendelser.resultat import Resultat
from borgerflytte.haendelser.validering import (
    MAX_BATCH,
    TYPES,
    Haendelse,
    laes_haendelse,
    valider_batch,
    valider_haendelse,
)

__all__ = [
    "CHUNK_SIZE",
    "MAX_BATCH",
    "TYPES",
    "Haendelse",
    "Resultat",
    "anvend_haendelser",
    "laes_haendelse",
    "modtag_haendelse",
    "modtag_haendelser",
    "valider_batch",
    "valider_haendelse",
]
