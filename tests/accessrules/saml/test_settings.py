"""The SAML settings are checked when the service starts: a half-made configuration, metadata
over plain http and a role mapping it cannot read stop it with a clear message."""

import os
import subprocess
import sys

import pytest

from tests.live.harness import ROOT

BASE = {"SECRET_KEY": "settings-test-only-secret-key-value", "DEBUG": "0"}


def start(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    environment.update(BASE, **env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"SAML_IDP_METADATA": "/etc/idp.xml"},
            "set SAML_SP_BASE_URL, SAML_SP_KEY_FILE, SAML_SP_CERT_FILE too",
        ),
        ({"SAML_IDP_METADATA": "http://idp.example/metadata"}, "not http://"),
        ({"SAML_ROLLER": "urn:x=Admin"}, "SAML_ROLLER: expected ROLE-URI=Sagsbehandler"),
        ({"SAML_ROLLER": "=Support"}, "SAML_ROLLER: expected"),
    ],
)
def test_a_bad_saml_configuration_stops_the_service(env, message):
    done = start(**env)
    assert done.returncode != 0 and message in done.stderr, done.stderr[-500:]


def test_a_whole_configuration_starts():
    done = start(
        SAML_IDP_METADATA="/etc/idp.xml",
        SAML_SP_BASE_URL="https://bi.example",
        SAML_SP_KEY_FILE="/k",
        SAML_SP_CERT_FILE="/c",
        SAML_ROLLER="http://kombit.dk/roles/usersystemrole/x=y/1=Support",
    )
    assert done.returncode == 0, done.stderr[-500:]
