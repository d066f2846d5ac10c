"""seed_demo: the data set covers every relation, state and status, a re-run changes nothing,
and every printed curl works as printed against a running server."""

import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command

from accessrules import demo
from accessrules.models import ApiClient, Gaesteadgang, Organisation, Tilknytning
from asylovergivelse.models import Asylovergivelse, JobnetCv
from borgerflytte.models import Borgerflytning


def seed(base_url="http://127.0.0.1:8000") -> str:
    out = StringIO()
    call_command("seed_demo", "--base-url", base_url, stdout=out, stderr=StringIO())
    return out.getvalue()


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
    assert Asylovergivelse.objects.count() == 1
    assert ApiClient.objects.count() == Organisation.objects.count()


@pytest.mark.django_db
def test_a_rerun_changes_nothing_but_the_secrets():
    seed()
    before = (
        Tilknytning.objects.count(),
        Borgerflytning.objects.count(),
        ApiClient.objects.count(),
        Asylovergivelse.objects.count(),
    )
    seed()
    after = (
        Tilknytning.objects.count(),
        Borgerflytning.objects.count(),
        ApiClient.objects.count(),
        Asylovergivelse.objects.count(),
    )
    assert before == after


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
@pytest.mark.django_db(transaction=True)
def test_every_printed_curl_works_as_printed(live_server):
    script = seed(live_server.url)
    assert script.count("curl ") >= 12
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert demo.FLOW_IDS["flytter"] in result.stdout
    flow = Borgerflytning.objects.get(pk=demo.FLOW_IDS["flytter"])
    assert flow.tilstand == "AFSLUTTET"
    assert Asylovergivelse.objects.count() == 2
