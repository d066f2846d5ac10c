"""A real client proves the contract: the Python client that openapi-python-client generates
from docs/openapi.yaml (`.ci/run` does, into its own virtualenv) calls a live server: token,
GET, POST, PUT, the list, a CPR event, both confirmations, a 412, both histories, and
problem+json errors parsed into the client's `Problem` model.

`.ci/run` sets GENERATED_CLIENT_PYTHON (the client virtualenv's python) and
GENERATED_CLIENT_PATH (the folder holding the `borgerindsats_client` package). Without them
the test is skipped; with them, a package that does not import or a call it cannot parse fails
the test.
"""

import json
import os
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accessrules.models import Organisation, OrganisationType
from accessrules.oauth import scopes
from accessrules.oauth.clients import opret_api_klient
from asylovergivelse.models import Asylovergivelse
from borgerflytte.models import Borgerflytning
from config import demo

PYTHON = os.environ.get("GENERATED_CLIENT_PYTHON")
PATH = os.environ.get("GENERATED_CLIENT_PATH")
DRIVER = Path(__file__).with_name("driver.py")

pytestmark = [
    pytest.mark.skipif(
        not (PYTHON and PATH),
        reason="no generated client: set GENERATED_CLIENT_PYTHON and GENERATED_CLIENT_PATH "
        "(bash .ci/run generates it with openapi-python-client from docs/openapi.yaml)",
    ),
]


def client_env() -> dict:
    return {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": PATH}


def test_the_generated_package_imports():
    """With the variables set, an unusable package fails here (never skipped)."""
    result = subprocess.run(
        [PYTHON, "-c", "import borgerindsats_client.api.v1, borgerindsats_client.models"],
        capture_output=True,
        text=True,
        env=client_env(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


# The server runs the production settings: the test settings' fast MD5 hasher would store a
# client secret the server cannot check.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"])
def credentials(organisation, *, navn, scope_names, system=False) -> list[str]:
    client, secret = opret_api_klient(
        navn=navn, organisationer=[organisation], scopes=scope_names, system=system
    )
    return [client.application.client_id, secret]


@pytest.mark.postgres  # the live servers need PostgreSQL
def test_a_generated_client_works_against_a_live_server(live_servers):
    with override_settings(DEMO_ALLOWED=True):
        call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    orgs = {(o.type, o.kode): o for o in Organisation.objects.all()}
    everything = [s for s in scopes.ALL if s != scopes.CPRHAENDELSER_WRITE.navn]
    config = {
        "clients": {
            "jobcenter": credentials(
                orgs[(OrganisationType.JOBCENTER, "10100")], navn="gen jc", scope_names=everything
            ),
            "kommune_b": credentials(
                orgs[(OrganisationType.KOMMUNE, "147")], navn="gen kb", scope_names=everything
            ),
            "cpr_feed": credentials(
                orgs[(OrganisationType.STAR, "STAR")],
                navn="gen feed",
                scope_names=[scopes.CPRHAENDELSER_WRITE.navn],
                system=True,
            ),
        },
        "cpr": demo.CPR,
        "today": timezone.localdate().isoformat(),
    }
    [server] = live_servers()
    result = subprocess.run(
        [PYTHON, str(DRIVER), server.base_url, json.dumps(config)],
        capture_output=True,
        text=True,
        env=client_env(),
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    seen = json.loads(result.stdout)
    assert seen["get"]["status"] == 200
    assert seen["post"] == 201
    assert seen["post_again"] == {"status": 409, "codes": [9302]}
    assert seen["put"] == 204
    assert seen["put_reused_request_id"] == {"status": 412, "codes": [41200]}
    assert seen["event"] == {"status": 200, "result": "behandlet"}
    assert seen["list"]["status"] == 200
    assert seen["list"]["flow_id"] in seen["list"]["ids"]
    assert seen["tilflytning"] == 204
    assert seen["fraflytning"] == 204
    assert seen["fraflytning_wrong_citizen"] == {"status": 404, "codes": [3]}
    historik = seen["historik"]
    assert (historik["status"], historik["aendringstyper"]) == (200, ["oprettet", "aendret"])
    assert historik["kilder"] == ["api", "api"]
    assert historik["organisationer"] == ["8:10100", "8:10100"]
    assert historik["felter"][-1] == ["CVEditEndDate"]
    assert historik["kommentar"] == "Ny CV-frist"
    flow_historik = seen["flow_historik"]
    assert flow_historik["status"] == 200
    assert flow_historik["aendringstyper"] == ["oprettet", "aendret", "aendret"]
    assert flow_historik["kilder"] == ["cpr", "api", "api"]
    assert flow_historik["organisationer"] == [None, "7:147", "8:10100"]
    assert "tilstand" in flow_historik["felter"][-1]  # completed by the second confirmation
    # and the server stored what the client did
    flow = Borgerflytning.objects.get(pk=seen["list"]["flow_id"])
    assert flow.tilstand == "AFSLUTTET"
    stored = Asylovergivelse.objects.get(borger__cpr=demo.CPR["flygtning"])
    assert stored.kommentar == "Ny CV-frist"
