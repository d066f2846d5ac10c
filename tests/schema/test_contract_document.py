"""The OpenAPI document says everything (issue 15, item 2): the package version, an access
table per operation, a Danish description on every parameter and field, real examples for
every request and every error code, `additionalProperties: false` where unknown keys are
refused, and both client credentials and a bearer token as security."""

import re
from importlib.metadata import version

import pytest
from drf_spectacular.generators import SchemaGenerator

from accessrules.api.routes import documented_path, served
from accessrules.core import errors

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def document():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item and path.startswith("/v1/"):
                yield path, method, item[method]


def test_the_version_is_the_package_version(document):
    assert document["info"]["version"] == version("borgerindsats")


def test_every_operation_has_an_access_table_and_a_danish_summary(document):
    found = list(operations(document))
    assert sorted((p, m.upper()) for p, m, _ in found) == sorted(
        (f"/v1/{documented_path(endpoint.path)}", endpoint.method) for endpoint in served()
    )
    for path, method, operation in found:
        assert "**Tilladte organisationer**" in operation["description"], (method, path)
        assert operation["summary"] != operation["operationId"], (method, path)
        assert " the " not in f" {operation['summary'].lower()} ", operation["summary"]


def test_every_operation_takes_client_credentials_or_a_bearer_token(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer", "description": ANY_TEXT}
    assert "clientCredentials" in schemes["oauth2"]["flows"]
    for path, method, operation in operations(document):
        [oauth2, bearer] = operation["security"]
        assert oauth2["oauth2"], (method, path)  # the operation's scopes
        assert bearer == {"bearer": []}


class _AnyText(str):
    def __eq__(self, other):
        return isinstance(other, str) and len(other) > 10

    __hash__ = str.__hash__


ANY_TEXT = _AnyText()


def test_every_parameter_and_field_is_described(document):
    for path, method, operation in operations(document):
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (method, path, parameter["name"])
    for name, schema in document["components"]["schemas"].items():
        for field, spec in schema.get("properties", {}).items():
            described = spec.get("description") or any(
                "description" in part for part in spec.get("allOf", [])
            )
            assert described or "$ref" in spec or "$ref" in spec.get("items", {}), (name, field)


def test_every_request_has_an_example_and_every_error_code_one(document):
    for path, method, operation in operations(document):
        if "requestBody" in operation:
            body = operation["requestBody"]["content"]["application/json"]
            assert body.get("examples"), (method, path)
        for status, response in operation["responses"].items():
            if not status.startswith(("4", "5")):
                continue
            problem = response["content"]["application/problem+json"]
            examples = {int(name): e["value"] for name, e in problem["examples"].items()}
            for code, example in examples.items():
                assert example["errors"][0]["code"] == code
                assert example["errors"][0]["text"] == errors.lookup(code).text
                assert example["status"] == int(status)
            listed = {int(code) for code in re.findall(r"`(\d+)`", response["description"])}
            # each code links its page: "- [`CODE`](/fejl/CODE) text"
            assert all(f"(/fejl/{code})" in response["description"] for code in listed), (
                method,
                path,
                status,
            )
            assert set(examples) == listed, (method, path, status)


def test_strict_request_schemas_refuse_additional_properties(document):
    schemas = document["components"]["schemas"]
    for name in (
        "OpretAsylOvergivelseRequest",
        "RetAsylOvergivelseRequest",
        "BekraeftelseRequestRequest",
        "CprHaendelserRequest",
        "FlytningRequest",
        "IndrejseRequest",
        "DoedsfaldRequest",
    ):
        assert schemas[name]["additionalProperties"] is False, name
    # a CPR event is one of three shapes, by its type (issue 20: the document said one)
    event = schemas["HaendelseRequest"]
    assert event["discriminator"]["propertyName"] == "type"
    assert set(event["discriminator"]["mapping"]) == {"flytning", "indrejse", "doedsfald"}
    assert set(schemas["FlytningRequest"]["required"]) == {
        "haendelseId",
        "cpr",
        "type",
        "fraKommunekode",
        "tilKommunekode",
        "flyttedato",
    }
    assert "additionalProperties" not in schemas["Problem"]


def test_both_organisation_headers_say_both_or_neither(document):
    """Issue 20: OpenAPI cannot say that the two go together (one alone is 400 1014), so each
    description says it, on every operation that reads them."""
    seen = 0
    for _path, _method, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["name"] in (
                "x-activeOrganisationTypeIdentifier",
                "x-activeOrganisationCode",
            ):
                assert "begge eller ingen" in parameter["description"], parameter["name"]
                assert "400 1014" in parameter["description"]
                seen += 1
    assert seen >= 10


def test_every_date_says_spec_8s_range(document):
    text = str(document)
    assert text.count("'format': 'date'") + text.count("'format': 'date-time'") == text.count(
        "'pattern': '^(19|20|21)[0-9]{2}-'"
    )
