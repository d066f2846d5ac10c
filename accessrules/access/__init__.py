"""Access (SPEC 3): the seeds' tables as data and the one decision, `require`."""

from accessrules.access.adgang import Adgang, Lookup, grant_for, require, require_alle

__all__ = ["Adgang", "Lookup", "grant_for", "require", "require_alle"]
