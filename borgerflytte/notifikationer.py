"""The events of a flow (SPEC 9) and who may see them: each subscribed organisation that sees
the flow under the list rule (SPEC 5: its kommune is A or B; STAR all) at the moment of the
write. Recorded in the write's transaction through `accessrules.notifikationer`."""

from collections.abc import Iterable

from accessrules.access.organisationstyper import Flytninger, kommunekode_for, ser_flytninger
from accessrules.models import Abonnement, Organisation
from accessrules.notifikationer.haendelser import Haendelse, Haendelsestype, abonnenter, registrer
from borgerflytte.models import Borgerflytning

OPRETTET = Haendelsestype.BORGERFLYTNING_OPRETTET
BEKRAEFTET = Haendelsestype.BORGERFLYTNING_BEKRAEFTET
AFSLUTTET = Haendelsestype.BORGERFLYTNING_AFSLUTTET
ANNULLERET = Haendelsestype.BORGERFLYTNING_ANNULLERET


def _synlig_for(koder: frozenset[str]):
    def synlig(abonnement: Abonnement) -> bool:
        organisation = abonnement.organisation
        match ser_flytninger(organisation):  # as the list (`accessrules.access.restrict`)
            case Flytninger.ALLE:
                return True
            case Flytninger.KOMMUNENS:
                return kommunekode_for(organisation) in koder
        return False

    return synlig


def registrer_flytninger(
    haendelser: Iterable[tuple[Borgerflytning, Haendelsestype, dict]],
) -> None:
    """Record (flow, type, extra data) events: the subscriptions are read in one query, and
    only when some subscription wants them the kommune codes in another."""
    haendelser = list(haendelser)
    subscribed = abonnenter({type_ for _, type_, _ in haendelser}) if haendelser else []
    if not subscribed:
        return
    ids = {f.fraflytningskommune_id for f, _, _ in haendelser}
    ids |= {f.tilflytningskommune_id for f, _, _ in haendelser}
    koder = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "kode"))
    events = []
    for flow, type_, extra in haendelser:
        fra, til = koder[flow.fraflytningskommune_id], koder[flow.tilflytningskommune_id]
        data = {
            "borgerflytningId": str(flow.pk),
            "tilstand": flow.tilstand,
            "fraflytningskommunekode": fra,
            "tilflytningskommunekode": til,
            **extra,
        }
        events.append(Haendelse(type_, str(flow.pk), data, _synlig_for(frozenset({fra, til}))))
    registrer(events, abonnementer=subscribed)
