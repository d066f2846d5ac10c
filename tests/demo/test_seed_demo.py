"""seed_demo: the data set covers every relation, state and status; every run brings the demo
back to one starting state, touching the demo's records only; it refuses to run outside DEBUG
or DEMO=1; and the printed script works as printed, twice in a row with seed_demo between,
with the same statuses."""

import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accessrules.models import (
    AccessLogEntry,
    ApiClient,
    Borger,
    Gaesteadgang,
    Organisation,
    OrganisationType,
    RequestId,
    Tilknytning,
)
from accessrules.oauth import scopes
from asylovergivelse.models import Asylovergivelse, JobnetCv
from borgerflytte.models import Borgerflytning, HaendelseKvittering
from config import demo
from tests.factories import ApiClientFactory, BorgerFactory


def seed(base_url="http://127.0.0.1:8000") -> str:
    out = StringIO()
    with override_settings(DEMO_ALLOWED=True):
        call_command("seed_demo", "--base-url", base_url, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> dict:
    """The demo's state, in values that do not depend on row ids or run times."""
    borgere = Borger.objects.filter(cpr__in=demo.CPR.values())
    return {
        "tilknytninger": sorted(
            Tilknytning.objects.filter(borger__in=borgere).values_list(
                "borger__cpr", "organisation__kode", "fra", "til"
            )
        ),
        "flows": sorted(
            Borgerflytning.objects.filter(borger__in=borgere).values_list(
                "borger__cpr", "tilstand", "flyttedato", "fraflytning_organisation__kode"
            ),
            key=str,
        ),
        "flow_history": Borgerflytning.history.filter(borger__in=borgere).count(),
        "transitions": sorted(
            Asylovergivelse.objects.filter(borger__in=borgere).values_list(
                "borger__cpr", "overgivelsesdato", "cv_edit_end_date"
            )
        ),
        "transition_history": sorted(
            Asylovergivelse.history.values_list("borger__cpr", "history_type")
        ),
        "receipts": HaendelseKvittering.objects.count(),
        "access_log": AccessLogEntry.objects.count(),
        "request_ids": RequestId.objects.count(),
        "clients": sorted(ApiClient.objects.values_list("navn", flat=True)),
    }


@pytest.mark.django_db
def test_the_data_set_has_every_state_status_and_relation():
    seed()
    assert set(Borgerflytning.objects.values_list("tilstand", flat=True)) == {
        "AFVENTER",
        "AFSLUTTET",
        "ANNULLERET",
    }
    assert set(JobnetCv.objects.values_list("status", flat=True)) == {
        "aktiv",
        "arkiveret",
        "deaktiveret",
        "laast",
    }
    assert Gaesteadgang.objects.exists()
    assert Tilknytning.objects.filter(til__isnull=False).exists()
    assert Asylovergivelse.objects.count() == 2  # STAR's and the anden aktør's examples
    # one client per organisation, and the CPR feed (a system client acting as STAR)
    assert ApiClient.objects.count() == Organisation.objects.count() + 1
    feed = ApiClient.objects.get(navn=demo.CPR_FEED_CLIENT)
    assert feed.system
    assert feed.allowed_scopes == {scopes.CPRHAENDELSER_WRITE.navn}


@pytest.mark.django_db
def test_no_citizen_has_two_open_jobcentre_affiliations_after_the_completed_move():
    seed()
    flyttet = Borger.objects.get(cpr=demo.CPR["flyttet"])
    open_jobcentres = Tilknytning.objects.filter(
        borger=flyttet, organisation__type=OrganisationType.JOBCENTER, til__isnull=True
    )
    assert list(open_jobcentres.values_list("organisation__kode", flat=True)) == ["75100"]
    assert Borgerflytning.objects.get(pk=demo.FLOW_IDS["flyttet"]).tilstand == "AFSLUTTET"


@pytest.mark.django_db
def test_a_rerun_brings_back_the_same_starting_state():
    seed()
    first = snapshot()
    seed()
    assert snapshot() == first


@pytest.mark.django_db
def test_the_reset_undoes_what_the_demo_changed_and_leaves_other_records_alone(
    integrator_for,
):
    seed()
    first = snapshot()
    # what a run of the script leaves behind: a completed flow, a new transition, history
    star = Organisation.objects.get(type=OrganisationType.STAR)
    from accessrules.core.caller import Caller
    from borgerflytte import services as flyt

    caller = Caller(organisation=star, label="test")
    for side in (flyt.FRA, flyt.TIL):
        flyt.bekraeft(flytning_id=demo.FLOW_IDS["flytter"], side=side, caller=caller)
    from django.utils import timezone

    from borgerflytte import haendelser

    haendelser.modtag_haendelser(haendelser=[demo.haendelse(timezone.localdate())], kilde="test")
    assert snapshot() != first
    # records that are not the demo's: a citizen, a client, a receipt, log rows
    other = BorgerFactory(cpr="0101701234")
    other_client = ApiClientFactory(navn="kommunens sagssystem", organisationer=[star])
    AccessLogEntry.objects.create(
        client=other_client, organisation=star, handling="x", borger=other, outcome=200
    )
    RequestId.objects.create(client=other_client, request_id="r-1", operation="x")
    seed()
    after = snapshot()
    assert after["tilknytninger"] == first["tilknytninger"]
    assert after["flows"] == first["flows"]
    assert after["flow_history"] == first["flow_history"]
    assert after["transitions"] == first["transitions"]
    assert after["receipts"] == first["receipts"] == 0
    assert Borger.objects.filter(pk=other.pk).exists()
    assert ApiClient.objects.filter(pk=other_client.pk).exists()
    assert AccessLogEntry.objects.filter(client=other_client).count() == 1
    assert RequestId.objects.filter(client=other_client).count() == 1
    assert Organisation.objects.filter(pk=star.pk).exists()


@pytest.mark.django_db
@override_settings(DEBUG=False, DEMO_ALLOWED=False)
def test_it_refuses_to_run_without_debug_or_demo():
    with pytest.raises(CommandError, match="DEBUG=1 or DEMO=1"):
        call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    assert not Borger.objects.exists()
    assert not ApiClient.objects.exists()


@pytest.mark.django_db
@override_settings(DEBUG=True, DEMO_ALLOWED=False)
def test_debug_alone_lets_it_run():
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    assert Borger.objects.filter(cpr=demo.CPR["flygtning"]).exists()


def statuses(output: str) -> list[int]:
    return [int(code) for code in re.findall(r"^HTTP (\d{3})$", output, re.MULTILINE)]


def run_script(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
@pytest.mark.django_db(transaction=True)
def test_the_printed_script_works_twice_with_seed_demo_between(live_server):
    script = seed(live_server.url)
    assert live_server.url + "/v1/CprHaendelser" in script
    assert "http://127.0.0.1:8000" not in script  # --base-url is used everywhere
    first = run_script(script)
    assert first.returncode == 0, first.stdout + first.stderr
    first_statuses = statuses(first.stdout)
    # GET, POST, POST again (409), PUT, STAR's GET, the anden aktør's GET, list, 2 confirms,
    # the event, 3 confirms of its flow, the list
    assert first_statuses == [200, 201, 409, 204, 200, 200, 200, 204, 204, 200, 204, 204, 204, 200]
    assert '"code":9302' in first.stdout.replace(" ", "")
    assert '"asylovergivelsesdata":null' not in first.stdout.replace(" ", "")
    assert '"status":"behandlet"' in first.stdout.replace(" ", "")
    event_flow = HaendelseKvittering.objects.get(haendelse_id=demo.HAENDELSE_ID).borgerflytning
    assert event_flow.tilstand == "AFSLUTTET"
    assert Borgerflytning.objects.get(pk=demo.FLOW_IDS["flytter"]).tilstand == "AFSLUTTET"

    script = seed(live_server.url)
    assert not Borgerflytning.objects.filter(pk=event_flow.pk).exists()
    second = run_script(script)
    assert second.returncode == 0, second.stdout + second.stderr
    assert statuses(second.stdout) == first_statuses
    again = HaendelseKvittering.objects.get(haendelse_id=demo.HAENDELSE_ID).borgerflytning
    assert again.tilstand == "AFSLUTTET"
    assert again.pk != event_flow.pk
