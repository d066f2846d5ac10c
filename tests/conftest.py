import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from rest_framework.test import APIClient

from accessrules.api import shared_cache
from accessrules.api.endpoints import endpoint_of
from accessrules.models import Organisation, OrganisationType, Rolle, RolleKilde, Sagsbehandler
from tests.factories import ApiClientFactory, access_token_for

ALL_SCOPES = [
    "borgerkommunikation.jobcentertilknytning.read",
    "borgerkommunikation.jobcentertilknytning.write",
    "borgerindsats.asylovergivelse.read",
    "borgerindsats.asylovergivelse.write",
]


class Integrator:
    """A test API client acting for one organisation: builds authenticated requests."""

    def __init__(self, organisation: Organisation, scopes=None, *, system=False):
        self.organisation = organisation
        self.client = ApiClientFactory(organisationer=[organisation], system=system)
        self.token = access_token_for(self.client, scopes if scopes is not None else ALL_SCOPES)
        self.http = APIClient()

    def headers(self, extra: dict | None = None, *, without: tuple = ()) -> dict:
        """Authorization + active-organisation headers, plus `extra`, minus `without`."""
        base = {
            "Authorization": f"Bearer {self.token}",
            "x-activeOrganisationTypeIdentifier": str(self.organisation.type),
            "x-activeOrganisationCode": self.organisation.kode,
        }
        base.update(extra or {})
        return {k: v for k, v in base.items() if k not in without and v is not None}

    def call(self, method: str, path: str, body=None, *, headers: dict | None = None, **query):
        """Send with `headers` added to the defaults (use .headers() to build exact ones)."""
        sender = getattr(self.http, method.lower())
        kwargs = {"headers": self.headers(headers)}
        if body is not None:
            kwargs["data"] = body
            kwargs["format"] = "json"
        if query:
            kwargs["data"] = query
        return record_answered_codes(sender(path, **kwargs))


# operationId -> the error codes the suite saw it answer (checked by tests/contract/).
ANSWERED_CODES: dict[str, set[int]] = {}
# (operationId, code) of every errors entry the suite saw answered without a `detail`
ANSWERED_WITHOUT_DETAIL: set[tuple[str, int]] = set()


def record_answered_codes(response):
    """Note which codes a real operation (not a test probe) answered."""
    view = getattr(response, "renderer_context", {}).get("view")
    endpoint = endpoint_of(view) if view is not None else None
    real = endpoint is not None and not type(view).__module__.startswith("tests.")
    if real and response.status_code >= 400 and "problem+json" in response.get("Content-Type", ""):
        entries = response.json()["errors"]
        codes = {entry["code"] for entry in entries}
        ANSWERED_CODES.setdefault(str(endpoint.operation), set()).update(codes)
        ANSWERED_WITHOUT_DETAIL.update(
            (str(endpoint.operation), entry["code"]) for entry in entries if not entry.get("detail")
        )
    return response


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The caches are on, as in production; each test starts with an empty one (token strings
    and ids repeat across rolled-back tests), and no failure of it remembered."""
    shared_cache.forget()
    cache.clear()
    yield
    shared_cache.forget()
    cache.clear()


@pytest.fixture
def integrator_for(db):
    """integrator_for(org, scopes=None, system=False) -> Integrator."""

    def make(organisation, scopes=None, *, system=False):
        return Integrator(organisation, scopes, system=system)

    return make


@pytest.fixture
def staff_login(client):
    """Log the test client in as a staff user with exactly these permission codenames
    (none: a superuser)."""

    def login(*codenames: str, username: str = "sb", organisation=None) -> User:
        # a caseworker of STAR (sees all, SPEC 7) unless the test names the organisation; a
        # superuser without a role acts as the register's STAR
        star = Organisation.objects.get_or_create(
            type=OrganisationType.STAR, kode="STAR", defaults={"navn": "STAR"}
        )[0]
        if not codenames:
            user = User.objects.create_superuser(username, password="x")
        else:
            user = User.objects.create_user(username, password="x", is_staff=True)
            user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
            organisation = organisation or star
            Sagsbehandler.objects.create(
                user=user, organisation=organisation, rolle=Rolle.SUPPORT, kilde=RolleKilde.LOKAL
            )
        client.force_login(user)
        return user

    return login


def error_codes(response) -> list[int]:
    assert response["Content-Type"].startswith("application/problem+json"), response.content
    return [entry["code"] for entry in response.json()["errors"]]


def pytest_collection_modifyitems(config, items):
    """tests/contract/ runs last (it checks what the others saw). Tests marked `postgres` need
    real PostgreSQL concurrency: skip them on SQLite."""
    from django.db import connection

    items.sort(key=lambda item: item.nodeid.startswith("tests/contract/"))
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL); SQLite serialises writes")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser, with the register's STAR organisation it acts as (SPEC 7: a
    superuser without a role acts as STAR and sees all)."""
    Organisation.objects.get_or_create(
        type=OrganisationType.STAR, kode="STAR", defaults={"navn": "STAR"}
    )
    return admin_user
