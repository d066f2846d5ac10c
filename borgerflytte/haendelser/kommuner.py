"""The kommuner and jobcentres the CPR events name, read once per intake (one query, a few
hundred rows) instead of once per event. Codes are compared as numbers: CPR writes `0101`
for the kommune the register stores as `101` (SPEC 5a)."""

from dataclasses import dataclass, field

from accessrules.access.organisationstyper import kommunekode_for
from accessrules.models import Organisation, OrganisationType
from borgerflytte.haendelser.validering import kommunenummer


@dataclass
class Kommuneregister:
    kommuner: dict[int, Organisation] = field(default_factory=dict)  # number -> Kommune
    # organisation id -> its kommune's number: a kommune's own, a jobcentre's (xxxNN -> xxx)
    kommune_af: dict[int, int | None] = field(default_factory=dict)
    jobcentre: set[int] = field(default_factory=set)  # ids of JobCenter organisations
    koder: dict[int, str] = field(default_factory=dict)  # organisation id -> its code

    @classmethod
    def load(cls) -> "Kommuneregister":
        register = cls()
        types = (OrganisationType.KOMMUNE, OrganisationType.JOBCENTER)
        # shortest code first, so that of "101" and a stray "0101" the canonical one wins
        rows = Organisation.objects.filter(type__in=types).order_by("type", "kode")
        for organisation in sorted(rows, key=lambda o: (o.type, len(o.kode), o.kode)):
            kode = kommunekode_for(organisation)
            number = kommunenummer(kode) if kode else None
            register.kommune_af[organisation.pk] = number
            register.koder[organisation.pk] = organisation.kode
            if organisation.type == OrganisationType.JOBCENTER:
                register.jobcentre.add(organisation.pk)
            elif number is not None:
                register.kommuner.setdefault(number, organisation)
        return register

    def kommune(self, number: int | None) -> Organisation | None:
        return self.kommuner.get(number) if number is not None else None

    def er_bolig(self, organisation_id: int) -> bool:
        """A tilknytning to this organisation is a residence (to a kommune)."""
        return organisation_id in self.kommune_af and organisation_id not in self.jobcentre
