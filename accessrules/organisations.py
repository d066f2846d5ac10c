"""Look-ups of organisations by what they are (see ORGANISATIONSTYPER)."""

from accessrules.models import Organisation, OrganisationType


def kommune_organisation_id(organisation: Organisation) -> int | None:
    """The id of the kommune organisation `organisation` belongs to: itself for a kommune;
    for a jobcentre looked up by code (a literal id, not a subquery, lets PostgreSQL plan a
    flow list with the kommune's own statistics); None when there is none."""
    if organisation.type == OrganisationType.KOMMUNE:
        return organisation.pk
    kode = organisation.kommunekode
    if kode is None:
        return None
    kommuner = Organisation.objects.filter(type=OrganisationType.KOMMUNE, kode=kode)
    return kommuner.values_list("pk", flat=True).first()


def jobcenter_for(kommunekode: str) -> Organisation | None:
    """A kommune's jobcentre: the jobcenter organisation of that kommune (lowest code if
    several)."""
    candidates = Organisation.objects.filter(
        type=OrganisationType.JOBCENTER, kode__startswith=kommunekode
    ).order_by("kode")
    return next((o for o in candidates if o.kommunekode == kommunekode), None)
