"""Issue 19, item 2: the docs work as written. Every curl in README.md and docs/*.md aimed at
http://127.0.0.1:8000 runs, in the order of its file, against a live server loaded with the
demo (`seed_demo`, reset before each file), with only the placeholders docs/integration.md
documents substituted (TOKEN, TOKEN_147, TOKEN_FEED, CLIENT_ID, CLIENT_SECRET), and answers
the status the line after it documents."""

import base64
import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from accessrules.models import Organisation, OrganisationType
from accessrules.oauth import scopes
from accessrules.oauth.clients import opret_api_klient
from tests.docs.curls import BASE, extract
from tests.live.harness import fetch

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PLACEHOLDERS = ("TOKEN", "TOKEN_147", "TOKEN_FEED", "CLIENT_ID", "CLIENT_SECRET")
FLOW = [scopes.JOBCENTERTILKNYTNING_READ.navn, scopes.JOBCENTERTILKNYTNING_WRITE.navn]
ASYL = [scopes.ASYLOVERGIVELSE_READ.navn, scopes.ASYLOVERGIVELSE_WRITE.navn]


def every_curl():
    return [curl for path in FILES for curl in extract(path, ROOT)]


def test_the_docs_have_curls_and_each_documents_its_status():
    curls = every_curl()
    sources = {curl.source.split(":")[0] for curl in curls}
    assert {"docs/integration.md", "docs/contract.md"} <= sources
    undocumented = [curl.source for curl in curls if curl.status is None]
    assert undocumented == [], "a curl without '# STATUS' on the line after it"


def test_every_placeholder_is_documented_and_no_doc_needs_uuidgen():
    integration = (ROOT / "docs" / "integration.md").read_text()
    for name in PLACEHOLDERS:
        assert f"`{name}`" in integration, name
    for path in FILES:
        assert "uuidgen" not in path.read_text().replace("`uuidgen` is not", ""), path.name


def _org(type_, kode):
    return Organisation.objects.get(type=type_, kode=kode)


def _token(base: str, client_id: str, secret: str) -> str:
    credentials = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    answer = fetch(
        "POST",
        f"{base}/oauth/token/",
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=b"grant_type=client_credentials",
    )
    assert answer.status == 200, answer.body
    return answer.json()["access_token"]


def _placeholders(base: str) -> dict[str, str]:
    jobcenter, secret = opret_api_klient(
        navn="docs jobcenter 10100",
        organisationer=[_org(OrganisationType.JOBCENTER, "10100")],
        scopes=ASYL + FLOW,
    )
    kommune, secret_147 = opret_api_klient(
        navn="docs kommune 147", organisationer=[_org(OrganisationType.KOMMUNE, "147")], scopes=FLOW
    )
    feed, secret_feed = opret_api_klient(
        navn="docs cpr-feed",
        organisationer=[_org(OrganisationType.STAR, "STAR")],
        scopes=[scopes.CPRHAENDELSER_WRITE.navn],
        system=True,
    )
    client_id = jobcenter.application.client_id
    return {
        "CLIENT_ID": client_id,
        "CLIENT_SECRET": secret,
        "TOKEN": _token(base, client_id, secret),
        "TOKEN_147": _token(base, kommune.application.client_id, secret_147),
        "TOKEN_FEED": _token(base, feed.application.client_id, secret_feed),
    }


def _seed(base: str) -> None:
    with override_settings(DEMO_ALLOWED=True):
        call_command("seed_demo", "--base-url", base, stdout=StringIO(), stderr=StringIO())


def _script(curl, base: str, values: dict, body: Path) -> str:
    lines = [*curl.assignments, curl.command]
    script = "\n".join(lines).replace(BASE, base)
    for name in sorted(PLACEHOLDERS, key=len, reverse=True):
        script = re.sub(rf"(?<![$\w]){name}(?!\w)", values[name], script)
    return f"{script} -sS -o {body} -w '%{{http_code}}'"


@pytest.mark.django_db(transaction=True)
def test_every_curl_answers_its_documented_status(live_server, tmp_path):
    base = live_server.url
    _seed(base)
    values = _placeholders(base)
    env = {"PATH": "/usr/bin:/bin", **values}
    failures, ran = [], 0
    for path in FILES:
        curls = extract(path, ROOT)
        if not curls:
            continue
        _seed(base)  # each file starts from the demo's starting state
        for curl in curls:
            body = tmp_path / "body"
            done = subprocess.run(
                ["bash", "-c", _script(curl, base, values, body)],
                capture_output=True,
                text=True,
                env=env,
                timeout=30,
            )
            ran += 1
            status = int(done.stdout[-3:]) if done.stdout[-3:].isdigit() else None
            if status != curl.status:
                answer = body.read_text()[:300] if body.exists() else done.stderr[:300]
                failures.append(f"{curl.source}: {status} (documented {curl.status}) {answer}")
    assert ran >= 10
    assert failures == []
