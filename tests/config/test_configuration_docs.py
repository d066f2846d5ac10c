"""Every environment variable the service reads is in .env.example and docs/operations.md's
table ("Configuration")."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def variables_read() -> set[str]:
    settings = (ROOT / "config" / "settings.py").read_text()
    gunicorn = (ROOT / "gunicorn.conf.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', settings))
    names |= set(re.findall(r'(?:environ\.get|environ\[|_env_int)\(?\s*"([A-Z_]+)"', gunicorn))
    return names


def test_the_variables_are_found():
    assert {"SECRET_KEY", "DATABASE_SERVER_SIDE_BINDING", "API_MAX_BODY_BYTES"} <= variables_read()
    assert {"GUNICORN_THREADS", "BIND", "PORT", "PROMETHEUS_MULTIPROC_DIR"} <= variables_read()


def test_every_variable_is_in_env_example_and_the_operations_docs():
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "docs" / "operations.md").read_text()
    in_example = set(re.findall(r"^#?([A-Z_]+)=", example, re.MULTILINE))
    assert variables_read() <= in_example
    missing = {name for name in variables_read() if f"`{name}`" not in readme}
    # the three gunicorn limits share one row: `GUNICORN_LIMIT_REQUEST_LINE` / `_FIELDS` / ...
    assert missing <= {"GUNICORN_LIMIT_REQUEST_FIELDS", "GUNICORN_LIMIT_REQUEST_FIELD_SIZE"}
