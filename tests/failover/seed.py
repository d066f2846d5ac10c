"""The failover test's records, made in the cluster's database by the project's own factories.

Run in a fresh interpreter on the cluster (`DATABASE_URL` its multi-host URL), after migrate:

    python -m tests.failover.seed N  ->  one JSON object on standard output

N citizens of each kind: refugees of jobcenter 10100 without a transition (for creates), with
one (for updates and reads), and citizens of kommune 101 moving to 147 with a flow waiting for
the departure confirmation (for confirmations). A jobcenter client and STAR's system client
(CPR events) with tokens.
"""

import datetime
import json
import sys

import django


def main(count: int) -> dict:
    django.setup()
    from django.utils import timezone

    from accessrules.oauth.scopes import CPRHAENDELSER_WRITE
    from asylovergivelse.models import Asylovergivelse, JobnetCv
    from tests.borgerflytte.conftest import BorgerflytningFactory
    from tests.conftest import ALL_SCOPES
    from tests.factories import (
        ApiClientFactory,
        BorgerFactory,
        JobcenterFactory,
        KommuneFactory,
        StarFactory,
        TilknytningFactory,
        access_token_for,
    )

    kommune = KommuneFactory(kode="101", navn="København")
    KommuneFactory(kode="147", navn="Frederiksberg")
    jobcenter = JobcenterFactory(kode="10100")
    star = StarFactory()
    today = timezone.localdate()

    def refugee():
        borger = BorgerFactory(kontaktgruppe="flygtning")
        TilknytningFactory(borger=borger, organisation=jobcenter)
        TilknytningFactory(borger=borger, organisation=kommune)
        JobnetCv.objects.create(borger=borger, nummer=f"CV-{borger.pk}", status="aktiv")
        return borger

    new = [refugee().cpr for _ in range(count)]
    existing = []
    for _ in range(count):
        borger = refugee()
        Asylovergivelse.objects.create(
            borger=borger,
            cv_edit_end_date=today + datetime.timedelta(days=40),
            overgivelsesdato=today + datetime.timedelta(days=10),
            overgivelseskommunekode="101",
        )
        existing.append(borger.cpr)
    flows = []
    for _ in range(count):
        borger = BorgerFactory()
        TilknytningFactory(borger=borger, organisation=jobcenter)
        flows.append([str(BorgerflytningFactory(borger=borger).pk), borger.cpr])

    def caller(organisation, scopes, **kwargs):
        client = ApiClientFactory(organisationer=[organisation], **kwargs)
        return {
            "token": access_token_for(client, scopes),
            "type": str(organisation.type),
            "code": organisation.kode,
        }

    return {
        "jobcenter": caller(jobcenter, ALL_SCOPES),
        "star": caller(star, [CPRHAENDELSER_WRITE.navn], system=True),
        "new": new,
        "existing": existing,
        "flows": flows,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
