"""The domain knows no web framework: only the API layer imports DRF and its helpers.

Rules, services, access, models, the admin and the commands raise and catch
`accessrules.core.errors.DomainError`; none of them imports rest_framework, drf_spectacular,
django_filters or accessrules.api.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accessrules", "asylovergivelse", "borgerflytte")
# The API layer: these modules may speak HTTP.
API_LAYER = {
    "accessrules/api",
    "accessrules/apps.py",  # registers the OpenAPI extension of the API layer
    "asylovergivelse/api/specs.py",
    "asylovergivelse/api/serializers.py",
    "asylovergivelse/api/urls.py",
    "asylovergivelse/api/views.py",
    "borgerflytte/api/filters.py",
    "borgerflytte/api/specs.py",
    "borgerflytte/api/pagination.py",
    "borgerflytte/api/serializers.py",
    "borgerflytte/api/urls.py",
    "borgerflytte/api/views.py",
}
WEB = ("rest_framework", "drf_spectacular", "django_filters", "accessrules.api")


def _domain_modules() -> list[Path]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            if any(relative == layer or relative.startswith(layer + "/") for layer in API_LAYER):
                continue
            found.append(path)
    return found


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_domain_modules_are_found():
    relative = {p.relative_to(ROOT).as_posix() for p in _domain_modules()}
    for expected in (
        "asylovergivelse/rules.py",
        "asylovergivelse/services.py",
        "asylovergivelse/admin/__init__.py",
        "asylovergivelse/management/commands/ret_asylovergivelse.py",
        "borgerflytte/services.py",
        "accessrules/access/adgang.py",
        "accessrules/oauth/clients.py",
    ):
        assert expected in relative


@pytest.mark.parametrize("path", _domain_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_web_framework_outside_the_api_layer(path):
    web = sorted(
        name for name in _imports(path) if any(name == w or name.startswith(w + ".") for w in WEB)
    )
    assert web == [], f"{path.relative_to(ROOT)} imports {web}"
