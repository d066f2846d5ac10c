"""Access (SPEC 3): the seeds' tables as data and the one decision, `require`."""

from accessrules.access.adgang import Adgang, concerning, grant_for, require, require_alle

__all__ = ["Adgang", "concerning", "grant_for", "require", "require_alle"]
