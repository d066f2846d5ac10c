"""Two app servers on one database through PgBouncer: the live-server harness, and one
PgBouncer for the session, stopped before pytest-django drops the test database."""

import pytest

from tests.live.harness import database_url, live_servers, pytest_runtest_makereport  # noqa: F401
from tests.live.pgbouncer import APP_SETTINGS, PgBouncer


@pytest.fixture(scope="session")
def pgbouncer(django_db_setup):
    """PgBouncer (transaction pooling) in front of the test database, for the session."""
    bouncer = PgBouncer(database_url())
    try:
        bouncer.start()
        yield bouncer
    finally:
        bouncer.cleanup()


@pytest.fixture
def two_servers(live_servers, pgbouncer):  # noqa: F811
    """start(env=None) -> two gunicorn masters (gunicorn.conf.py's worker model, 2 workers each)
    on PgBouncer, with the settings PgBouncer needs."""

    def start(env: dict | None = None):
        return live_servers(
            2,
            workers=2,
            worker_class="gthread",
            threads=8,
            env={**APP_SETTINGS, **(env or {})},
            database_url=pgbouncer.url(),
        )

    return start
