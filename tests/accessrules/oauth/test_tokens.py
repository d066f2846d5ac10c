"""The real token endpoint: client credentials, scopes restricted per client, hashed secrets."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from oauth2_provider.models import AccessToken, Application

from tests.conftest import error_codes
from tests.factories import BorgerFactory, JobcenterFactory, StarFactory, TilknytningFactory

pytestmark = pytest.mark.django_db

READ = "borgerindsats.asylovergivelse.read"
WRITE = "borgerindsats.asylovergivelse.write"


def create_client(*organisations, scopes=(READ,), system=False) -> dict:
    out = StringIO()
    args = ["create_api_client", f"klient-{len(organisations)}-{'-'.join(scopes)}"]
    for organisation in organisations:
        args += ["--organisation", organisation.reference]
    for scope in scopes:
        args += ["--scope", scope]
    if system:
        args.append("--system")
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def token(client, credentials, scope=None):
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    return client.post("/oauth/token/", data, headers={"Authorization": _basic(credentials)})


def _basic(credentials) -> str:
    import base64

    raw = f"{credentials['client_id']}:{credentials['client_secret']}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def test_client_credentials_token_carries_the_allowed_scopes(client, settings):
    credentials = create_client(StarFactory(), scopes=(READ, WRITE))
    response = token(client, credentials)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body["scope"].split()) == {READ, WRITE}
    assert body["expires_in"] == settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"]


def test_a_client_cannot_ask_for_a_scope_it_was_not_given(client):
    credentials = create_client(StarFactory(), scopes=(READ,))
    response = token(client, credentials, scope=WRITE)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"
    assert not AccessToken.objects.exists()


def test_wrong_secret_gets_no_token(client):
    credentials = create_client(StarFactory())
    response = token(client, {**credentials, "client_secret": "wrong"})
    assert response.status_code == 401
    assert not AccessToken.objects.exists()


def test_the_secret_is_stored_hashed_and_printed_once():
    credentials = create_client(StarFactory())
    application = Application.objects.get(client_id=credentials["client_id"])
    assert application.client_secret != credentials["client_secret"]
    assert application.client_secret.startswith(("pbkdf2", "md5", "argon2", "bcrypt"))


def test_the_token_works_on_the_api_with_its_scope(client):
    jobcenter = JobcenterFactory()
    borger = TilknytningFactory(organisation=jobcenter).borger
    credentials = create_client(jobcenter, scopes=(READ,))
    access = token(client, credentials).json()["access_token"]
    headers = {"Authorization": f"Bearer {access}", "x-civilRegistrationIdentifier": borger.cpr}
    response = client.get("/v1/Asylovergivelse", headers=headers)
    assert response.status_code == 200, response.content
    write = client.post("/v1/Asylovergivelse", {}, content_type="application/json", headers=headers)
    assert write.status_code == 403
    assert error_codes(write) == [40300]


def test_a_revoked_token_is_refused(client):
    credentials = create_client(StarFactory())
    access = token(client, credentials).json()["access_token"]
    AccessToken.objects.all().delete()
    response = client.get(
        "/v1/Asylovergivelse",
        headers={
            "Authorization": f"Bearer {access}",
            "x-civilRegistrationIdentifier": BorgerFactory().cpr,
        },
    )
    assert response.status_code == 401
    assert error_codes(response) == [40100]


INTROSPECT = "/oauth/introspect/"


def test_a_client_may_introspect_its_own_token(client):
    credentials = create_client(StarFactory())
    own = token(client, credentials).json()["access_token"]
    response = client.post(
        INTROSPECT, {"token": own}, headers={"Authorization": _basic(credentials)}
    )
    assert response.status_code == 200, response.content
    assert response.json()["active"] is True


def test_another_clients_token_is_inactive_to_introspection(client):
    """Token introspection only for the client that owns the token (issue 13): another
    client learns nothing, not even that the token exists."""
    owner = create_client(StarFactory())
    other = create_client(JobcenterFactory(), scopes=(WRITE,))
    owned = token(client, owner).json()["access_token"]
    response = client.post(INTROSPECT, {"token": owned}, headers={"Authorization": _basic(other)})
    assert response.status_code == 200
    assert response.json() == {"active": False}
    in_a_url = client.get(INTROSPECT, {"token": owned})  # a token never travels in a URL
    assert in_a_url.status_code in (403, 405) and b"true" not in in_a_url.content
