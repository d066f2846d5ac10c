from importlib.metadata import version

import pytest
import yaml
from django.db import DatabaseError
from django.db.migrations.executor import MigrationExecutor

from config import health
from tests.statements import statements


@pytest.fixture
def fresh_health():
    health.forget_migrations_state()
    yield
    health.forget_migrations_state()


@pytest.mark.django_db
def test_healthz_checks_the_database_and_migrations(client, fresh_health):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "applied",
        "version": version("borgerindsats"),
    }


@pytest.mark.django_db
def test_healthz_looks_at_migrations_once_they_are_applied(client, fresh_health):
    assert client.get("/healthz").status_code == 200  # SELECT 1, the applied migrations
    with statements() as sent:
        assert client.get("/healthz").json()["migrations"] == "applied"
    assert sent.all() == ["SELECT 1"], sent


@pytest.mark.django_db
def test_healthz_is_503_while_migrations_are_pending(client, fresh_health, monkeypatch):
    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [("a migration", False)]
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["migrations"] == "pending"
    monkeypatch.undo()
    assert client.get("/healthz").json()["migrations"] == "applied"  # looked again


@pytest.mark.django_db
def test_healthz_reports_a_database_failure(client, fresh_health, monkeypatch):
    class Broken:
        def __enter__(self):
            raise DatabaseError("down")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: Broken())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "status": "unavailable",
        "database": "down",
        "migrations": "unknown",
        "version": version("borgerindsats"),
    }


@pytest.mark.django_db
def test_schema_is_served_and_documents_problem_json(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    problem_responses = [
        body
        for path in schema["paths"].values()
        for operation in path.values()
        for status, body in operation.get("responses", {}).items()
        if status.startswith("4") and "application/problem+json" in body.get("content", {})
    ]
    if any(p.startswith("/v1/") for p in schema["paths"]):
        assert problem_responses


@pytest.mark.django_db
def test_swagger_ui_is_served_from_the_sidecar(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
    assert "/static/drf_spectacular_sidecar/" in html
