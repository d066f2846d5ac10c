import pytest
import yaml
from django.db import DatabaseError


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_reports_a_database_failure(client, monkeypatch):
    from config import health

    class Broken:
        def __enter__(self):
            raise DatabaseError("down")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: Broken())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


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
