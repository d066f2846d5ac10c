"""Access (SPEC 3): the seeds' tables as data, the one decision, `require` (one citizen), and
the one visibility mechanism, `restrict` (a queryset)."""

from accessrules.access.adgang import Adgang, concerning, grant_for, require, require_alle
from accessrules.access.synlighed import restrict, restrict_borgere, restrict_opslag, ser_alle

__all__ = [
    "Adgang",
    "concerning",
    "grant_for",
    "require",
    "require_alle",
    "restrict",
    "restrict_borgere",
    "restrict_opslag",
    "ser_alle",
]
