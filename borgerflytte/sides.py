"""Which side of a flow an organisation is on: A (fra) or B (til), by its kommunekode."""

from accessrules.models import Organisation, OrganisationType


def kommunekode_of(organisation: Organisation | None) -> str | None:
    return organisation.kommunekode if organisation is not None else None


def is_star(organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.type == OrganisationType.STAR


def may_confirm(organisation: Organisation | None, kommunekode: str) -> bool:
    """A kommune or a jobcentre of the kommune on that side, or STAR."""
    return is_star(organisation) or kommunekode_of(organisation) == kommunekode
